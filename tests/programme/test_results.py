"""Results counted from the work: products by the year they first went live (language
versions a breakdown), station downloads and airings, deliveries, e-library use, kiosk plays,
training and monitoring."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from cms.products.models import BulletinPage, PrintPage, VideoPage
from programme.models import (
    KioskPlay,
    MonitoringRound,
    ParticipantGroup,
    SupportPoint,
    TrainingParticipants,
    TrainingSession,
)
from programme.results import (
    delivery_figures,
    elibrary_use,
    elibrary_use_by_product,
    line_results,
    station_figures,
)
from tests.elibrary.factories import add_product, enable_languages, section_in

THIS_YEAR = timezone.localdate().year


def _by_content(plan, year=THIS_YEAR):
    return {r.content: r for r in line_results(plan, year)}


def _bulletin(section, title, **fields):
    return add_product(section, BulletinPage, title=title, text="Nội dung", **fields)


def _translate(page, language):
    locale, _created = Locale.objects.get_or_create(language_code=language)
    section_in(page.get_parent().specific, language)
    copy = page.copy_for_translation(locale, copy_parents=False)
    copy.save_revision().publish()
    return copy


@pytest.fixture
def tay(settings):
    enable_languages(settings, [("tyz", "Tiếng Tày")])


def test_products_count_once_in_their_first_live_year(plans, province, tay, media_files):
    from tests.cms.helpers import image

    artwork = image(media_files.image())
    provincial, _district = plans
    dept, cao_loc = province.department.section_page, province.district_a.section_page
    first = _bulletin(dept, "Bản tin một")
    _bulletin(cao_loc, "Bản tin huyện")
    _bulletin(dept, "Bản nháp", live=False)
    old = _bulletin(dept, "Bản tin năm ngoái")
    BulletinPage.objects.filter(pk=old.pk).update(
        first_published_at=timezone.now().replace(year=THIS_YEAR - 1))
    _translate(first, "tyz")  # a language version: a breakdown, not a second product
    add_product(dept, PrintPage, title="Áp phích", print_format="poster",
                artwork_image=artwork)
    add_product(dept, PrintPage, title="Tờ rơi", print_format="leaflet",
                artwork_image=artwork)

    rows = _by_content(provincial)
    bulletins = rows["Bản tin (thể hiện dưới dạng âm thanh, chữ viết, hình ảnh)"]
    assert (bulletins.planned, bulletins.actual) == (160, 2)
    assert bulletins.by_language == {"vi": 2, "tyz": 1}
    assert bulletins.percent == 1
    assert sum(bulletins.months) == 2
    assert rows["Áp phích"].actual == 1  # the poster line counts posters only
    assert _by_content(provincial, THIS_YEAR - 1)[
        "Bản tin (thể hiện dưới dạng âm thanh, chữ viết, hình ảnh)"].actual == 1


def test_unpublish_translate_and_district_language_lines(plans, province, tay):
    provincial, district = plans
    district.lines.update(language="tyz")  # the district plans Tày bulletins
    cao_loc = province.district_a.section_page
    kept = _bulletin(cao_loc, "Bản tin Cao Lộc")
    gone = _bulletin(cao_loc, "Bản tin gỡ xuống")
    line = "Bản tin tiếng Tày"
    bulletins = "Bản tin (thể hiện dưới dạng âm thanh, chữ viết, hình ảnh)"
    assert _by_content(district)[line].actual == 0  # no Tày version yet
    _translate(kept, "tyz")
    assert _by_content(district)[line].actual == 1
    assert _by_content(provincial)[bulletins].actual == 2  # the province includes districts
    gone.unpublish()
    rolled = _by_content(provincial)
    assert rolled[bulletins].actual == 1
    assert (rolled[line].planned, rolled[line].actual) == (12, 1)  # the district's line
    kept.unpublish()  # its Tày version stays live: the product still counts
    assert _by_content(provincial)[bulletins].actual == 1
    assert _by_content(provincial)[bulletins].by_language == {"tyz": 1}


def test_training_monitoring_and_support_points(plans, province):
    provincial, _district = plans
    session = TrainingSession.objects.create(
        organisation=province.district_a, title="Lớp 1", date=datetime.date(THIS_YEAR, 5, 4),
        place="Cao Lộc")
    TrainingParticipants.objects.create(session=session, group=ParticipantGroup.RADIO, count=40)
    TrainingParticipants.objects.create(session=session, group=ParticipantGroup.PRESS, count=25)
    MonitoringRound.objects.create(organisation=province.department,
                                   date=datetime.date(THIS_YEAR, 6, 1), units_visited="Cao Lộc")
    rows = _by_content(provincial)
    training = rows["Bồi dưỡng, tập huấn kiến thức, nghiệp vụ thông tin đối ngoại"]
    assert (training.planned, training.actual, training.percent) == (200, 65, 33)  # 32.5% rounds up
    assert rows["Kiểm tra, giám sát công tác triển khai"].actual == 1


def test_station_downloads_airings_and_deliveries(plans, province):
    bulletin = _bulletin(province.district_a.section_page, "Bản tin phát sóng")
    station_model = apps.get_model("stations.Station")
    station = station_model.objects.create(name="Đài xã Thụy Hùng", level="district",
                                           area=province.district_a.area, languages=["vi"])
    downloads = apps.get_model("stations.DownloadLog")
    for complete in (True, True, False):
        downloads.objects.create(station=station, bulletin=bulletin, bulletin_title="x",
                                 language="vi", profile="radio-loudspeaker", complete=complete,
                                 method="django")
    apps.get_model("stations.AiringReport").objects.create(
        station=station, bulletin=bulletin, bulletin_title="x", times=3,
        aired_on=timezone.localdate(), aired_at=datetime.time(6, 30))
    assert station_figures([province.district_a.pk], THIS_YEAR) == [
        {"station": "Đài xã Thụy Hùng", "downloads": 2, "bulletins": 1, "airings": 3}]
    assert station_figures([province.district_b.pk], THIS_YEAR) == []
    record = apps.get_model("delivery.DeliveryRecord")
    record.objects.create(page=bulletin, identifier=bulletin.identifier, language="vi",
                          title="x", version=1, fingerprint="f", key="k", state="delivered",
                          delivered_at=timezone.now())
    record.objects.create(page=bulletin, identifier=bulletin.identifier, language="vi",
                          title="x", version=2, fingerprint="g", key="k2", state="failed")
    assert delivery_figures([province.district_a.pk], THIS_YEAR) == {"products": 1,
                                                                    "versions": 1}


def test_elibrary_views_and_downloads_counted_without_personal_data(client, province,
                                                                    media_files):
    from cms.products.models import DocumentPage
    from tests.cms.helpers import document

    page = add_product(province.department.section_page, DocumentPage, title="Sổ tay",
                       text="Nội dung", pdf=document(media_files.pdf()))
    assert client.get(page.url, HTTP_USER_AGENT="Nokia 105").status_code == 200
    with CaptureQueriesContext(connection) as rendering:
        client.get(page.url)  # answered from the page cache: a view all the same
    assert not any("products_documentpage" in q["sql"] for q in rendering.captured_queries)
    assert client.get(page.pdf.url).status_code == 200
    assert elibrary_use([province.department.pk], THIS_YEAR) == {
        "vi": {"views": 2, "downloads": 1}}
    from programme.results import elibrary_use_by_product

    assert elibrary_use_by_product([province.department.pk], THIS_YEAR) == [
        {"identifier": page.identifier, "title": "Sổ tay", "language": "vi", "views": 2,
         "downloads": 1}]
    use = apps.get_model("programme.ProductUse").objects.get()
    stored = " ".join(str(getattr(use, f.attname)) for f in use._meta.concrete_fields)
    assert "Nokia" not in stored and "127.0.0.1" not in stored


def test_recording_and_clip_downloads_count_once_per_download(client, users, plans,
                                                              province, media_files):
    """A recording or clip fetched from the e-library counts like a PDF: once per download
    (the whole file, or the range that starts it), not per resumed chunk, not when a
    browser's own player streams it, not for a HEAD; and the annual report shows it."""
    from io import BytesIO

    from django.urls import reverse
    from openpyxl import load_workbook

    from tests.cms.helpers import media_item

    dept = province.department.section_page
    bulletin = _bulletin(dept, "Bản tin có tiếng", audio=media_item(media_files.speech()))
    clip = add_product(dept, VideoPage, title="Phóng sự biên giới",
                       video=media_item(media_files.video()))
    audio_url, video_url = bulletin.audio.file.url, clip.video.file.url

    def fetch(url: str, **headers) -> int:
        response = client.get(url, **headers)
        b"".join(response.streaming_content)  # to the last byte, like a visitor
        return response.status_code

    assert fetch(audio_url) == 200
    assert fetch(audio_url, HTTP_RANGE="bytes=0-") == 206  # a download manager's start
    assert fetch(audio_url, HTTP_RANGE="bytes=4000-") == 206  # …and its resumed part
    assert fetch(audio_url, HTTP_RANGE="bytes=0-", HTTP_SEC_FETCH_DEST="audio") == 206
    assert client.head(audio_url).status_code == 200
    assert fetch(video_url, HTTP_RANGE="bytes=0-99") == 206
    assert fetch(video_url, HTTP_RANGE="bytes=100-", HTTP_SEC_FETCH_DEST="video") == 206

    by_product = {u["title"]: u["downloads"] for u in
                  elibrary_use_by_product([province.department.pk], THIS_YEAR)}
    assert by_product == {"Bản tin có tiếng": 2, "Phóng sự biên giới": 1}
    client.force_login(users.provincial_editor)
    response = client.get(reverse("programme_results_xlsx", args=[plans[0].pk]),
                          {"nam": THIS_YEAR})
    sheet = load_workbook(BytesIO(response.content))["Lượt xem theo sản phẩm"]
    rows = {row[1]: row[4] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows == {"Bản tin có tiếng": 2, "Phóng sự biên giới": 1}


def test_kiosk_reports_plays_like_airings(client, province):
    bulletin = _bulletin(province.district_a.section_page, "Bản tin kiosk")
    draft = _bulletin(province.district_a.section_page, "Bản nháp", live=False)
    commune = apps.get_model("organisations.Area").objects.create(
        name="Thụy Hùng", level="commune", code="20-CL-TH", parent=province.district_a.area)
    point = SupportPoint.objects.create(
        commune=commune, organisation=province.district_a, kiosk_code="thuy-hung",
        installed_on=timezone.localdate(), condition="good")
    key = point.issue_kiosk_key()
    url = "/diem-ho-tro/thuy-hung/phat/"
    assert client.post(url, {"trang": bulletin.pk, "khoa": key}).status_code == 204
    assert client.post(url, {"trang": bulletin.pk, "khoa": key}).status_code == 204
    assert client.post(url, {"trang": draft.pk, "khoa": key}).status_code == 400
    assert client.post(url, {"trang": "abc", "khoa": key}).status_code == 400
    assert client.post("/diem-ho-tro/khong-co/phat/",
                       {"trang": bulletin.pk, "khoa": key}).status_code == 404
    assert client.get(url).status_code == 405
    from programme.results import kiosk_figures

    [figures] = kiosk_figures([province.district_a.pk], THIS_YEAR)
    assert figures["plays"] == 2 and figures["last_contact"] is not None


def test_only_the_support_points_own_kiosk_can_report_plays(client, province):
    """Anyone who knows a commune's kiosk code (it is in the kiosk's address) could add plays
    and fake the support point's last contact: a report needs the key issued to that kiosk,
    and a new key makes the old one useless."""
    bulletin = _bulletin(province.district_a.section_page, "Bản tin kiosk")
    commune = apps.get_model("organisations.Area").objects.create(
        name="Thụy Hùng", level="commune", code="20-CL-TH", parent=province.district_a.area)
    point = SupportPoint.objects.create(commune=commune, organisation=province.district_a,
                                        kiosk_code="thuy-hung", condition="good")
    url = "/diem-ho-tro/thuy-hung/phat/"
    no_key = client.post(url, {"trang": bulletin.pk})
    assert no_key.status_code == 403 and "khóa" in no_key.content.decode()
    old = point.issue_kiosk_key()
    for wrong in ("", "sai-khoa", old[:-1], "x" * 5000):
        assert client.post(url, {"trang": bulletin.pk, "khoa": wrong}).status_code == 403
    new = point.issue_kiosk_key()
    assert client.post(url, {"trang": bulletin.pk, "khoa": old}).status_code == 403
    # One kiosk's key opens no other support point.
    other = SupportPoint.objects.create(commune=commune, organisation=province.district_a,
                                        kiosk_code="thuy-hung-2", condition="good")
    other.issue_kiosk_key()
    assert client.post("/diem-ho-tro/thuy-hung-2/phat/",
                       {"trang": bulletin.pk, "khoa": new}).status_code == 403
    assert not KioskPlay.objects.exists()
    point.refresh_from_db()
    assert point.kiosk_last_contact is None and point.kiosk_key_hash != new
    assert client.post(url, {"trang": bulletin.pk, "khoa": new}).status_code == 204


def test_video_line_counts_live_videos(plans, province, media_files):
    from tests.cms.helpers import media_item

    provincial, _district = plans
    clip = media_item(media_files.video(), "Clip")
    add_product(province.department.section_page, VideoPage, title="Clip", video=clip,
                live=False)
    assert _by_content(provincial)["Video clip"].actual == 0
