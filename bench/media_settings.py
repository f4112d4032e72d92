"""Settings for the media benchmarks: the test settings on a throwaway SQLite file."""

import os
from pathlib import Path

from cms.settings.test import *  # noqa: F403

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                         "NAME": os.environ["LOA_BENCH_DATABASE"]}}
MEDIA_ROOT = Path(os.environ["LOA_BENCH_MEDIA_ROOT"])
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Jobs wait in the database (no worker runs): each benchmark runs the jobs it times itself.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
