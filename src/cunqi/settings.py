"""One settings module, configured by the environment.

Without any environment the platform runs embedded: SQLite under ``var/``, tasks in the
database, a secret key generated once into ``var/``. Production sets ``DATABASE_URL``,
``CUNQI_SECRET_KEY``, ``CUNQI_ALLOWED_HOSTS``, ``CUNQI_HTTPS=1`` and, behind a reverse
proxy, ``CUNQI_TRUSTED_PROXIES`` (see docs/deploy.md); ``make deploy-check`` checks them.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("CUNQI_VAR_DIR", BASE_DIR / "var"))
# The database, the uploads, the backups and the secret key hold password hashes,
# second-factor secrets and household data: every file Cunqi writes is its owner's only.
os.umask(0o077)
VAR_DIR.mkdir(parents=True, exist_ok=True)
VAR_DIR.chmod(0o700)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if key := os.environ.get("CUNQI_SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("CUNQI_DEBUG", False)
ALLOWED_HOSTS = os.environ.get("CUNQI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("CUNQI_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "template_partials",
    "django_filters",
    "django_tables2",
    "auditlog",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes
    "django_tasks",
    "django_tasks_db",
    "cunqi.core",
    "cunqi.accounts",
    "cunqi.registry",
    "cunqi.pairing",
    "cunqi.projects",
    "cunqi.benefits",
    "cunqi.supervision",
    "cunqi.funds",
    "cunqi.talent",
    "cunqi.exchange",
    "cunqi.demo",
    "cunqi.api",
    "ninja",  # the API docs' Swagger UI, served from the platform (no CDN)
    "cunqi.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cunqi.core.security.SecurityLogMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cunqi.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cunqi.accounts.second_factor.RequireSecondFactor",
    "cunqi.core.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages: a session ended tells its user why on the sign-in page.
    "cunqi.accounts.sessions.SessionPolicy",
    "cunqi.accounts.passwords.RequirePasswordChange",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Multipart PATCH bodies (an API client sending a file) parsed as POST ones are.
    "ninja.compatibility.files.fix_request_files_middleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cunqi.urls"
WSGI_APPLICATION = "cunqi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "cunqi.core.context_processors.navigation",
                "cunqi.core.notifications.unread",
                "cunqi.accounts.sessions.time_left",
            ],
        },
    },
]
FORM_RENDERER = "cunqi.core.forms.FormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'cunqi.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task worker writes; IMMEDIATE makes a
    # writing transaction take its lock up front instead of failing on upgrade.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Protection level 3's password policy (cunqi.accounts.passwords): long enough, of every
# character class, none of the last few again, changed when it expires (0: never).
CUNQI_PASSWORD_MIN_LENGTH = int(os.environ.get("CUNQI_PASSWORD_MIN_LENGTH", "8"))
CUNQI_PASSWORD_HISTORY = int(os.environ.get("CUNQI_PASSWORD_HISTORY", "5"))
CUNQI_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("CUNQI_PASSWORD_MAX_AGE_DAYS", "90"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "cunqi.accounts.passwords.LengthValidator",
        "OPTIONS": {"min_length": CUNQI_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "cunqi.accounts.passwords.CharacterClassesValidator"},
    {"NAME": "cunqi.accounts.passwords.HistoryValidator"},
]
# Sessions end after this long without a request, and this long after sign-in whatever
# happens (cunqi.accounts.sessions); the cookie goes with the absolute limit.
CUNQI_SESSION_IDLE_MINUTES = int(os.environ.get("CUNQI_SESSION_IDLE_MINUTES", "30"))
CUNQI_SESSION_MAX_HOURS = int(os.environ.get("CUNQI_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = CUNQI_SESSION_MAX_HOURS * 3600

# The audit trail's security events are kept this many days (at least 180, as the law
# asks), then moved by `cunqi audit_archive` to a file signed with this key (by default
# the secret key; give the archive its own, kept where the archive is not).
CUNQI_AUDIT_RETENTION_DAYS = int(os.environ.get("CUNQI_AUDIT_RETENTION_DAYS", "180"))
CUNQI_AUDIT_ARCHIVE_KEY = os.environ.get("CUNQI_AUDIT_ARCHIVE_KEY", "")

# Villagers' identity numbers, phones and bank accounts are sealed with these keys
# (core.crypto): "id=base64,…", the newest first, each 32 bytes for aes-gcm and 16 for
# sm4-gcm (国密); the lookup key (base64, 32 bytes) hashes identity numbers so a row can be
# found by one. Without them keys are derived from the secret key, which security-check
# reports; keep them outside the database and its backups.
CUNQI_FIELD_CIPHER = os.environ.get("CUNQI_FIELD_CIPHER", "aes-gcm")
CUNQI_FIELD_KEYS = os.environ.get("CUNQI_FIELD_KEYS", "")
CUNQI_LOOKUP_KEY = os.environ.get("CUNQI_LOOKUP_KEY", "")

LANGUAGE_CODE = "zh-hans"

# Notifications are e-mailed too once an SMTP server is named; in the app they always are.
EMAIL_HOST = os.environ.get("CUNQI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("CUNQI_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("CUNQI_EMAIL_FROM", "cunqi@localhost")
CUNQI_NOTIFY_BY_EMAIL = bool(os.environ.get("CUNQI_EMAIL_HOST"))
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Generated documents; never served as static files: views hand them out to users in scope.
MEDIA_ROOT = VAR_DIR / "media"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request when it is missing
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "media/"
# Requests per user to the REST API (django-ninja's rate syntax).
CUNQI_API_RATE = os.environ.get("CUNQI_API_RATE", "600/min")
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

# Who issues the bulletin and who it is copied to (版记); empty: the platform's wording in
# the reader's language.
CUNQI_ISSUING_OFFICE = os.environ.get("CUNQI_ISSUING_OFFICE", "")
CUNQI_BULLETIN_COPIES = os.environ.get("CUNQI_BULLETIN_COPIES", "")

# Uploaded files (approval documents, report attachments): see cunqi.core.uploads.
CUNQI_UPLOAD_MAX_MB = int(os.environ.get("CUNQI_UPLOAD_MAX_MB", "20"))
# A list's export written by a task is kept this many days for its user, then deleted.
CUNQI_EXPORT_KEEP_DAYS = int(os.environ.get("CUNQI_EXPORT_KEEP_DAYS", "7"))
# The city's town or village boundaries as GeoJSON (WGS 84), which the deployment supplies
# for the map; without it the map shows the points on a blank background. No online tiles.
CUNQI_MAP_GEOJSON = os.environ.get("CUNQI_MAP_GEOJSON", "")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# How far a task's import has got, written by the worker and read by the job's page in
# another process: files under CUNQI_VAR_DIR (on several machines, a shared folder, like
# the uploads).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "progress": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": VAR_DIR / "progress",
    },
}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

FILTERS_EMPTY_CHOICE_LABEL = _("All")

DJANGO_TABLES2_TEMPLATE = "core/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-vcenter card-table table-striped"}

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Served over HTTPS (a deployment's case): secure cookies, redirects to HTTPS, and HSTS.
HTTPS = _env_bool("CUNQI_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = HTTPS
SECURE_REFERRER_POLICY = "same-origin"
# How many reverse proxies (nginx) stand before the platform. Only with one or more is the
# X-Forwarded-For header (as the nearest proxy set it) used for the client's address, and
# X-Forwarded-Proto for HTTPS; otherwise a client could name any address it likes.
TRUSTED_PROXIES = int(os.environ.get("CUNQI_TRUSTED_PROXIES", "0"))
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Only the platform's own scripts, styles, fonts and images (all vendored: deployments run
# on intranets); no inline scripts or style attributes, no frames, forms post home only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login throttling (django-axes): after CUNQI_LOGIN_FAILURES failed attempts for a username
# from one address, or from one address for any username, that login answers 429 until
# CUNQI_LOGIN_COOLOFF_MINUTES pass; a success resets the count. Every failure is logged.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # The three administrators' powers, by role (cunqi.accounts.administrators).
    "cunqi.accounts.administrators.AdministratorBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("CUNQI_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("CUNQI_LOGIN_COOLOFF_MINUTES", "30")))
# Per account across addresses, and per address at a higher threshold (cunqi.accounts.throttle).
AXES_HANDLER = "cunqi.accounts.throttle.Throttle"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
CUNQI_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("CUNQI_LOGIN_FAILURES_PER_ADDRESS", "30"))
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False  # its start-up banner on every management command
AXES_LOCKOUT_CALLABLE = "cunqi.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "cunqi.core.network.client_address"

# Who must give a code from an authenticator app after the password (TOTP): by default
# every role that can change money or personal data, and "admin" for superusers and staff
# (protection level 3: two factors for them). Empty only on a demo machine. A new account
# binds its app only with an enrolment code an administrator issued, valid this long.
TOTP_DEFAULT_ROLES = "taskforce,department,town,village,enterprise,admin"
CUNQI_TOTP_ROLES = tuple(
    role for role in os.environ.get("CUNQI_TOTP_ROLES", TOTP_DEFAULT_ROLES).split(",") if role
)
CUNQI_ENROLMENT_CODE_HOURS = int(os.environ.get("CUNQI_ENROLMENT_CODE_HOURS", "72"))
OTP_TOTP_ISSUER = "Cunqi"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line names its request; no line carries a resident ID number (core.security).
    "filters": {
        "request_id": {"()": "cunqi.core.security.RequestId"},
        "redact": {"()": "cunqi.core.security.Redact"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "redact"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("CUNQI_LOG_LEVEL", "INFO")},
    # WeasyPrint reports every layout step at INFO; its warnings still show.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Every domain row's create, update and delete is recorded (who, when, before/after): each
# app names its models in its AppConfig (``audited``, core.declarations).
