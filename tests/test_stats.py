"""``builder stats``: the figures of a small course whose every number is known, the rule for
figures written without a fact, and the bundled course's totals."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.checks.run import load_and_check
from builder.commands import stats
from tests.conftest import REPO
from tests.helpers import BASE, make_tree

# Every figure of this lesson is counted by hand below.
LESSON = """\
---
title: Bài một [bold]Xã hội số[/bold]
objectives:
  - Hiểu ba trụ cột.
keypoints:
  - Ghi nhớ một.
duration:
  teaching: 10
  exercises: 5
audience:
  - can-bo
---

## Phần đầu

Năm 2022, tỷ lệ ký số đạt {fact}`ty-le` và có {fact}`so-to`.
Xã có 35 máy tính theo Quyết định 749/QĐ-TTg ngày 6/10/2022.

### Chi tiết

{term}`Chính quyền số` cần xã hội số.

```{notes}
:minutes: 3
Hỏi lớp 12 câu về xã hội số.
```

```{chart} Số xã có mạng, 2022
:facts: so-xa
```

```{quiz} Ôn tập
:questions: chon-mot dung-sai
```

## Phần hai

Cuối cùng là {term}`ăn khớp`.

```{quiz}
:questions: chon-hai
```
"""

FACTS = (
    BASE["course/facts.yml"]
    + """\
- id: so-xa
  label: Số xã có mạng
  value: 120
  unit: xã
  source: nguon-a
  quote: 120 xã
- id: ty-le-cau
  label: Tỷ lệ trong câu hỏi
  value: 45.5
  unit: "%"
  source: nguon-a
  quote: đạt 45,5%
- id: so-to-2
  label: Số tổ khác
  value: 14478
  unit: tổ
  source: nguon-a
  quote: 14.478 tổ
"""
)

# 'so' (numeric, shown by no lesson) now rests on so-to-2; a second single-choice question
# shows ty-le-cau in its prompt.
BANK = BASE["quizzes/bai-mot.yml"].replace("  source: [so-to]\n", "  source: [so-to-2]\n") + (
    """\
- id: chon-hai
  type: single
  prompt: Năm 2022, tỷ lệ {fact}`ty-le-cau` là của ai?
  choices:
    - text: Của xã
      correct: true
    - text: Của tỉnh
  explanation: Của xã.
  source: nguon-a
"""
)

SESSIONS = {
    "slides/decks/buoi-mot.yml": """\
title: Buổi tập huấn
start: "08:00"
length: 60
questions: 2
lessons:
  - title: Khai mạc
    minutes: 10
  - bai-mot
""",
    "slides/decks/buoi-hai.yml": """\
title: Buổi hai
lessons:
  - lesson: bai-mot
    sections: [Phần hai]
    minutes: 5
""",
}


def line_of(text: str) -> int:
    """The file line of the lesson that holds ``text``."""
    return next(n for n, line in enumerate(LESSON.splitlines(), start=1) if text in line)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(
        tmp_path,
        {
            "course/lessons/bai-mot.md": LESSON,
            "course/facts.yml": FACTS,
            "quizzes/bai-mot.yml": BANK,
            **SESSIONS,
        },
    )


def run(*args: str):
    return CliRunner(env={"COLUMNS": "200"}).invoke(stats.stats, list(args), catch_exceptions=False)


def test_the_fixture_loads_with_one_warning_only(tree: Path) -> None:
    course, problems = load_and_check(tree)
    assert course is not None
    assert [p.code for p in problems.items] == ["term.unlinked"]


def test_a_lesson_counted_by_hand(tree: Path) -> None:
    result = run("--json", "--root", str(tree))
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    (lesson,) = figures["lessons"]
    # Prose words: 'Phần đầu' 2; the paragraph 11 + 11 (a fact role is one word, and so are
    # '749/QĐ-TTg' and '6/10/2022.'); 'Chi tiết' 2; 'Chính quyền số cần xã hội số.' 7; 'Phần
    # hai' 2; 'Cuối cùng là ăn khớp.' 5. Trainer notes, charts and quizzes are not prose.
    assert lesson["words"] == 40
    assert lesson["minutes"] == {
        "stated": 15,
        "estimated": 7,
        "teaching": {"stated": 10, "estimated": 1},  # 40 words at 120 a minute
        "exercises": {"stated": 5, "estimated": 6},  # 3 minutes of notes, 3 questions
    }
    assert lesson["sections"] == 2  # '###' is not a section
    assert lesson["questions"] == {"single": 2, "true-false": 1}
    # Roles (ty-le, so-to), the chart (so-xa), the questions shown: dung-sai rests on ty-le,
    # chon-hai shows ty-le-cau. so-to-2 only a question no lesson shows rests on.
    assert lesson["facts"] == ["so-to", "so-xa", "ty-le", "ty-le-cau"]
    assert lesson["bare_figures"] == [
        {
            "line": line_of("35 máy tính"),
            "text": "35",
            "context": "Xã có 35 máy tính theo Quyết định 749/QĐ-TTg ngày 6/10/2022.",
        }
    ]
    assert lesson["unlinked_terms"] == [
        {"line": line_of("cần xã hội số"), "term": "Xã hội số", "text": "xã hội số"}
    ]
    assert lesson["title"] == "Bài một [bold]Xã hội số[/bold]"
    assert lesson["path"] == "course/lessons/bai-mot.md"


def test_the_course_totals_and_the_facts_nothing_uses(tree: Path) -> None:
    figures = json.loads(run("--json", "--root", str(tree)).stdout)
    assert figures["facts_unused"] == ["ngay"]  # a date fact no lesson or question uses
    course = figures["course"]
    assert course == {
        "title": "Khóa thử nghiệm",
        "lessons": 1,
        "sessions": 2,
        "minutes": figures["lessons"][0]["minutes"],
        "sections": 2,
        "words": 40,
        "questions": {"single": 2, "true-false": 1},
        "questions_in_banks": {
            "single": 2,
            "multiple": 1,
            "true-false": 1,
            "numeric": 1,
            "text": 1,
            "matching": 1,
            "ordering": 1,
        },
        "facts": 6,
        "facts_used": 5,  # so-to-2 through the question no lesson shows
        "facts_in_lessons": 4,
        "facts_unused": 1,
        "bare_figures": 1,
        "unlinked_terms": 1,
    }


def test_sessions_parts_minutes_and_the_questions_their_slides_ask(tree: Path) -> None:
    figures = json.loads(run("--json", "--root", str(tree)).stdout)
    two, one = figures["sessions"]  # by id: buoi-hai, buoi-mot
    assert one["id"] == "buoi-mot" and one["path"] == "slides/decks/buoi-mot.yml"
    assert (one["title"], one["length"], one["minutes"]) == ("Buổi tập huấn", 60, 25)
    assert one["parts"] == [
        {
            "title": "Khai mạc",
            "lesson": None,
            "sections": [],
            "start": 0,
            "clock": "08:00",
            "minutes": 10,
            "duration": None,
            "questions": {},
        },
        {
            "title": "Bài một [bold]Xã hội số[/bold]",
            "lesson": "bai-mot",
            "sections": [],
            "start": 10,
            "clock": "08:10",
            "minutes": 15,
            "duration": 15,
            # two questions, in turn from each quiz: chon-mot, then chon-hai
            "questions": {"single": 2},
        },
    ]
    assert one["questions"] == {"single": 2}
    # Only 'Phần hai', given 5 minutes: its one quiz asks chon-hai.
    assert (two["length"], two["minutes"]) == (None, 5)
    (part,) = two["parts"]
    assert (part["sections"], part["minutes"], part["duration"]) == (["Phần hai"], 5, 15)
    assert part["clock"] == "0:00" and part["questions"] == two["questions"] == {"single": 1}


def test_the_terminal_tables_keep_titles_as_written(tree: Path) -> None:
    result = run("--root", str(tree))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Khóa thử nghiệm" in out
    assert "Bài một [bold]Xã hội số[/bold]" in out  # author text is never rich markup
    assert "Buổi tập huấn (buoi-mot)" in out
    assert f"course/lessons/bai-mot.md:{line_of('35 máy')}: figure without a fact: 35" in out
    term_line = line_of("cần xã hội số")
    assert f"course/lessons/bai-mot.md:{term_line}: first use of a term, not linked: " in out
    assert "Facts no lesson, chart or question uses (1): ngay" in out
    assert "15 / 7" in out  # minutes stated / estimated
    assert result.stderr == ""


def test_errors_print_as_check_does_and_exit_two(tmp_path: Path) -> None:
    lesson = BASE["course/lessons/bai-mot.md"].replace("{fact}`so-to`", "{fact}`so-to-sai`")
    root = make_tree(tmp_path, {"course/lessons/bai-mot.md": lesson})
    result = run("--json", "--root", str(root))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "course/lessons/bai-mot.md:16: [ref.unknown-fact] unknown fact 'so-to-sai'"
        " (did you mean 'so-to'?)"
    ]


def test_help_ends_with_an_example() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "--json" in result.stdout and "--root" in result.stdout
    assert "  builder stats --json > stats.json" in result.stdout


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("Xã có 35 máy tính", ["35"]),
        ("đạt 7% và 98,72 % dân số", ["7%", "98,72 %"]),
        ("xếp thứ 12/63 tỉnh", ["12/63"]),
        ("có 14.478 thành viên, 2,8 triệu người", ["14.478", "2,8"]),
        ("nhận 40 hồ sơ,\n6 hồ sơ nộp trực tuyến", ["40"]),
        ("Bước 3 và bước 4", []),  # one digit
        ("năm 2022, nhiệm kỳ 2017-2022, năm 1999", []),  # years
        ("ngày 6/10/2022, ngày 10/10, tháng 9/2022, tháng 7-2023, ngày 1/5/22", []),  # dates
        ("lúc 08:30", []),  # a clock time
        ("Quyết định 749/QĐ-TTg, Nghị quyết 52-NQ/TW, Nghị định 42/2022/NĐ-CP", []),
        ("Kế hoạch số 50 của UBND, Quyết định số\n4216 của tỉnh", []),  # after 'số'
        ("mạng 5G, dịch COVID-19, thời đại 4.0", []),  # names, a version
        ("Bà Tư, 68 tuổi, lúc 16 giờ 30, mất 30 phút", []),  # ages and times of day
        ("10. Bước cuối", []),  # an item's number opening the text
    ],
)
def test_which_numbers_are_figures_without_a_fact(text: str, figures: list[str]) -> None:
    assert [m.group() for m in stats.figures_in(text)] == figures


def test_a_number_on_a_wrapped_line_is_found_on_its_own_line(tmp_path: Path) -> None:
    lesson = BASE["course/lessons/bai-mot.md"].replace(
        "## Phần đầu\n", "## Phần đầu\n\nXã nhận\n**40 hồ sơ**, có [25 hồ sơ](#a) nộp trực tuyến.\n"
    )
    course, problems = load_and_check(make_tree(tmp_path, {"course/lessons/bai-mot.md": lesson}))
    assert not problems.errors()
    line = lesson.splitlines().index("**40 hồ sơ**, có [25 hồ sơ](#a) nộp trực tuyến.") + 1
    found = stats.bare_figures(course.lessons["bai-mot"])
    assert [(f.line, f.text) for f in found] == [(line, "40"), (line, "25")]


def test_the_bundled_course_totals_are_the_sums_of_its_lessons() -> None:
    result = run("--json", "--root", str(REPO))
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    course, lessons, sessions = figures["course"], figures["lessons"], figures["sessions"]
    assert course["lessons"] == len(lessons) > 0
    assert course["sessions"] == len(sessions) > 0
    for key in ("stated", "estimated"):
        assert course["minutes"][key] == sum(s["minutes"][key] for s in lessons)
        for part in ("teaching", "exercises"):
            assert course["minutes"][part][key] == sum(s["minutes"][part][key] for s in lessons)
    for key in ("sections", "words"):
        assert course[key] == sum(s[key] for s in lessons)
    for key in ("bare_figures", "unlinked_terms"):
        assert course[key] == sum(len(s[key]) for s in lessons)
    questions: Counter[str] = Counter()
    for s in lessons:
        questions.update(s["questions"])
    assert course["questions"] == dict(questions)
    assert course["facts_used"] + course["facts_unused"] == course["facts"]
    assert course["facts_unused"] == len(figures["facts_unused"])
    assert course["facts_in_lessons"] == len({f for s in lessons for f in s["facts"]})
    for session in sessions:
        assert session["minutes"] == sum(p["minutes"] for p in session["parts"])
        asked: Counter[str] = Counter()
        for part in session["parts"]:
            asked.update(part["questions"])
        assert session["questions"] == dict(asked)
        assert session["length"] is None or session["minutes"] <= session["length"]
    assert json.dumps(figures, ensure_ascii=False, indent=2, sort_keys=True) + "\n" == (
        result.stdout
    )


def test_a_session_asks_the_questions_its_deck_shows() -> None:
    """The count of questions per part is the deck plan's own (its question slides)."""
    from builder.render.decks import plan

    course, _ = load_and_check(REPO)
    for deck in course.decks.values():
        slides = Counter(
            u.slot.part.lesson for u in plan.plan(course, deck) if u.kind == "question"
        )
        figures = stats.session_stats(course, deck)
        for part in figures.parts:
            if part.lesson is not None:
                assert sum(part.questions.values()) == slides.get(part.lesson, 0), deck.id


def test_stats_loads_no_powerpoint() -> None:
    code = (
        "import sys, builder.commands.stats; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pptx', 'fpdf')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert out.stdout.strip() == "[]"
