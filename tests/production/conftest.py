"""Production-shape fixtures: S3 stood in for by moto's real HTTP server on loopback, new
empty installations (a database with no tables, an empty media folder or bucket) driven
through real ``manage.py`` processes, and the demo-like content of the other test packages."""

from __future__ import annotations

import json
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.elibrary.conftest import source_files  # noqa: F401  (fixture)
from tests.media_pipeline.conftest import hostile  # noqa: F401  (fixture)
from tests.media_pipeline.workers import WorkerDatabase, environment, manage, start_worker
from tests.stations.conftest import encoded_audio, make_station  # noqa: F401  (fixtures)

from .summary import SCRIPT

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "thu-nghiem", "AWS_SECRET_ACCESS_KEY": "thu-nghiem",
               "AWS_DEFAULT_REGION": "us-east-1"}


@dataclass
class S3:
    endpoint: str

    def client(self):
        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1")

    def bucket(self, name: str) -> str:
        self.client().create_bucket(Bucket=name)
        return name

    def storage(self, bucket: str) -> dict:
        """Django's STORAGES entry for media in ``bucket`` (as production configures it)."""
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": bucket, "endpoint_url": self.endpoint, "region_name": "us-east-1",
            "access_key": "thu-nghiem", "secret_key": "thu-nghiem", "default_acl": "private",
            "querystring_auth": True, "querystring_expire": 600, "file_overwrite": False}}


@pytest.fixture
def s3(monkeypatch):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    yield S3(f"http://{host}:{port}")
    server.stop()


@dataclass
class Installation:
    """An installation run by subprocesses (``manage.py`` commands, ``db_worker``): its
database and its media."""

    database: WorkerDatabase
    media_root: Path
    extra: dict = field(default_factory=dict)
    workers: list = field(default_factory=list)

    @property
    def env(self) -> dict:
        return environment(self.database, self.media_root, **CREDENTIALS, **self.extra)

    def manage(self, *args: str, check: bool = True, env: dict | None = None):
        return manage({**self.env, **(env or {})}, *args, check=check)

    def start_worker(self, log: Path):
        self.workers.append(start_worker(self.env, log))
        return self.workers[-1]

    def stop_workers(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.workers:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()

    def summary(self, keys: dict[str, str]) -> dict:
        done = manage({**self.env, "LOA_TEST_KEYS": json.dumps(keys)}, "shell", "-c", SCRIPT)
        return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def new_installation(tmp_path, django_db_setup, django_db_blocker):
    made: list[Installation] = []

    def make(name: str = "moi", *, migrated: bool = False, **extra: str) -> Installation:
        """``migrated``: a running installation's database (migrated, no content) instead
        of an empty one."""
        folder = tmp_path / name
        folder.mkdir()
        with django_db_blocker.unblock():
            database = WorkerDatabase(folder, empty=not migrated)
        made.append(Installation(database, folder / "media", extra))
        return made[-1]

    yield make
    for installation in made:
        installation.stop_workers()
        installation.database.drop()


@pytest.fixture(autouse=True)
def _no_pipeline_jobs_on_save(settings):
    """Content made in the test process gets the renditions the test gives it by hand; the
    pipeline's own jobs run in the real workers these tests start."""
    settings.LOA_MEDIA_ENQUEUE_ON_SAVE = False
