"""builder.course.texts: one walk over every text a person reads, with file, line and kind."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from builder.course import load, model, texts
from tests.helpers import BASE, make_tree

LESSON = BASE["course/lessons/bai-mot.md"].replace(
    "## Phần đầu\n",
    "## Phần đầu\n\nĐọc [trang này](../../README.md) và `lệnh_mã`, xem ![Sơ đồ](../images/a.png)\n"
    "rồi **nhớ** {term}`chữ <Chính quyền số>`.\n\n| Cột | Hàng |\n|---|---|\n| ô một | ô hai |\n",
)


def walk(tmp_path: Path) -> list[texts.Text]:
    root = make_tree(tmp_path, {"course/lessons/bai-mot.md": LESSON})
    course, problems = load.load_course(root)
    assert course is not None, problems
    return list(texts.texts(course))


def test_lesson_text_comes_as_read_with_its_line(tmp_path: Path) -> None:
    found = [t for t in walk(tmp_path) if t.path == "course/lessons/bai-mot.md"]
    by_kind: dict[tuple[str, int], str] = {}
    for t in found:
        by_kind.setdefault((t.kind, t.line), t.text)
    assert by_kind[("lesson:heading", 14)] == "Phần đầu"
    # link text and alt text are read; the address, code and markup are not
    assert by_kind[("lesson:paragraph", 16)] == "Đọc trang này và , xem Sơ đồ\nrồi nhớ chữ."
    assert by_kind[("lesson:table", 21)] == "ô một"
    # a fact's value is a figure, not words; a term role reads as its text
    assert by_kind[("lesson:paragraph", 23)].startswith("Tỷ lệ ký số đạt , có , ngày .")
    assert by_kind[("notes", 26)] == "GHI CHÚ BÍ MẬT CHO BÁO CÁO VIÊN"
    assert by_kind[("chart:title", 29)] == "Biểu đồ thử, 2022"
    assert by_kind[("quiz:title", 33)] == "Ôn tập"
    assert by_kind[("lesson:objectives", 4)] == "Hiểu ba trụ cột."
    assert {t.reader for t in found if t.kind == "notes"} == {"trainer"}


def test_every_field_marked_as_read_is_walked(tmp_path: Path) -> None:
    kinds = {t.kind.rsplit(":", 1)[-1] for t in walk(tmp_path)}
    marked = {
        f.name
        for cls in vars(model).values()
        if isinstance(cls, type) and dataclasses.is_dataclass(cls)
        for f in dataclasses.fields(cls)
        if f.metadata.get("reads")
    }
    # fields the small course leaves empty
    assert marked - kinds <= {
        "venue",
        "place",
        "hint",
        "unit",
        "subtitle",
        "description",
        "aliases",
        "presenter",
        "logo_alt",
        "period",
        "qualifier",
        "note",
        "task",
    }
    assert {"prompt", "explanation", "text", "label", "definition", "title", "steps"} <= kinds


def test_the_bundled_course_walk_knows_who_reads_what() -> None:
    course, _ = load.load_course(Path(__file__).resolve().parents[2])
    assert course is not None
    found = list(texts.texts(course))
    readers = {t.kind.split(":")[0]: t.reader for t in found}
    assert readers["deck"] == "trainer" and readers["notes"] == "trainer"
    assert readers["question"] == "learner" and readers["lesson"] == "learner"
    assert all(t.text.strip() and t.line >= 1 for t in found)
    assert not any("{fact}" in t.text or "{term}" in t.text for t in found)


def test_a_presenter_a_logo_s_alt_text_accepted_answers_and_picture_alt_text_are_read(
    tmp_path: Path,
) -> None:
    lesson = LESSON + "\n```{figure} ../images/a.png\n:alt: Bản đồ số hóa\n\nChú thích.\n```\n"
    changes = {
        "course/lessons/bai-mot.md": lesson,
        "slides/theme.yml": "logo: slides/logo.png\nlogo_alt: Biểu trưng của sở\n",
        "slides/decks/buoi-mot.yml": "title: Buổi\npresenter: Bà Lê Thị Hoa\nlessons: [bai-mot]\n",
    }
    course, problems = load.load_course(make_tree(tmp_path, changes))
    assert course is not None, problems
    found = {(t.kind, t.text): t for t in texts.texts(course)}
    assert found[("deck:presenter", "Bà Lê Thị Hoa")].reader == "trainer"
    assert found[("theme:logo_alt", "Biểu trưng của sở")].path == "slides/theme.yml"
    alt = found[("lesson:alt", "Bản đồ số hóa")]
    assert alt.line == lesson.split("\n").index(":alt: Bản đồ số hóa") + 1
    assert any(kind == "question:accept" for kind, _ in found)
