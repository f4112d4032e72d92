"""``python -m bench NAME [ARGS...]`` imports ``bench.NAME`` and calls its ``main()``;
without a name it lists the benchmarks."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def available() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)])
                  if not m.name.startswith("_") and m.name != "common")


def run(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python -m bench NAME [ARGS...]\nbenchmarks: " + ", ".join(available()))
        return 0
    name, rest = argv[0], argv[1:]
    module = importlib.import_module(f"bench.{name}")
    sys.argv = [f"bench {name}", *rest]
    return module.main() or 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
