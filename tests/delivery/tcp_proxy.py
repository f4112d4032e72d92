"""A loopback TCP proxy in front of the S3 server that can cut connections: after a number
of bytes from the client, or every connection while it is "down". It also notes the HTTP
request lines it forwards, so tests can see which parts were (re)sent."""

from __future__ import annotations

import contextlib
import re
import socket
import threading

REQUEST_LINE = re.compile(rb"(GET|PUT|POST|DELETE|HEAD) (\S+) HTTP/1\.1\r\n")


class CuttingProxy:
    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.cut_after: int | None = None
        self.forwarded = 0
        self.down = False
        self.cuts = 0
        self.stay_down_after_cut = True
        self.requests: list[tuple[str, str]] = []
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cut_after_bytes(self, count: int, *, stay_down: bool) -> None:
        with self.lock:
            self.cut_after, self.forwarded, self.stay_down_after_cut = count, 0, stay_down

    def heal(self) -> None:
        with self.lock:
            self.cut_after, self.down = None, False

    def part_numbers(self, method: str = "PUT") -> list[int]:
        return [int(m.group(1)) for verb, target in self.requests if verb == method
                for m in [re.search(r"partNumber=(\d+)", target)] if m]

    def close(self) -> None:
        self._closed = True
        self.listener.close()

    # --- plumbing ------------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _addr = self.listener.accept()
            except OSError:
                return
            if self.down:
                client.close()
                continue
            upstream = socket.create_connection(self.upstream)
            pair = (client, upstream)
            threading.Thread(target=self._pipe, args=(client, upstream, pair, True),
                             daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, pair, False),
                             daemon=True).start()

    def _pipe(self, src, dst, pair, from_client: bool) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if from_client:
                    for match in REQUEST_LINE.finditer(data):
                        self.requests.append((match.group(1).decode(), match.group(2).decode()))
                    if self._should_cut(len(data)):
                        break
                elif self.down:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in pair:
                with contextlib.suppress(OSError):  # the other side may be gone already
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def _should_cut(self, size: int) -> bool:
        with self.lock:
            if self.down:
                return True
            if self.cut_after is None:
                return False
            self.forwarded += size
            if self.forwarded < self.cut_after:
                return False
            self.cuts += 1
            self.cut_after = None
            self.down = self.stay_down_after_cut
            return True
