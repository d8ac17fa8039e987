"""执行互动 (issue 6): upload limits for clue photos and videos, share links of party-made documents."""

from __future__ import annotations

from zhixing.lib.env import env_int

INTERACTION_IMAGE_MAX_BYTES = env_int("INTERACTION_IMAGE_MAX_MB", 10) * 1024 * 1024
INTERACTION_VIDEO_MAX_BYTES = env_int("INTERACTION_VIDEO_MAX_MB", 200) * 1024 * 1024
INTERACTION_CLUE_MAX_FILES = env_int("INTERACTION_CLUE_MAX_FILES", 9)
INTERACTION_SHARE_DAYS = env_int("INTERACTION_SHARE_DAYS", 7)
# Per-party submission limits: (count, window in seconds).
INTERACTION_MESSAGE_LIMIT = (env_int("INTERACTION_MESSAGES_PER_HOUR", 20), 3600)
INTERACTION_CLUE_LIMIT = (env_int("INTERACTION_CLUES_PER_HOUR", 10), 3600)
INTERACTION_OPINION_LIMIT = (env_int("INTERACTION_OPINIONS_PER_DAY", 10), 86400)
