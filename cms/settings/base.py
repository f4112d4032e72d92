"""Settings shared by every environment. Environment-specific files import from here."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf.locale import LANG_INFO

from translations import languages

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("LOA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


INSTALLED_APPS = [
    # ours first, so our templates and translations win
    "cms.organisations",
    "cms.products",
    "stations",  # radio stations: feeds, downloads, airing reports
    "media_pipeline",
    "delivery",  # delivery to the national database (BagIt over S3, OAI-PMH)
    "translations",
    "search",
    "elibrary",  # public e-library browsing, kiosk and players
    "programme",  # plans, results counted from the work, reports, open data
    "demo",  # the demo province and load_demo (no models)
    "cms.backups",  # manage.py backup / restore
    "offline",  # the e-library as ZIM files for Kiwix
    "modeltranslation",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "axes",  # login throttling and lockout (cms/login_throttle.py)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy by area (public, admin, stored files): cms/csp.py
    "cms.csp.AreaCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cms.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
            # {% load i18n %} everywhere: Django's tags, with the interface strings the
            # province's translators put live consulted first (translations.interface).
            "libraries": {"i18n": "translations.templatetags.interface_i18n"},
        },
    },
]
# That mapping is the point: the check warning that "i18n" names two modules (Django's
# and ours, which wins) is expected.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

# --- database: SQLite embedded default, anything dj-database-url reads otherwise ---
import dj_database_url  # noqa: E402

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'loa.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while a worker writes; the timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif os.environ.get("LOA_DB_PREPARED_STATEMENTS", "1") == "1":
    # Let psycopg prepare the statements it runs often (Django switches that off for
    # connection poolers); it does so on server-side binding cursors (Django's
    # "server_side_binding" option). Behind PgBouncer, use 1.21+ with
    # max_prepared_statements, or set LOA_DB_PREPARED_STATEMENTS=0.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- the province this installation serves (its code prefixes identifiers and packages) ---
LOA_PROVINCE_CODE = os.environ.get("LOA_PROVINCE_CODE", "LSN")

# --- languages: Vietnamese first; the rest switched on per province ---
# Default: the languages of the province this installation serves (translations/languages.py).
LOA_LANGUAGES = env_list(
    "LOA_LANGUAGES", languages.province_default(LOA_PROVINCE_CODE)
)
LANGUAGE_CODE = languages.DEFAULT
LANGUAGES = languages.django_languages(LOA_LANGUAGES)
for _code, _info in languages.lang_info().items():
    LANG_INFO.setdefault(_code, _info)
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAILADMIN_USER_LOGIN_FORM = "cms.admin_forms.LoginForm"  # labels its password field
MODELTRANSLATION_DEFAULT_LANGUAGE = "vi"
MODELTRANSLATION_LANGUAGES = tuple(lang.code for lang in languages.SUPPORTED)
MODELTRANSLATION_FALLBACK_LANGUAGES = ("vi",)
# Our catalogues, then our Vietnamese completion of Wagtail's admin catalogue (Wagtail ships
# only a small part of its admin in Vietnamese).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_wagtail"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- static and media files ---
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("LOA_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("LOA_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    # Private by default: nothing under MEDIA_ROOT is served except through
    # cms.products.media_access, which checks that the file belongs to live content.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 31536000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# How a gated media file leaves the application: "django" streams it, "nginx" hands it to
# nginx with X-Accel-Redirect, "redirect" sends a short-lived presigned URL (S3).
LOA_MEDIA_SERVE_METHOD = os.environ.get("LOA_MEDIA_SERVE_METHOD", "django")
LOA_MEDIA_ACCEL_PREFIX = os.environ.get("LOA_MEDIA_ACCEL_PREFIX", "/protected-media/")
# The S3-compatible store holding the media (production); nginx_site proxies to it.
LOA_S3_ENDPOINT_URL = os.environ.get("LOA_S3_ENDPOINT_URL", "")

# --- caches ---
def page_cache_settings(url: str) -> dict:
    """Where rendered product pages are kept (elibrary/page_cache.py). Embedded default:
    files under var/cache/pages (no server). Production: LOA_PAGE_CACHE_URL=redis://host:6379/1
    (Django's Redis cache; pip install redis) or pymemcache://host:11211 (Memcached; pip
    install pymemcache), shared by every web process."""
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url.startswith("pymemcache://"):
        return {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
                "LOCATION": url.removeprefix("pymemcache://")}
    return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache" / "pages"), "OPTIONS": {"MAX_ENTRIES": 50000}}


CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": page_cache_settings(os.environ.get("LOA_PAGE_CACHE_URL", "")),
}
# How long a rendered product page is kept at most (0: no page cache).
LOA_PAGE_CACHE_SECONDS = int(os.environ.get("LOA_PAGE_CACHE_SECONDS", "600"))

# --- background jobs ---
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Wagtail ---
WAGTAIL_SITE_NAME = "Loa"
# Avatars: uploaded ones or Wagtail's default, never Gravatar (the admin makes no call to a
# third-party host; on a closed network Gravatar shows broken). Logo: templates/wagtailadmin.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = os.environ.get("LOA_BASE_URL", "http://localhost:8000")
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "txt", "epub"]
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
# Approved files are immutable: these forms refuse a new file for a file in use; a
# document's content must also agree with its extension (cms/products/document_types.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.products.forms.ImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.products.forms.DocumentForm"
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- e-library search: accent folding and Chinese/Khmer segmentation are ours
# (search/folding.py) on SQLite and PostgreSQL; the public search on OpenSearch when
# OPENSEARCH_URL is set (ELASTICSEARCH_URL, its earlier name, is still read).
from search.config import search_backends  # noqa: E402

OPENSEARCH_URL = os.environ.get("OPENSEARCH_URL") or os.environ.get("ELASTICSEARCH_URL", "")
WAGTAILSEARCH_BACKENDS = search_backends(
    OPENSEARCH_URL, index_prefix=os.environ.get("LOA_SEARCH_INDEX", "loa") + "_")
# Kiosk mode: seconds without a key press before the support-point TV shows its idle screen.
LOA_KIOSK_IDLE_SECONDS = int(os.environ.get("LOA_KIOSK_IDLE_SECONDS", "120"))

# Translation requests are about product pages (translations/pages.py).
LOA_TRANSLATABLE_PAGE_MODEL = "products.ProductPage"
# Offline e-library: where the ZIM files for Kiwix are built and served from.
LOA_ZIM_DIR = Path(os.environ.get("LOA_ZIM_DIR", VAR_DIR / "zim"))
# Rebuild the published ZIM files in the background after publications, once none has come
# for this many seconds (a burst of publications makes one build).
# Interface strings translated in the admin: each process looks for newly approved ones
# at most this often (and at once in the process that approved them).
LOA_INTERFACE_REFRESH_SECONDS = int(os.environ.get("LOA_INTERFACE_REFRESH_SECONDS", "5"))
LOA_ZIM_AUTO = os.environ.get("LOA_ZIM_AUTO", "1") == "1"
LOA_ZIM_DEBOUNCE_SECONDS = int(os.environ.get("LOA_ZIM_DEBOUNCE_SECONDS", "600"))

# --- languages feature (translations/): fallback to Vietnamese, served fonts ---
MIDDLEWARE += ["translations.middleware.LanguageFallbackMiddleware"]
# Media pipeline: a publication refused because media is not ready becomes an admin message.
MIDDLEWARE += ["media_pipeline.middleware.MediaNotReadyMiddleware"]
# A change to a file approved content uses (refused on the model) becomes an admin message.
MIDDLEWARE += ["cms.products.file_integrity.FileInUseMiddleware"]
# Innermost: answers anonymous GETs of product pages from the page cache (elibrary/page_cache.py);
# every middleware above still runs for them. Keep it innermost (django-axes aside).
MIDDLEWARE += ["elibrary.page_cache.PageCacheMiddleware"]
# Link the subset web fonts (built by `manage.py build_fonts`) from public pages.
LOA_WEB_FONTS = True
# Cut a page's own font subsets in the background when it is published (elibrary.publish_fonts)
# rather than while its first visitor waits.
LOA_FONTS_AT_PUBLISH = os.environ.get("LOA_FONTS_AT_PUBLISH", "1") == "1"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"},
                # weasyprint (programme reports) logs every layout step at INFO
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# --- delivery to the national foreign-information database (delivery) ---
# The Ministry's S3-compatible endpoint; see docs/delivery.md. Nothing is sent while
# LOA_DELIVERY_BUCKET is empty.
LOA_DELIVERY = {
    "ENDPOINT_URL": os.environ.get("LOA_DELIVERY_ENDPOINT_URL", ""),
    "BUCKET": os.environ.get("LOA_DELIVERY_BUCKET", ""),
    "PREFIX": os.environ.get("LOA_DELIVERY_PREFIX", f"{LOA_PROVINCE_CODE.lower()}/"),
    "ACCESS_KEY_ID": os.environ.get("LOA_DELIVERY_ACCESS_KEY_ID", ""),
    "SECRET_ACCESS_KEY": os.environ.get("LOA_DELIVERY_SECRET_ACCESS_KEY", ""),
    "REGION": os.environ.get("LOA_DELIVERY_REGION", "us-east-1"),
    "PART_SIZE": int(os.environ.get("LOA_DELIVERY_PART_SIZE", str(8 * 1024 * 1024))),
    "CONCURRENCY": int(os.environ.get("LOA_DELIVERY_CONCURRENCY", "4")),
    "WORKERS": int(os.environ.get("LOA_DELIVERY_WORKERS", "2")),
    "MAX_ATTEMPTS": int(os.environ.get("LOA_DELIVERY_MAX_ATTEMPTS", "5")),
    "SPOOL_DIR": os.environ.get("LOA_DELIVERY_SPOOL_DIR", str(VAR_DIR / "delivery")),
    "AUTO": os.environ.get("LOA_DELIVERY_AUTO", "1") == "1",
    # delivery: automatic retries of passing failures (1, 2, 4 … min, at most 1 h apart)
    "RETRY_LIMIT": int(os.environ.get("LOA_DELIVERY_RETRY_LIMIT", "8")),
    "RETRY_BASE_SECONDS": float(os.environ.get("LOA_DELIVERY_RETRY_BASE_SECONDS", "60")),
    "RETRY_MAX_DELAY_SECONDS": float(os.environ.get("LOA_DELIVERY_RETRY_MAX_DELAY_SECONDS",
                                                    "3600")),
}
LOA_OAI = {
    "REPOSITORY_NAME": os.environ.get("LOA_OAI_REPOSITORY_NAME", ""),
    "ADMIN_EMAILS": env_list("LOA_OAI_ADMIN_EMAILS", "admin@loa.invalid"),
    "NAMESPACE": os.environ.get("LOA_OAI_NAMESPACE", ""),
    "PAGE_SIZE": int(os.environ.get("LOA_OAI_PAGE_SIZE", "100")),
}

# --- Content-Security-Policy (django-csp; the area is chosen by cms.csp) ---
from csp.constants import NONE, SELF  # noqa: E402

# Hosts outside this site that serve media to the pages (a presigned S3 endpoint when
# LOA_MEDIA_SERVE_METHOD=redirect), e.g. "https://s3.langson.gov.vn".
LOA_CSP_MEDIA_HOSTS = env_list("LOA_CSP_MEDIA_HOSTS", "")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        # The public site: its own static scripts and styles only, nothing inline.
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *LOA_CSP_MEDIA_HOSTS],
        "media-src": [SELF, "blob:", *LOA_CSP_MEDIA_HOSTS],
        "font-src": [SELF],
        "connect-src": [SELF, *LOA_CSP_MEDIA_HOSTS],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Wagtail 8's admin still writes a few inline <script>s (inline panels, date widgets,
# legacy chooser widgets), without a nonce and with per-field content (so no hash either),
# and many style="" attributes: it needs 'unsafe-inline'; everything else stays closed
# (docs/security.md; tests/security/test_csp.py notices when Wagtail stops needing it).
LOA_CSP_ADMIN = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": [SELF, "'unsafe-inline'"],
    "style-src": [SELF, "'unsafe-inline'"],
    "img-src": [SELF, "data:", "blob:", *LOA_CSP_MEDIA_HOSTS],
    "frame-src": [SELF],
    "base-uri": [SELF],
    "frame-ancestors": [SELF],  # the page editor previews in an iframe of itself
}
# The login and password-reset pages, open to anyone, carry none of those inline scripts.
LOA_CSP_ADMIN_LOGIN = {**LOA_CSP_ADMIN, "script-src": [SELF]}
# Stored files never run anything, even if a browser were made to render one.
LOA_CSP_FILES = {"default-src": [NONE], "sandbox": True}

# --- login throttling and lockout (django-axes; see docs/security.md) ---
import datetime  # noqa: E402

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("LOA_LOGIN_COOLOFF_MINUTES", "30")))
# Lock the pair (user name, address): a guesser is stopped, and cannot lock a colleague
# out from another machine.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cms.login_throttle.lockout_response"
# The client's address for both throttles. Behind nginx (which appends the client to
# X-Forwarded-For) set LOA_PROXY_COUNT=1: the address nginx saw is used, never one a client
# wrote into the header itself.
LOA_PROXY_COUNT = int(os.environ.get("LOA_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "cms.login_throttle.client_address"
# Wrong station keys, per client address: after this many within the window, every key
# from that address is refused (429) until the window has passed.
LOA_STATION_KEY_FAILURES = int(os.environ.get("LOA_STATION_KEY_FAILURES", "10"))
LOA_STATION_KEY_WINDOW_SECONDS = int(os.environ.get("LOA_STATION_KEY_WINDOW_SECONDS", "900"))
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as django-axes asks
# Station downloads behind nginx (stations.gate, stations.nginx): how long nginx may keep the
# application's yes for one key and URL (0, the default: it asks on every request, so a revoked
# key or an unpublished bulletin is refused on its next request; the question is one indexed
# read), the internal location that sends the files, and nginx's access log of station
# downloads, read into the download log by `manage.py ingest_downloads`.
LOA_STATION_GATE_SECONDS = int(os.environ.get("LOA_STATION_GATE_SECONDS", "0"))
LOA_STATION_GATE_PREFIX = os.environ.get("LOA_STATION_GATE_PREFIX", "/protected-station-files/")
LOA_STATION_DOWNLOAD_LOG = os.environ.get("LOA_STATION_DOWNLOAD_LOG",
                                          "/var/log/nginx/loa-downloads.log")
LOA_STATION_GATE_CACHE = os.environ.get("LOA_STATION_GATE_CACHE", "/var/cache/nginx/loa-gate")
# Answered by cms/wsgi.py without Django's middleware (the gate's question is nginx's own).
LOA_WSGI_SHORTCUTS = {"/stations/gate": "stations.gate.wsgi_gate"}

# --- backups (cms.backups): where `manage.py backup` writes by default, and the S3-compatible
# store when that is an s3:// address (empty values: boto3's usual environment). ---
LOA_BACKUP_TARGET = os.environ.get("LOA_BACKUP_TARGET", "")
LOA_BACKUP_S3 = {
    "ENDPOINT_URL": os.environ.get("LOA_BACKUP_S3_ENDPOINT_URL", ""),
    "REGION": os.environ.get("LOA_BACKUP_S3_REGION", ""),
    "ACCESS_KEY_ID": os.environ.get("LOA_BACKUP_S3_ACCESS_KEY_ID", ""),
    "SECRET_ACCESS_KEY": os.environ.get("LOA_BACKUP_S3_SECRET_ACCESS_KEY", ""),
}

# --- programme open data (/du-lieu-mo/): the licence every data set states ---
LOA_OPEN_DATA_LICENCE = os.environ.get("LOA_OPEN_DATA_LICENCE",
                                       "https://creativecommons.org/licenses/by/4.0/")
