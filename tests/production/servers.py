"""nginx run as our own process on a loopback port, with the test nginx configuration of
tests/stations (the production server block inside it)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
from pathlib import Path

from tests.media_pipeline.workers import wait_for
from tests.stations.test_nginx import CONF


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


class Nginx:
    def __init__(self, folder: Path, server: str, port: int):
        assert shutil.which("nginx"), "nginx is missing: scripts/install-system-packages"
        folder.mkdir(parents=True, exist_ok=True)
        conf = folder / "nginx.conf"
        # As root, nginx would drop its workers to "nobody"; run them as ourselves.
        user = "user root;" if os.geteuid() == 0 else ""
        conf.write_text(CONF.format(tmp=folder, user=user, server=server))
        self.proc = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(folder)],
                                     stderr=(folder / "stderr.log").open("w"))
        wait_for(lambda: listening(port), timeout=20)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGQUIT)
        self.proc.wait(timeout=10)
