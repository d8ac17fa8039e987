"""Public query service (查询服务): anti-scraping thresholds, all overridable from the environment.

PUBLICINFO_THROTTLE=off disables the per-IP limits and the captcha — only for load benchmarks on a bench
database (bench/README.md); never in production.
"""

from __future__ import annotations

from zhixing.lib.env import env_bool, env_int

PUBLICINFO_THROTTLE = env_bool("PUBLICINFO_THROTTLE", True)
# Queries per IP per hour before an image captcha is required (issue #7: default 10).
PUBLICINFO_CAPTCHA_AFTER = env_int("PUBLICINFO_CAPTCHA_AFTER", 10)
# Queries one solved captcha allows before the next one is asked for.
PUBLICINFO_CAPTCHA_GRANTS = env_int("PUBLICINFO_CAPTCHA_GRANTS", 10)
# Hard per-IP limits (per minute and per hour), captcha or not.
PUBLICINFO_LIMIT_PER_MINUTE = env_int("PUBLICINFO_LIMIT_PER_MINUTE", 30)
PUBLICINFO_LIMIT_PER_HOUR = env_int("PUBLICINFO_LIMIT_PER_HOUR", 300)
# Seconds an API query answer is kept in the cache (keyed by the normalised query; 0 = off). At most 60:
# a new 失信 record must show within a minute.
PUBLICINFO_CACHE_SECONDS = min(env_int("PUBLICINFO_CACHE_SECONDS", 30), 60)
PUBLICINFO_PAGE_SIZE = 20
PUBLICINFO_MAX_PAGES = 25
