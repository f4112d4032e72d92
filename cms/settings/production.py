"""Production: everything secret or site-specific comes from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_list


def required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


DEBUG = False
SECRET_KEY = required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("LOA_ALLOWED_HOSTS", "")
CSRF_TRUSTED_ORIGINS = env_list("LOA_CSRF_TRUSTED_ORIGINS", "")
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("Set DATABASE_URL (PostgreSQL) for production.")
# Each web thread keeps its connection for good (checked before reuse): with an age limit,
# every thread reconnects in the first burst of stations after it expired, and a page
# request closes the connection the station gate kept (docs/operations.md). gunicorn's
# fixed threads bound the count: workers x threads (see cms/gunicorn.conf.py). Also on a
# SQLite file (the embedded default's 0 is for runserver's thread per request): there a page
# request closed the gate's connection too, and 8-16 threads reopened theirs in each burst.
DATABASES["default"]["CONN_MAX_AGE"] = None  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("LOA_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("LOA_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
# Wagtail's live preview shows pages in a same-origin iframe, so DENY would break editing.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W019"]  # noqa: F405

if os.environ.get("LOA_S3_BUCKET"):
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["LOA_S3_BUCKET"],
            "endpoint_url": os.environ.get("LOA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("LOA_S3_REGION") or None,
            "access_key": os.environ.get("LOA_S3_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("LOA_S3_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 600,
            "file_overwrite": False,
        },
    }
    LOA_MEDIA_SERVE_METHOD = os.environ.get("LOA_MEDIA_SERVE_METHOD", "redirect")

if os.environ.get("LOA_EMAIL_URL_HOST"):
    EMAIL_HOST = os.environ["LOA_EMAIL_URL_HOST"]
    EMAIL_PORT = int(os.environ.get("LOA_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("LOA_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("LOA_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = True
DEFAULT_FROM_EMAIL = os.environ.get("LOA_FROM_EMAIL", "loa@localhost")
