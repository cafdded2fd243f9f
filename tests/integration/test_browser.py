"""The built book in Debian Chromium over loopback: no request leaves the site, links work."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

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

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian chromium (see .ci/run)")
    pytest.skip("Debian chromium is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def site(bundled: Path) -> Iterator[str]:
    """The book served by a loopback HTTP server."""
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(bundled / "book")
    )
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def _sort_request(site: str, local: list[str], outside: list[str], request) -> None:
    """File a request's URL as inside or outside the site."""
    inside = request.url.startswith(site) or request.url.startswith("data:")
    (local if inside else outside).append(request.url)


def test_pages_make_no_request_outside_the_site(site: str, browser, bundled: Path) -> None:
    book = bundled / "book"
    names = sorted(p.name for p in book.glob("*.html"))
    assert {"index.html", "ba-tru-cot.html", "sources.html", "glossary.html"} <= set(names)
    for width in (1280, 360):
        page = browser.new_page(viewport={"width": width, "height": 800})
        outside: list[str] = []
        local: list[str] = []
        page.on("request", functools.partial(_sort_request, site, local, outside))
        for name in names:
            page.goto(f"{site}/{name}")
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.documentElement.lang") == "vi"
        page.close()
        assert outside == []
        assert any(url.endswith(".css") or ".css?" in url for url in local)


def test_fact_link_leads_to_its_source_entry(site: str, browser, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(f"{site}/ba-tru-cot.html")
    link = page.get_by_role("link", name="98,72%")
    link.click()
    page.wait_for_url("**/sources.html#fact-thanh-hoa-ky-so-ca-nhan")
    entry = page.locator("#fact-thanh-hoa-ky-so-ca-nhan")
    assert entry.is_visible()
    assert "98,72%" in entry.inner_text()
    assert "tỷ lệ văn bản được ký số cá nhân đạt 98,72%" in entry.inner_text()
    page.screenshot(path=str(tmp_path / "sources.png"))
    page.close()


def test_chart_is_an_accessible_image(site: str, browser) -> None:
    page = browser.new_page()
    page.goto(f"{site}/dich-vu-cong-truc-tuyen.html")
    chart = page.get_by_role("img", name="Tỷ lệ dịch vụ công mức 3 và mức 4 ở Trà Vinh")
    assert chart.is_visible()
    assert "30,73%" in chart.inner_html() and "56,89%" in chart.inner_html()
    page.close()
