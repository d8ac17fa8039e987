"""Documents: generation jobs and e-seal signing (see zhixing/documents/signing.py)."""

from __future__ import annotations

from zhixing.lib.env import env_int, env_str

from .base import VAR_DIR

# Where the embedded local CA keeps the root and per-court keys (encrypted) and certificates.
SIGNING_DIR = env_str("SIGNING_DIR") or str(VAR_DIR / "signing")
# Passphrase protecting the private keys on disk; when empty a key derived from DATA_KEY is used.
SIGNING_PASSPHRASE = env_str("SIGNING_PASSPHRASE")
# "local" (embedded CA, default) | "pkcs12" (court certificate file) | "server" (signing-server adapter).
# (Not SIGNING_BACKEND: that name is Django's cookie-signer setting.)
ESEAL_BACKEND = env_str("ESEAL_BACKEND", "local")
SIGNING_PKCS12_PATH = env_str("SIGNING_PKCS12_PATH")
SIGNING_PKCS12_PASSPHRASE = env_str("SIGNING_PKCS12_PASSPHRASE")
# Extra trust roots (PEM files, comma separated) for verification when a PKCS#12 or server certificate is used.
SIGNING_TRUST_ROOTS = env_str("SIGNING_TRUST_ROOTS")
SIGNING_SERVER_URL = env_str("SIGNING_SERVER_URL")
SIGNING_SERVER_TOKEN = env_str("SIGNING_SERVER_TOKEN")
SIGNING_SERVER_TIMEOUT = env_int("SIGNING_SERVER_TIMEOUT", 15)

# Document generation: "thread" (default: background thread in the web process, no extra service),
# "worker" (jobs wait for `manage.py documents_worker`), "inline" (run in the request; tests).
DOCUMENTS_GENERATION_MODE = env_str("DOCUMENTS_GENERATION_MODE", "thread")
# Largest PDF accepted by the public verification page.
VERIFY_MAX_UPLOAD_BYTES = env_int("VERIFY_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# Largest material accepted into the e-file through the workbench upload form.
EFILE_MAX_UPLOAD_BYTES = env_int("EFILE_MAX_UPLOAD_BYTES", 30 * 1024 * 1024)
# Public address printed under the QR code of signed documents (the /verify/ page lives there).
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
