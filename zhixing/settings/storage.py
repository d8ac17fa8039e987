from __future__ import annotations

from zhixing.lib.env import env_bool, env_int, env_str

from .base import PRODUCTION, VAR_DIR

MEDIA_URL = "/media/"
MEDIA_ROOT = env_str("MEDIA_ROOT") or str(VAR_DIR / "media")

# S3-compatible storage (MinIO, Ceph RGW, OSS, COS …) is used when a bucket is configured; otherwise a local
# folder. Objects are private: the application streams them to the caller after its own permission check
# (no public URLs, no presigned links handed out), so the bucket needs no public policy.
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    from botocore.config import Config

    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "access_key": env_str("S3_ACCESS_KEY") or None,
            "secret_key": env_str("S3_SECRET_KEY") or None,
            "region_name": env_str("S3_REGION") or "us-east-1",
            "location": env_str("S3_LOCATION"),
            # Path-style addressing works with any endpoint (no per-bucket DNS names needed).
            "addressing_style": env_str("S3_ADDRESSING_STYLE") or "path",
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            "max_memory_size": 16 * 1024 * 1024,
            "client_config": Config(
                connect_timeout=env_int("S3_CONNECT_TIMEOUT", 3),
                read_timeout=env_int("S3_READ_TIMEOUT", 30),
                retries={"max_attempts": env_int("S3_MAX_ATTEMPTS", 3), "mode": "standard"},
                s3={"addressing_style": env_str("S3_ADDRESSING_STYLE") or "path"},
                signature_version="s3v4",
            ),
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

# Hashed file names (long cache lifetimes) need collectstatic first: on in production and in
# scripts/serve, off in tests and development so templates render without a collected manifest.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", PRODUCTION)
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
