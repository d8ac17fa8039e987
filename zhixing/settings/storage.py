from __future__ import annotations

from zhixing.lib.env import env_bool, env_str

from .base import PRODUCTION, VAR_DIR

MEDIA_URL = "/media/"
MEDIA_ROOT = env_str("MEDIA_ROOT") or str(VAR_DIR / "media")

# S3-compatible storage (MinIO, OSS, COS …) is used when a bucket is configured; otherwise a local folder.
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "access_key": env_str("S3_ACCESS_KEY") or None,
            "secret_key": env_str("S3_SECRET_KEY") or None,
            "region_name": env_str("S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
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
