"""Media jobs use the shared lease mechanism (loa.leases): they gain the end of their
lease and the planned time of their next retry (0007 fills the lease from the heartbeat,
0008 drops the heartbeat). Schema changes, row updates and the drop are three migrations:
PostgreSQL refuses to alter a table in the transaction that updated its rows (their
foreign-key checks are still pending)."""

from django.db import migrations, models


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
    ]
