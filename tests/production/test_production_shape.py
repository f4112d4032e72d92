"""The deployment README describes, on loopback, end to end: gunicorn with
``cms.settings.production`` (config ``cms/gunicorn.conf.py``), nginx in front with the server
block ``manage.py nginx_site`` prints (X-Accel-Redirect, media fetched from the bucket),
the database of the run (PostgreSQL in the PostgreSQL run of the suite), media and the
Ministry's store on S3 (moto's server) and two ``db_worker`` processes.

Every step goes through nginx as its user would: an editor uploads a recording and submits
a bulletin, a reviewer approves, visitors, a radio station and the Ministry's harvester see
it, the reviewer unpublishes it and they no longer do.

Search runs on the database backend; set ``LOA_TEST_SEARCH_URL`` to an Elasticsearch or
OpenSearch node and the same test runs on it (production's one setting, OPENSEARCH_URL)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest
import requests
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from tests.media_pipeline.workers import ROOT, manage, wait_for

from .conftest import CREDENTIALS
from .servers import Nginx, free_port

# The installation is cloned from the migrated test database (see tests/migrated_copy.py).
pytestmark = pytest.mark.django_db

SETUP = """
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from cms.organisations.models import Area, Level, Organisation
from cms.organisations.provisioning import PROVINCIAL_EDITORS, REVIEWERS, setup_province
from stations.models import Station
call_command("collectstatic", "--no-input", verbosity=0)
area = Area.objects.create(name="Lạng Sơn", level=Level.PROVINCE, code="20")
dept = Organisation.objects.create(name="Sở TTTT Lạng Sơn", short_name="Sở TTTT", area=area)
setup_province("Loa – Lạng Sơn")
dept.refresh_from_db()
users = get_user_model().objects
users.create_user("bien_tap", password="mat-khau-bien-tap").groups.set(
    [Group.objects.get(name=PROVINCIAL_EDITORS)])
users.create_user("duyet", password="mat-khau-duyet").groups.set(
    [Group.objects.get(name=REVIEWERS)])
station = Station.objects.create(name="Đài truyền thanh xã Đồng Đăng", level=Level.PROVINCE,
                                 area=area, languages=["vi"], audio_profile="radio-loudspeaker")
print(json.dumps({"station": station.pk, "key": station.rotate_key(),
                  "section": dept.section_page.pk, "collection": dept.collection_id}))
"""
TITLE = "Bản tin Đồng Đăng: mùa hồng chín"
SEARCH = "mua hong chin"  # as villagers type it: no tones


@dataclass
class Production:
    url: str
    env: dict
    db: object
    media_bucket: str
    delivery_bucket: str
    s3: object
    station: int
    key: str
    section: int
    collection: int  # the department's: where its editors' files go


def production_env(database_url: str, tmp: Path, s3_endpoint: str) -> dict:
    env = {**os.environ, **CREDENTIALS,
           "DJANGO_SETTINGS_MODULE": "cms.settings.production",
           "DJANGO_SECRET_KEY": "thu-nghiem-khong-bi-mat", "DATABASE_URL": database_url,
           "LOA_VAR_DIR": str(tmp / "var"), "LOA_STATIC_ROOT": str(tmp / "static"),
           "LOA_ALLOWED_HOSTS": "127.0.0.1,localhost", "LOA_SSL_REDIRECT": "0",
           "LOA_HSTS_SECONDS": "0", "LOA_LANGUAGES": "vi,en",
           "LOA_S3_BUCKET": "loa-media", "LOA_S3_ENDPOINT_URL": s3_endpoint,
           "LOA_S3_REGION": "us-east-1", "LOA_S3_ACCESS_KEY_ID": "thu-nghiem",
           "LOA_S3_SECRET_ACCESS_KEY": "thu-nghiem", "LOA_MEDIA_SERVE_METHOD": "nginx",
           "LOA_DELIVERY_ENDPOINT_URL": s3_endpoint, "LOA_DELIVERY_BUCKET": "bo-tttt",
           "LOA_DELIVERY_ACCESS_KEY_ID": "thu-nghiem",
           "LOA_DELIVERY_SECRET_ACCESS_KEY": "thu-nghiem",
           # the search engine: one setting (the database backend when empty)
           "OPENSEARCH_URL": os.environ.get("LOA_TEST_SEARCH_URL", ""),
           # an index of its own, created by the installation's first write (no update_index)
           "LOA_SEARCH_INDEX": f"loa_san_xuat_{uuid.uuid4().hex[:8]}",
           "LOA_WEB_WORKERS": "2", "LOA_WEB_THREADS": "4",
           # nginx's station gate: its download log (it asks on every request, as in
           # production, so the unpublished bulletin is refused at once)
           "LOA_STATION_DOWNLOAD_LOG": str(tmp / "nginx" / "loa-downloads.log"),
           "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("LOA_MEDIA_ROOT", None)
    return env


@pytest.fixture
def production(new_installation, s3, tmp_path):
    site = new_installation("san-xuat", migrated=True)
    s3.bucket("loa-media")
    s3.bucket("bo-tttt")
    env = production_env(site.database.url, tmp_path, s3.endpoint)
    made = json.loads(manage(env, "shell", "-c", SETUP).stdout.strip().splitlines()[-1])
    app_port, web_port = free_port(), free_port()
    procs = [subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "cms/gunicorn.conf.py", "cms.wsgi"],
        cwd=ROOT, env={**env, "LOA_WEB_BIND": f"127.0.0.1:{app_port}"},
        stdout=(tmp_path / "gunicorn.log").open("w"), stderr=subprocess.STDOUT)]
    for n in range(2):
        procs.append(subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--interval",
             "0.2", "--no-startup-delay", "--no-reload"], cwd=ROOT, env=env,
            stdout=(tmp_path / f"worker-{n}.log").open("w"), stderr=subprocess.STDOUT))
    server = manage(env, "nginx_site", "--listen", f"127.0.0.1:{web_port}", "--upstream",
                    f"127.0.0.1:{app_port}").stdout
    nginx = Nginx(tmp_path / "nginx", server, web_port)
    try:
        wait_for_http(f"http://127.0.0.1:{web_port}/")
        yield Production(f"http://127.0.0.1:{web_port}", env, site.database, "loa-media",
                         "bo-tttt", s3, made["station"], made["key"], made["section"],
                         made["collection"])
    finally:
        nginx.stop()
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def wait_for_http(url: str) -> None:
    def answers():
        """the site to answer through nginx"""
        try:
            return requests.get(url, timeout=5).status_code == 200
        except requests.RequestException:
            return False

    wait_for(answers, timeout=120, interval=0.3)


class Browser:
    """A person at a browser: cookies kept by hand, since production marks them Secure and
    this loopback site is plain HTTP (TLS ends at the province's real front door)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   **kwargs.pop("headers", {})}
        response = requests.request(method, self.base + path, headers=headers, timeout=60,
                                    allow_redirects=False, **kwargs)
        self.cookies.update(response.cookies.get_dict())
        return response

    def post_form(self, path: str, data: dict, files=None) -> requests.Response:
        self.request("GET", path)
        data = {**data, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        return self.request("POST", path, data=data, files=files,
                            headers={"Referer": self.base + path})

    def login(self, username: str, password: str) -> None:
        response = self.post_form("/admin/login/", {"username": username,
                                                    "password": password})
        assert response.status_code == 302, response.text[:500]


def page_form(title: str, audio: int) -> dict:
    return nested_form_data({
        "title": title, "slug": "mua-hong-chin", "summary": "Bà con Đồng Đăng thu hoạch hồng.",
        "production_year": 2026, "funding_line": "p10-1", "rights": "CC BY 4.0",
        "body": streamfield([("paragraph", rich_text("<p>Mùa hồng chín ở Đồng Đăng.</p>"))]),
        "topics": [], "audio": audio, "action-submit": "action-submit"})


def test_a_bulletin_from_upload_to_withdrawal_in_the_production_shape(production, hostile):
    site, db = production, production.db
    editor, reviewer, visitor = Browser(site.url), Browser(site.url), Browser(site.url)

    # The editor uploads a recording; the two workers make its renditions, once.
    editor.login("bien_tap", "mat-khau-bien-tap")
    recording = hostile.mp3("mua hong.mp3", seconds=3)
    with recording.open("rb") as fh:
        uploaded = editor.post_form("/admin/snippets/media_pipeline/mediaitem/add/",
                                    {"title": "Âm thanh mùa hồng",
                                     "collection": site.collection}, files={"file": fh})
    assert uploaded.status_code == 302, uploaded.text[-2000:]
    (item_id,) = [row[0] for row in db.query("SELECT id FROM media_pipeline_mediaitem")]

    def job_done():
        """the conversion job to finish"""
        rows = db.query("SELECT state, attempts FROM media_pipeline_mediajob WHERE item_id = ?",
                        item_id)
        return rows if rows and rows[0][0] in ("succeeded", "failed") else None

    assert wait_for(job_done, timeout=300, interval=0.3) == [("succeeded", 1)]
    renditions = db.query("SELECT profile, file, sha256 FROM media_pipeline_rendition WHERE "
                          "source_id = ? AND state = 'ready'", item_id)
    assert len(renditions) == len({r[0] for r in renditions}) == 6
    stored = {o["Key"] for o in site.s3.client().list_objects_v2(
        Bucket=site.media_bucket, Prefix=f"media/renditions/{item_id}/").get("Contents", [])}
    assert stored == {r[1] for r in renditions}  # one file a rendition: none made twice
    tasks = db.query("SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = ?",
                     "media_pipeline.tasks.make_renditions")
    assert tasks == [("SUCCESSFUL",)]

    # The editor writes the bulletin and submits it; the reviewer approves it.
    submitted = editor.post_form(f"/admin/pages/add/products/bulletinpage/{site.section}/",
                                 page_form(TITLE, item_id))
    assert submitted.status_code == 302, submitted.text[-2000:]
    ((page_id, live),) = db.query("SELECT id, live FROM wagtailcore_page WHERE title = ?", TITLE)
    assert not live
    ((task_state,),) = db.query(
        "SELECT t.id FROM wagtailcore_taskstate t JOIN wagtailcore_workflowstate w ON "
        "t.workflow_state_id = w.id WHERE w.object_id = ? AND t.status = 'in_progress'",
        str(page_id))
    reviewer.login("duyet", "mat-khau-duyet")
    approved = reviewer.post_form(f"/admin/pages/workflow/action/{page_id}/approve/{task_state}/",
                                  {"comment": "Đạt"})
    assert approved.status_code in (200, 302), approved.text[-1000:]
    assert db.query("SELECT live FROM wagtailcore_page WHERE id = ?", page_id) == [(True,)]

    # Live: on its page, in search, in the station's feed.
    page_url = "/" + "/".join(db.query(
        "SELECT url_path FROM wagtailcore_page WHERE id = ?", page_id)[0][0].strip("/")
        .split("/")[1:]) + "/"
    assert TITLE in visitor.request("GET", page_url).text

    def found_by_search():
        """the search page to find it (the index job runs in a worker)"""
        found = visitor.request("GET", "/tim-kiem/", params={"q": SEARCH})
        assert found.status_code == 200
        return TITLE in found.text

    assert wait_for(found_by_search, timeout=60, interval=0.5)
    feed_path = f"/stations/{site.station}/feeds/vi.xml?key={site.key}"
    feed = feedparser.parse(visitor.request("GET", feed_path).content)
    (entry,) = [e for e in feed.entries if e.title == TITLE]
    enclosure = entry.enclosures[0]
    download = "/" + enclosure.href.split("/", 3)[3]

    # The station downloads through nginx (from the bucket), the line drops, it resumes.
    loudspeaker = next(r for r in renditions if r[0] == "radio-loudspeaker")
    whole = visitor.request("GET", download)
    assert whole.status_code == 200 and hashlib.sha256(whole.content).hexdigest() == \
        loudspeaker[2]
    rest = visitor.request("GET", download, headers={"Range": "bytes=4000-"})
    assert rest.status_code == 206 and rest.content == whole.content[4000:]
    assert "X-Accel-Redirect" not in rest.headers
    assert visitor.request("GET", download.replace(site.key, "sai-khoa")).status_code == 403
    # nginx logged both requests; read into the download log (twice: nothing doubles).
    manage(site.env, "ingest_downloads")
    manage(site.env, "ingest_downloads")
    assert db.query("SELECT range_start, complete FROM stations_downloadlog "
                    "ORDER BY range_start") == [(0, True), (4000, True)]

    # Delivered to the Ministry as a bag, and listed by OAI-PMH.
    def delivered():
        """the bag to reach the Ministry's bucket"""
        return db.query("SELECT identifier, key FROM delivery_deliveryrecord "
                        "WHERE state = 'delivered' AND kind = 'package'")

    ((identifier, bag_key),) = wait_for(delivered, timeout=240, interval=0.5)
    ministry = {o["Key"] for o in site.s3.client().list_objects_v2(
        Bucket=site.delivery_bucket).get("Contents", [])}
    assert bag_key in ministry and bag_key.endswith(".tar")
    oai = visitor.request("GET", "/oai/", params={"verb": "ListIdentifiers",
                                                  "metadataPrefix": "oai_dc"}).text
    assert identifier in oai and 'status="deleted"' not in oai

    # The reviewer unpublishes it: gone from the page, search, the feed; OAI says deleted.
    unpublished = reviewer.post_form(f"/admin/pages/{page_id}/unpublish/", {})
    assert unpublished.status_code == 302, unpublished.text[-1000:]
    assert visitor.request("GET", page_url).status_code == 404

    def gone_from_search():
        """the worker's index job to take it out of the engine"""
        return TITLE not in visitor.request("GET", "/tim-kiem/", params={"q": SEARCH}).text

    # the station's next request, through nginx and the gate, is refused at once
    assert visitor.request("GET", download).status_code == 404
    assert wait_for(gone_from_search, timeout=60, interval=0.5)
    assert TITLE not in visitor.request("GET", feed_path).text
    oai = visitor.request("GET", "/oai/", params={"verb": "ListIdentifiers",
                                                  "metadataPrefix": "oai_dc"}).text
    assert re.search(r'<(\w+:)?header status="deleted">\s*<(\w+:)?identifier>[^<]*'
                     + re.escape(identifier), oai), oai
