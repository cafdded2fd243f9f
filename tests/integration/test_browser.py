"""The built book in Debian Chromium over loopback: no request leaves the site, links work."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from tests.integration.conftest import need_chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]

need_chromium()


def _sort_request(site: str, local: list[str], outside: list[str], request) -> None:
    """File a request's URL as inside or outside the site."""
    inside = request.url.startswith(site) or request.url.startswith("data:")
    (local if inside else outside).append(request.url)


def test_pages_make_no_request_outside_the_site(site: str, browser, bundled: Path) -> None:
    book = bundled / "book"
    names = sorted(p.name for p in book.glob("*.html"))
    assert {"index.html", "chuyen-doi-so-la-gi.html", "sources.html", "glossary.html"} <= set(names)
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
    page.goto(f"{site}/kinh-nghiem-dia-phuong.html")
    link = page.get_by_role("link", name="98,72%").first
    link.click()
    page.wait_for_url("**/sources.html#fact-thanh-hoa-ky-so-ca-nhan")
    entry = page.locator("#fact-thanh-hoa-ky-so-ca-nhan")
    assert entry.is_visible()
    assert "98,72%" in entry.inner_text()
    assert "tỷ lệ văn bản được ký số cá nhân đạt 98,72%" in entry.inner_text()
    page.screenshot(path=str(tmp_path / "sources.png"))
    page.close()


def test_term_link_explains_the_term_and_leads_to_the_glossary(site: str, browser) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(f"{site}/chinh-quyen-so.html")
    link = page.locator('a[href="glossary.html#term-chu-ky-so"]').first
    tooltip = link.locator("xpath=ancestor::span[@class='term']").get_attribute("title")
    assert "chứng thư số" in tooltip
    link.click()
    page.wait_for_url("**/glossary.html#term-chu-ky-so")
    entry = page.locator("#term-chu-ky-so")
    assert entry.is_visible()
    assert "Chữ ký số" in entry.inner_text()
    page.close()


def test_chart_is_an_accessible_image(site: str, browser) -> None:
    page = browser.new_page()
    page.goto(f"{site}/dich-vu-cong-truc-tuyen.html")
    chart = page.get_by_role("img", name="Tỷ lệ dịch vụ công mức 3 và mức 4 ở Trà Vinh")
    assert chart.is_visible()
    assert "30,73%" in chart.inner_html() and "56,89%" in chart.inner_html()
    page.close()
