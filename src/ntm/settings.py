"""Django settings, read from the environment and failing loudly on bad values.

NTM_DATA_DIR     folder for the SQLite database and uploaded files (default: ./var)
DATABASE_URL     postgres://user:pass@host:port/name selects PostgreSQL (default: SQLite)
NTM_SECRET_KEY   required when NTM_DEBUG is off outside the demo
NTM_DEBUG        "1" to turn on debug pages
NTM_ALLOWED_HOSTS comma-separated host names (default: localhost,127.0.0.1)
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("NTM_DATA_DIR", Path.cwd() / "var")).resolve()


def _flag(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw not in ("0", "1"):
        raise RuntimeError(f"{name} phải là 0 hoặc 1, không phải {raw!r}")
    return raw == "1"


def database_from_url(url: str) -> dict[str, object]:
    """postgres://user:password@host:port/name; empty parts fall back to libpq's PG* variables."""
    parsed = urlparse(url)
    if parsed.scheme in ("sqlite", "sqlite3"):
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parsed.path) or ":memory:"}
    if parsed.scheme not in ("postgres", "postgresql"):
        raise RuntimeError(f"DATABASE_URL: không hỗ trợ kiểu cơ sở dữ liệu {parsed.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")) or os.environ.get("PGDATABASE", "postgres"),
        "USER": unquote(parsed.username or "") or os.environ.get("PGUSER", ""),
        "PASSWORD": unquote(parsed.password or "") or os.environ.get("PGPASSWORD", ""),
        "HOST": parsed.hostname or os.environ.get("PGHOST", ""),
        "PORT": str(parsed.port or os.environ.get("PGPORT", "")),
        "ATOMIC_REQUESTS": False,
    }


DEBUG = _flag("NTM_DEBUG")
SECRET_KEY = os.environ.get("NTM_SECRET_KEY", "")
if not SECRET_KEY:
    # Without a configured key, keep one per data folder so sessions survive restarts.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = os.environ.get("NTM_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ntm.accounts",
    "ntm.audit",
    "ntm.units",
    "ntm.criteria",
    "ntm.indicators",
    "ntm.demo",
    "ntm.workflow",
    "ntm.entry",
    "ntm.exchange",
    "ntm.finance",
    "ntm.programs",
    "ntm.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ntm.web.language.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ntm.urls"
WSGI_APPLICATION = "ntm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ntm.web.context.demo_notice",
                "ntm.web.context.reevaluation_notice",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "ntm.sqlite3",
            # IMMEDIATE: a transaction takes the write lock when it begins, so a writer waits its
            # turn (timeout) instead of failing with "database is locked" when a read inside
            # its transaction must turn into a write after another writer committed.
            "OPTIONS": {
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

# Background jobs (a national re-evaluation, indicators.tasks) go through Django's task
# interface to the database backend: the same tables on SQLite and PostgreSQL, run by
# `ntm db_worker` (which `ntm serve` starts beside gunicorn), never by threads of a web worker.
# Tests keep this backend: a job waits in the table until the test runs it with the worker's
# own code (tests/worker.py run_tasks), so a test sees the queued state, then the result.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Evidence files live outside any served folder; downloads go through the access module.
EVIDENCE_ROOT = DATA_DIR / "evidence"
EVIDENCE_MAX_BYTES = int(os.environ.get("NTM_EVIDENCE_MAX_MB", "20")) * 1024 * 1024
LOCALE_PATHS = [BASE_DIR / "locale"]
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_MAX_FAILURES = 5
LOGIN_LOCK_MINUTES = 15
WHITENOISE_USE_FINDERS = True
LOGIN_URL = "/dang-nhap/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/dang-nhap/"
