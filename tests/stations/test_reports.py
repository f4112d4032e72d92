"""Airing reports from a station's page, the department's views in the Wagtail admin, key
management, and the demo stations."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from cms.organisations.models import Level
from demo.stations import DEMO_STATIONS, ensure_demo_stations
from stations.models import AiringReport, Station

pytestmark = pytest.mark.django_db


def fetch_fully(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_station_confirms_an_airing_on_its_page(client, bulletins, make_station):
    page = bulletins.make("Bản tin buổi sáng")
    draft = bulletins.make("Bản tin nháp", live=False)
    station, key = make_station()
    url = f"/stations/{station.pk}/airings/?key={key}"
    form = client.get(url)
    assert form.status_code == 200
    html = form.content.decode()
    assert "Bản tin buổi sáng" in html and "Bản tin nháp" not in html

    data = {"bulletin": page.pk, "aired_on": "2025-03-02", "aired_at": "17:00", "times": 3}
    for _ in range(2):  # sent twice (a double click): still one report
        assert client.post(url, data).status_code == 302
    report = AiringReport.objects.get(station=station)
    assert (report.bulletin_id, report.times, report.source) == (page.pk, 3, "web")
    assert "Đã ghi nhận" in client.get(url).content.decode()

    bad = client.post(url, {**data, "bulletin": draft.pk, "times": 0})
    assert bad.status_code == 200 and AiringReport.objects.count() == 1
    errors = bad.context["form"].errors
    assert "bulletin" in errors and "times" in errors
    assert client.get(f"/stations/{station.pk}/airings/?key=sai").status_code == 403


def test_department_sees_who_fetched_and_aired_and_what_each_station_missed(
        client, users, bulletins, make_station):
    fetched_aired = bulletins.make("Bản tin đã tải và đã phát")
    only_fetched = bulletins.make("Bản tin chỉ mới tải")
    bulletins.make("Bản tin nháp", live=False)
    commune, key = make_station("Đài huyện Cao Lộc")
    make_station("Đài huyện Văn Lãng")
    for page in (fetched_aired, only_fetched):
        fetch_fully(client, f"/stations/{commune.pk}/bulletins/{page.pk}/radio-loudspeaker/"
                            f"x.mp3?key={key}")
    client.post(f"/stations/{commune.pk}/airings/?key={key}",
                {"bulletin": fetched_aired.pk, "aired_on": "2025-03-02", "aired_at": "06:00",
                 "times": 2})

    client.force_login(users.admin)
    by_bulletin = client.get("/admin/stations/reports/bulletins/")
    assert by_bulletin.status_code == 200
    rows = {row.page.title: row for row in by_bulletin.context["rows"]}
    assert set(rows) == {"Bản tin đã tải và đã phát", "Bản tin chỉ mới tải"}
    first = rows["Bản tin đã tải và đã phát"]
    assert [s.name for s in first.fetched] == ["Đài huyện Cao Lộc"]
    assert [(s.name, t) for s, t in first.aired] == [("Đài huyện Cao Lộc", 2)]
    assert [s.name for s in first.missing] == ["Đài huyện Văn Lãng"]
    assert "Đài huyện Cao Lộc (2)" in by_bulletin.content.decode()

    by_station = client.get("/admin/stations/reports/stations/")
    rows = {row.station.name: row for row in by_station.context["rows"]}
    assert [p.title for p in rows["Đài huyện Cao Lộc"].not_aired] == ["Bản tin chỉ mới tải"]
    assert rows["Đài huyện Cao Lộc"].not_fetched == []
    assert len(rows["Đài huyện Văn Lãng"].not_fetched) == 2

    client.force_login(users.editor_a)  # a district editor is not the department
    assert client.get("/admin/stations/reports/stations/").status_code in (302, 403)


def test_admin_and_shell_issue_rotate_and_revoke_a_key_shown_once(client, users, bulletins,
                                                                  make_station):
    bulletins.make("Bản tin")
    station, old_key = make_station()
    client.force_login(users.admin)
    url = f"/admin/stations/{station.pk}/key/"
    page = client.post(url, {"action": "rotate"})
    new_key = re.search(r'class="station-key">([^<]+)<', page.content.decode()).group(1)
    station.refresh_from_db()
    assert new_key not in (old_key, station.key_hash) and station.key_hint == new_key[:6]
    assert new_key not in client.get(url).content.decode()  # shown once only
    feed = f"/stations/{station.pk}/feeds/vi.xml"
    assert client.get(f"{feed}?key={old_key}").status_code == 403
    assert client.get(f"{feed}?key={new_key}").status_code == 200
    client.post(url, {"action": "revoke"})
    assert client.get(f"{feed}?key={new_key}").status_code == 403

    out = StringIO()  # the same from the shell
    call_command("station_key", str(station.pk), stdout=out)
    shell_key = out.getvalue().rsplit(": ", 1)[1].strip()
    assert client.get(f"{feed}?key={shell_key}").status_code == 200
    call_command("station_key", station.name, "--revoke", stdout=StringIO())
    assert client.get(f"{feed}?key={shell_key}").status_code == 403


def test_admin_registers_a_station_with_its_languages(client, users, province):
    from cms.organisations.models import Area

    client.force_login(users.admin)
    area = Area.objects.get(code="20-CL")
    response = client.post("/admin/snippets/stations/station/add/", {
        "name": "Đài huyện Cao Lộc", "level": "district", "area": area.pk,
        "languages": ["vi", "en"], "audio_profile": "radio-provincial",
        "contact_name": "", "contact_phone": "", "contact_email": "", "is_active": "on",
    })
    assert response.status_code == 302, response.context["form"].errors
    station = Station.objects.get(name="Đài huyện Cao Lộc")
    assert station.languages == ["vi", "en"] and not station.has_key
    wrong_level = client.post("/admin/snippets/stations/station/add/", {
        "name": "Đài sai cấp", "level": "commune", "area": area.pk, "languages": ["vi"],
        "audio_profile": "radio-loudspeaker", "is_active": "on",
    })
    assert wrong_level.status_code == 200 and not Station.objects.filter(name="Đài sai cấp")


def test_demo_stations_cover_all_three_levels_and_load_again_without_duplicates(province):
    from cms.organisations.models import Area

    Area.objects.create(name="Đồng Đăng", level=Level.COMMUNE, code="20-CL-01",
                        parent=Area.objects.get(code="20-CL"))
    Area.objects.create(name="Tân Thanh", level=Level.COMMUNE, code="20-VL-01",
                        parent=Area.objects.get(code="20-VL"))
    out = StringIO()
    assert ensure_demo_stations(out) == len(DEMO_STATIONS)
    assert set(Station.objects.values_list("level", flat=True)) == {
        Level.PROVINCE, Level.DISTRICT, Level.COMMUNE}
    assert all(s.has_key for s in Station.objects.all())
    assert out.getvalue().count("?key=") == len(DEMO_STATIONS)
    assert ensure_demo_stations(StringIO()) == 0
    assert Station.objects.count() == len(DEMO_STATIONS)
