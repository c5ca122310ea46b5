"""The only settings module: environment variables, with local defaults (SQLite and Whoosh in var/).

Production sets at least DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and, when it outgrows the
embedded default, DATABASE_URL (e.g. postgres://...) and the search engine settings.
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
)
_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def env_bool(name: str, default: bool) -> bool:
    """A boolean variable; a typo such as HTTPS=ture stops the start instead of reading false
    (django-environ's env.bool reads every unknown word as false)."""
    value = env.str(name, default="").strip()
    if not value:
        return default
    if value.lower() not in _BOOLEANS:
        raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no, not {value!r}")
    return _BOOLEANS[value.lower()]


def env_number(name: str, default: int | float, minimum: int | float) -> int | float:
    """An integer (float when `default` is one) of at least `minimum`; a wrong value stops the
    start naming the variable (django-environ raises a bare ValueError, or lets 0 through)."""
    kind = type(default)
    value = env.str(name, default="").strip()
    if not value:
        return default
    expected = f"{'an integer' if kind is int else 'a number'} >= {minimum}"
    try:
        number = kind(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be {expected}, not {value!r}") from None
    if not number >= minimum:  # also refuses nan
        raise ImproperlyConfigured(f"{name} must be {expected}, not {value!r}")
    return number


VAR_DIR = Path(env("NEWSARCHIVE_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", default=True)
# A fixed development key is only acceptable while DEBUG is on.
SECRET_KEY = env("SECRET_KEY", default="" if not DEBUG else "dev-only-insecure-key")
if not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to 50 or more random characters when DEBUG is off"
    )
ALLOWED_HOSTS = env("ALLOWED_HOSTS")

# HTTPS in production (DEBUG off): secure cookies, redirects, HSTS. Behind a TLS-terminating
# proxy set SECURE_PROXY_SSL_HEADER_ON=true; HTTPS=false turns these off for a plain-HTTP
# deployment on a trusted network (check --deploy then warns, as it should).
HTTPS = env_bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
# A year of HSTS, subdomains and preload included: what check --deploy asks for. An operator
# whose subdomains are not all HTTPS sets SECURE_HSTS_INCLUDE_SUBDOMAINS/_PRELOAD=false.
SECURE_HSTS_SECONDS = env_number("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=HTTPS)
if env_bool("SECURE_PROXY_SSL_HEADER_ON", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The health endpoint is polled over plain HTTP on loopback by the process supervisor.
SECURE_REDIRECT_EXEMPT = [r"^health$"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    # Before haystack: its update_index command is overridden (progress bar, queued updates).
    "articles",
    "haystack",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    # Static files from the app itself: no CDN, no separate web server needed.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers a locked-out login attempt itself.
    "axes.middleware.AxesMiddleware",
]

# Nothing inline and nothing from elsewhere: every script and stylesheet is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# No page uses a device; the citation's copy button writes the clipboard on this site only.
PERMISSIONS_POLICY = {
    **{
        feature: []
        for feature in (
            "accelerometer",
            "camera",
            "geolocation",
            "gyroscope",
            "magnetometer",
            "microphone",
            "payment",
            "usb",
            "browsing-topics",
        )
    },
    "clipboard-write": ["self"],
}

# Admin login: AXES_FAILURE_LIMIT wrong passwords for one user from one address lock that pair
# out for AXES_COOLOFF_MINUTES (django-axes), and AXES_ADDRESS_FAILURE_LIMIT wrong passwords
# from one address, whatever the user names, lock the address out (password spraying). A right
# password clears that user's failures from that address (newsarchive/lockout.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_number("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_number("AXES_COOLOFF_MINUTES", 60, minimum=1))
AXES_ADDRESS_FAILURE_LIMIT = env_number("AXES_ADDRESS_FAILURE_LIMIT", 20, minimum=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "newsarchive.lockout.LockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_COOLOFF_MESSAGE = (
    "登录失败次数过多，该账户或您所在的网络地址已被暂时锁定，请稍后再试或联系管理员。"
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "newsarchive.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

ROOT_URLCONF = "newsarchive.urls"
WSGI_APPLICATION = "newsarchive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers on one file: readers do not wait for a writer (WAL), a write
    # transaction takes the lock when it begins (no deadlock upgrading a read lock), and a
    # busy database is waited for rather than failed at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

HAYSTACK_ENGINE = env("HAYSTACK_ENGINE", default="articles.search.backend.ArticleWhooshEngine")
if "elasticsearch" in HAYSTACK_ENGINE:
    # A search cluster (see docs/scaling.md): articles.search.elasticsearch.ArticleElasticsearchEngine
    _search = {
        "URL": env("ELASTICSEARCH_URL", default="http://127.0.0.1:9200/"),
        "INDEX_NAME": env("ELASTICSEARCH_INDEX", default="newsarchive"),
        "CHINESE_ANALYZER": env("ELASTICSEARCH_CHINESE_ANALYZER", default="ik"),
    }
elif "opensearch" in HAYSTACK_ENGINE:
    # An OpenSearch cluster, e.g. deploy/search-cluster's two nodes on loopback (README):
    # articles.search.opensearch.ArticleOpenSearchEngine; URL: the nodes, comma-separated.
    _search = {
        "URL": env("OPENSEARCH_URL", default="http://127.0.0.1:9250,http://127.0.0.1:9251"),
        "INDEX_NAME": env("OPENSEARCH_INDEX", default="newsarchive"),
    }
else:
    _search = {
        "PATH": env("WHOOSH_PATH", default=str(VAR_DIR / "whoosh_index")),
        # Seconds an index write waits for another writer before it fails and stays queued.
        "WRITE_TIMEOUT": env_number("SEARCH_WRITE_TIMEOUT", 30.0, minimum=0.0),
    }
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": HAYSTACK_ENGINE, **_search}}
# No model signal queues index updates: the services that change articles queue them, once
# per transaction (articles/index_queue.py), so a bulk .update() is indexed too.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
# Errors reach the caller instead of being logged and dropped (haystack's default is True).
HAYSTACK_SILENTLY_FAIL = False
# A search still running after this many seconds is stopped and answered 503 (API: JSON
# error), so no query holds a worker for minutes (articles/search/engine/deadline.py).
SEARCH_TIME_BUDGET_SECONDS = env_number("SEARCH_TIME_BUDGET_SECONDS", 5.0, minimum=0.1)
# Who applies the index queue after a commit: a worker thread per gunicorn worker (or
# `manage.py index_worker`), so requests return at their commit; off, the committing thread.
SEARCH_INDEX_WORKER = env_bool("SEARCH_INDEX_WORKER", default=not DEBUG)
# Load the parser's jieba and part-of-speech tables (about 200 MiB) at start-up, before gunicorn
# forks: uploads and layout corrections never wait for them, but every worker's RSS carries
# them. Off, the first parse in a worker loads them (1-2 s, in an upload's background job).
WARM_UP_PARSER = env_bool("WARM_UP_PARSER", default=False)
# Articles per index write: the index lock is released between batches for other writers.
SEARCH_INDEX_BATCH = env_number("SEARCH_INDEX_BATCH", 200, minimum=1)
# How often the worker looks for updates queued by other processes (the CLI, other workers).
SEARCH_INDEX_POLL_SECONDS = env_number("SEARCH_INDEX_POLL_SECONDS", 2.0, minimum=0.1)
# /health calls the index stale once an update has waited this long in the queue.
SEARCH_INDEX_STALE_SECONDS = env_number("SEARCH_INDEX_STALE_SECONDS", 300.0, minimum=1.0)

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise serves from it, and warns when it is missing
# Uploaded page PDFs and images, and the page images rendered from them (articles.page_images).
# On S3-compatible storage: pip install django-storages[s3], then MEDIA_STORAGE_BACKEND=
# storages.backends.s3.S3Storage and MEDIA_STORAGE_OPTIONS='{"bucket_name": …}' (README).
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {
        "BACKEND": env(
            "MEDIA_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": env.json("MEDIA_STORAGE_OPTIONS", default={}),
    },
    # Without DEBUG, hashed names and compressed copies come from `manage.py collectstatic`.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Serve straight from static/ (no collectstatic) while developing.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", default=DEBUG)

# The paper's name as citations give it (GB/T 7714: 报纸名).
NEWSARCHIVE_NEWSPAPER_NAME = env("NEWSARCHIVE_NEWSPAPER_NAME", default="首都工会新闻")

# The earliest issue date the archive accepts (upload form and CLI); the latest is today.
try:
    NEWSARCHIVE_FIRST_ISSUE_DATE = datetime.date.fromisoformat(
        env("NEWSARCHIVE_FIRST_ISSUE_DATE", default="1949-10-01")
    )
except ValueError as error:
    raise ImproperlyConfigured(
        f"NEWSARCHIVE_FIRST_ISSUE_DATE must be YYYY-MM-DD: {error}"
    ) from None

# Largest page file the ingest service accepts (a real page is about 10 KB).
NEWSARCHIVE_MAX_PAGE_BYTES = env_number("NEWSARCHIVE_MAX_PAGE_BYTES", 2 * 1024 * 1024, minimum=1)
# Largest page PDF or image (JPEG, PNG) of one page; the upload's total limit counts them too.
NEWSARCHIVE_MAX_SCAN_BYTES = env_number("NEWSARCHIVE_MAX_SCAN_BYTES", 30 * 1024 * 1024, minimum=1)
# Most articles one export of a search (CSV, JSON, JSON Lines, RIS) streams, the first as sorted.
NEWSARCHIVE_EXPORT_LIMIT = env_number("NEWSARCHIVE_EXPORT_LIMIT", 100_000, minimum=1)
# An admin upload of one .zip of pages: its size and how many files it may hold.
NEWSARCHIVE_MAX_ZIP_BYTES = env_number("NEWSARCHIVE_MAX_ZIP_BYTES", 50 * 1024 * 1024, minimum=1)
NEWSARCHIVE_MAX_ZIP_MEMBERS = env_number("NEWSARCHIVE_MAX_ZIP_MEMBERS", 100, minimum=1)
# All pages of one upload together, decompressed (an issue is a few hundred KB): a zip of many
# pages each under the page limit cannot keep a worker parsing for minutes.
NEWSARCHIVE_MAX_UPLOAD_BYTES = env_number(
    "NEWSARCHIVE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024, minimum=1
)
# At most this many page files in one upload form, as in one zip.
DATA_UPLOAD_MAX_NUMBER_FILES = NEWSARCHIVE_MAX_ZIP_MEMBERS
# Who parses an upload's staged pages (articles/upload_jobs.py): a thread of the web process,
# started after the upload's commit, so the form answers at once (the default without DEBUG);
# off, the request that staged them (development, tests).
UPLOAD_PARSE_IN_BACKGROUND = env_bool("UPLOAD_PARSE_IN_BACKGROUND", default=not DEBUG)
# A parse whose heartbeat is older than this is taken for dead (its process was killed), and
# the next view of its preview starts it again; one page of 2 MB parses in seconds.
UPLOAD_PARSE_STALE_SECONDS = env_number("UPLOAD_PARSE_STALE_SECONDS", 120, minimum=1)
# The upload preview's parses and dry runs (articles/upload_review.py). Without DEBUG, files
# under var/, so every gunicorn worker shows what the background parse (in one of them) kept;
# with DEBUG, this process's memory.
CACHES = {
    "default": env.cache(
        "CACHE_URL",
        default="locmemcache://" if DEBUG else f"filecache://{VAR_DIR / 'cache'}",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "newsarchive.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env("LOG_FORMAT", default="text" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"jieba": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
