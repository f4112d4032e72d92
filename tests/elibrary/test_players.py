"""Product pages play the right file for the screen: renditions when ready, the original
until then; downloads show their size; documents and posters readable and downloadable."""

import re

from django.urls import reverse

from tests.elibrary.demo_like import ready_rendition


def sources(html: str, tag: str) -> list[str]:
    block = re.search(rf"<{tag}[^>]*>(.*?)</{tag}>", html, re.S).group(1)
    return re.findall(r'<source src="([^"]+)" type="([^"]+)"(?: media="([^"]+)")?', block)


def test_phone_page_offers_opus_first_and_kiosk_offers_loudness_mp3_first(client, library,
                                                                        tmp_path):
    from media_pipeline.models import Rendition

    bulletin = library.bulletins[0]
    # before the pipeline has run: the original, with its size for the download
    html = client.get(bulletin.url).content.decode()
    assert sources(html, "audio") == [(bulletin.audio.file.url, "audio/mpeg", "")]
    assert "Tải về: Bản gốc" in html and "KB)" in html
    # a rendition still being made is not offered
    Rendition.objects.create(source=bulletin.audio, profile="radio-loudspeaker",
                             state=Rendition.State.PENDING)
    html = client.get(bulletin.url).content.decode()
    assert [s[0] for s in sources(html, "audio")] == [bulletin.audio.file.url]
    Rendition.objects.all().delete()

    original = bulletin.audio.file.path
    opus = ready_rendition(bulletin.audio, "phone-audio", original, tmp_path / "a.ogg",
                           ["-c:a", "libopus", "-b:a", "24k", "-ac", "1"], "audio/ogg")
    mp3 = ready_rendition(bulletin.audio, "radio-loudspeaker", original, tmp_path / "a.mp3",
                          ["-c:a", "libmp3lame", "-b:a", "128k"], "audio/mpeg")
    phone = client.get(bulletin.url).content.decode()
    assert [s[0] for s in sources(phone, "audio")] == [opus.file.url, mp3.file.url,
                                                        bulletin.audio.file.url]
    assert f'href="{opus.file.url}" download' in phone  # the light file is offered to download
    kiosk = client.get(reverse("elibrary:kiosk_product", args=[bulletin.pk])).content.decode()
    assert [s[0] for s in sources(kiosk, "audio")] == [mp3.file.url, opus.file.url,
                                                        bulletin.audio.file.url]
    assert "download" not in kiosk  # nothing leaves the kiosk
    # the rendition files are really served while the bulletin is live
    assert client.get(opus.file.url).status_code == 200


def test_video_sources_are_chosen_by_screen_size(client, library, tmp_path):
    video = library.videos[0]
    original = video.video.file.path
    small = ready_rendition(video.video, "phone-240", original, tmp_path / "240.mp4",
                            ["-vf", "scale=-2:240", "-c:v", "libx264", "-preset", "ultrafast",
                             "-c:a", "aac"], "video/mp4")
    big = ready_rendition(video.video, "kiosk-1080", original, tmp_path / "1080.mp4",
                          ["-c", "copy"], "video/mp4")
    poster = ready_rendition(video.video, "poster", original, tmp_path / "poster.jpg",
                             ["-frames:v", "1"], "image/jpeg")
    html = client.get(video.url).content.decode()
    assert sources(html, "video") == [
        (big.file.url, "video/mp4", "(min-width: 1200px)"),  # only large screens
        (small.file.url, "video/mp4", ""),
        (video.video.file.url, "video/mp4", ""),
    ]
    assert f'poster="{poster.file.url}"' in html
    assert 'preload="none"' in html  # nothing downloads until the visitor presses play


def test_documents_read_as_html_and_posters_view_as_webp_both_download(
        client, library, django_assert_max_num_queries, settings):
    doc = library.documents[0]
    html = client.get(doc.url).content.decode()
    assert "Dự án 10" in html  # the text itself, as HTML
    assert f'href="{doc.pdf.url}" download' in html
    response = client.get(doc.pdf.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    poster = library.prints[0]
    html = client.get(poster.url).content.decode()
    assert re.search(r'srcset="[^"]+\.webp 320w', html)
    assert f'href="{poster.artwork_image.file.url}" download' in html
    assert client.get(poster.artwork_image.file.url).status_code == 200

    # Every kind of product page, rendered (not from the page cache), costs a bounded number
    # of queries, whatever the number of languages: the site with its root, the visitor's
    # locale, the product (id by address, its row with what it shows), its view count,
    # view restrictions (2), the page's own font subset (one indexed lookup: every page's
    # language menu shows hanzi). Its topics, renditions and whether another version is
    # live come with its row (kept when it was published). (A product with other live
    # versions adds two: them, and their view restrictions.) An N+1 in a template, a
    # lookup per language or a level-by-level walk fails here.
    settings.LOA_PAGE_CACHE_SECONDS = 0  # each view rendered, not answered from the cache
    for page in library.live:
        client.get(page.url)  # the first view makes the picture renditions
        with django_assert_max_num_queries(8):
            assert client.get(page.url).status_code == 200
