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


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_a_tapped_figure_shows_its_source_in_place(
    site: str, bundled: Path, browser, tmp_path: Path, scheme: str
) -> None:
    """A figure opens its citation over the lesson (the lesson stays); the note leads on to
    the source entry."""
    base = site if scheme == "http" else (bundled / "book").as_uri()
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(f"{base}/thanh-hoa-thai-nguyen.html")
    lesson = page.url
    page.get_by_role("button", name="98,72%").first.click()
    note = page.locator(".note:popover-open")
    note.wait_for(state="visible")
    assert page.url == lesson
    assert "Tỷ lệ văn bản được ký số cá nhân: 98,72%" in note.inner_text()
    assert "Báo Thanh Hóa" in note.inner_text()
    assert note.evaluate("(n) => n.scrollWidth <= n.clientWidth"), "the note wraps on a phone"
    page.screenshot(path=str(tmp_path / "note.png"))
    note.get_by_role("button", name="Đóng").click()
    note.wait_for(state="hidden")
    page.get_by_role("button", name="98,72%").first.click()
    page.locator(".note:popover-open").get_by_role("link", name="Xem nguồn").click()
    page.wait_for_url("**/sources.html#fact-thanh-hoa-ky-so-ca-nhan")
    entry = page.locator("#fact-thanh-hoa-ky-so-ca-nhan")
    assert entry.is_visible()
    assert "tỷ lệ văn bản được ký số cá nhân đạt 98,72%" in entry.inner_text()
    page.close()


def test_a_tapped_term_explains_itself_and_leads_to_the_glossary(site: str, browser) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(f"{site}/chinh-quyen-so.html")
    term = page.locator("button.note-ref", has_text="chữ ký số").first
    term.click()
    note = page.locator(".note:popover-open")
    assert "chứng thư số" in note.inner_text()
    note.get_by_role("link", name="Xem trong Thuật ngữ").click()
    page.wait_for_url("**/glossary.html#term-chu-ky-so")
    entry = page.locator("#term-chu-ky-so")
    assert entry.is_visible()
    assert "Chữ ký số" in entry.inner_text()
    page.close()


def test_without_popovers_figures_and_terms_are_links(site: str, browser) -> None:
    """An older browser, which has no popover: the figures and terms go back to links."""
    page = browser.new_page()
    page.add_init_script("delete HTMLElement.prototype.popover")
    page.goto(f"{site}/thanh-hoa-thai-nguyen.html")
    assert page.locator("button.note-ref").count() == 0
    assert page.locator(".note").count() == 0, "no note left in the text"
    link = page.get_by_role("link", name="98,72%").first
    assert link.get_attribute("href").endswith("sources.html#fact-thanh-hoa-ky-so-ca-nhan")
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
    # Text size as drawn on the phone: the font size times the drawing's scale on screen.
    sizes = page.evaluate(
        """() => [...document.querySelectorAll("svg.builder-chart")].flatMap((svg) =>
             [...svg.querySelectorAll("text")].map((t) =>
               parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a))"""
    )
    context.close()
    assert sizes and min(sizes) >= 12, f"chart text drawn at {min(sizes):.1f} px on a phone"
    assert found["text"] and all(r >= 4.5 for r in found["text"]), found
    assert found["bars"] and all(r >= 3 for r in found["bars"]), found
