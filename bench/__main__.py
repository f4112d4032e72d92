"""`python -m bench NAME [args…]` runs the benchmark module bench/NAME.py (its main(argv))."""

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])
                   if not m.name.startswith("_"))
    if len(sys.argv) < 2 or sys.argv[1] not in names:
        sys.exit(f"usage: python -m bench NAME [args]; NAME is one of: {', '.join(names)}")
    importlib.import_module(f"bench.{sys.argv[1]}").main(sys.argv[2:])


main()
