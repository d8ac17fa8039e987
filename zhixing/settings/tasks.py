"""Background tasks (zhixing.tasks): which backend runs them and how the Redis queue behaves.

TASKS_BACKEND:
- ``immediate`` (embedded default): a task runs in this process right after the enqueuing transaction
  commits (slow tasks such as document generation in a background thread). Nothing else to start.
- ``database``: tasks wait in the ``TaskRun`` table until ``manage.py run_worker`` takes them (leases).
- ``celery``: tasks go to Redis (TASKS_REDIS_URL) and ``manage.py run_worker`` runs them (acks late).
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from zhixing.lib.env import env_int, env_str

from .cache import REDIS_URL

TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
TASKS_REDIS_URL = env_str("TASKS_REDIS_URL") or REDIS_URL or "redis://127.0.0.1:6379/0"
# With TASKS_REDIS_DB the queue uses that database number of the same server (so a cache flush of
# REDIS_URL's database can never drop queued messages).
if env_str("TASKS_REDIS_DB"):
    _url = urlsplit(TASKS_REDIS_URL)
    TASKS_REDIS_URL = urlunsplit(_url._replace(path=f"/{env_int('TASKS_REDIS_DB', 0)}"))
TASKS_KEY_PREFIX = env_str("TASKS_KEY_PREFIX", "zx-tasks:")
TASKS_QUEUE = env_str("TASKS_QUEUE", "zhixing")
# A message not acknowledged this long after delivery is handed to another worker (worker killed).
TASKS_VISIBILITY_TIMEOUT = env_int("TASKS_VISIBILITY_TIMEOUT", 300)
# How often a worker looks for such messages (seconds).
TASKS_RESTORE_INTERVAL = env_int("TASKS_RESTORE_INTERVAL", 10)
# A running task holds a lease it renews every third of this; an expired lease means its worker died.
TASKS_LEASE_SECONDS = env_int("TASKS_LEASE_SECONDS", 60)
TASKS_MAX_ATTEMPTS = env_int("TASKS_MAX_ATTEMPTS", 5)
# A task running longer than this (seconds) is killed by its Celery worker and retried later.
TASKS_TIME_LIMIT = env_int("TASKS_TIME_LIMIT", 900)
# Enqueued tasks not started after this long are handed to the backend again (lost hand-over).
TASKS_STALE_SECONDS = env_int("TASKS_STALE_SECONDS", 600)
# Days that finished task rows and scheduler slots are kept.
TASKS_KEEP_DAYS = env_int("TASKS_KEEP_DAYS", 30)
