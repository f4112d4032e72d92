"""Administrators see delivery records with their reason, and send a failed one again."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from delivery.exceptions import BadCredentials
from delivery.models import DeliveryRecord

from .conftest import remote_keys

pytestmark = pytest.mark.django_db


def test_failed_record_is_listed_and_retried_from_the_admin(
        client, users, products, delivery_settings, s3_server, s3, bucket,
        django_capture_on_commit_callbacks):
    good_secret = delivery_settings["SECRET_ACCESS_KEY"]
    delivery_settings["SECRET_ACCESS_KEY"] = "sai-khoa"
    with django_capture_on_commit_callbacks(execute=True):
        products.bulletin("Bản tin: Bầu cử ở bản")
    record = DeliveryRecord.objects.get()
    assert record.state == DeliveryRecord.State.FAILED

    client.force_login(users.admin)
    listing = client.get("/admin/delivery_record/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "Bản tin: Bầu cử ở bản" in text and str(BadCredentials.message) in text
    assert f"/admin/delivery_record/retry/{record.pk}/" in text
    inspect = client.get(f"/admin/delivery_record/inspect/{record.pk}/")
    assert inspect.status_code == 200 and record.key in inspect.content.decode()
    assert client.get("/admin/delivery_record/new/").status_code == 404  # read-only

    # an editor may not retry
    client.force_login(users.editor_a)
    assert client.post(f"/admin/delivery_record/retry/{record.pk}/").status_code in (302, 403)
    record.refresh_from_db()
    assert record.state == DeliveryRecord.State.FAILED

    delivery_settings["SECRET_ACCESS_KEY"] = good_secret  # the administrator fixed the key
    client.force_login(users.admin)
    assert client.get(f"/admin/delivery_record/retry/{record.pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/delivery_record/retry/{record.pk}/")
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.state == DeliveryRecord.State.DELIVERED and record.reason == ""
    assert remote_keys(s3, bucket) == [record.key]
    assert DeliveryRecord.objects.count() == 1  # the same record, not a duplicate


# The command's worker threads need committed data, hence a transactional test.
@pytest.mark.django_db(transaction=True)
def test_batch_command_sends_the_backlog(products, delivery_settings, s3, bucket, capsys):
    delivery_settings["AUTO"] = False  # published before delivery was switched on
    # Two worker threads on PostgreSQL. The test runner's in-memory shared-cache SQLite
    # refuses writes from two connections at once ("table is locked"), unlike the file
    # SQLite in WAL mode of a real installation (the benchmark runs that way).
    delivery_settings["WORKERS"] = 2 if connection.vendor == "postgresql" else 1
    products.bulletin("Bản tin một")
    products.bulletin("Bản tin hai")
    products.bulletin("Bản tin ba")
    assert DeliveryRecord.objects.count() == 0

    call_command("deliver_to_ministry")  # with its progress bar
    out, err = capsys.readouterr()
    assert "Đã gửi 3 gói" in out
    assert "Gửi gói về Bộ" in err and "3/3" in err  # tqdm's bar
    assert len(remote_keys(s3, bucket)) == 3
    assert set(DeliveryRecord.objects.values_list("state", flat=True)) == {"delivered"}

    call_command("deliver_to_ministry", "--no-progress")
    out, _err = capsys.readouterr()
    assert "Đã gửi 0 gói; 3 gói không đổi" in out
