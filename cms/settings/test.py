"""Test settings: the embedded default, or PostgreSQL when DATABASE_URL is set."""

import os

# Languages feature: the shared suite runs with three locales (each adds a copy of the page
# tree to every province fixture); tests/translations switch more on where they need them.
os.environ.setdefault("LOA_LANGUAGES", "vi,en,zh-hans")

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / f"test-media-{os.getpid()}"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Jobs run inline unless a test starts the real db_worker (tests/media_pipeline).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Serve static files from the apps and static/ directly; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LOGGING["loggers"]["django_tasks"] = {"level": "WARNING"}  # noqa: F405
LOGGING["loggers"]["wagtail"] = {"level": "WARNING"}  # noqa: F405

# Rendered product pages kept in memory (tests/conftest.py empties it before each test).
CACHES = {**CACHES, "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # noqa: F405

# e-library search: the suite searches the database; the engine tests switch the public
# search to OpenSearch themselves (tests/search_engine.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}

# SQLite tests use a file, not memory: with an in-memory database Django shares one
# connection between the live server's threads and the test, and concurrent requests
# (a station's resumed downloads, a browser) then trip over each other's statements.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}  # noqa: F405

# Media pipeline: tests of other features publish pages whose media they never transcode
# (or only partly); tests/media_pipeline switch the publication guard on for themselves.
LOA_MEDIA_REQUIRE_READY_TO_PUBLISH = False
# ZIM files are built by the tests that are about them (tests/offline), not on every publish.
LOA_ZIM_AUTO = False
# Cutting a page's fonts at publication takes seconds (the CJK font): the tests about it
# switch it on (tests/translations/test_page_fonts.py), not every test that publishes.
LOA_FONTS_AT_PUBLISH = False
