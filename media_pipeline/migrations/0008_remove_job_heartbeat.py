"""The heartbeat time of a media job, now kept as the end of its lease (0007)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("media_pipeline", "0007_job_lease_from_heartbeat"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="mediajob",
            name="heartbeat_at",
        ),
    ]
