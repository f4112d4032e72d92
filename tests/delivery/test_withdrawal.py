"""Unpublishing a delivered product leaves the package in the Ministry's store and puts a
withdrawal notice next to it, through a delivery record that fails, is retried and is sent
once; publishing again sends a new version; deleting sends that version's notice."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from delivery.exceptions import BadCredentials
from delivery.models import DeliveryRecord

from .bags import download
from .conftest import remote_keys

pytestmark = pytest.mark.django_db


def test_unpublishing_sends_a_withdrawal_notice(products, delivery_settings, s3, bucket, proxy,
                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = products.bulletin("Bản tin: Mùa lúa mới")
    package = DeliveryRecord.objects.get()
    package_bytes = download(s3, bucket, package.key)

    good_secret = delivery_settings["SECRET_ACCESS_KEY"]
    delivery_settings["SECRET_ACCESS_KEY"] = "sai-khoa"
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    notice = DeliveryRecord.objects.get(kind=DeliveryRecord.Kind.WITHDRAWAL)
    assert notice.state == DeliveryRecord.State.FAILED
    assert notice.reason == str(BadCredentials.message)
    assert notice.key == package.key.replace(".tar", "_withdrawn.json")
    assert remote_keys(s3, bucket) == [package.key]

    delivery_settings["SECRET_ACCESS_KEY"] = good_secret
    call_command("deliver_to_ministry", "--no-progress")  # the backlog sends pending notices
    notice.refresh_from_db()
    assert notice.state == DeliveryRecord.State.DELIVERED
    assert sorted(remote_keys(s3, bucket)) == sorted([package.key, notice.key])
    assert download(s3, bucket, package.key) == package_bytes  # the package is untouched
    body = json.loads(download(s3, bucket, notice.key))
    assert body["status"] == "withdrawn" and body["reason"] == "unpublished"
    assert body["withdrawn_version"] == 1 and body["package_key"] == package.key
    assert body["external_identifier"] == f"{page.identifier}/vi"
    assert body["source_organization"] == "Sở TTTT Lạng Sơn"
    head = s3.head_object(Bucket=bucket, Key=notice.key)
    assert head["Metadata"]["loa-status"] == "withdrawn"

    # Again, through a proxy that notes every request: nothing more is written.
    delivery_settings["ENDPOINT_URL"] = proxy.endpoint
    call_command("deliver_to_ministry", "--no-progress")
    assert [verb for verb, _target in proxy.requests if verb in ("PUT", "POST")] == []

    # Published again, unchanged: a new version supersedes the notice.
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    latest = DeliveryRecord.objects.filter(kind=DeliveryRecord.Kind.PACKAGE).latest("version")
    assert (latest.version, latest.state) == (2, DeliveryRecord.State.DELIVERED)

    # Deleted (Wagtail unpublishes a live page first): version 2's notice goes out at once.
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    second = DeliveryRecord.objects.get(kind=DeliveryRecord.Kind.WITHDRAWAL, version=2)
    assert second.state == DeliveryRecord.State.DELIVERED
    assert json.loads(download(s3, bucket, second.key))["withdrawn_version"] == 2
    assert sorted(remote_keys(s3, bucket)) == sorted(
        [package.key, notice.key, latest.key, second.key])
