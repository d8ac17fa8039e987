from __future__ import annotations

from zhixing.lib.env import env_str

REDIS_URL = env_str("REDIS_URL")

if REDIS_URL:
    CACHES = {
        "default": {
            # Ordinary caching degrades to a miss while Redis is down; counters (rate limits) still raise.
            "BACKEND": "zhixing.lib.resilience.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "zx",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    # Sessions are read from Redis and kept in the database too, so logged-in users stay logged in
    # while Redis is down (stale cached sessions are rejected by the auth_epoch in the session hash).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "zhixing"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
