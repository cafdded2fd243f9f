"""The offline kit copied to another folder and opened from there, with no server (file://),
as at a training centre with a USB stick: its start page, the course, a quiz, a deck."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.checks.run import load_and_check
from builder.export import kit
from tests.conftest import REPO
from tests.integration.test_quiz_browser import QUESTIONS, answer
from tests.integration.test_site import axe_script


@pytest.fixture(scope="module")
def stick(bundled: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The kit written, then copied elsewhere as a USB stick receives it."""
    course, _ = load_and_check(REPO)
    lms = kit.lms_files(course, bundled / "book")
    made = kit.kit(course, bundled, lms)
    written = made.write(tmp_path_factory.mktemp("kit") / made.name)
    copy = tmp_path_factory.mktemp("usb") / "USB" / made.name
    shutil.copytree(written, copy)
    shutil.rmtree(written)
    return copy


def test_from_the_start_page_to_a_quiz_answered(browser, stick: Path) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
    page.on("request", lambda r: r.url.startswith("file://") or errors.append(r.url))
    page.goto((stick / kit.START).as_uri())
    assert page.title().endswith("bộ tài liệu dùng không cần mạng")
    # Every link of the start page leads to a file of the kit.
    for href in page.locator("a").evaluate_all("els => els.map(a => a.href)"):
        assert href.startswith("file://") and Path(href[len("file://") :]).is_file(), href
    deck = page.get_by_role("link", name="Bài trình chiếu (PowerPoint, LibreOffice Impress)")
    assert deck.first.get_attribute("href").endswith(".pptx")
    page.get_by_role("link", name="Mở khóa học").click()
    page.wait_for_url("**/khoa-hoc/index.html")
    qid, (lesson_page, q) = next((k, v) for k, v in QUESTIONS.items() if v[1]["type"] == "single")
    page.goto((stick / "khoa-hoc" / lesson_page).as_uri())
    box = page.locator(f'fieldset[data-q="{qid}"]')
    answer(box, q, right=True)
    page.wait_for_function(
        "id => document.querySelector(`fieldset[data-q='${id}']`).classList.contains('bq-ok')",
        arg=qid,
    )
    page.reload()
    assert page.locator(f'fieldset[data-q="{qid}"]').get_attribute("class") == "bq-q bq-ok"
    assert errors == []
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_start_page_reads_on_a_phone_and_passes_axe(browser, stick: Path, scheme) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 800}, color_scheme=scheme)
    page.goto((stick / kit.START).as_uri())
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    page.add_script_tag(content=axe_script())
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: "tag",
             values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})"""
    )
    assert [v["id"] for v in result["violations"]] == []
    page.close()
