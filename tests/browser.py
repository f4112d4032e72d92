"""Debian's headless Chromium for the browser tests, driven by Playwright (never
``playwright install``)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def launch(driver, *, args: list[str] = FLAGS, fontconfig: Path | None = None):
    """Chromium; with ``fontconfig``, seeing only the fonts that configuration knows."""
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig)} if fontconfig else None
    return driver.chromium.launch(executable_path=CHROMIUM, args=args, env=env)


@contextlib.contextmanager
def first_visit(browser, viewport: dict[str, int]):
    """A tab in a new browser context: nothing cached from an earlier page."""
    context = browser.new_context(viewport=viewport)
    try:
        yield context.new_page()
    finally:
        context.close()
