"""Media jobs use the shared lease mechanism (loa.leases): a running job's heartbeat time
becomes the end of its lease (heartbeat + stall time, so a job running now is treated the
same as before); jobs gain the planned time of their next retry."""

import datetime

from django.conf import settings
from django.db import migrations, models
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
        ("media_pipeline", "0005_collections_and_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="mediajob",
            name="lease_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="giữ đến"),
        ),
        migrations.AddField(
            model_name="mediajob",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, db_index=True, null=True,
                                       verbose_name="tự thử lại lúc"),
        ),
        migrations.AlterField(
            model_name="mediajob",
            name="attempts",
            field=models.PositiveIntegerField(default=0, verbose_name="số lần thử"),
        ),
        migrations.RunPython(heartbeat_to_lease, lease_to_heartbeat),
        migrations.RemoveField(
            model_name="mediajob",
            name="heartbeat_at",
        ),
    ]
