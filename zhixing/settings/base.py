from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from zhixing.lib.env import env_bool, env_list, env_str, kept_secret

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("ZHIXING_VAR_DIR", str(BASE_DIR / "var")))

# "production" makes every secret mandatory and turns on the deploy checks; anything else is the
# embedded default that runs on one machine with no setup.
ZHIXING_ENV = env_str("ZHIXING_ENV", "development")
PRODUCTION = ZHIXING_ENV == "production"

DEBUG = env_bool("DEBUG", False)

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("生产模式必须通过环境变量 SECRET_KEY 提供至少 50 个字符的密钥。")
    DATA_KEY = env_str("ZHIXING_DATA_KEY")
    if len(DATA_KEY) < 32:
        raise ImproperlyConfigured("生产模式必须通过环境变量 ZHIXING_DATA_KEY 提供个人信息加密密钥。")
else:
    SECRET_KEY = env_str("SECRET_KEY") or kept_secret(VAR_DIR / "secret_key")
    DATA_KEY = env_str("ZHIXING_DATA_KEY") or kept_secret(VAR_DIR / "data_key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "zhixing.audit",
    "zhixing.notifications",
    "zhixing.tasks",
    "zhixing.courts",
    "zhixing.accounts",
    "zhixing.cases",
    "zhixing.workflow",
    "zhixing.documents",
    "zhixing.interaction",
    "zhixing.publicinfo",
    "zhixing.content",
    "zhixing.laws",
    "zhixing.assist",
    "zhixing.calcweb",
    "zhixing.portal",
    "zhixing.workbench",
    "zhixing.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "zhixing.lib.resilience.ResilienceMiddleware",  # backing service down → 503, not 500
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Outside the session-lifetime middleware, so its own redirects carry the headers too.
    "zhixing.lib.middleware.SecurityHeadersMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zhixing.accounts.middleware.SessionSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zhixing.lib.middleware.RequestContextMiddleware",
    "zhixing.lib.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "zhixing.urls"
WSGI_APPLICATION = "zhixing.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/workbench/login/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zhixing" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhixing.lib.context.site",
            ],
        },
    }
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "zhixing" / "static"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SMS_BACKEND = env_str("SMS_BACKEND", "zhixing.notifications.sms.OutboxBackend")

SITE_NAME = "智慧执行"
WORKBENCH_NAME = "执行分段集约办理平台"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
