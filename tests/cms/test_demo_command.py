"""The demo province loads, and loads again without errors or duplicates."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client
from wagtail.models import Page

from cms.organisations.models import Area, Organisation
from cms.products.models import PRODUCT_MODELS, ProductPage, Topic
from media_pipeline.models import MediaItem


def counts() -> dict:
    return {
        "pages": Page.objects.count(),
        "media": MediaItem.objects.count(),
        "orgs": Organisation.objects.count(),
        "areas": Area.objects.count(),
        "topics": Topic.objects.count(),
        "users": get_user_model().objects.count(),
    }


def test_demo_loads_twice_without_duplicates(db):
    out = StringIO()
    call_command("load_demo", per_kind=2, stdout=out)
    first = counts()
    text = out.getvalue()
    # every role's user is printed with a password
    for username in ("admin", "bientap.tinh", "bientap.caoloc", "duyet"):
        assert username in text
    assert {model.__name__ for model in PRODUCT_MODELS} == {
        type(p).__name__ for p in ProductPage.objects.specific()
    }
    assert all(
        model.objects.filter(locale__language_code="vi").count() == 2 for model in PRODUCT_MODELS
    )
    assert MediaItem.objects.filter(kind="audio", duration__gt=1).exists()
    assert MediaItem.objects.filter(kind="video", width=640).exists()

    call_command("load_demo", per_kind=2, stdout=StringIO())
    assert counts() == first

    # the demo is a living site: home page lists published products
    home = Client().get("/")
    assert home.status_code == 200
    live = ProductPage.objects.live().first()
    assert live.title in Client().get("/thu-vien/").content.decode()


def test_demo_users_can_log_in_with_printed_passwords(db):
    out = StringIO()
    call_command("load_demo", per_kind=0, stdout=out)
    line = next(row for row in out.getvalue().splitlines() if row.strip().startswith("duyet"))
    username, password = line.split()[:2]
    client = Client()
    assert client.login(request=HttpRequest(), username=username, password=password)
    assert client.get("/admin/").status_code == 200


def test_make_runs_summary_lists_users_and_station_keys_that_work(db, tmp_path):
    """What `make run` shows at the end (load_demo --summary-file): a password that logs in
    and a station key that opens its feed, also after loading again."""
    summary = tmp_path / "demo.txt"
    call_command("load_demo", per_kind=0, summary_file=str(summary), stdout=StringIO())
    call_command("load_demo", per_kind=0, summary_file=str(summary), stdout=StringIO())
    lines = summary.read_text(encoding="utf-8").splitlines()
    username, password = next(r for r in lines if r.strip().startswith("duyet")).split()[:2]
    assert Client().login(request=HttpRequest(), username=username, password=password)
    feed = next(r for r in lines if "nguồn tin:" in r).split("nguồn tin:")[1].strip()
    path = feed.split("://", 1)[1].split("/", 1)[1]
    assert Client().get("/" + path).status_code == 200
    # The demo kiosk's set-up address opens the kiosk and carries the key its reports need.
    from programme.models import SupportPoint

    setup = next(r for r in lines if "Kiosk «" in r).split(": ", 1)[1].strip()
    kiosk_path, key = setup.split("://", 1)[1].split("/", 1)[1].split("#khoa=")
    assert Client().get("/" + kiosk_path).status_code == 200
    assert SupportPoint.objects.get(kiosk_code="dong-dang").kiosk_key_matches(key)
