"""Accounts, identity verification and SMS provider settings (all from the environment)."""

from __future__ import annotations

import json

from zhixing.lib.env import env_bool, env_int, env_str

from .base import AUTH_PASSWORD_VALIDATORS as _BASE_VALIDATORS

# Staff passwords must mix 3 of 4 character classes (the validator ignores public accounts).
AUTH_PASSWORD_VALIDATORS = [
    *_BASE_VALIDATORS,
    {"NAME": "zhixing.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]

# SMS codes
SMS_CODE_TTL_SECONDS = env_int("SMS_CODE_TTL_SECONDS", 300)
SMS_CODE_MAX_ATTEMPTS = 5
SMS_CODE_RESEND_SECONDS = env_int("SMS_CODE_RESEND_SECONDS", 60)
SMS_CODE_DAILY_LIMIT = env_int("SMS_CODE_DAILY_LIMIT", 10)
SMS_CODE_IP_HOURLY_LIMIT = env_int("SMS_CODE_IP_HOURLY_LIMIT", 30)
# Above this many code requests per IP per hour the image captcha is required.
SMS_CODE_CAPTCHA_AFTER = env_int("SMS_CODE_CAPTCHA_AFTER", 3)

# Login lockout and throttling
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCK_SECONDS = env_int("LOGIN_LOCK_SECONDS", 15 * 60)
LOGIN_IP_LIMIT = env_int("LOGIN_IP_LIMIT", 30)  # attempts per IP per 15 minutes
UNIT_LOGIN_IP_LIMIT = env_int("UNIT_LOGIN_IP_LIMIT", 20)

# Staff second factor and password rotation
STAFF_2FA_FOR_ALL = env_bool("STAFF_2FA_FOR_ALL", False)
STAFF_PASSWORD_MAX_AGE_DAYS = env_int("STAFF_PASSWORD_MAX_AGE_DAYS", 90)  # 0 = no rotation
TOTP_ISSUER = env_str("TOTP_ISSUER", "智慧执行")

# Sessions: staff idle limit is SESSION_IDLE_SECONDS (security.py); the public portal's may differ.
PUBLIC_SESSION_IDLE_SECONDS = env_int("PUBLIC_SESSION_IDLE_SECONDS", 30 * 60)

# Real-name verification
IDENTITY_PROVIDER = env_str("IDENTITY_PROVIDER", "zhixing.accounts.identity.LocalFaceProvider")
FACE_MATCH_THRESHOLD = float(env_str("FACE_MATCH_THRESHOLD", "0.6"))
IDENTITY_CTID_ENDPOINT = env_str("IDENTITY_CTID_ENDPOINT")
IDENTITY_CTID_APP_ID = env_str("IDENTITY_CTID_APP_ID")
IDENTITY_CTID_APP_SECRET = env_str("IDENTITY_CTID_APP_SECRET")
IDENTITY_MIN_AGE = 18

# Alibaba Cloud SMS (used when SMS_BACKEND = "zhixing.accounts.sms_aliyun.AliyunSmsBackend")
SMS_ALIYUN_ENDPOINT = env_str("SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
SMS_ALIYUN_ACCESS_KEY_ID = env_str("SMS_ALIYUN_ACCESS_KEY_ID")
SMS_ALIYUN_ACCESS_KEY_SECRET = env_str("SMS_ALIYUN_ACCESS_KEY_SECRET")
SMS_ALIYUN_SIGN_NAME = env_str("SMS_ALIYUN_SIGN_NAME")
SMS_ALIYUN_REGION = env_str("SMS_ALIYUN_REGION", "cn-hangzhou")
# Our template name → the provider's approved template code, e.g. {"verify_code": "SMS_123456789"}.
SMS_ALIYUN_TEMPLATES: dict[str, str] = json.loads(env_str("SMS_ALIYUN_TEMPLATES", "{}") or "{}")
SMS_ALIYUN_TIMEOUT = float(env_str("SMS_ALIYUN_TIMEOUT", "10"))
