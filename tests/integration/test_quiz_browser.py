"""Quizzes in the static book, used as a learner would in Chromium: clicks, keys, reloads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from builder.checks.run import load_and_check
from builder.commands.build import build
from builder.quizzes import client, placement
from tests.conftest import REPO
from tests.helpers import make_tree
from tests.integration.conftest import need_chromium, serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]
need_chromium()

RIGHT, WRONG = "✓ Chính xác.", "✗ Chưa đúng."


def bundled_questions() -> dict[str, tuple[str, dict]]:
    """Every placed question of the bundled course: id -> (lesson page, client form)."""
    course, _ = load_and_check(REPO)
    assert course is not None
    found = {}
    for lesson in course.ordered_lessons():
        for placed in placement.placements(course, lesson):
            for qid in placed.ids:
                form = client.client_question(course, course.questions[qid])
                found.setdefault(qid, (f"{lesson.id}.html", form))
    return found


QUESTIONS = bundled_questions()
TYPES = ("single", "multiple", "true-false", "numeric", "text", "matching", "ordering")


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", client.strip_markdown(text)).strip()


def text_of(locator) -> str:
    return re.sub(r"\s+", " ", locator.inner_text()).strip()


def fieldset(page, qid: str):
    return page.locator(f'fieldset[data-q="{qid}"]')


def put_in_order(box, ids: list[str]) -> None:
    """Move steps with their arrow buttons until they read in ``ids`` order."""
    for target, step in enumerate(ids):
        current = box.locator("ol.bq-order > li").evaluate_all("els => els.map(e => e.dataset.id)")
        for _ in range(current.index(step) - target):
            box.locator(f'li[data-id="{step}"] button').first.click()


def answer(box, q: dict, right: bool) -> None:
    """Enter a right or a wrong answer the way a learner would."""
    kind = q["type"]
    if kind in ("single", "multiple"):
        by_id = {c["id"]: plain(c["text"]) for c in q["choices"]}
        if right:
            picks = q["answer"]
        elif kind == "single":
            picks = [next(i for i in by_id if i not in q["answer"])]
        else:
            picks = q["answer"][:1]  # some of the right choices, not all
        for cid, label in by_id.items():
            box.locator("label.bq-opt", has_text=label).locator("input").set_checked(cid in picks)
    elif kind == "true-false":
        label = "Đúng" if q["answer"] == right else "Sai"
        box.locator("label.bq-opt", has_text=re.compile(f"^{label}")).click()
    elif kind == "numeric":
        box.locator("input").fill(q["answer"]["text"] if right else "1")
    elif kind == "text":
        typed = q["answer"][0]
        if q.get("ignoreAccents"):
            typed = plain_ascii(typed)
        box.locator("input").fill(typed if right else "không biết")
    elif kind == "matching":
        ids = [p["id"] for p in q["pairs"]]
        chosen = ids if right else ids[1:] + ids[:1]
        for select, value in zip(box.locator("select").all(), chosen, strict=True):
            select.select_option(value)
    elif kind == "ordering":
        if right:
            put_in_order(box, [s["id"] for s in q["steps"]])
    box.get_by_role("button", name="Kiểm tra").click()


def plain_ascii(text: str) -> str:
    import unicodedata

    stripped = "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    )
    return stripped.replace("đ", "d").replace("Đ", "D").upper()


def wrong_feedback(q: dict) -> str | None:
    if q["type"] in ("single", "multiple"):
        return None  # per choice; checked in the test
    return (q.get("feedback") or {}).get("wrong")


@pytest.fixture
def page(browser, site: str):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(site) else outside.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert outside == [], "requests left the site"
    assert errors == [], "script errors on the page"


def test_the_example_lessons_have_two_questions_of_every_type() -> None:
    counts = {kind: 0 for kind in TYPES}
    for _page, q in QUESTIONS.values():
        counts[q["type"]] += 1
    assert all(n >= 2 for n in counts.values()), counts


@pytest.mark.parametrize(
    "qid",
    [next(i for i, (_, q) in QUESTIONS.items() if q["type"] == kind) for kind in TYPES]
    + [[i for i, (_, q) in QUESTIONS.items() if q["type"] == kind][1] for kind in TYPES],
)
def test_each_type_answered_wrong_then_right(page, site: str, qid: str) -> None:
    name, q = QUESTIONS[qid]
    page.goto(f"{site}/{name}")
    box = fieldset(page, qid)
    box.scroll_into_view_if_needed()
    feedback = box.locator(".bq-fb")
    assert feedback.get_attribute("aria-live") == "polite"
    assert feedback.get_attribute("role") == "status"
    answer(box, q, right=False)
    said = text_of(feedback)
    assert said.startswith(WRONG), said
    if q["type"] == "single":
        chosen = next(c for c in q["choices"] if c["id"] not in q["answer"])
        if chosen.get("feedback"):
            assert plain(chosen["feedback"]) in said
        assert "✗ sai" in text_of(box.locator("label.bq-opt", has_text=plain(chosen["text"])))
    elif wrong_feedback(q):
        assert plain(wrong_feedback(q)) in said
    assert plain(q["explanation"]) not in said  # kept for after a right answer
    box.get_by_role("button", name="Làm lại").click()
    answer(box, q, right=True)
    said = text_of(feedback)
    assert said.startswith(RIGHT), said
    assert plain(q["explanation"]) in said
    assert box.get_by_role("button", name="Kiểm tra").is_hidden()


def test_score_and_answers_survive_a_reload(page, site: str) -> None:
    single = next(i for i, (n, q) in QUESTIONS.items() if q["type"] == "single")
    name, q = QUESTIONS[single]
    page.goto(f"{site}/{name}")
    box = fieldset(page, single)
    block = box.locator("xpath=ancestor::section[contains(@class,'bq-quiz')]")
    total = block.locator("fieldset").count()
    assert text_of(block.locator(".bq-score")) == f"Kết quả: đúng 0/{total} câu"
    answer(box, q, right=True)
    assert text_of(block.locator(".bq-score")) == f"Kết quả: đúng 1/{total} câu"
    page.reload()
    box = fieldset(page, single)
    assert text_of(box.locator(".bq-fb")).startswith(RIGHT)
    checked = box.locator("input:checked")
    assert checked.count() == 1 and checked.is_disabled()
    block = box.locator("xpath=ancestor::section[contains(@class,'bq-quiz')]")
    assert text_of(block.locator(".bq-score")) == f"Kết quả: đúng 1/{total} câu"
    keys = page.evaluate("Object.keys(localStorage)")
    assert f"bq:chuyen-doi-so@2026.1:{single}" in keys


def test_a_lesson_opened_as_a_file_answers_and_remembers(browser, bundled: Path) -> None:
    """From a USB stick or a download, with no server: the quiz still answers, grades and
    keeps the answer over a reload."""
    single = next(i for i, (n, q) in QUESTIONS.items() if q["type"] == "single")
    name, q = QUESTIONS[single]
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith("file://") else outside.append(r.url))
    page.goto((bundled / "book" / name).as_uri())
    box = fieldset(page, single)
    answer(box, q, right=True)
    assert text_of(box.locator(".bq-fb")).startswith(RIGHT)
    page.reload()
    assert text_of(fieldset(page, single).locator(".bq-fb")).startswith(RIGHT)
    assert page.locator(".bq-note").count() == 0, "the 'open it online' note is gone"
    context.close()
    assert errors == [] and outside == []


def test_keyboard_only_with_show_answer_after_two_tries(page, site: str) -> None:
    tf = next(i for i, (n, q) in QUESTIONS.items() if q["type"] == "true-false")
    name, q = QUESTIONS[tf]
    page.goto(f"{site}/{name}")
    box = fieldset(page, tf)
    wrong_label = "Sai" if q["answer"] else "Đúng"
    radios = box.locator("input[type=radio]")
    radios.first.focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    for attempt in (1, 2):
        # Arrow keys move within the radio group; Space selects; Tab reaches the button.
        page.keyboard.press("Space")
        if box.locator("label.bq-opt:has(input:checked)").inner_text().strip() != wrong_label:
            page.keyboard.press("ArrowDown")
        assert wrong_label in box.locator("label.bq-opt:has(input:checked)").inner_text()
        page.keyboard.press("Tab")
        if (
            box.locator("details").count()
            and page.evaluate("document.activeElement.tagName") == "SUMMARY"
        ):
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Kiểm tra"
        page.keyboard.press("Enter")
        assert text_of(box.locator(".bq-fb")).startswith(WRONG)
        assert page.evaluate("document.activeElement.textContent") == "Làm lại"
        if attempt == 1:
            assert box.get_by_role("button", name="Xem đáp án").is_hidden()
            page.keyboard.press("Enter")  # try again: focus returns to the choices
            assert page.evaluate("document.activeElement.type") == "radio"
    assert outline not in ("", "none")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Xem đáp án"
    page.keyboard.press("Enter")
    said = text_of(box.locator(".bq-fb"))
    right_label = "Đúng" if q["answer"] else "Sai"
    assert said.startswith(f"Đáp án: {right_label}"), said
    assert plain(q["explanation"]) in said


# Text of the quiz against the background it sits on: (class, contrast ratio) per element.
RATIOS = """() => {
  const rgb = (s) => s.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const bg = (e) => { for (; e; e = e.parentElement) { const c = getComputedStyle(e)
    .backgroundColor; if (!/rgba\\(.*, 0\\)|transparent/.test(c)) return rgb(c); }
    return [255, 255, 255]; };
  return [...document.querySelectorAll(
    '.bq-quiz .bq-title, .bq-quiz .bq-btn:not([hidden]), .bq-quiz .bq-r, .bq-quiz .bq-w,'
    + ' .bq-quiz .bq-n,'
    + ' .bq-quiz legend, .bq-quiz a, .bq-quiz .bq-opt')].map((e) => {
    const a = lum(rgb(getComputedStyle(e).color)), b = lum(bg(e));
    return [e.className || e.tagName, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}"""


def test_colours_meet_contrast_and_marks_are_words(page, site: str) -> None:
    name, q = next((n, q) for n, q in QUESTIONS.values() if q["type"] == "multiple")
    page.goto(f"{site}/{name}")
    box = fieldset(page, q["id"])
    answer(box, q, right=False)
    ratios = page.evaluate(RATIOS)
    assert ratios and all(ratio >= 4.5 for _, ratio in ratios), ratios
    marks = box.locator(".bq-mark").all_inner_texts()
    assert any(m.startswith("✓ đúng") for m in marks) or any(m.startswith("✗ sai") for m in marks)


def test_the_quiz_takes_the_dark_theme_s_colours(browser, site: str) -> None:
    """In a dark page the quiz is dark too (the theme sets quiz.css's colour variables): its
    text, title, marks and controls keep 4.5:1, and form controls are drawn for a dark card."""
    name, q = next((n, q) for n, q in QUESTIONS.values() if q["type"] == "multiple")
    context = browser.new_context(color_scheme="dark", viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(f"{site}/{name}")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark == "rgb(18, 18, 18)", "the page follows the phone's dark setting"
    box = fieldset(page, q["id"])
    answer(box, q, right=False)
    ratios = page.evaluate(RATIOS)
    card = box.evaluate("(e) => getComputedStyle(e.closest('.bq-quiz')).backgroundColor")
    scheme = box.locator("input").first.evaluate("(e) => getComputedStyle(e).colorScheme")
    context.close()
    assert any(kind == "bq-title" for kind, _ in ratios), ratios
    assert ratios and all(ratio >= 4.5 for _, ratio in ratios), ratios
    assert card == "rgb(29, 33, 38)", card
    assert scheme == "dark", "checkboxes drawn for the dark card"


def test_quiz_fits_a_360_pixel_screen(page, site: str, tmp_path: Path) -> None:
    for name in sorted({n for n, _ in QUESTIONS.values()}):
        page.goto(f"{site}/{name}")
        for quiz in page.locator(".bq-quiz").all():
            quiz.scroll_into_view_if_needed()
            wide = quiz.evaluate("e => e.scrollWidth - e.clientWidth")
            assert wide <= 0, f"{name}: a quiz is {wide}px wider than the screen"
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)


XSS = {
    "quizzes/bai-mot.yml": """\
- id: doc-hai
  type: single
  prompt: "Câu <img src=x onerror=\\"window.__xss=1\\"> có **chữ đậm**, *nghiêng* và `mã`"
  choices:
    - text: "<script>window.__xss=2</script>Phương án A"
      correct: true
      feedback: "[bấm vào đây](thay-bang-script.html) và [nguồn](sources.html)"
    - text: "<b onmouseover=\\"window.__xss=4\\">Phương án B</b>"
  explanation: "<iframe src=\\"javascript:window.__xss=5\\"></iframe>Giải thích"
  source: nguon-a
""",
}


def test_html_and_script_in_questions_stay_inert(browser, tmp_path: Path) -> None:
    root = make_tree(tmp_path / "src", XSS)
    lesson = root / "course" / "lessons" / "bai-mot.md"
    text = lesson.read_text(encoding="utf-8")
    text = re.sub(r"```\{quiz\}.*", "```{quiz}\n:questions: doc-hai\n```\n", text, flags=re.S)
    lesson.write_text(text, encoding="utf-8")
    build(root, tmp_path / "out")
    # builder check refuses a javascript: link (link.scheme); put one into the built page to
    # prove the front end drops it too, should one ever get through.
    page_file = tmp_path / "out" / "book" / "bai-mot.html"
    built = page_file.read_text(encoding="utf-8")
    assert "thay-bang-script.html" in built
    page_file.write_text(
        built.replace("thay-bang-script.html", "javascript:window.__xss=3"), encoding="utf-8"
    )
    with serve(tmp_path / "out" / "book") as url:
        context = browser.new_context()
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{url}/bai-mot.html")
        page.wait_for_load_state("networkidle")
        quiz = page.locator(".bq-quiz")
        assert quiz.count() == 1
        legend = quiz.locator("legend")
        assert '<img src=x onerror="window.__xss=1">' in legend.inner_text()
        assert legend.locator("strong").inner_text() == "chữ đậm"
        assert legend.locator("em").inner_text() == "nghiêng"
        assert legend.locator("code").inner_text() == "mã"
        assert "<script>window.__xss=2</script>Phương án A" in quiz.inner_text()
        quiz.locator("label.bq-opt").filter(has_text="Phương án B").hover()
        quiz.locator("label.bq-opt").filter(has_text="Phương án A").click()
        quiz.get_by_role("button", name="Kiểm tra").click()
        feedback = quiz.locator(".bq-fb")
        assert "bấm vào đây" in feedback.inner_text()
        assert feedback.locator("a", has_text="bấm vào đây").count() == 0  # javascript: dropped
        assert feedback.locator("a", has_text="nguồn").get_attribute("href") == "sources.html"
        feedback.get_by_text("bấm vào đây").click()
        assert quiz.locator("img, script:not([type]), iframe, b").count() == 0
        assert page.evaluate("window.__xss") is None
        assert dialogs == []
        assert not any(r.endswith("/x") for r in requests)
        assert all(r.startswith(url) for r in requests)
        context.close()


# --- answers can be redone: "Làm lại", "Làm lại từ đầu", the front page's progress ---------

KEY = "bq:chuyen-doi-so@2026.1:"


@pytest.fixture(params=["http", "file"])
def learner(request: pytest.FixtureRequest, browser, bundled: Path, site: str):
    """A fresh browser profile (nothing saved yet) at phone width, and the book's base URL,
    served or opened as a file; no script error and no request outside the book."""
    base = site if request.param == "http" else (bundled / "book").as_uri()
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
    yield page, base
    context.close()
    assert errors == [] and outside == []


def saved(page) -> dict:
    """What the browser keeps for the bundled course: question id (or 'seed') -> value."""
    found = page.evaluate(
        "() => Object.fromEntries(Object.entries(localStorage).filter(([k]) => k.startsWith("
        + repr(KEY)
        + ")))"
    )
    return {
        k.removeprefix(KEY): v if k.endswith(":seed") else json.loads(v) for k, v in found.items()
    }


def quiz_of(box):
    return box.locator("xpath=ancestor::section[contains(@class,'bq-quiz')]")


def is_open(box) -> bool:
    """Ready for a fresh answer: nothing chosen or typed, no feedback, 'Kiểm tra' shown."""
    empty = box.evaluate(
        """(b) => [...b.querySelectorAll("input, select")].every((e) =>
             e.type == "radio" || e.type == "checkbox" ? !e.checked && !e.disabled
             : e.value == "" && !e.readOnly && !e.disabled)"""
    )
    return (
        empty
        and text_of(box.locator(".bq-fb")) == ""
        and box.get_by_role("button", name="Kiểm tra").is_visible()
        and box.get_by_role("button", name="Làm lại", exact=True).is_hidden()
    )


def first_of(kind: str, page_name: str | None = None) -> tuple[str, str, dict]:
    return next(
        (i, n, q)
        for i, (n, q) in QUESTIONS.items()
        if q["type"] == kind and (page_name is None or n == page_name)
    )


@pytest.mark.parametrize("kind", ["single", "numeric", "matching", "ordering"])
def test_try_again_clears_the_wrong_answer_and_its_stored_attempt(learner, kind: str) -> None:
    page, base = learner
    qid, name, q = first_of(kind)
    page.goto(f"{base}/{name}")
    box = fieldset(page, qid)
    first_order = box.locator("li").evaluate_all("els => els.map(e => e.dataset.id)")
    answer(box, q, right=False)
    assert text_of(box.locator(".bq-fb")).startswith(WRONG)
    assert saved(page)[qid]["response"] is not None and saved(page)[qid]["right"] is False
    box.get_by_role("button", name="Làm lại", exact=True).click()
    assert is_open(box)
    if kind == "ordering":
        assert box.locator("li").evaluate_all("els => els.map(e => e.dataset.id)") == first_order
    assert saved(page)[qid] == {"tries": 1}, "the attempt goes, its count stays"
    page.reload()
    box = fieldset(page, qid)
    assert is_open(box), "open after a reload too"
    answer(box, q, right=False)
    assert saved(page)[qid]["tries"] == 2
    assert box.get_by_role("button", name="Xem đáp án").is_visible(), "two tries: the answer"


def test_a_right_or_revealed_answer_can_be_tried_again_after_a_reload(learner) -> None:
    page, base = learner
    qid, name, q = first_of("single")
    tf, _, tq = first_of("true-false", name)
    page.goto(f"{base}/{name}")
    box = fieldset(page, qid)
    answer(box, q, right=True)
    score = quiz_of(box).locator(".bq-score")
    total = quiz_of(box).locator("fieldset").count()
    assert text_of(score) == f"Kết quả: đúng 1/{total} câu"
    assert saved(page)[qid] == {
        "response": q["answer"][0],
        "tries": 1,
        "revealed": False,
        "right": True,
    }
    other = fieldset(page, tf)
    answer(other, tq, right=False)
    other.get_by_role("button", name="Làm lại", exact=True).click()
    answer(other, tq, right=False)
    other.get_by_role("button", name="Xem đáp án").click()
    assert text_of(other.locator(".bq-fb")).startswith("Đáp án:")
    page.reload()
    box, other = fieldset(page, qid), fieldset(page, tf)
    assert text_of(box.locator(".bq-fb")).startswith(RIGHT)
    assert text_of(other.locator(".bq-fb")).startswith("Đáp án:")
    for done in (box, other):
        done.get_by_role("button", name="Làm lại", exact=True).click()
        assert is_open(done)
    assert text_of(quiz_of(box).locator(".bq-score")) == f"Kết quả: đúng 0/{total} câu"
    assert saved(page)[qid] == {"tries": 1} and saved(page)[tf] == {"tries": 2}
    answer(box, q, right=True)
    assert text_of(box.locator(".bq-fb")).startswith(RIGHT)
    assert saved(page)[qid]["tries"] == 2


def test_start_this_quiz_again_clears_every_question_of_that_quiz(learner) -> None:
    page, base = learner
    qid, name, q = first_of("numeric")
    page.goto(f"{base}/{name}")
    block = quiz_of(fieldset(page, qid))
    restart = block.get_by_role("button", name="Làm lại từ đầu")
    assert restart.is_hidden(), "nothing to start again yet"
    ids = block.locator("fieldset").evaluate_all("els => els.map(e => e.dataset.q)")
    for n, other in enumerate(ids[:3]):
        answer(fieldset(page, other), QUESTIONS[other][1], right=n % 2 == 0)
    elsewhere = [
        b for b in page.locator(".bq-quiz").all() if b.locator(f'[data-q="{qid}"]').count() == 0
    ]
    kept = elsewhere[0].locator("fieldset").first.get_attribute("data-q")
    answer(fieldset(page, kept), QUESTIONS[kept][1], right=True)
    assert set(ids[:3]) | {kept} <= set(saved(page))
    restart.click()
    assert all(is_open(fieldset(page, i)) for i in ids)
    assert text_of(block.locator(".bq-score")) == f"Kết quả: đúng 0/{len(ids)} câu"
    assert restart.is_hidden()
    assert page.evaluate("document.activeElement.closest('fieldset').dataset.q") == ids[0]
    assert not set(ids) & set(saved(page)) and kept in saved(page), "only this quiz is cleared"
    page.reload()
    assert all(is_open(fieldset(page, i)) for i in ids)
    assert text_of(fieldset(page, kept).locator(".bq-fb")).startswith(RIGHT)


def test_the_front_page_shows_progress_and_clears_this_computer(learner) -> None:
    page, base = learner
    lesson = "chuyen-doi-so-la-gi"
    mine = [(i, q) for i, (n, q) in QUESTIONS.items() if n == f"{lesson}.html"]
    page.goto(f"{base}/index.html")
    progress = page.locator(f'[data-bq-lesson="{lesson}"]')
    clear = page.get_by_role("button", name="Xóa kết quả trên máy này")
    assert text_of(progress) == "" and clear.is_hidden(), "nothing shown before an answer"
    page.goto(f"{base}/{lesson}.html")
    for (qid, q), right in zip(mine[:3], (True, False, True), strict=True):
        answer(fieldset(page, qid), q, right=right)
    page.goto(f"{base}/index.html")
    total = len({i for i, _ in mine})
    assert text_of(progress) == f"3/{total} câu đã làm, 2 đúng"
    others = page.locator("[data-bq-lesson]").all_inner_texts()
    assert (
        len(others) == len({n for n, _ in QUESTIONS.values()})
        and sum(1 for t in others if t.strip()) == 1
    )
    page.once("dialog", lambda d: d.dismiss())
    clear.click()
    assert text_of(progress) == f"3/{total} câu đã làm, 2 đúng", "cancelled: nothing cleared"
    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    clear.click()
    assert asked == ["Xóa mọi câu trả lời đã lưu trong trình duyệt này?"]
    assert saved(page) == {}
    assert text_of(progress) == "" and clear.is_hidden()
    assert text_of(page.locator("#bq-said")) == "Đã xóa kết quả trên máy này."
    page.goto(f"{base}/{lesson}.html")
    assert all(is_open(fieldset(page, qid)) for qid, _ in mine[:3])


def test_the_live_widget_tells_its_model_of_every_reset(page, site: str) -> None:
    """In Jupyter the same render() runs on the widget's model: "Làm lại" and "Làm lại từ
    đầu" reach the ``answers`` trait through save_changes (Python's score reads it), and
    answers set from Python redraw the block."""
    qid, name, q = first_of("single")
    page.goto(f"{site}/{name}")
    page.evaluate(
        """async (qid) => {
        // the page's quiz payload, as the book wrote it (mounting replaced it)
        const html = await (await fetch(location.href)).text();
        const doc = new DOMParser().parseFromString(html, "text/html");
        const quiz = JSON.parse(doc.querySelector("[data-bq] script").textContent);
        quiz.questions = quiz.questions.filter((q) => q.id == qid);
        const el = document.createElement("div");
        el.id = "live";
        document.querySelector("main").prepend(el);
        const d = { quiz, answers: {} }, heard = [];
        window.model = { d, synced: [], heard,
          get: (k) => d[k], set: (k, v) => (d[k] = v), on: (e, f) => heard.push(f), off() {},
          save_changes() { this.synced.push(JSON.parse(JSON.stringify(d.answers))); } };
        builderQuiz.render({ model, el });
        }""",
        qid,
    )
    live = page.locator("#live")
    box = live.locator("fieldset")
    answer(box, q, right=False)
    answer_state = page.evaluate("model.synced.at(-1)")
    assert answer_state[qid]["right"] is False and answer_state[qid]["tries"] == 1
    box.get_by_role("button", name="Làm lại", exact=True).click()
    assert page.evaluate("model.synced.at(-1)") == {qid: {"tries": 1}}
    answer(box, q, right=True)
    live.get_by_role("button", name="Làm lại từ đầu").click()
    assert page.evaluate("model.synced.at(-1)") == {}
    assert is_open(box)
    # From Python: quiz.answers = {...} reaches the browser as a change of the trait.
    page.evaluate(
        """([qid, key]) => { model.d.answers = { [qid]: { response: key, tries: 1,
           revealed: false } }; model.heard.forEach((f) => f()); }""",
        [qid, q["key"]],
    )
    assert text_of(box.locator(".bq-fb")).startswith(RIGHT)
