"""The learner's site as a learner meets it, on the bundled course: every label in Vietnamese,
search with or without accents, the course menu on a phone, touch targets a thumb can hit, no
page with a serious accessibility fault (axe-core) in light or dark mode, over http and from
file://, and nothing loaded that a page does not use."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest

from tests.integration.conftest import SEARCH_DONE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Path(__file__).resolve().parent.parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 740}
# English words a theme or Sphinx prints in its controls, labels and messages. Vietnamese
# shares none of them (not "to" or "in", which are Vietnamese words too).
ENGLISH = re.compile(
    r"\b(the|this|of|and|page|pages|search|searching|link|copyright|skip|toggle|back|next|"
    r"previous|prev|menu|contents|download|print|navigation|sidebar|heading|definition|"
    r"results?|found|matching|please|show|hide|source|table|fig|figure|image|theme|color|"
    r"colour|mode|light|dark|close|open|home|index|click|fullscreen|edit|repository|launch|"
    r"enable|javascript is)\b",
    re.IGNORECASE,
)
# What a page says in its own controls: every text outside the lesson's sections (header,
# contents, footer, download, previous/next, the search page's texts and results) and every
# label, title, placeholder and alternative text anywhere.
CHROME_TEXT = """() => {
  const skip = "script, style, template, noscript, main section";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => n.parentElement.closest(skip) && !n.parentElement.closest(".headerlink")
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const found = [document.title];
  while (walker.nextNode()) {
    const text = walker.currentNode.data.trim();
    if (text) found.push(text);
  }
  for (const el of document.querySelectorAll("*"))
    for (const name of ["title", "aria-label", "placeholder", "alt", "aria-description"])
      if (el.getAttribute(name)) found.push(`${el.localName}[${name}]: ${el.getAttribute(name)}`);
  for (const el of document.querySelectorAll("input[type=submit], input[type=button]"))
    found.push(`${el.localName}[value]: ${el.value}`);
  return found;
}"""
# Controls a learner taps: the header, the menu, the page links and the quizzes' buttons.
TARGETS = (
    ".top a, .top button, .top input, .toc summary, .toc a, .download a, .prevnext a, "
    ".bq-quiz button, .bq-quiz select, .bq-quiz input:not([type=radio]):not([type=checkbox]), "
    ".bq-quiz label.bq-opt"
)


def pages(book: Path) -> list[str]:
    return sorted(p.name for p in book.glob("*.html"))


def english_in(page) -> list[str]:  # noqa: ANN001 - a Playwright page
    return [text for text in page.evaluate(CHROME_TEXT) if ENGLISH.search(text)]


def search(page, base: str, query: str) -> tuple[str, list[str]]:  # noqa: ANN001
    """The search page's count line and result links for ``query``."""
    page.goto(f"{base}/search.html?q={query}")
    page.wait_for_function(SEARCH_DONE)
    status = page.locator("#search-results .search-summary").inner_text()
    links = page.locator("ul.search > li > a").evaluate_all("(a) => a.map((e) => e.href)")
    return status, links


def count(status: str) -> int:
    found = re.search(r"Tìm thấy (\d+) trang", status)
    return int(found[1]) if found else 0


@pytest.fixture(scope="module", params=["http", "file"])
def base(request: pytest.FixtureRequest, bundled: Path, site: str) -> str:
    return site if request.param == "http" else (bundled / "book").as_uri()


def test_every_page_speaks_vietnamese(browser, bundled: Path, base: str) -> None:
    page = browser.new_page(viewport=PHONE)
    found = {}
    for name in pages(bundled / "book"):
        page.goto(f"{base}/{name}")
        found[name] = english_in(page)
    for query in ("mat khau", "xyzzy"):  # the search page's texts with and without results
        search(page, base, query)
        found[f"search {query}"] = english_in(page)
    page.close()
    assert {name: texts for name, texts in found.items() if texts} == {}


@pytest.mark.parametrize(
    "bare, accented",
    [
        ("mat khau", "mật khẩu"),
        ("chuyen doi so", "chuyển đổi số"),
        ("dich vu cong", "dịch vụ công"),
        ("an toan", "an toàn"),
        ("dia phuong", "địa phương"),
    ],
)
def test_search_finds_words_with_or_without_accents(browser, base: str, bare, accented) -> None:
    """The same pages either way. Typed with its accents, a phrase that is also a section's
    title adds that section as a result of its own (Sphinx matches titles as typed)."""
    page = browser.new_page()
    bare_status, bare_links = search(page, base, bare)
    status, links = search(page, base, accented)
    # As some phone keyboards type it: letters and their marks apart.
    _, decomposed_links = search(page, base, unicodedata.normalize("NFD", accented))
    page.close()
    assert count(bare_status) >= 1 and count(bare_status) == len(bare_links), bare_status
    assert count(status) == len(links)
    assert pages_of(links) == pages_of(bare_links) == pages_of(decomposed_links)


def pages_of(links: list[str]) -> set[str]:
    return {link.split("#")[0].rsplit("/", 1)[-1] for link in links}


def test_search_says_when_nothing_is_found(browser, base: str) -> None:
    page = browser.new_page()
    status, titles = search(page, base, "xyzzy")
    heading = page.locator("#search-results > h2").inner_text()
    page.close()
    assert titles == [] and heading == "Kết quả tìm kiếm"
    assert status.startswith("Không có trang nào")


def test_search_result_excerpt_shows_the_word_found(browser, site: str) -> None:
    """Over http each result shows the text around the word, found without its accents."""
    page = browser.new_page()
    _, links = search(page, site, "mat khau")
    page.wait_for_function(
        f"document.querySelectorAll('ul.search p.context').length === {len(links)}"
    )
    excerpts = page.locator("ul.search p.context").all_inner_texts()
    marked = page.locator("ul.search p.context mark").all_inner_texts()
    page.close()
    assert any("mật khẩu" in text.lower() for text in excerpts), excerpts
    # Whole words marked, found without their accents; the notes' words are not the page's.
    assert {m.lower() for m in marked} <= {"mật", "khẩu", "mặt", "mát", "mất", "khấu"}, marked
    assert "khẩu" in {m.lower() for m in marked}
    assert not any("Xem trong Thuật ngữ" in text or "Xem nguồn" in text for text in excerpts)


def test_only_the_search_page_loads_the_index(browser, site: str) -> None:
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site}/kinh-te-so.html")
    page.wait_for_load_state("load")
    lesson = list(requested)
    search(page, site, "kinh te so")
    page.close()
    assert not [url for url in lesson if "searchindex" in url or "searchtools" in url], lesson
    assert any(url.endswith("searchindex.js") for url in requested)


def test_the_course_menu_opens_on_a_phone(browser, base: str) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{base}/kinh-te-so.html")
    lesson = page.locator(".toc nav a", has_text="Xã hội số và kỹ năng số")
    assert not lesson.is_visible(), "the menu starts closed on a phone"
    page.get_by_text("Mục lục khóa học", exact=True).click()
    lesson.wait_for(state="visible")
    lesson.click()
    page.wait_for_url(re.compile(r"xa-hoi-so\.html"))
    assert page.locator("main h1").first.inner_text().startswith("Xã hội số")
    page.close()


def test_the_contents_stand_beside_the_lesson_on_a_wide_screen(browser, site: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{site}/kinh-te-so.html")
    nav = page.locator(".toc nav")
    main = page.locator("main")
    assert nav.is_visible()
    assert nav.bounding_box()["x"] + nav.bounding_box()["width"] <= main.bounding_box()["x"] + 1
    page.close()


def test_touch_targets_are_44_px_and_nothing_scrolls_sideways(browser, bundled, site) -> None:
    """As a phone lays pages out (is_mobile: the viewport meta counts)."""
    page = browser.new_page(viewport=PHONE, is_mobile=True)
    small, wide = [], []
    for name in pages(bundled / "book"):
        page.goto(f"{site}/{name}")
        if page.evaluate("innerWidth") != PHONE["width"]:
            wide.append(f"{name}: laid out {page.evaluate('innerWidth')} px wide")
        page.locator(".toc summary").click()  # open the menu: its links count too
        for target in page.locator(TARGETS).all():
            box = target.bounding_box()
            if box is None or not target.is_visible():
                continue
            if box["height"] < 44 or box["width"] < 44:
                label = target.inner_text() or target.get_attribute("aria-label") or ""
                size = f"{box['width']:.0f}x{box['height']:.0f}"
                small.append(f"{name}: {label.strip()[:40]!r} {size}")
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        if overflow > 0:
            wide.append(f"{name}: {overflow}px")
    page.close()
    assert small == [] and wide == []


def axe_script() -> str:
    if not AXE.is_file():
        if os.environ.get("CI"):
            raise RuntimeError("CI must install axe-core (cd tests/js && npm ci; see .ci/run)")
        pytest.skip("axe-core is not installed: cd tests/js && npm ci")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_has_a_serious_accessibility_fault(browser, bundled, site, scheme) -> None:
    """axe-core's WCAG 2.1 A and AA rules on every page, at phone width, after a quiz answer."""
    axe = axe_script()
    context = browser.new_context(color_scheme=scheme, viewport=PHONE)
    page = context.new_page()
    faults = []
    for name in pages(bundled / "book"):
        page.goto(f"{site}/{name}" + ("?q=mat+khau" if name == "search.html" else ""))
        if name == "search.html":
            page.wait_for_function(SEARCH_DONE)
        page.add_script_tag(content=axe)
        result = page.evaluate(
            """() => axe.run(document, {runOnly: {type: "tag",
                 values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})"""
        )
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                nodes = [n["target"] for n in violation["nodes"]][:3]
                faults.append(f"{name}: {violation['id']} {nodes}")
    context.close()
    assert faults == []
