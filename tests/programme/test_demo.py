"""The demo province has a plan shaped like Sóc Trăng's appendices, and the dashboard and
the report show figures on first start."""

from __future__ import annotations

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from programme.models import Plan, PlanLine, SupportPoint, TrainingSession


def test_demo_programme_loads_twice_and_fills_the_dashboard(db):
    call_command("load_demo", per_kind=1, no_passwords=True, stdout=StringIO())
    counts = (Plan.objects.count(), PlanLine.objects.count(), TrainingSession.objects.count(),
              SupportPoint.objects.count())
    assert counts == (2, 8 * 3 + 3, 2, 3)
    call_command("load_demo", per_kind=0, no_passwords=True, stdout=StringIO())
    assert (Plan.objects.count(), PlanLine.objects.count(), TrainingSession.objects.count(),
            SupportPoint.objects.count()) == counts
    year = timezone.localdate().year
    bulletins = PlanLine.objects.get(plan__decision_number="157/KH-UBND", kind="bulletin",
                                     year=year)
    assert (bulletins.quantity, str(bulletins.budget_central)) == (160, "403.305")
    client = Client()
    client.force_login(get_user_model().objects.get(username="duyet"))  # a reviewer
    html = client.get("/admin/").content.decode()
    assert f"Tiến độ kế hoạch năm {year}" in html
    assert 'aria-label="Bồi dưỡng, tập huấn kiến thức, nghiệp vụ thông tin đối ngoại"' in html
    assert "Hạn báo cáo tiếp theo" in html
    plan = Plan.objects.get(decision_number="157/KH-UBND")
    pdf = client.get(f"/admin/programme/plans/{plan.pk}/results.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
