"""django-tasks-db's ``db_worker``, plus the media watchdog on a timer thread: a worker
that comes up (or keeps running) notices jobs whose worker was killed or hangs, with no
cron to set up. Everything else is the library's worker, unchanged."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.translation import gettext as _
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from media_pipeline.jobs import requeue_stalled

logger = logging.getLogger("media_pipeline.watchdog")
DEFAULT_WATCHDOG_INTERVAL = 30.0


def watchdog_loop(stop: threading.Event, interval: float) -> None:
    while not stop.is_set():
        close_old_connections()
        try:
            requeue_stalled()
        except Exception:
            # Keep the watchdog alive through a locked or restarting database; log loudly.
            logger.exception("media watchdog pass failed")
        finally:
            connection.close()
        stop.wait(interval)


class Command(DbWorkerCommand):
    help = _("%(help)s (kèm theo dõi các lượt chuyển đổi bị treo)") % {
        "help": DbWorkerCommand.help}

    def handle(self, *args, **options):
        interval = getattr(settings, "LOA_MEDIA_WATCHDOG_INTERVAL", DEFAULT_WATCHDOG_INTERVAL)
        stop = threading.Event()
        thread = threading.Thread(target=watchdog_loop, args=(stop, interval),
                                  name="media-watchdog", daemon=True)
        thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
