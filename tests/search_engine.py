"""The search node for the tests: the one `make test` started (LOA_TEST_SEARCH_URL), or one
this test process starts with scripts/search-node (and stops at its end). Never skipped: a
node that cannot start fails the tests that need it, with the node's log."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "search-node"


@contextmanager
def search_node() -> Iterator[str]:
    url = os.environ.get("LOA_TEST_SEARCH_URL", "")
    if url:
        yield url
        return
    # One node per pytest-xdist worker, on ports and in a folder of its own.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or "0"
    base = int(os.environ.get("LOA_TEST_SEARCH_PORT", "9250"))
    env = {**os.environ, "LOA_TEST_SEARCH_PORT": str(base + 10 * int(worker)),
           "LOA_TEST_SEARCH_DIR": f"/tmp/loa-search-{worker}-{os.getpid()}"}
    started = subprocess.run([str(SCRIPT), "start"], env=env, capture_output=True, text=True)
    if started.returncode != 0:
        raise RuntimeError(f"the search node did not start:\n{started.stderr}")
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run([str(SCRIPT), "stop"], env=env, check=False)


def engine_settings(url: str) -> tuple[dict, str]:
    """``WAGTAILSEARCH_BACKENDS`` with the engine as the public backend, on indexes of this
    test's own (a prefix no other test or run shares), and that prefix."""
    from search.config import search_backends

    prefix = f"loa_test_{uuid.uuid4().hex[:10]}_"
    return search_backends(url, index_prefix=prefix), prefix


def refresh(backend_name: str) -> None:
    """Make what was just indexed searchable (the engine refreshes about once a second)."""
    if backend_name == "engine":
        from search.public import public_backend

        public_backend().refresh_indexes()
