"""Django settings, read from the environment and failing loudly on bad values.

NTM_DATA_DIR     folder for the SQLite database and uploaded files (default: ./var)
DATABASE_URL     postgres://user:pass@host:port/name selects PostgreSQL (default: SQLite)
NTM_SECRET_KEY   required, except for the demo (NTM_DEMO=1), debugging (NTM_DEBUG=1) and the
                 test suite, which keep a generated key in NTM_DATA_DIR/secret_key
NTM_DEMO         "1": a demo or trial machine, allowed to run without NTM_SECRET_KEY
NTM_DEBUG        "1" to turn on debug pages
NTM_ALLOWED_HOSTS comma-separated host names (default: localhost,127.0.0.1)
NTM_HTTPS        "1" behind HTTPS: Secure cookies, HSTS, redirect to https; the proxy in front
                 must set X-Forwarded-Proto (https or http) on every request, replacing any the
                 client sent
NTM_HSTS_SECONDS how long browsers keep to HTTPS (default one year), with NTM_HTTPS=1
NTM_HSTS_PRELOAD "1" to ask for the browsers' HSTS preload list (the whole domain, for good)
NTM_PROXY_HOPS   how many reverse proxies stand in front, each appending to X-Forwarded-For
                 (default 0: the header is ignored); the client is the entry that many places
                 from the right (login throttling, audit trail)
NTM_TRUSTED_PROXIES optional comma-separated addresses of the proxy next to the app (e.g.
                 127.0.0.1): X-Forwarded-For is then read only on requests coming from them
"""

from __future__ import annotations

import ipaddress
import os
import sys
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
DEMO = _flag("NTM_DEMO")
# pytest-django reads these settings before any conftest runs: the suite (and a developer's
# bare `pytest`) counts as a demo machine for the key.
_TESTING = "pytest" in sys.modules
SECRET_KEY = os.environ.get("NTM_SECRET_KEY", "")
if not SECRET_KEY and not (DEMO or DEBUG or _TESTING):
    raise RuntimeError(
        "Chưa đặt biến môi trường NTM_SECRET_KEY: máy chủ thật cần một khóa bí mật cố định, "
        "dài và ngẫu nhiên (ví dụ: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'). "
        "Chỉ máy demo (NTM_DEMO=1) mới được tự tạo khóa trong thư mục dữ liệu."
    )
if not SECRET_KEY:
    # Demo, debugging, tests: keep one generated key per data folder so sessions survive
    # restarts.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = os.environ.get("NTM_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver").split(",")

# --- HTTP security -------------------------------------------------------------------------
# Always: the session cookie is out of reach of scripts and of other sites' forms; no MIME
# sniffing; no Referer to other sites; no framing. The Content-Security-Policy header comes
# from ntm.web.security.ContentSecurityPolicyMiddleware.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

HTTPS = _flag("NTM_HTTPS")
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("NTM_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _flag("NTM_HSTS_PRELOAD")
    # TLS ends at the reverse proxy (nginx, Caddy...), which talks plain HTTP to gunicorn: it
    # must set X-Forwarded-Proto on every request, overwriting what a client sent, or a
    # client could pass a plain-HTTP request off as HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds the whole domain and its subdomains to HTTPS in every browser, for
        # good: the owner of the domain decides (NTM_HSTS_PRELOAD=1), not a default.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]


def _networks(raw: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(
            ipaddress.ip_network(p.strip(), strict=False) for p in raw.split(",") if p.strip()
        )
    except ValueError as exc:
        raise RuntimeError(f"NTM_TRUSTED_PROXIES: địa chỉ không hợp lệ ({exc})") from None


def _count(name: str) -> int:
    raw = os.environ.get(name, "0").strip()
    if not raw.isdecimal():
        raise RuntimeError(f"{name} phải là một số nguyên không âm, không phải {raw!r}")
    return int(raw)


# The client's address (ntm.audit.client.client_address) is the X-Forwarded-For entry written
# by the outermost of PROXY_HOPS proxies: a count, not a list of trusted ranges, because a
# client inside a trusted range could otherwise prepend any address it likes.
PROXY_HOPS = _count("NTM_PROXY_HOPS")
# If set, only requests from these addresses (the proxy next to the app) have their
# X-Forwarded-For read: a client reaching gunicorn directly cannot choose its address.
TRUSTED_PROXIES = _networks(os.environ.get("NTM_TRUSTED_PROXIES", ""))
if TRUSTED_PROXIES and not PROXY_HOPS:
    raise RuntimeError(
        "NTM_TRUSTED_PROXIES chỉ có tác dụng khi đặt NTM_PROXY_HOPS: số máy chủ proxy phía trước "
        "(thường là 1)"
    )

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
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
    "ntm.reports",
    "ntm.api",
    "ntm.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ntm.web.security.ContentSecurityPolicyMiddleware",
    "ntm.web.language.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ntm.web.hostile.RefuseNulMiddleware",
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
            # its transaction must turn into a write after another writer committed. 60 s: on a
            # loaded machine twenty writers queue longer than 20 s, and waiting beats an error.
            "OPTIONS": {
                "timeout": 60,
                "init_command": "PRAGMA journal_mode=WAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

# Background jobs (a national re-evaluation, indicators.tasks; a web import, exchange.jobs) go
# through Django's task interface to the database backend: the same tables on SQLite and
# PostgreSQL, run by `ntm worker` (which `ntm serve` starts beside gunicorn), never by threads
# of a web worker.
# Tests keep this backend: a job waits in the table until the test runs it with the worker's
# own code (tests/worker.py run_tasks), so a test sees the queued state, then the result.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The API (ntm.api): tokens for machines (`ntm token USERNAME`), the session for the browser
# (with its CSRF check); JSON only (strict: NaN and Infinity are refused); pages of 100.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ntm.api.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "STRICT_JSON": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ntm API",
    "DESCRIPTION": (
        "API v1 của ntm: đơn vị theo năm, bộ tiêu chí, giá trị chỉ tiêu (đọc và ghi trong phạm vi "
        "của tài khoản), kết quả đánh giá, tổng hợp, khoảng cách đến chuẩn, dự báo. Xác thực: "
        "Authorization: Token <mã> (ntm token TÊN) hoặc phiên đăng nhập của trình duyệt."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",  # served from static files: offices run without internet
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

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
# Login throttling (ntm.accounts.throttle): failures are counted per client address and per
# (account, address) pair over LOGIN_WINDOW_MINUTES; nobody can lock an account for its owner.
LOGIN_WINDOW_MINUTES = 15
LOGIN_MAX_FAILURES = 5  # for one account from one address, then that pair waits
LOGIN_ADDRESS_MAX_FAILURES = 20  # from one address, whatever the accounts, then it waits
LOGIN_LOCK_MINUTES = 15  # the wait
# Past this many failures on one account from all addresses together, an address that has
# itself failed on the account waits 2, 4, 8... seconds (at most LOGIN_LOCK_MINUTES) after
# each further failure: an address that has not failed is never slowed.
LOGIN_ACCOUNT_SLOW_FAILURES = 10
WHITENOISE_USE_FINDERS = True
LOGIN_URL = "/dang-nhap/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/dang-nhap/"
