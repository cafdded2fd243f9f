"""Browser fixtures: Debian Chromium through Playwright, and a loopback server for a book."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def need_chromium() -> None:
    """Skip locally without Debian chromium; under CI its absence is an error."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError("CI must install Debian chromium (see .ci/run)")
        pytest.skip("Debian chromium is not installed", allow_module_level=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a folder over 127.0.0.1 on a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# searchtools.js puts pulsing dots in the results heading and replaces the heading's text when
# the search is done.
SEARCH_DONE = """() => {
  const heading = document.querySelector("#search-results > h2");
  return heading !== null && heading.querySelector("span") === null;
}"""


# Every wait in a browser test is on an explicit condition; this is how long one may take
# before the test fails (Playwright's default is 30 s, which a busy machine exceeded once).
WAIT_MS = 120_000


class _Patient:
    """A Playwright browser whose new pages and contexts wait ``WAIT_MS`` by default."""

    def __init__(self, browser) -> None:  # noqa: ANN001 - playwright's Browser
        self._browser = browser

    def new_context(self, **options):  # noqa: ANN003, ANN201
        """A context whose actions, waits and navigations allow ``WAIT_MS``."""
        context = self._browser.new_context(**options)
        context.set_default_timeout(WAIT_MS)
        context.set_default_navigation_timeout(WAIT_MS)
        return context

    def new_page(self, **options):  # noqa: ANN003, ANN201
        """A page in a context of its own (closed with the page), allowing ``WAIT_MS``."""
        page = self._browser.new_page(**options)
        page.set_default_timeout(WAIT_MS)
        page.set_default_navigation_timeout(WAIT_MS)
        return page

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session, patient with a busy machine."""
    from playwright.sync_api import sync_playwright

    need_chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield _Patient(chromium)
        chromium.close()


@pytest.fixture(scope="session")
def site(bundled: Path) -> Iterator[str]:
    """The bundled course's book served over loopback."""
    with serve(bundled / "book") as url:
        yield url
