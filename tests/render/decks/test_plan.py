"""A session's plan as plain data, read as a trainer reads a running order: what comes when, in
which part of the session, with which notes, and no PowerPoint involved."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from builder.course.load import load_course
from builder.course.model import Course
from builder.render.decks import outline, plan
from builder.render.decks.plan import Unit
from tests.conftest import REPO
from tests.helpers import BASE, make_tree

SESSION = "quang-tri-2022-09-16"
PARTS = [  # the session's parts, as slides/decks/quang-tri-2022-09-16.yml orders them
    "cach-mang-cong-nghiep-4",
    "chuyen-doi-so-la-gi",
    "Giải lao",
    "chinh-quyen-so",
    "kinh-te-so",
    "xa-hoi-so",
    "quang-tri-tra-vinh",
]


@pytest.fixture(scope="module")
def course() -> Course:
    loaded, problems = load_course(REPO)
    assert loaded is not None, [str(p) for p in problems.items]
    return loaded


@pytest.fixture(scope="module")
def units(course: Course) -> list[Unit]:
    return plan.plan(course, course.decks[SESSION])


def texts(unit: Unit) -> list[str]:
    return [para.text for para in unit.paras]


def test_a_session_opens_with_its_title_and_agenda_and_closes_with_its_sources(
    units: list[Unit],
) -> None:
    assert [u.kind for u in units[:2]] == ["title", "agenda"]
    assert units[0].title == "Tập huấn chuyển đổi số năm 2022"
    assert texts(units[0])[:2] == [
        "Cho khối cơ quan, đơn vị cấp tỉnh, cấp huyện và cấp xã",
        "16/9/2022 · Quảng Trị · Trực tiếp kết hợp trực tuyến",
    ]
    assert units[-1].kind == "sources" and units[-1].title == "Nguồn tư liệu"
    assert all(u.kind in plan.KINDS for u in units)
    assert [u.kind for u in units].count("title") == 1


def test_the_agenda_gives_each_part_its_clock_times_and_the_total(units: list[Unit]) -> None:
    """The Quảng Trị session has no start time: the agenda counts from 0:00; the break is
    in italics; the parts fill the session's 195 minutes."""
    agenda = units[1]
    assert texts(agenda) == [
        "0:00–0:35  Cách mạng công nghiệp lần thứ tư và công nghệ số (35 phút)",
        "0:35–1:15  Chuyển đổi số là gì (40 phút)",
        "1:15–1:30  Giải lao (15 phút)",
        "1:30–2:00  Chính quyền số (30 phút)",
        "2:00–2:25  Kinh tế số (25 phút)",
        "2:25–2:50  Xã hội số và kỹ năng số (25 phút)",
        "2:50–3:15  Kinh nghiệm của Quảng Trị và Trà Vinh (25 phút)",
        "Tổng thời lượng: 3 giờ 15 phút.",
    ]
    italic = [any(s.italic for s in p.spans) for p in agenda.paras]
    assert italic == [False, False, True, False, False, False, False, False]
    assert agenda.notes == ["Buổi học dài 3 giờ 15 phút; các phần của buổi cần 3 giờ 15 phút."]


def test_each_part_is_a_run_of_units_in_its_own_slot(units: list[Unit]) -> None:
    """Every unit between a part's opening and the next belongs to that part; a lesson opens
    with its number and times, then its objectives, and ends with its key points."""
    openings = [u for u in units if u.kind in ("lesson", "activity")]
    assert [u.slot.label for u in openings] == PARTS
    assert [u.slot.start for u in openings] == [0, 35, 75, 90, 120, 145, 170]
    assert [u.slot.minutes for u in openings] == [35, 40, 15, 30, 25, 25, 25]
    assert texts(openings[1]) == ["Bài 2 · 0:35–1:15 · 40 phút"]
    assert texts(openings[3]) == ["Bài 3 · 1:30–2:00 · 30 phút"]  # the break takes no number
    assert units[0].slot is None and units[1].slot is None and units[-1].slot is None
    runs: dict[str, list[Unit]] = {}
    for unit in units[2:-1]:
        if unit.kind in ("lesson", "activity"):
            current = runs.setdefault(unit.slot.label, [])
        assert unit.slot is not None and unit.slot.label == openings[len(runs) - 1].slot.label
        current.append(unit)
    assert list(runs) == PARTS
    assert [u.kind for u in runs["Giải lao"]] == ["activity"]
    for label in PARTS[:2] + PARTS[3:]:
        run = runs[label]
        assert [u.title for u in run[1:2]] == ["Mục tiêu"], label
        assert run[-1].kind == "closing" and run[-1].title == "Ghi nhớ", label


def test_the_lessons_teach_only_the_sections_the_session_names(
    course: Course, units: list[Unit]
) -> None:
    """A part naming '##' sections shows those (with their '###' subsections) and no other."""
    deck = course.decks[SESSION]
    kinds = ("text", "table", "picture", "figures")
    shown = {(u.slot.label, u.title) for u in units if u.kind in kinds}
    left_out = 0
    for part in deck.parts():
        if part.lesson is None:
            continue
        everything = outline.outline(course, course.lessons[part.lesson], "vi")
        for section in everything:
            taught = (part.lesson, section.title) in shown
            assert taught == (section.group in part.sections), (part.lesson, section.title)
            left_out += not taught
    assert left_out > 3


def test_questions_come_with_their_answers_and_the_rest_are_left_for_practice(
    course: Course, units: list[Unit]
) -> None:
    """At most the session's questions per lesson; each question is followed by its answer,
    both carrying the answer in the notes; the key points say how many more are online."""
    limit = course.decks[SESSION].questions
    asked: dict[str, int] = {}
    for index, unit in enumerate(units):
        if unit.kind != "question":
            continue
        asked[unit.slot.label] = asked.get(unit.slot.label, 0) + 1
        answer = units[index + 1]
        assert answer.kind == "answer" and answer.slot is unit.slot
        number = unit.title.rsplit(" ", 1)[-1]
        assert answer.title == f"Đáp án câu {number}"
        assert unit.notes == answer.notes and unit.notes[0].startswith("Đáp án: ")
        assert unit.notes[1].startswith("Giải thích: ")
    assert asked and max(asked.values()) <= limit, asked
    left = [u.after for u in units if u.kind == "closing" and u.after]
    assert left and all("câu hỏi khác" in after[0] for after in left)


def test_fixed_cues_outside_the_lessons_and_shared_time_inside(units: list[Unit]) -> None:
    assert units[0].cue == units[1].cue == "Thời gian: khoảng 0:00."
    pause = next(u for u in units if u.kind == "activity")
    assert texts(pause) == ["15 phút"]  # no start time: '1:30' would read as a time of day
    assert pause.cue == "Thời gian: 1:15–1:30; tiếp tục lúc 1:30."
    assert units[-1].cue == "Thời gian: khoảng 3:15."
    assert all(u.cue is None for u in units if u.slot is not None and u.slot.lesson)


def test_big_numbers_show_the_provinces_figures_and_sources_are_cited_in_order(
    units: list[Unit],
) -> None:
    """The session is for Quảng Trị: its big-number slides show that province's figures only,
    at most three at a time, each with its source; the sources slide lists every source a
    figure came from, in order of first use."""
    figures = [f for u in units if u.kind == "figures" for f in u.figures]
    assert figures and {f.place for f in figures} == {"Quảng Trị"}
    assert all(f.when for f in figures), "every big number says when it applies"
    assert all(1 <= len(u.figures) <= 3 for u in units if u.kind == "figures")
    assert all(f.source.startswith("Nguồn: ") for f in figures)
    chart = next(u for u in units if u.kind == "chart" and "sàn thương mại" in u.title)
    assert chart.title == chart.chart.title
    assert [f.stated for f in chart.figures] == [
        "142 sản phẩm",
        "520 sản phẩm",
        "264 sản phẩm",
        "51 sản phẩm",
    ]
    assert chart.notes[0].startswith("Sản phẩm trưng bày trên sàn")
    cited = texts(units[-1])
    assert cited and len(cited) == len(set(cited))  # a Quảng Trị replica cites its own
    assert "Web Quảng Trị, 17/9/2022: Tập huấn chuyển đổi số năm 2022" in cited


def test_planning_a_session_needs_no_powerpoint() -> None:
    """The plan is data: loading the course and planning every session imports neither
    python-pptx nor lxml."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from builder.course.load import load_course\n"
        "from builder.render.decks import notes, plan\n"
        f"course, _ = load_course(Path({str(REPO)!r}))\n"
        "units = [u for d in course.decks.values() for u in plan.plan(course, d)]\n"
        "assert len(units) > 100\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pptx', 'lxml'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "[]"


SPARE_NOTES = BASE["course/lessons/bai-mot.md"] + (
    "\n## Chỉ ghi chú và câu hỏi\n\n"
    "```{notes}\nGHI CHÚ KHÔNG CÓ TRANG CHỮ\n```\n\n"
    "```{quiz} Thêm\n:questions: so\n```\n"
)


def test_a_section_with_only_notes_and_questions_keeps_its_notes_on_its_own_slide(
    tmp_path: Path,
) -> None:
    """A section with notes but no text: a slide with its title carries its notes, before its
    questions; no question or answer slide carries them. A section without ``{slide}`` text or
    lists says its prose in the notes of its first slide, after its trainer notes."""
    course, problems = load_course(make_tree(tmp_path, {"course/lessons/bai-mot.md": SPARE_NOTES}))
    assert course is not None, [str(p) for p in problems.items]
    units = plan.plan(course, course.decks["buoi-mot"])
    holder = next(u for u in units if "GHI CHÚ KHÔNG CÓ TRANG CHỮ" in u.lead)
    assert holder.title == "Chỉ ghi chú và câu hỏi" and not holder.paras
    following = units[units.index(holder) + 1]
    assert following.kind == "question" and following.title == "Thêm · Câu 1"
    assert all(
        "GHI CHÚ KHÔNG CÓ TRANG CHỮ" not in " ".join(u.notes + u.lead + u.after)
        for u in units
        if u is not holder
    )
    first = next(u for u in units if "GHI CHÚ BÍ MẬT CHO BÁO CÁO VIÊN" in u.lead)
    assert first.lead[0] == "GHI CHÚ BÍ MẬT CHO BÁO CÁO VIÊN"
    assert "Chính quyền số và xã hội số phải ăn khớp." in first.lead[1]


def test_a_unit_on_several_slides_keeps_its_lead_first_and_its_after_last() -> None:
    unit = Unit("text", "Phần", notes=["mỗi trang"], lead=["đầu"], after=["cuối"])
    assert unit.notes_on(0, 1) == ["mỗi trang", "đầu", "cuối"]
    assert [unit.notes_on(i, 3) for i in range(3)] == [
        ["mỗi trang", "đầu"],
        ["mỗi trang"],
        ["mỗi trang", "cuối"],
    ]


def test_an_activity_shows_its_task(tmp_path: Path) -> None:
    deck = (
        "title: Buổi\nlessons:\n  - bai-mot\n  - title: Thực hành nhóm\n    minutes: 30\n"
        "    task: Nhóm ba người tập nộp một hồ sơ trực tuyến\n"
    )
    course, problems = load_course(make_tree(tmp_path, {"slides/decks/buoi-mot.yml": deck}))
    assert course is not None, [str(p) for p in problems.items]
    (unit,) = [u for u in plan.plan(course, course.decks["buoi-mot"]) if u.kind == "activity"]
    assert texts(unit) == ["30 phút", "Nhóm ba người tập nộp một hồ sơ trực tuyến"]
    assert unit.notes == ["Nhóm ba người tập nộp một hồ sơ trực tuyến"]


def test_the_sources_slide_cites_what_the_questions_rest_on(tmp_path: Path) -> None:
    """A question shown in the session states what its source says: that article is on the
    sources slide too, whether the question names it or a fact of it (a walkthrough found
    the Quảng Trị deck quoting Thanh Hóa and Thái Nguyên figures in its answers with only one
    article listed)."""
    second = "- id: nguon-b\n  title: Bài báo B\n  publisher: Báo B\n  date: 2022-10-07\n  file: b.txt\n"
    third = "- id: nguon-c\n  title: Bài báo C\n  publisher: Báo C\n  date: 2022-10-08\n  file: c.txt\n"
    fact_c = (
        '- id: ty-le-c\n  label: Tỷ lệ C\n  value: 50\n  unit: "%"\n  source: nguon-c\n'
        "  quote: đạt 50%\n"
    )
    bank = BASE["quizzes/bai-mot.yml"]
    bank = bank.replace(
        "  explanation: Chính quyền số, kinh tế số và xã hội số.\n  source: nguon-a",
        "  explanation: Chính quyền số, kinh tế số và xã hội số.\n  source: nguon-b",
    )
    bank = bank.replace("Hai trong ba trụ cột.", "Hai trong ba trụ cột, {fact}`ty-le-c`.")
    tree = make_tree(tmp_path / "tree", {
        "course/sources.yml": BASE["course/sources.yml"] + second + third,
        "course/facts.yml": BASE["course/facts.yml"] + fact_c,
        "quizzes/bai-mot.yml": bank,
    })  # fmt: skip
    course, problems = load_course(tree)
    assert course is not None and not problems.errors(), [str(p) for p in problems.items]
    (deck,) = course.decks.values()
    units = plan.plan(course, deck)
    assert any(u.kind == "question" for u in units)
    listed = " ".join(texts(units[-1]))
    assert "Báo A" in listed and "Báo B" in listed and "Báo C" in listed, listed
