"""SCORM packages played in Chromium under scorm-again, an independent LMS-side runtime: a
learner answers a lesson's quiz in its SCO; the test reads what the LMS's API received, then
resumes the attempt in a fresh browser and finds the answers where the learner left them."""

from __future__ import annotations

import io
import json
import shutil
import urllib.parse
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from builder.checks.run import load_and_check
from builder.export import scorm
from builder.quizzes import client, placement
from tests.conftest import REPO
from tests.integration.conftest import serve
from tests.integration.test_quiz_browser import answer

HERE = Path(__file__).resolve().parent
RUNTIME = REPO / "tests" / "js" / "node_modules" / "scorm-again" / "dist"
COURSE, _ = load_and_check(REPO)


def unpacked(bundled: Path, folder: Path, version: str, per: str = "lesson") -> Path:
    """The package extracted as an LMS does, with the test LMS beside it."""
    if not (RUNTIME / "scorm12.js").is_file():
        pytest.fail("scorm-again is missing: run npm ci in tests/js (.ci/run does)")
    made = scorm.package(COURSE, bundled / "book", version, per)
    zipfile.ZipFile(io.BytesIO(made.data)).extractall(folder)
    shutil.copy(HERE / "lms.html", folder / "lms.html")
    for name in ("scorm12.js", "scorm2004.js"):
        shutil.copy(RUNTIME / name, folder / name)
    return folder


def forms(lesson_id: str) -> list[dict]:
    lesson = COURSE.lessons[lesson_id]
    ids = placement.shown(placement.placements(COURSE, lesson))
    return [client.client_question(COURSE, COURSE.questions[i]) for i in ids]


def launch(browser, url: str, version: str, sco: str, start: dict | None = None):
    """A new browser (its own storage), the test LMS, the SCO in it; returns the page and the
    frame showing the book's page."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
    page.on("request", lambda r: r.url.startswith(url) or problems.append(f"outside: {r.url}"))
    fragment = "#" + urllib.parse.quote(json.dumps(start)) if start else ""
    page.goto(f"{url}/lms.html?v={version}&sco={sco}{fragment}")
    book = page.frame_locator("#sco").frame_locator("#bq-page")
    book.locator("fieldset[data-q]").first.wait_for()
    return page, book, problems


def calls(page) -> list[dict]:
    return page.evaluate("window.calls")


def last_set(page) -> dict[str, str]:
    """Each data-model element's last value the SCO set."""
    return {c["args"][0]: c["args"][1] for c in calls(page) if c["name"] == "SetValue"}


def leave(page) -> None:
    """The learner leaves the SCO (the LMS closes its frame)."""
    page.evaluate("document.getElementById('sco').remove()")
    page.wait_for_function("() => window.calls.some(c => c.name == 'Terminate')")


CASES = {
    # SCORM 1.2 on a lesson with the most questions (18: what suspend data must hold); 3 wrong
    # of 18 is 83 %, over the mastery score of 80 %. SCORM 2004 on a lesson with every type;
    # 4 wrong of 17 is 76 %: failed.
    "1.2": ("an-toan-thong-tin", 3),
    "2004": ("kinh-te-so", 4),
}


@pytest.mark.parametrize("version", scorm.VERSIONS)
def test_a_learner_s_answers_reach_the_lms_and_resume(
    browser, bundled: Path, tmp_path: Path, version: str
) -> None:
    lesson, wrong = CASES[version]
    v12 = version == "1.2"
    questions = forms(lesson)
    folder = unpacked(bundled, tmp_path / "package", version)
    with serve(folder) as url:
        page, book, problems = launch(browser, url, version, f"sco-{lesson}.html")
        first = calls(page)
        assert first[0]["name"] == "Initialize" and first[0]["result"] == "true"
        status = "cmi.core.lesson_status" if v12 else "cmi.completion_status"
        assert last_set(page)[status] == "incomplete"

        for n, q in enumerate(questions):
            box = book.locator(f'fieldset[data-q="{q["id"]}"]')
            box.scroll_into_view_if_needed()
            answer(box, q, right=n >= wrong)
            page.wait_for_function(
                "([id, n]) => window.calls.filter(c => c.name == 'SetValue' && c.args[1] == id)"
                ".length == 1 && window.calls.at(-1).name == 'Commit'",
                arg=[q["id"], n],
            )
            if n == 0:  # no score before the last answer: an LMS would read it as failed
                assert not any(
                    k.startswith(("cmi.core.score", "cmi.score")) for k in last_set(page)
                )
        made = calls(page)
        # (SCORM 2004 answers 403 to reading an element nothing has set yet: a first attempt's
        # suspend data, a passing score the LMS does not give.)
        refused = [
            c for c in made if c["error"] not in ("0", "403" if c["name"] == "GetValue" else "0")
        ]
        assert refused == [], "the LMS refused a value"
        values = last_set(page)
        right = len(questions) - wrong
        raw = round(100 * right / len(questions))
        passed = raw >= 80
        if v12:
            assert values["cmi.core.score.raw"] == str(raw)
            assert values["cmi.core.lesson_status"] == ("passed" if passed else "failed")
        else:
            assert values["cmi.score.raw"] == str(raw)
            assert float(values["cmi.score.scaled"]) == pytest.approx(right / len(questions), 1e-3)
            assert values["cmi.completion_status"] == "completed"
            assert values["cmi.success_status"] == ("passed" if passed else "failed")
        assert passed is v12  # the cases were chosen so
        # One interaction per answer, in order, with its type, the right response and whether
        # the learner's was right.
        interactions = {}
        for element, value in values.items():
            if element.startswith("cmi.interactions."):
                index, field = element[len("cmi.interactions.") :].split(".", 1)
                interactions.setdefault(int(index), {})[field] = value
        assert [interactions[i]["id"] for i in sorted(interactions)] == [q["id"] for q in questions]
        results = [interactions[i]["result"] for i in sorted(interactions)]
        assert results == ["wrong" if v12 else "incorrect"] * wrong + ["correct"] * right
        types = {interactions[i]["type"] for i in interactions}
        if not v12:
            assert types == {"choice", "true-false", "numeric", "fill-in", "matching", "sequencing"}
        for i, q in enumerate(questions):
            kind = interactions[i]
            response = kind["student_response" if v12 else "learner_response"]
            if i >= wrong and "correct_responses.0.pattern" in kind:
                if q["type"] in ("single", "multiple", "matching", "ordering", "true-false"):
                    assert response == kind["correct_responses.0.pattern"], q["id"]
        suspend = values["cmi.suspend_data"]
        assert len(suspend) <= 4096
        print(f"SCORM {version}: {lesson}, {len(questions)} questions answered: "
              f"suspend data {len(suspend)} characters")  # fmt: skip

        leave(page)
        ending = calls(page)[-4:]
        exit_element = "cmi.core.exit" if v12 else "cmi.exit"
        time_element = "cmi.core.session_time" if v12 else "cmi.session_time"
        assert [c["name"] for c in ending][-2:] == ["Commit", "Terminate"]
        values = last_set(page)
        assert values[exit_element] == ("" if passed else "suspend")  # failed: may try again
        assert values[time_element]
        assert problems == []
        page.context.close()

        # The next day, on another computer: the LMS gives the SCO what it stored.
        kept = {"suspend_data": suspend}
        if v12:
            start = {"core": {"entry": "resume", "lesson_status": values[status]}, **kept}
        else:
            start = {"entry": "resume", "completion_status": "completed", **kept}
        page, book, problems = launch(browser, url, version, f"sco-{lesson}.html", start)
        for n, q in enumerate(questions):
            box = book.locator(f'fieldset[data-q="{q["id"]}"]')
            expected = "bq-q bq-no" if n < wrong else "bq-q bq-ok"
            assert box.get_attribute("class") == expected, q["id"]
        # Resuming reports nothing new until the learner does something.
        assert [c["name"] for c in calls(page) if c["name"] == "SetValue"] == []
        assert problems == []
        page.context.close()


def test_a_new_attempt_starts_empty_at_a_shared_computer(browser, bundled: Path, tmp_path: Path):
    """The answers a previous learner left in this browser are not the next learner's: an
    attempt without suspend data starts with every question open."""
    lesson = "quang-tri-tra-vinh"
    q = forms(lesson)[0]
    folder = unpacked(bundled, tmp_path / "package", "1.2")
    with serve(folder) as url:
        mastery = {"student_data": {"mastery_score": "80"}}  # as Moodle gives it
        page, book, problems = launch(browser, url, "1.2", f"sco-{lesson}.html", mastery)
        box = book.locator(f'fieldset[data-q="{q["id"]}"]')
        answer(box, q, right=True)
        page.wait_for_function("() => window.calls.at(-1).name == 'Commit'")
        assert box.get_attribute("class") == "bq-q bq-ok"
        leave(page)
        # One answer of eleven, and the LMS knows the mastery score: not failed, unfinished.
        assert page.evaluate("window.API.cmi.core.lesson_status") == "incomplete"
        # Same browser, a new LMS session with nothing stored for this learner.
        page.goto(f"{url}/lms.html?v=1.2&sco=sco-{lesson}.html")
        book = page.frame_locator("#sco").frame_locator("#bq-page")
        box = book.locator(f'fieldset[data-q="{q["id"]}"]')
        box.wait_for()
        assert box.get_attribute("class") == "bq-q"
        assert problems == []
        page.context.close()


def test_a_module_sco_keeps_one_session_across_its_lessons(
    browser, bundled: Path, tmp_path: Path
) -> None:
    """With one SCO per module, the learner moves between the module's lessons inside it
    (the book's own links); answers on both pages are reported in one session."""
    module = COURSE.info.modules[0]
    one, two = module.lessons[:2]
    folder = unpacked(bundled, tmp_path / "package", "2004", per="module")
    with serve(folder) as url:
        start = {"scaled_passing_score": "0.8"}
        page, book, problems = launch(browser, url, "2004", f"sco-{module.id}.html", start)
        q1, q2 = forms(one)[0], forms(two)[0]
        answer(book.locator(f'fieldset[data-q="{q1["id"]}"]'), q1, right=True)
        page.wait_for_function("() => window.calls.at(-1).name == 'Commit'")
        book.locator(f'a[rel=next][href="{two}.html"]').click()
        box = book.locator(f'fieldset[data-q="{q2["id"]}"]')
        answer(box, q2, right=False)
        page.wait_for_function(
            "id => window.calls.some(c => c.args[1] == id)", arg=q2["id"]
        )  # fmt: skip
        page.wait_for_function("() => window.calls.at(-1).name == 'Commit'")
        values = last_set(page)
        assert values["cmi.interactions.0.id"] == q1["id"]
        assert values["cmi.interactions.1.id"] == q2["id"]
        assert values["cmi.interactions.1.result"] == "incorrect"
        # The next lesson is another module's SCO: the link to it is text here.
        following = book.locator('a[rel="next"]')
        following.wait_for()
        page.wait_for_function(
            "() => !document.querySelector('#sco').contentDocument.querySelector('#bq-page')"
            ".contentDocument.querySelector('a[rel=next][href]')"
        )
        assert (
            following.get_attribute("title")
            == "Mở bài này từ danh mục bài học của hệ thống học tập"
        )
        assert "cmi.score.raw" not in values and "cmi.score.scaled" not in values
        assert values["cmi.completion_status"] == "incomplete"
        assert [c["name"] for c in calls(page)].count("Initialize") == 1
        leave(page)
        assert last_set(page)["cmi.exit"] == "suspend"
        # The LMS gave a passing score (as the manifest asks): unfinished is not failed.
        assert page.evaluate("window.API_1484_11.cmi.success_status") == "unknown"
        assert problems == []
        page.context.close()


def test_without_an_lms_the_launch_page_opens_the_book_s_page(
    browser, bundled: Path, tmp_path: Path
) -> None:
    folder = unpacked(bundled, tmp_path / "package", "1.2")
    with serve(folder) as url:
        page = browser.new_page()
        page.goto(f"{url}/sco-xa-hoi-so.html")
        page.wait_for_url(f"{url}/xa-hoi-so.html")
        assert page.locator("fieldset[data-q]").count() == len(forms("xa-hoi-so"))
        page.close()


def test_an_answer_seen_before_it_was_right_does_not_score(
    browser, bundled: Path, tmp_path: Path
) -> None:
    """In the book a learner may ask for the answer, try again and answer right; the LMS's
    score does not count that question, in this attempt or after resuming it."""
    lesson = "quang-tri-tra-vinh"
    questions = forms(lesson)
    q = next(f for f in questions if f["type"] == "single")
    folder = unpacked(bundled, tmp_path / "package", "1.2")
    with serve(folder) as url:
        page, book, problems = launch(browser, url, "1.2", f"sco-{lesson}.html")
        box = book.locator(f'fieldset[data-q="{q["id"]}"]')
        for _ in range(2):
            answer(box, q, right=False)
            box.get_by_role("button", name="Làm lại", exact=True).click()
        answer(box, q, right=False)
        box.get_by_role("button", name="Xem đáp án").click()
        box.get_by_role("button", name="Làm lại", exact=True).click()
        answer(box, q, right=True)
        page.wait_for_function("() => window.calls.at(-1).name == 'Commit'")
        assert box.get_attribute("class") == "bq-q bq-ok"
        values = last_set(page)
        count = sum(1 for k in values if k.endswith(".id") and k.startswith("cmi.interactions."))
        assert values[f"cmi.interactions.{count - 1}.result"] == "correct"  # as answered
        suspend = values["cmi.suspend_data"]
        leave(page)
        page.context.close()
        # Resumed: every other question answered right; the one whose answer was shown is not.
        start = {"core": {"entry": "resume"}, "suspend_data": suspend}
        page, book, problems = launch(browser, url, "1.2", f"sco-{lesson}.html", start)
        for other in questions:
            if other["id"] != q["id"]:
                answer(book.locator(f'fieldset[data-q="{other["id"]}"]'), other, right=True)
        page.wait_for_function(
            "() => window.calls.some(c => c.args[0] == 'cmi.core.lesson_status' &&"
            " c.args[1] == 'passed')"
        )
        total = len(questions)
        assert last_set(page)["cmi.core.score.raw"] == str(round(100 * (total - 1) / total))
        assert problems == []
        page.context.close()


def test_a_lesson_without_questions_is_completed_once_read_to_the_end(
    browser, tmp_path: Path
) -> None:
    from builder.commands.build import build  # noqa: PLC0415
    from tests.helpers import BASE, make_tree  # noqa: PLC0415

    text = BASE["course/lessons/bai-mot.md"]
    text = text[: text.index("```{quiz}")] + "\n".join(
        f"Đoạn {n}: người dân học cách dùng dịch vụ công trực tuyến.\n" for n in range(60)
    )
    root = make_tree(tmp_path / "tree", {"course/lessons/bai-mot.md": text})
    build(root, root / "_build")
    course, _ = load_and_check(root)
    made = scorm.package(course, root / "_build" / "book", "1.2")
    assert made.scos[0].questions == []
    folder = tmp_path / "package"
    zipfile.ZipFile(io.BytesIO(made.data)).extractall(folder)
    shutil.copy(HERE / "lms.html", folder / "lms.html")
    shutil.copy(RUNTIME / "scorm12.js", folder / "scorm12.js")
    with serve(folder) as url:
        page = browser.new_page(viewport={"width": 800, "height": 600})
        page.goto(f"{url}/lms.html?v=1.2&sco=sco-bai-mot.html")
        book = page.frame_locator("#sco").frame_locator("#bq-page")
        book.get_by_text("Đoạn 0:").wait_for()
        assert last_set(page)["cmi.core.lesson_status"] == "incomplete"
        manifest = etree.fromstring(zipfile.ZipFile(io.BytesIO(made.data)).read("imsmanifest.xml"))
        assert manifest.find(".//{*}masteryscore") is None  # nothing to pass
        book.get_by_text("Đoạn 59:").scroll_into_view_if_needed()
        book.locator(
            "footer, .prev-next-area, a[rel=next], a[rel=prev]"
        ).last.scroll_into_view_if_needed()
        page.wait_for_function(
            "() => window.calls.some(c => c.args[1] == 'completed')"
        )  # fmt: skip
        leave(page)
        assert last_set(page)["cmi.core.exit"] == ""
        page.close()
