"""A running job's last heartbeat becomes the end of its lease (heartbeat + stall time), so
the watchdog treats a job running during the upgrade the same as before."""

import datetime

from django.conf import settings
from django.db import migrations
from django.db.models import F

RUNNING = "running"


def stall() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "LOA_MEDIA_JOB_STALL_SECONDS", 300))


def heartbeat_to_lease(apps, schema_editor):
    jobs = apps.get_model("media_pipeline", "MediaJob").objects
    jobs.filter(state=RUNNING, heartbeat_at__isnull=False).update(
        lease_until=F("heartbeat_at") + stall())


def lease_to_heartbeat(apps, schema_editor):
    jobs = apps.get_model("media_pipeline", "MediaJob").objects
    jobs.filter(state=RUNNING, lease_until__isnull=False).update(
        heartbeat_at=F("lease_until") - stall())


class Migration(migrations.Migration):

    dependencies = [
        ("media_pipeline", "0006_job_leases"),
    ]

    operations = [
        migrations.RunPython(heartbeat_to_lease, lease_to_heartbeat),
    ]
