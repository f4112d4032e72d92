"""Settings for the real ``db_worker`` subprocess in test_worker_kill: the test settings,
with the database and media folder the test created and the database task backend."""

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
LOA_MEDIA_JOB_STALL_SECONDS = 3
LOA_MEDIA_WATCHDOG_INTERVAL = 1
