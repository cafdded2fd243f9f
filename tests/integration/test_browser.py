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


CONTRAST = """(svg) => {
  const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  let e = svg, bg = null;
  for (; e && !bg; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (!/rgba\\(.*, 0\\)|transparent/.test(c)) bg = lum(rgb(c));
  }
  bg = bg === null ? lum([255, 255, 255]) : bg;
  const of = (sel) => [...svg.querySelectorAll(sel)].map(
    (x) => ratio(lum(rgb(getComputedStyle(x).fill)), bg));
  return { text: of("text"), bars: of("rect") };
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_text_and_bars_stand_out_in_both_colour_schemes(
    site: str, browser, scheme: str
) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(f"{site}/dich-vu-cong-truc-tuyen.html")
    page.wait_for_function(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(255, 255, 255)") == (scheme == "light"), background
    chart = page.locator("svg.builder-chart").first
    found = chart.evaluate(CONTRAST)
    context.close()
    assert found["text"] and all(r >= 4.5 for r in found["text"]), found
    assert found["bars"] and all(r >= 3 for r in found["bars"]), found
