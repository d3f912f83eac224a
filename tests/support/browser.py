"""Headless Chromium for the tests: where it is, how it is launched, a tab that records errors.

Where Chromium or Playwright is missing the browser tests skip, saying how to install them;
under CI (the ``CI`` environment variable, which the CI runner sets) they fail instead.
The ``browser`` fixture (tests/conftest.py) launches it once per module.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, NoReturn

from support.processes import unavailable

CHROMIUM_FLAGS = [
    # What this sandbox needs (root, no GPU), and no calls home: the network is closed.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
INSTALL = (
    "install Debian's Chromium (apt-get install chromium chromium-driver) and the test "
    "extra (pip install -e '.[test]', which brings playwright); .ci/run does both"
)


def missing(reason: str) -> NoReturn:
    """Skip, or fail under CI, where the browser cannot run."""
    unavailable(f"{reason}: {INSTALL}")


def chromium_path() -> str:
    for candidate in (
        os.environ.get("IPRKG_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    missing("Chromium not found (looked for /usr/bin/chromium and chromium on PATH)")


class Tab:
    """A page in a fresh context that records console errors and uncaught exceptions."""

    def __init__(self, browser: Any, viewport: dict[str, int]) -> None:
        self.context = browser.new_context(viewport=viewport, locale="nb-NO")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on(
            "console",
            lambda message: (
                self.errors.append(f"console: {message.text}") if message.type == "error" else None
            ),
        )
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on(
            "response",
            lambda response: (
                self.errors.append(f"HTTP {response.status}: {response.url}")
                if response.status >= 400
                else None
            ),
        )

    def close(self) -> None:
        self.context.close()
