"""Every cell of tests/security/permission_matrix.py, tried the way the role would: through
the admin screens, the public and station URLs, as that user."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale

from delivery.models import DeliveryRecord
from media_pipeline.models import MediaItem
from stations.models import Station
from tests.cms.helpers import document
from translations.models import TranslationRequest
from translations.roles import language_collection_name
from translations.versions import ensure_translation

from . import permission_matrix as pm
from .conftest import Content


@dataclass
class World:
    content: Content
    tyz_page: object
    request: TranslationRequest
    station: Station
    station_key: str
    delivery: DeliveryRecord
    clients: dict[str, Client]
    media_files: object


@pytest.fixture
def world(content, users, translators, media_files, province) -> World:
    from wagtail.models import Collection

    draft = content.draft
    type(draft).objects.filter(pk=draft.pk).update(owner=users.editor_b)
    req = TranslationRequest.objects.create(
        product=draft, language="tyz", due_date=datetime.date(2026, 12, 31),
        requested_by=users.editor_b, assignee=translators["tyz"])
    tyz = ensure_translation(content.draft, Locale.objects.get(language_code="tyz"),
                             user=translators["tyz"])
    type(tyz).objects.filter(pk=tyz.pk).update(owner=translators["tyz"])
    tyz.refresh_from_db()
    # The Tày version's own file (a handbook in Tày), in the Tày translators' collection.
    own_pdf = document(media_files.pdf("tay.pdf", pages=1), "Sổ tay tiếng Tày")
    get_document_model().objects.filter(pk=own_pdf.pk).update(
        collection=Collection.objects.get(name=language_collection_name("tyz")))
    tyz.pdf_id = own_pdf.pk
    tyz.save_revision(user=translators["tyz"])
    station = Station.objects.create(name="Đài xã Tân Thanh", level="district",
                                     area=province.district_b.area, languages=["vi"],
                                     audio_profile="radio-loudspeaker")
    key = station.rotate_key()
    delivery = DeliveryRecord.objects.create(
        page=content.live_bulletin, identifier="20-BT-1", language="vi",
        title=content.live_bulletin.title, version=1, fingerprint="x", key="k")
    logins = {"translator_tyz": translators["tyz"], "editor_a": users.editor_a,
              "editor_b": users.editor_b, "provincial": users.provincial_editor,
              "reviewer": users.reviewer}
    clients = {"anonymous": Client(), "station": Client()}
    for role, user in logins.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return World(content, tyz, req, station, key, delivery, clients, media_files)


def ok(response) -> bool:
    return response.status_code == 200


# --- how each action is tried ---------------------------------------------------------------

def page_screen(name: str, page_of: Callable[[World], object]):
    def check(world: World, role: str) -> bool:
        page = page_of(world)
        return ok(world.clients[role].get(reverse(f"wagtailadmin_pages:{name}", args=[page.pk])))
    return check


def can_publish(page_of):
    """The edit screen offers the publish action (without it, publishing goes to review)."""
    def check(world: World, role: str) -> bool:
        page = page_of(world)
        response = world.clients[role].get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        return ok(response) and 'name="action-publish"' in response.content.decode()
    return check


def downloads(urls_of):
    def check(world: World, role: str) -> bool:
        return all(ok(world.clients[role].get(url)) for url in urls_of(world))
    return check


def vi_page(world):
    return world.content.draft


def tyz_page(world):
    return world.tyz_page


def draft_files(world) -> list[str]:
    draft = world.content.draft
    return [draft.pdf.url, draft.cover.file.url]


def tyz_files(world) -> list[str]:
    own = world.tyz_page.get_latest_revision_as_object().pdf
    return [own.url, own.file.url]


def live_item(world) -> MediaItem:
    return MediaItem.objects.get(pk=world.content.live_bulletin.audio_id)


def live_image(world):
    return get_image_model().objects.get(pk=world.content.live_bulletin.cover_id)


def live_document(world):
    return get_document_model().objects.get(pk=world.content.live_handbook.pdf_id)


EXTENSIONS = {"speech": "mp3", "image": "jpg", "pdf": "pdf"}
FILES = {
    "media_item": (live_item, "wagtailsnippets_media_pipeline_mediaitem", "speech"),
    "image": (live_image, "wagtailimages", "image"),
    "document": (live_document, "wagtaildocs", "pdf"),
}


def file_edit_screen(kind):
    get, ns, _make = FILES[kind]

    def check(world: World, role: str) -> bool:
        return ok(world.clients[role].get(reverse(f"{ns}:edit", args=[get(world).pk])))
    return check


def replaces_file(kind):
    """POST a different file to the object's edit form: did the stored file change?"""
    get, ns, make = FILES[kind]

    def check(world: World, role: str) -> bool:
        obj = get(world)
        path = getattr(world.media_files, make)(f"{role}-khac.{EXTENSIONS[make]}")
        world.clients[role].post(reverse(f"{ns}:edit", args=[obj.pk]), {
            "title": obj.title, "collection": obj.collection_id,
            "file": SimpleUploadedFile(path.name, path.read_bytes())})
        return type(obj).objects.get(pk=obj.pk).file.name != obj.file.name
    return check


def deletes_file(kind):
    get, ns, _make = FILES[kind]

    def check(world: World, role: str) -> bool:
        obj = get(world)
        world.clients[role].post(reverse(f"{ns}:delete", args=[obj.pk]))
        return not type(obj).objects.filter(pk=obj.pk).exists()
    return check


def public_file(kind):
    get = FILES[kind][0]

    def check(world: World, role: str) -> bool:
        obj = get(world)
        url = obj.url if kind == "document" else obj.file.url
        return ok(world.clients[role].get(url))
    return check


def admin_screen(url_of):
    def check(world: World, role: str) -> bool:
        return ok(world.clients[role].get(url_of(world)))
    return check


def station_feed(world: World, role: str) -> bool:
    url = reverse("stations:station_feed", args=[world.station.pk, "vi"])
    key = f"?key={world.station_key}" if role == "station" else ""
    return ok(world.clients[role].get(url + key))


CHECKS: dict[tuple[str, str], Callable[[World, str], bool]] = {
    ("vi_page", "view_draft"): page_screen("view_draft", vi_page),
    ("vi_page", "edit"): page_screen("edit", vi_page),
    ("vi_page", "delete"): page_screen("delete", vi_page),
    ("vi_page", "publish"): can_publish(vi_page),
    ("vi_page", "request_translation"): admin_screen(
        lambda w: reverse("translations:new_request", args=[w.content.draft.pk])),
    ("vi_page", "download_file"): downloads(draft_files),
    ("tyz_page", "view_draft"): page_screen("view_draft", tyz_page),
    ("tyz_page", "edit"): page_screen("edit", tyz_page),
    ("tyz_page", "delete"): page_screen("delete", tyz_page),
    ("tyz_page", "publish"): can_publish(tyz_page),
    ("tyz_page", "download_file"): downloads(tyz_files),
    **{(kind, "edit"): file_edit_screen(kind) for kind in FILES},
    **{(kind, "replace_file"): replaces_file(kind) for kind in FILES},
    **{(kind, "delete"): deletes_file(kind) for kind in FILES},
    **{(kind, "download_file"): public_file(kind) for kind in FILES},
    ("translation_request", "view_draft"): admin_screen(
        lambda w: reverse("translations:request", args=[w.request.pk])),
    ("translation_request", "export_po"): admin_screen(
        lambda w: reverse("translations:export", args=[w.request.pk])),
    ("station", "edit"): admin_screen(
        lambda w: reverse("wagtailsnippets_stations_station:edit", args=[w.station.pk])),
    ("station", "download_file"): station_feed,
    ("delivery_record", "view"): admin_screen(
        lambda w: reverse("delivery_record:inspect", args=[w.delivery.pk])),
}


def test_every_cell_has_a_check():
    assert set(CHECKS) == set(pm.MATRIX)


@pytest.mark.parametrize("obj_action", list(pm.MATRIX), ids="-".join)
def test_matrix_row(obj_action, world):
    check = CHECKS[obj_action]
    found = {role: check(world, role) for role in pm.ROLES}
    assert found == pm.MATRIX[obj_action]


def test_security_doc_shows_the_matrix():
    text = pm.DOC.read_text(encoding="utf-8")
    assert text == pm.document_with_matrix(text), (
        "docs/security.md is behind: run `python -m tests.security.permission_matrix`")
