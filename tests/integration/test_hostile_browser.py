"""A course full of script payloads in Chromium: nothing runs, nothing is injected, all is text."""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from tests.helpers import make_tree
from tests.integration.conftest import SEARCH_DONE, need_chromium, serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]
need_chromium()

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
SVG = '"><svg onload=alert(3)>'
JINJA = "{{7*7}}"
JS = "javascript:alert(4)"
# Every payload, for fields that are plain text.
ALL = f"{IMG} {SCRIPT} {SVG} {JINJA} {JS}"
# The same text written as MyST (inline code and escapes), for fields that are Markdown and
# refuse raw HTML (lesson body, objectives, key points, course description, trainer notes).
MYST = rf"`{IMG}` \<script>alert(2)\</script> `{SVG}` {JINJA} {JS}"
LINKED = "Liên kết {{7*7}} \"x\" 'y'"
WAIT = 60_000  # ms; a busy machine must not fail the test
WIDTH = 360


def text(label: str) -> str:
    """A plain-text field: ``label`` and every payload, as a YAML scalar."""
    return json.dumps(f"{label} {ALL}", ensure_ascii=False)


def myst(label: str) -> str:
    """A MyST field: ``label`` and every payload written as code or escaped, as a YAML scalar."""
    return json.dumps(f"{label} {MYST}", ensure_ascii=False)


def hostile_tree(root: Path) -> Path:
    """The base course with a payload in every author string a learner can see."""
    return make_tree(
        root,
        {
            "course/course.yml": f"""\
title: {text("Khóa")}
subtitle: {text("Phụ đề")}
publisher: {text("Nhà xuất bản")}
description: {myst("Mô tả")}
language: vi
audiences:
  - id: can-bo
    title: {text("Đối tượng")}
modules:
  - id: mot
    title: {text("Học phần")}
    lessons:
      - bai-mot
""",
            "course/sources.yml": f"""\
- id: nguon-a
  title: {text("Nguồn")}
  publisher: {text("Báo")}
  date: 2022-10-06
  file: a.txt
""",
            "course/facts.yml": f"""\
- id: ty-le
  label: {text("Nhãn")}
  value: 98.72
  unit: "%"
  place: {text("Nơi")}
  source: nguon-a
  quote: {text("Trích")}
""",
            "course/glossary.yml": f"""\
- term: {json.dumps("Thuật ngữ " + IMG, ensure_ascii=False)}
  aliases: [{text("Bí danh")}]
  definition: {text("Định nghĩa")}
- term: {json.dumps(LINKED, ensure_ascii=False)}
  definition: {text("Định nghĩa hai")}
""",
            "course/lessons/bai-mot.md": f"""\
---
title: {text("Bài")}
objectives:
  - {myst("Mục tiêu")}
keypoints:
  - {myst("Ghi nhớ")}
duration:
  teaching: 30
  exercises: 15
audience:
  - can-bo
---

## Phần đầu `{IMG}`

Văn bản {MYST}.
Số liệu {{fact}}`ty-le`, thuật ngữ {{term}}`{LINKED}`.

```{{notes}}
Ghi chú cho báo cáo viên {MYST}
```

```{{chart}} Biểu đồ {ALL}
:facts: ty-le
```

```{{quiz}} Câu hỏi {ALL}
:questions: chon-mot dung-sai
```
""",
            "quizzes/bai-mot.yml": f"""\
- id: chon-mot
  type: single
  prompt: {text("Hỏi")}
  hint: {text("Gợi ý")}
  choices:
    - id: a
      text: {text("Lựa chọn A")}
      feedback: {text("Phản hồi A")}
    - id: b
      text: {text("Lựa chọn B")}
      correct: true
      feedback: {text("Phản hồi B")}
  explanation: {text("Giải thích")}
  source: nguon-a
- id: dung-sai
  type: true-false
  prompt: {text("Đúng hay sai")}
  answer: true
  feedback:
    right: {text("Phải")}
    wrong: {text("Trái")}
  explanation: {text("Vì")}
  source: [ty-le]
""",
            "slides/decks/buoi-mot.yml": f"""\
title: {text("Buổi")}
subtitle: {text("Phụ đề buổi")}
presenter: {text("Báo cáo viên")}
lessons:
  - bai-mot
""",
        },
    )


def typed(label: str) -> str:
    """The text a learner must read for a field written as ``text(label)`` or ``myst(label)``."""
    return f"{label} {ALL}"


EVERY_PAGE = [typed("Khóa"), typed("Nhà xuất bản")]
# Where each field was typed: the page must show it as text, exactly once escaped.
TYPED = {
    "index.html": [
        typed("Phụ đề"),
        typed("Mô tả"),
        typed("Đối tượng"),
        typed("Học phần"),
        typed("Bài"),
    ],
    "bai-mot.html": [
        typed("Bài"),
        typed("Đối tượng"),
        typed("Mục tiêu"),
        typed("Ghi nhớ"),
        typed("Văn bản"),
        f"Phần đầu {IMG}",
        typed("Biểu đồ"),
        typed("Nhãn"),
        typed("Câu hỏi"),
        typed("Hỏi"),
        typed("Đúng hay sai"),
    ],
    "glossary.html": [
        f"Thuật ngữ {IMG}",
        typed("Bí danh"),
        typed("Định nghĩa"),
        LINKED,
        typed("Định nghĩa hai"),
        typed("Bài"),
    ],
    "sources.html": [typed("Nguồn"), typed("Báo"), typed("Nhãn"), typed("Nơi"), typed("Trích")],
}
# The live quiz (http only: it is a module script, which Chromium does not run from file://).
QUIZ_SHOWN = [typed("Lựa chọn A"), typed("Lựa chọn B"), typed("Gợi ý")]

# Text nodes outside script, style and template: what the page shows (or hides) as text.
PAGE_TEXT = """() => {
  const skip = "script, style, template, noscript";
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => n.parentElement && n.parentElement.closest(skip)
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const parts = [];
  while (walker.nextNode()) parts.push(walker.currentNode.data);
  return parts.join("").replace(/\\s+/g, " ");
}"""
# Anything a payload would have created, had it reached the page as markup.
INJECTED = """() => {
  const found = [];
  const runs = ["", "text/javascript", "application/javascript", "module"];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      // The theme's print button.
      const ours = a.name === "onclick" && a.value === "window.print()";
      if (/^on/i.test(a.name) && !ours) found.push(`<${el.localName} ${a.name}="${a.value}">`);
      if (/^\\s*javascript:/i.test(a.value) && /(^|:)(href|src|action|formaction)$/i.test(a.name))
        found.push(`<${el.localName} ${a.name}="${a.value}">`);
    }
  }
  for (const el of document.querySelectorAll("img, image"))
    if (["x", ""].includes(el.getAttribute("src") ?? "-")) found.push(el.outerHTML.slice(0, 120));
  for (const el of document.querySelectorAll("script"))
    if (runs.includes((el.type || "").toLowerCase()) && /alert/.test(el.textContent))
      found.push(`<script>${el.textContent.slice(0, 80)}`);
  return found;
}"""


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile course, built once with the command line, in process."""
    root = hostile_tree(tmp_path_factory.mktemp("hostile-src"))
    out = tmp_path_factory.mktemp("hostile-out")
    result = CliRunner().invoke(
        main, ["build", "-q", "--root", str(root), "--out", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def hostile_site(hostile_out: Path) -> Iterator[str]:
    """The hostile course's book over loopback."""
    with serve(hostile_out / "book") as url:
        yield url


class Watch:
    """A browser page that records dialogs and requests leaving ``home``."""

    def __init__(self, browser, home: str, width: int = 1280) -> None:  # noqa: ANN001
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.context.set_default_timeout(WAIT)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.outside: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda r: self._request(home, r.url))

    def _dialog(self, dialog) -> None:  # noqa: ANN001
        self.dialogs.append(f"{self.page.url}: {dialog.type} {dialog.message!r}")
        dialog.dismiss()

    def _request(self, home: str, url: str) -> None:
        if not url.startswith((home, "data:", "blob:")):
            self.outside.append(f"{self.page.url} -> {url}")

    def open(self, url: str) -> None:
        """Load ``url`` and wait until the network is quiet and the quizzes, if any, are up."""
        self.page.goto(url, wait_until="load", timeout=WAIT)
        self.page.wait_for_load_state("networkidle", timeout=WAIT)
        if url.startswith("http") and self.page.locator("[data-bq]").count():
            self.page.wait_for_selector("[data-bq] fieldset[data-q]", timeout=WAIT)

    def text(self) -> str:
        return self.page.evaluate(PAGE_TEXT)

    def close(self) -> None:
        self.context.close()


def check_page(watch: Watch, name: str, expected: list[str]) -> list[str]:
    """What is wrong with the open page: injected elements, evaluated or missing text."""
    problems = [f"{name}: injected {found}" for found in watch.page.evaluate(INJECTED)]
    shown = watch.text()
    problems += [f"{name}: missing text {want!r}" for want in expected if want not in shown]
    if re.search(r"(?<![\d,.])49(?![\d,.])", shown):
        problems.append(f"{name}: '49' is shown (author text evaluated)")
    for escaped in ("&lt;", "&gt;", "&quot;", "&#34;", "&amp;"):
        if escaped in shown:
            problems.append(f"{name}: {escaped!r} is shown (escaped twice)")
    if "Ghi chú cho báo cáo viên" in shown:
        problems.append(f"{name}: the trainer notes are in the book")
    return problems


def pages(out: Path) -> list[str]:
    names = sorted(p.name for p in (out / "book").glob("*.html"))
    assert {"index.html", "bai-mot.html", "glossary.html", "sources.html", "search.html"} <= set(
        names
    )
    return names


def visit_every_page(browser, base: str, home: str, names: list[str]) -> list[str]:  # noqa: ANN001
    watch = Watch(browser, home)
    problems = []
    try:
        for name in names:
            watch.open(f"{base}/{name}")
            problems += check_page(watch, name, EVERY_PAGE + TYPED.get(name, []))
    finally:
        watch.close()
    problems += [f"dialog opened: {d}" for d in watch.dialogs]
    problems += [f"request left the site: {u}" for u in watch.outside]
    return problems


def test_every_page_over_http(browser, hostile_site: str, hostile_out: Path) -> None:
    problems = visit_every_page(browser, hostile_site, hostile_site, pages(hostile_out))
    assert not problems, "\n".join(problems)


def test_every_page_from_file(browser, hostile_out: Path) -> None:
    home = (hostile_out / "book").as_uri()
    problems = visit_every_page(browser, home, home, pages(hostile_out))
    assert not problems, "\n".join(problems)


def test_theme_slots_show_the_titles_as_text(browser, hostile_site: str) -> None:
    """Header, heading, <title>, footer, contents and prev/next: each slot, once escaped."""
    watch = Watch(browser, hostile_site)
    try:
        watch.open(f"{hostile_site}/bai-mot.html")
        page = watch.page
        assert page.title().startswith(typed("Bài")) and typed("Khóa") in page.title()
        assert page.locator(".top .brand").text_content().strip() == typed("Khóa")
        assert page.locator("main h1").first.text_content().strip().startswith(typed("Bài"))
        assert typed("Nhà xuất bản") in page.locator(".foot").text_content()
        captions = page.locator(".toc .caption-text").all_text_contents()
        assert typed("Học phần") in [c.strip() for c in captions]
        prev = page.locator(".prevnext a.prev").evaluate("(a) => a.lastChild.textContent")
        assert prev.strip() == typed("Khóa")
        watch.open(f"{hostile_site}/search.html")
        assert typed("Khóa") in page.title()
    finally:
        watch.close()
    assert watch.dialogs == [] and watch.outside == []


@pytest.mark.parametrize(
    "query, title",
    [
        ("onerror", typed("Bài")),
        # Long enough to match the section title "Phần đầu <img ...>", which searchtools.js
        # shows with innerHTML (Sphinx indexes section titles as plain text).
        ("img src=x onerror=alert(1)", f"Phần đầu {IMG}"),
        ("alert", typed("Khóa")),
    ],
)
def test_search_for_a_payload_runs_nothing(
    browser, hostile_site: str, query: str, title: str
) -> None:
    watch = Watch(browser, hostile_site)
    try:
        watch.open(f"{hostile_site}/search.html?q={urllib.parse.quote(query)}")
        watch.page.wait_for_function(SEARCH_DONE, timeout=WAIT)
        watch.page.wait_for_load_state("networkidle", timeout=WAIT)
        problems = check_page(watch, "search.html", EVERY_PAGE)
        results = watch.page.locator("#search-results ul.search > li > a").all_text_contents()
        if not any(title in r for r in results):
            problems.append(f"no result reads {title!r}: {results}")
    finally:
        watch.close()
    problems += [f"dialog opened: {d}" for d in watch.dialogs]
    problems += [f"request left the site: {u}" for u in watch.outside]
    assert not problems, "\n".join(problems)


def test_quiz_feedback_stays_text(browser, hostile_site: str) -> None:
    """Answer both quizzes wrong then right: prompts, choices, hints, feedback, explanations."""
    watch = Watch(browser, hostile_site)
    problems = []
    try:
        watch.open(f"{hostile_site}/bai-mot.html")
        page = watch.page
        single = page.locator('fieldset[data-q="chon-mot"]')
        problems += check_page(watch, "quiz shown", EVERY_PAGE + QUIZ_SHOWN)
        single.locator("label.bq-opt", has_text="Lựa chọn A").locator("input").check()
        single.get_by_role("button", name="Kiểm tra").click()
        single.locator(".bq-fb").filter(has_text="Phản hồi A").wait_for(timeout=WAIT)
        problems += check_page(watch, "wrong choice", [typed("Phản hồi A")])
        single.get_by_role("button", name="Làm lại").click()
        single.locator("label.bq-opt", has_text="Lựa chọn B").locator("input").check()
        single.get_by_role("button", name="Kiểm tra").click()
        single.locator(".bq-fb").filter(has_text="Giải thích").wait_for(timeout=WAIT)
        problems += check_page(watch, "right choice", [typed("Phản hồi B"), typed("Giải thích")])
        truth = page.locator('fieldset[data-q="dung-sai"]')
        truth.locator("label.bq-opt", has_text=re.compile("^Sai$")).click()
        truth.get_by_role("button", name="Kiểm tra").click()
        truth.locator(".bq-fb").filter(has_text="Trái").wait_for(timeout=WAIT)
        problems += check_page(watch, "wrong truth", [typed("Trái")])
        truth.get_by_role("button", name="Làm lại").click()
        truth.locator("label.bq-opt", has_text=re.compile("^Đúng$")).click()
        truth.get_by_role("button", name="Kiểm tra").click()
        truth.locator(".bq-fb").filter(has_text="Vì").wait_for(timeout=WAIT)
        problems += check_page(watch, "right truth", [typed("Phải"), typed("Vì")])
    finally:
        watch.close()
    problems += [f"dialog opened: {d}" for d in watch.dialogs]
    problems += [f"request left the site: {u}" for u in watch.outside]
    assert not problems, "\n".join(problems)


def test_lesson_at_360_px(browser, hostile_site: str, tmp_path: Path) -> None:
    """The lesson on a phone: the title reads as typed; a screenshot for a human to look at."""
    # Long unbreakable payload words overflow the heading at 360 px: layout, not asserted here.
    watch = Watch(browser, hostile_site, width=WIDTH)
    try:
        watch.open(f"{hostile_site}/bai-mot.html")
        heading = watch.page.locator("main h1").first
        assert heading.text_content().strip().startswith(typed("Bài"))
        watch.page.screenshot(path=str(tmp_path / "hostile-lesson-360.png"))
        problems = check_page(watch, "bai-mot.html at 360 px", EVERY_PAGE)
    finally:
        watch.close()
    assert not problems and watch.dialogs == [] and watch.outside == [], problems
