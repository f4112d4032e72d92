"""A partner's dubbed clip (one MKV with a Vietnamese and a Tày sound track): the editor is
offered each track for the product version in that language, and taking the Tày track
makes it the Tày version's recording — not the first track the pipeline would use."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse
from wagtail.models import Locale

from cms.products.models import VideoPage
from media_pipeline.models import MediaItem
from translations import languages
from translations.versions import ensure_translation

from ..media_pipeline.conftest import make_item
from ..media_pipeline.corpus import SHAPES_BY_NAME, Corpus


@pytest.fixture(autouse=True)
def languages_on(settings):
    settings.LANGUAGES = languages.django_languages(["vi", "tyz"])
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    settings.LOA_MEDIA_ENQUEUE_ON_SAVE = False  # the tracks, not the conversions, are tested


def sound_hash(path, track: str) -> str:
    """MD5 of a sound track's packets (stream copy): the same track, bit for bit."""
    return subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-map", track,
                           "-c", "copy", "-f", "md5", "-"], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_tay_track_becomes_the_recording_of_the_tay_version(client, users, province,
                                                            tmp_path):
    source = Corpus(tmp_path / "corpus").path(SHAPES_BY_NAME["languages-vie-tyz"])
    item = make_item(source, "Phóng sự lồng tiếng")
    assert [t["language"] for t in item.probe_data["audio_tracks"]] == ["vie", "tyz"]
    page = VideoPage(title="Phóng sự: mùa lúa biên giới", slug="mua-lua",
                     locale=Locale.objects.get(language_code="vi"), video=item,
                     summary="Tóm tắt.")
    province.district_a.section_page.add_child(instance=page)
    page.save_revision(user=users.admin).publish(user=users.admin)
    tay = ensure_translation(page, Locale.objects.get(language_code="tyz"), user=users.admin)
    client.force_login(users.admin)

    inspect = client.get(reverse("wagtailsnippets_media_pipeline_mediaitem:inspect",
                                 args=[item.pk]))
    assert "Dùng từng rãnh cho phiên bản ngôn ngữ của sản phẩm" in inspect.content.decode()

    url = reverse("products_language_tracks", args=[item.pk])
    offers = client.get(url).context["offers"]
    # The Tày version was copied with the two-track clip, whose renditions carry the first
    # (Vietnamese) track: only the Tày track is offered, only to the Tày version.
    assert [(o.language_tag, o.version.pk, o.field) for o in offers] == [("tyz", tay.pk, "video")]

    response = client.post(url, {"offer": offers[0].key}, follow=True)
    assert "Đã dùng rãnh tiếng “tyz”" in response.content.decode()
    draft = VideoPage.objects.get(pk=tay.pk).get_latest_revision_as_object()
    new = MediaItem.objects.get(pk=draft.video_id)
    assert new.kind == "video" and new.pk != item.pk
    assert len(new.probe_data["audio_tracks"]) == 1
    assert sound_hash(new.file.path, "0:a:0") == sound_hash(source, "0:a:1")  # the Tày one
    assert VideoPage.objects.get(pk=page.pk).video_id == item.pk  # Vietnamese untouched
    assert not client.get(url).context["offers"]  # nothing left to offer


def test_unknown_offer_is_404_not_500(client, users, province, tmp_path):
    item = make_item(Corpus(tmp_path / "corpus").path(SHAPES_BY_NAME["languages-vie-tyz"]))
    client.force_login(users.admin)
    url = reverse("products_language_tracks", args=[item.pk])
    assert client.post(url, {"offer": "9:9:video"}).status_code == 404
    assert client.get(reverse("products_language_tracks", args=[999999])).status_code == 404
