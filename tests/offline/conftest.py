import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from cms.products.models import BulletinPage
from tests.elibrary import demo_like
from tests.elibrary.factories import add_product, enable_languages, section_in

# kiwix-serve listens in this helper range (tests run without -n here; one server a test)
KIWIX_PORTS = range(20610, 20640)
TAY_TITLE = "Bảo vệ cột mốc biên giới Khau Phạ"
TAY_TEXT = ("Đồng bào các dân tộc bản Khau Phạ chung tay bảo vệ cột mốc, giữ gìn đường biên "
            "giới hòa bình, hữu nghị.")


@dataclass
class TayLibrary:
    library: demo_like.DemoLibrary
    bulletin: BulletinPage
    draft: BulletinPage
    topic_name: str


@pytest.fixture(scope="session")
def offline_sources(tmp_path_factory) -> demo_like.SourceFiles:
    return demo_like.make_source_files(tmp_path_factory.mktemp("offline-sources"), covers=4)


@pytest.fixture
def tay_library(province, settings, offline_sources, tmp_path) -> TayLibrary:
    """The demo-like e-library plus a live Tày bulletin with a phone rendition of its
    recording, and a Tày draft."""
    settings.LOA_MEDIA_ENQUEUE_ON_SAVE = False
    enable_languages(settings)
    library = demo_like.build(province, offline_sources)
    section = section_in(province.department.section_page, "tyz")
    audio = demo_like.stored_media(offline_sources.speech[0], "Bản tin tiếng Tày")
    demo_like.ready_rendition(audio, "phone-audio", Path(audio.file.path), tmp_path / "tay.ogg",
                              ["-c:a", "libopus", "-b:a", "24k", "-ac", "1"], "audio/ogg")
    topic = library.topics[0]
    bulletin = add_product(section, BulletinPage, title=TAY_TITLE, text=TAY_TEXT, audio=audio,
                           topics=[topic])
    draft = add_product(section, BulletinPage, title="Bản nháp Tày chưa duyệt Pò Mã",
                        text="Chưa được duyệt.", live=False)
    return TayLibrary(library, bulletin, draft, topic.name)


def free_port() -> int:
    for port in KIWIX_PORTS:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port for kiwix-serve")


@pytest.fixture
def kiwix_serve():
    """Start Debian's kiwix-serve on a ZIM file; yields a function returning its base URL."""
    processes: list[subprocess.Popen] = []

    def serve(zim_file: Path) -> str:
        port = free_port()
        process = subprocess.Popen([shutil.which("kiwix-serve"), "--address=127.0.0.1",
                                    f"--port={port}", str(zim_file)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(process)
        for _attempt in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return f"http://127.0.0.1:{port}"
            time.sleep(0.1)
        raise RuntimeError("kiwix-serve did not start")

    yield serve
    for process in processes:
        process.terminate()
        process.wait(timeout=10)
