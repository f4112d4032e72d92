"""Delivery records use the shared lease mechanism (loa.leases): the lease now names the
worker holding it, so a worker whose lease was taken over writes nothing more."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("delivery", "0002_withdrawal_and_retries"),
    ]

    operations = [
        migrations.AddField(
            model_name="deliveryrecord",
            name="worker",
            field=models.CharField(blank=True, max_length=120, verbose_name="tiến trình xử lý"),
        ),
        migrations.AlterField(
            model_name="deliveryrecord",
            name="lease_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="giữ đến"),
        ),
    ]
