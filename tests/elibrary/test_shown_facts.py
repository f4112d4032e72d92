"""A product page keeps, when published, what it shows from elsewhere (topics, ready
renditions, whether other language versions are live), and whatever changes one of them
shows at once; previews show the draft's own values."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.products.models import BulletinPage, Topic
from media_pipeline.models import Rendition
from tests.elibrary.demo_like import ready_rendition


def _view(client, url: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries]


def _audio_sources(html: str) -> list[str]:
    block = re.search(r"<audio[^>]*>(.*?)</audio>", html, re.S).group(1)
    return re.findall(r'<source src="([^"]+)"', block)


def _meta(html: str) -> str:
    return html.split('class="meta"')[1].split("</dl>")[0]


def test_a_served_page_reads_its_topics_and_renditions_without_asking_for_them(
        client, library, settings):
    settings.LOA_PAGE_CACHE_SECONDS = 0  # every view rendered
    bulletin = library.bulletins[0]
    html, queries = _view(client, bulletin.url)
    for topic in bulletin.topics.all():
        assert topic.name_vi in _meta(html)
    assert not any("products_topic" in sql or "media_pipeline_rendition" in sql
                   for sql in queries)


def test_a_rendition_finished_after_publishing_plays_at_once_and_a_deleted_one_goes(
        client, library, tmp_path, settings):
    settings.LOA_PAGE_CACHE_SECONDS = 0
    bulletin = library.bulletins[0]
    assert _audio_sources(_view(client, bulletin.url)[0]) == [bulletin.audio.file.url]
    # made by the pipeline after the page went live: pending first, then ready
    opus = ready_rendition(bulletin.audio, "phone-audio", bulletin.audio.file.path,
                           tmp_path / "a.ogg", ["-c:a", "libopus", "-b:a", "24k", "-ac", "1"],
                           "audio/ogg")
    html = _view(client, bulletin.url)[0]
    assert _audio_sources(html) == [opus.file.url, bulletin.audio.file.url]
    assert f'href="{opus.file.url}" download' in html
    opus.state = Rendition.State.FAILED  # e.g. found damaged and made again
    opus.save()
    assert _audio_sources(_view(client, bulletin.url)[0]) == [bulletin.audio.file.url]
    opus.delete()
    assert _audio_sources(_view(client, bulletin.url)[0]) == [bulletin.audio.file.url]


def test_a_topic_deleted_or_added_anew_shows_at_once(client, library, settings):
    settings.LOA_PAGE_CACHE_SECONDS = 0
    bulletin = BulletinPage.objects.get(pk=library.bulletins[0].pk)
    gone, kept = bulletin.topics.all()[:2]
    gone.delete()
    meta = _meta(_view(client, bulletin.url)[0])
    assert gone.name_vi not in meta and kept.name_vi in meta
    fresh = Topic.objects.create(name_vi="Chợ phiên vùng cao", slug="cho-phien")
    bulletin.topics = [kept, fresh]
    bulletin.save_revision().publish()
    meta = _meta(_view(client, bulletin.url)[0])
    assert "Chợ phiên vùng cao" in meta and kept.name_vi in meta


def test_a_preview_shows_the_drafts_own_topics_and_the_live_page_its_published_ones(
        client, admin_client, library, settings):
    settings.LOA_PAGE_CACHE_SECONDS = 0
    bulletin = BulletinPage.objects.get(pk=library.bulletins[0].pk)
    live_names = [topic.name_vi for topic in bulletin.topics.all()]
    draft_topic = Topic.objects.create(name_vi="Phòng chống tin giả", slug="tin-gia-nhap")
    bulletin.topics = [draft_topic]
    bulletin.save_revision()  # a draft, not published
    preview = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[bulletin.pk]))
    assert "Phòng chống tin giả" in _meta(preview.content.decode())
    meta = _meta(_view(client, bulletin.url)[0])
    assert "Phòng chống tin giả" not in meta
    assert all(name in meta for name in live_names)


def test_refresh_shown_facts_rebuilds_what_rows_changed_by_hand_lost(client, library, settings):
    import io

    from django.core.management import call_command

    settings.LOA_PAGE_CACHE_SECONDS = 0
    bulletin = library.bulletins[0]
    before = _meta(_view(client, bulletin.url)[0])
    BulletinPage.objects.filter(pk=bulletin.pk).update(shown_facts={})  # e.g. an old row
    assert _meta(_view(client, bulletin.url)[0]) == before  # read live meanwhile
    call_command("refresh_shown_facts", stdout=io.StringIO())
    html, queries = _view(client, bulletin.url)
    assert _meta(html) == before and not any("products_topic" in sql for sql in queries)
