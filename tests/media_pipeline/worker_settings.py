"""Settings for the real ``manage.py`` subprocesses of the tests (``db_worker`` in
test_worker_kill, ``restore`` and workers in tests/production): the test settings, with the
database and media folder (or bucket) the test created and the database task backend."""

import os
from pathlib import Path

import dj_database_url

from cms.settings.test import *  # noqa: F403

DATABASES = {"default": dj_database_url.parse(os.environ["LOA_WORKER_DATABASE_URL"])}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
MEDIA_ROOT = Path(os.environ["LOA_WORKER_MEDIA_ROOT"])
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Short clocks so the test sees the watchdog act within seconds.
LOA_MEDIA_JOB_STALL_SECONDS = float(os.environ.get("LOA_WORKER_STALL_SECONDS", "3"))
LOA_MEDIA_WATCHDOG_INTERVAL = 1
# Media on S3 (the production-shape and backup tests): moto's server on loopback.
if os.environ.get("LOA_WORKER_S3_BUCKET"):
    STORAGES = {**STORAGES, "default": {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": os.environ["LOA_WORKER_S3_BUCKET"],
            "endpoint_url": os.environ["LOA_WORKER_S3_ENDPOINT_URL"], "region_name": "us-east-1",
            "access_key": "thu-nghiem", "secret_key": "thu-nghiem", "default_acl": "private",
            "querystring_auth": True, "querystring_expire": 600, "file_overwrite": False,
        }}}
