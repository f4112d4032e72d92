"""A district's editors see and open only their own district's plans; the province all."""

from __future__ import annotations

import datetime

from django.urls import reverse

from cms.organisations.models import Area, Level
from programme.models import SupportPoint


def _list(client, user, name="plan"):
    client.force_login(user)
    return client.get(reverse(f"wagtailsnippets_programme_{name}:list"))


def test_district_editor_sees_only_its_plan(client, users, plans):
    provincial, district = plans
    page = _list(client, users.editor_a).content.decode()
    assert "12/KH-UBND" in page
    assert "vùng đồng bào DTTS" not in page  # the province's plan (named as parent only)
    other = client.get(reverse("wagtailsnippets_programme_plan:edit", args=[provincial.pk]))
    assert (other.status_code, other.url) == (302, "/admin/")  # Wagtail: "no permission"
    own = client.get(reverse("wagtailsnippets_programme_plan:edit", args=[district.pk]))
    assert own.status_code == 200


def test_other_district_sees_neither(client, users, plans):
    page = _list(client, users.editor_b).content.decode()
    assert "12/KH-UBND" not in page and "157/KH-UBND" not in page


def test_province_sees_all(client, users, plans):
    for user in (users.reviewer, users.provincial_editor, users.admin):
        page = _list(client, user).content.decode()
        assert "12/KH-UBND" in page and "157/KH-UBND" in page


def test_district_may_only_file_support_points_for_itself(client, users, province):
    commune = Area.objects.create(name="Thụy Hùng", level=Level.COMMUNE, code="20-CL-TH",
                                  parent=province.district_a.area)
    client.force_login(users.editor_a)
    url = reverse("wagtailsnippets_programme_supportpoint:add")
    data = {"commune": commune.pk, "organisation": province.district_b.pk, "place": "Nhà văn hóa",
            "tv_inches": 65, "condition": "good", "installed_on": "2026-03-01",
            "other_equipment": "", "kiosk_code": ""}
    refused = client.post(url, data)
    assert refused.status_code == 200  # the form again, with an error
    assert not SupportPoint.objects.exists()
    data["organisation"] = province.district_a.pk
    client.post(url, data)
    point = SupportPoint.objects.get()
    assert point.installed_on == datetime.date(2026, 3, 1)
    assert "Thụy Hùng" in _list(client, users.editor_a, "supportpoint").content.decode()
    assert "Thụy Hùng" not in _list(client, users.editor_b, "supportpoint").content.decode()


def test_finance_officer_enters_budget_executed(client, users, plans):
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from programme.models import BudgetExecution
    from programme.roles import FINANCE_OFFICERS

    provincial, _district = plans
    officer = get_user_model().objects.create_user("ketoan", password="mat-khau-thu")
    officer.groups.set([Group.objects.get(name=FINANCE_OFFICERS)])
    line = provincial.lines.get(kind="video", year=provincial.first_year)
    client.force_login(officer)
    url = reverse("wagtailsnippets_programme_budgetexecution:add")
    form = client.get(url).content.decode()
    assert f"157/KH-UBND · Video clip ({provincial.first_year})" in form
    client.post(url, {"line": line.pk, "date": "2026-06-30", "central": "433.4", "local": "0",
                      "note": ""})
    assert [e.central for e in BudgetExecution.objects.all()] == [Decimal("433.400")]
    client.force_login(users.editor_a)  # districts see the money, never enter it
    assert client.get(url).status_code == 302


def test_only_the_support_points_district_issues_its_kiosk_key(client, users, province):
    commune = Area.objects.create(name="Đồng Đăng", level=Level.COMMUNE, code="20-CL-DD",
                                  parent=province.district_a.area)
    point = SupportPoint.objects.create(commune=commune, organisation=province.district_a,
                                        kiosk_code="dong-dang", condition="good")
    url = reverse("programme_kiosk_key", args=[point.pk])
    client.force_login(users.editor_b)
    assert client.post(url, {"action": "issue"}).status_code == 404
    point.refresh_from_db()
    assert not point.kiosk_key_hash
    client.force_login(users.editor_a)
    listing = client.get(reverse("wagtailsnippets_programme_supportpoint:list")).content
    assert url.encode() in listing  # the "Khóa máy kiosk" button on its row
    page = client.post(url, {"action": "issue"}).content.decode()
    key = page.split("#khoa=", 1)[1].split("<", 1)[0]
    point.refresh_from_db()
    assert point.kiosk_key_matches(key)
    assert key not in client.get(url).content.decode()  # shown once
