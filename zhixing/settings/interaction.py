"""执行互动 (issue 6): upload limits for clue photos and videos, share links of party-made documents."""

from __future__ import annotations

from zhixing.lib.env import env_int

INTERACTION_IMAGE_MAX_BYTES = env_int("INTERACTION_IMAGE_MAX_MB", 10) * 1024 * 1024
INTERACTION_VIDEO_MAX_BYTES = env_int("INTERACTION_VIDEO_MAX_MB", 200) * 1024 * 1024
INTERACTION_CLUE_MAX_FILES = env_int("INTERACTION_CLUE_MAX_FILES", 9)
INTERACTION_SHARE_DAYS = env_int("INTERACTION_SHARE_DAYS", 7)
