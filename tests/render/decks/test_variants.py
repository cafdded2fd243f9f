"""Sessions that vary by place and date: a province session leaves out what is marked for,
or states the figures of, other places; a dated session (a replica of a past training) leaves
out the figures dated after it, and the checks say what it cannot leave out by itself."""

from __future__ import annotations

from pathlib import Path

from builder.checks.run import load_and_check
from builder.render.decks import plan
from tests.helpers import BASE, make_tree

FACTS = BASE["course/facts.yml"] + (
    "- id: qt-to\n  label: Số tổ ở Quảng Trị\n  value: 1200\n  unit: tổ\n  place: Quảng Trị\n"
    "  date: 2022-08-01\n  source: nguon-a\n  quote: 1.200 tổ\n"
    "- id: th-to\n  label: Số tổ ở Thanh Hóa\n  value: 4000\n  unit: tổ\n  place: Thanh Hóa\n"
    "  date: 2022-08-01\n  source: nguon-a\n  quote: 4.000 tổ\n"
    "- id: qt-sau\n  label: Số tổ ở Quảng Trị cuối năm\n  value: 1500\n  unit: tổ\n"
    "  place: Quảng Trị\n  date: 2022-12-01\n  source: nguon-a\n  quote: 1.500 tổ\n"
)
LESSON = BASE["course/lessons/bai-mot.md"] + (
    "\n## Tổ công nghệ số\n\n"
    ":::{slide}\n- Quảng Trị có {fact}`qt-to`.\n- Thanh Hóa có {fact}`th-to`.\n"
    "- Cuối năm: {fact}`qt-sau`.\n- Tổ đến từng nhà.\n:::\n\n"
    "Quảng Trị đã lập {fact}`qt-to`.\n\n"
    "Thanh Hóa đã lập {fact}`th-to` CHỈ-THANH-HÓA.\n\n"
    "Đến cuối năm có {fact-value}`qt-sau` tổ SAU-BUỔI-HỌC.\n\n"
    "```{chart} Số tổ hai tỉnh\n:facts: qt-to th-to\n```\n\n"
    "## Thanh Hóa làm trước\n\n"
    ":::{slide}\n:place: Thanh Hóa\n- Việc Thanh Hóa đã làm.\n:::\n\n"
    "Đoạn văn RIÊNG-THANH-HÓA.\n"
)
DECK = (
    "title: Buổi ở Quảng Trị\ndate: 2022-09-16\nprovince: Quảng Trị\nplace: Quảng Trị\n"
    "lessons:\n  - bai-mot\n"
)


def planned(
    tmp_path: Path, deck: str = DECK, lesson: str = LESSON, bank: str = BASE["quizzes/bai-mot.yml"]
) -> tuple[list, object]:
    root = make_tree(
        tmp_path,
        {
            "course/facts.yml": FACTS,
            "course/lessons/bai-mot.md": lesson,
            "slides/decks/buoi-mot.yml": deck,
            "quizzes/bai-mot.yml": bank,
        },
    )
    course, problems = load_and_check(root)
    assert course is not None, problems.sorted()
    return plan.plan(course, course.decks["buoi-mot"]), problems


def everything(units: list) -> str:
    shown = [p.text for u in units for p in (*u.paras, *u.more)]
    said = [n for u in units for n in (*u.notes, *u.lead, *u.after)]
    return "\n".join(shown + said + [u.title for u in units])


def test_a_province_session_shows_its_own_place_and_what_was_known_on_its_day(
    tmp_path: Path,
) -> None:
    units, problems = planned(tmp_path)
    text = everything(units)
    sessions = [p for p in problems.sorted() if p.code.startswith(("deck.", "slide."))]
    assert not problems.errors() and not sessions, [str(p) for p in sessions]
    assert "Quảng Trị có 1.200 tổ." in text and "Quảng Trị đã lập 1.200 tổ." in text
    assert "Tổ đến từng nhà." in text
    assert "CHỈ-THANH-HÓA" not in text and "Thanh Hóa có" not in text  # another place's figure
    assert "SAU-BUỔI-HỌC" not in text and "Cuối năm" not in text  # dated after the session
    assert "RIÊNG-THANH-HÓA" not in text and "Thanh Hóa làm trước" not in text  # :place:
    assert not [u for u in units if u.kind == "chart" and u.title == "Số tổ hai tỉnh"]
    figures = [f.label for u in units if u.kind == "figures" for f in u.figures]
    assert "Số tổ ở Thanh Hóa" not in figures and "Số tổ ở Quảng Trị cuối năm" not in figures


def test_without_province_or_date_everything_is_shown(tmp_path: Path) -> None:
    units, _ = planned(tmp_path, "title: Buổi\nlessons:\n  - bai-mot\n")
    text = everything(units)
    for marker in ("CHỈ-THANH-HÓA", "SAU-BUỔI-HỌC", "RIÊNG-THANH-HÓA", "Thanh Hóa làm trước"):
        assert marker in text
    assert [u for u in units if u.kind == "chart" and u.title == "Số tổ hai tỉnh"]


def test_questions_resting_on_figures_the_session_cannot_show_are_not_asked(
    tmp_path: Path,
) -> None:
    """The true-false question rests on 'ty-le' (no place, no date): asked; the numeric one,
    moved onto another place's figure, is not."""
    bank = BASE["quizzes/bai-mot.yml"].replace("source: [so-to]", "source: [th-to]")
    deck = DECK.replace("lessons:", "questions: 7\nlessons:")
    units, _ = planned(tmp_path, deck, bank=bank)
    prompts = [u.paras[0].text for u in units if u.kind == "question"]
    assert "Tỷ lệ ký số đạt 98,72%." in prompts and "Có bao nhiêu tổ?" not in prompts
    units, _ = planned(
        tmp_path / "all", "title: Buổi\nquestions: 7\nlessons: [bai-mot]\n", bank=bank
    )
    assert "Có bao nhiêu tổ?" in [u.paras[0].text for u in units if u.kind == "question"]


def test_what_a_dated_session_cannot_leave_out_is_flagged(tmp_path: Path) -> None:
    lesson = LESSON.replace(
        "## Tổ công nghệ số\n", "## Tổ công nghệ số đến {fact-value}`qt-sau` tổ\n"
    )
    deck = DECK.replace("lessons:\n  - bai-mot\n", "")
    deck += "lessons:\n  - lesson: bai-mot\n    sections:\n      - Phần đầu\n"
    deck += "      - Tổ công nghệ số đến qt-sau tổ\n      - Thanh Hóa làm trước\n"
    _, problems = planned(tmp_path, deck, lesson)
    found = {p.code: str(p) for p in problems.sorted()}
    assert "slides/decks/buoi-mot.yml:" in found["deck.future-fact"]
    assert "qt-sau (1/12/2022, line" in found["deck.future-fact"]
    assert "leave the section out with 'sections'" in found["deck.future-fact"]
    assert "marked for Thanh Hóa" in found["deck.place"]
    assert "remove it from 'sections'" in found["deck.place"]


def test_a_place_no_fact_has_is_flagged_on_the_slide(tmp_path: Path) -> None:
    lesson = LESSON.replace(":place: Thanh Hóa", ":place: Thanh Hoa")
    _, problems = planned(tmp_path, "title: Buổi\nlessons:\n  - bai-mot\n", lesson)
    (problem,) = [p for p in problems.sorted() if p.code == "slide.place"]
    assert str(problem).startswith("course/lessons/bai-mot.md:")
    assert "no fact has place 'Thanh Hoa'" in str(problem) and "Thanh Hóa" in str(problem)
