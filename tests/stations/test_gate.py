"""The station gate's bare WSGI question (what gunicorn answers for nginx's auth_request):
yes with the file for a station's live bulletin, and "ask the view" as soon as anything
that decides it changes — the key, publication, privacy, the page itself, its rendition —
although each process keeps its answers for the bulletins between questions. It keeps its
thread's database connection instead of opening one per question."""

from __future__ import annotations

import pytest
from django.db import connection
from wagtail.models import PageViewRestriction

from media_pipeline.models import Rendition
from stations.gate import wsgi_gate

from .test_downloads import download_path


def ask(path: str) -> tuple[str, dict]:
    answer = {}

    def start_response(status, headers):
        answer.update(status=status, headers=dict(headers))

    body = wsgi_gate({"PATH_INFO": "/stations/gate", "REQUEST_METHOD": "GET",
                      "HTTP_X_ORIGINAL_URI": path}, start_response)
    assert b"".join(body) == b""
    return answer["status"], answer["headers"]


def passes(path: str) -> bool:
    status, headers = ask(path)
    return status == "200 OK" and "X-Loa-Target" in headers


@pytest.mark.django_db(transaction=True)
def test_the_gate_passes_a_live_bulletin_with_its_file(bulletins, make_station):
    page = bulletins.make("Bản tin cổng")
    station, key = make_station()
    status, headers = ask(download_path(station, page, key=key))
    assert status == "200 OK"
    assert headers["X-Loa-Station"] == str(station.pk)
    assert headers["X-Loa-Bulletin"] == str(page.pk)
    assert headers["X-Loa-Target"].endswith(".mp3")
    assert headers["X-Loa-Repr-Digest"].startswith("sha-256=:")
    assert not passes(download_path(station, page, key="sai-khoa"))
    assert not passes(download_path(station, page))  # no key


@pytest.mark.django_db(transaction=True)
def test_the_gate_refuses_at_once_what_changed(bulletins, make_station):
    pages = [bulletins.make(f"Bản tin {n}") for n in range(4)]
    station, key = make_station()
    paths = [download_path(station, page, key=key) for page in pages]
    assert all(passes(path) for path in paths)

    # a new key: the old one is refused on its next question, the new one passes
    new_key = station.rotate_key()
    assert not passes(paths[0])
    paths = [download_path(station, page, key=new_key) for page in pages]
    assert all(passes(path) for path in paths)

    pages[0].unpublish()
    PageViewRestriction.objects.create(page=pages[1], restriction_type="login")
    pages[2].delete()
    Rendition.objects.filter(source=pages[3].audio, profile="radio-loudspeaker").delete()
    assert [passes(path) for path in paths] == [False, False, False, False]

    pages[0].save_revision().publish()  # published again: passes again
    assert passes(paths[0])
    station.is_active = False
    station.save()
    assert not passes(paths[0])


@pytest.mark.django_db(transaction=True)
def test_the_gate_keeps_its_threads_connection(bulletins, make_station):
    page = bulletins.make("Bản tin kết nối")
    station, key = make_station()
    path = download_path(station, page, key=key)
    assert passes(path)
    kept = connection.connection
    assert kept is not None
    assert passes(path) and passes(path)
    assert connection.connection is kept


@pytest.mark.django_db(transaction=True)
def test_a_dropped_connection_sends_one_question_to_the_view_then_reconnects(
        bulletins, make_station):
    page = bulletins.make("Bản tin mất kết nối")
    station, key = make_station()
    path = download_path(station, page, key=key)
    assert passes(path)
    connection.connection.close()  # as a restarted database server would
    status, _headers = ask(path)
    assert status == "403 Forbidden"  # "ask the view", never an error page
    assert passes(path)
