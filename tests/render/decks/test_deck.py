"""Trainer decks, checked by reopening them with python-pptx and reading them back."""

from __future__ import annotations

import hashlib
import re
import shutil
import time
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from builder.checks.run import load_and_check
from builder.cli import main
from builder.commands import build as build_module
from builder.course.model import Chart, DeckPart, Markdown, Notes
from builder.render import charts as render_charts
from builder.render.decks import deck as decks
from builder.render.decks import package, plan, textfit
from builder.render.decks import slides as slides_module
from builder.render.decks.outline import Span
from builder.render.decks.shapes import SVG_BLIP_NS
from builder.render.decks.textfit import Para
from tests.conftest import REPO
from tests.helpers import BASE, leaf_shapes, make_tree, measured_characters

EMU = 12700


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def build_deck(root: Path, out: Path, name: str, *extra: str) -> Path:
    result = run("build", "-q", "--strict", "--root", str(root), "--out", str(out), "--deck", name)
    assert result.exit_code == 0, result.output
    return out / "decks" / f"{name}.pptx"


@pytest.fixture(scope="module")
def bundled_decks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every bundled session's deck, built strict one by one."""
    course, problems = load_and_check(REPO)
    assert course is not None and not problems.errors(True), [str(p) for p in problems.items]
    out = tmp_path_factory.mktemp("decks")
    return {name: build_deck(REPO, out, name) for name in sorted(course.decks)}


def texts_of(slide) -> list[str]:  # noqa: ANN001
    return [shape.text_frame.text for shape in leaf_shapes(slide.shapes) if shape.has_text_frame]


def texts(prs) -> list[str]:  # noqa: ANN001
    """Every piece of text in the slides and their notes."""
    found = []
    for slide in prs.slides:
        for shape in leaf_shapes(slide.shapes):
            if shape.has_text_frame:
                found.append(shape.text_frame.text)
            if shape.has_table:
                found += [cell.text for row in shape.table.rows for cell in row.cells]
        found.append(slide.notes_slide.notes_text_frame.text)
    return found


def alt_text(shape) -> str:  # noqa: ANN001
    return shape._element._nvXxPr.cNvPr.get("descr") or ""  # noqa: SLF001


# --- the bundled sessions ---------------------------------------------------------------------


def test_there_is_a_deck_per_session(bundled_decks: dict[str, Path]) -> None:
    assert "quang-tri-2022-09-16" in bundled_decks
    assert package.TEMPLATE_NAME == "deck.pptx"
    for path in bundled_decks.values():
        assert path.stat().st_size > 10_000


def test_every_slide_has_a_title_notes_and_a_timing_cue(bundled_decks: dict[str, Path]) -> None:
    for name, path in bundled_decks.items():
        prs = Presentation(str(path))
        assert (prs.slide_width, prs.slide_height) == (12192000, 6858000), "16:9"
        assert len(prs.slides) > 10
        for number, slide in enumerate(prs.slides, start=1):
            title = slide.shapes.title
            assert title is not None and title.text_frame.text.strip(), f"{name} slide {number}"
            notes = slide.notes_slide.notes_text_frame.text
            assert "Thời gian: " in notes, f"{name} slide {number} has no timing cue"


def test_every_slide_but_the_first_has_a_footer_and_its_number(
    bundled_decks: dict[str, Path],
) -> None:
    course, _ = load_and_check(REPO)
    field = "{http://schemas.openxmlformats.org/drawingml/2006/main}fld"
    for name, path in bundled_decks.items():
        slides = list(Presentation(str(path)).slides)
        for number, slide in enumerate(slides, start=1):
            shapes = list(slide.shapes)
            fields = [f for shape in shapes for f in shape._element.iter(field)]  # noqa: SLF001
            if number == 1:
                assert not fields
                continue
            assert [(f.get("type"), f.findtext("{*}t")) for f in fields] == [
                ("slidenum", str(number))
            ], f"{name} slide {number}"
            assert shapes[-1].text_frame.text == str(number)  # read last
            assert shapes[-2].text_frame.text.startswith(course.decks[name].title[:20])


def test_the_deck_shows_the_plan_in_order(bundled_decks: dict[str, Path]) -> None:
    """Each unit of the session's plan is one slide or more, in the plan's order, titled as
    planned (the later ones '(continued)'), each slide's notes starting with the unit's."""
    course, _ = load_and_check(REPO)
    for name, path in bundled_decks.items():
        slides = list(Presentation(str(path)).slides)
        units = plan.plan(course, course.decks[name])
        at = 0
        for unit in units:
            first = slides[at]
            assert first.shapes.title.text_frame.text == unit.title, (name, at)
            said = "\n\n".join(note for note in unit.notes if note)
            assert first.notes_slide.notes_text_frame.text.startswith(said), (name, at)
            at += 1
            continued = f"{unit.title} (tiếp theo)"
            while at < len(slides) and slides[at].shapes.title.text_frame.text == continued:
                at += 1
        assert at == len(slides), name


def test_quiz_slides_carry_the_answer_in_the_notes(bundled_decks: dict[str, Path]) -> None:
    prs = Presentation(str(bundled_decks["quang-tri-2022-09-16"]))
    titles = [(s, s.shapes.title.text_frame.text) for s in prs.slides]
    questions = [s for s, t in titles if " · Câu " in t]
    answers = [s for s, t in titles if t.startswith("Đáp án câu")]
    first = [t for _, t in titles if " · Câu " in t and not t.endswith("(tiếp theo)")]
    assert first and len([t for _, t in titles if t.startswith("Đáp án câu")]) >= len(first)
    assert len({t.removesuffix(" (tiếp theo)") for _, t in titles if t.startswith("Đáp án")}) > 3
    assert answers
    for slide in questions:
        notes = slide.notes_slide.notes_text_frame.text
        assert "Đáp án: " in notes and "Giải thích:" in notes


def test_reading_order_follows_the_visual_order(bundled_decks: dict[str, Path]) -> None:
    """Screen readers read shapes in document order: the title first, then top to bottom and
    left to right (a chart before the sources under it, big-number columns left to right);
    the footer and slide number last."""

    def in_order(shapes: list) -> bool:
        spots = [(shape.top, shape.left) for shape in shapes]
        return spots == sorted(spots)

    columns = 0
    for name, path in bundled_decks.items():
        for number, slide in enumerate(Presentation(str(path)).slides, start=1):
            shapes = list(slide.shapes)
            where = f"{name} slide {number}: " + ", ".join(s.name for s in shapes)
            assert shapes[0].shape_id == slide.shapes.title.shape_id, where
            assert in_order(shapes[1:]), where
            tops = [s.top for s in shapes[1:] if s.is_placeholder]
            columns += len(tops) != len(set(tops))
    assert columns > 10  # slides with columns side by side are there to be checked


def test_each_lesson_shows_at_most_the_sessions_questions(bundled_decks: dict[str, Path]) -> None:
    course, _ = load_and_check(REPO)
    for name, path in bundled_decks.items():
        deck = course.decks[name]
        limit = {p.lesson: p.questions or deck.questions for p in deck.parts() if p.lesson}
        titles = {v.meta.title: k for k, v in course.lessons.items()}
        count: dict[str, int] = {}
        lesson = ""
        for slide in Presentation(str(path)).slides:
            title = slide.shapes.title.text_frame.text
            if any(t.startswith("Bài ") for t in texts_of(slide)) and title in titles:
                lesson = titles[title]  # a lesson's section slide: "Bài 2 · 08:15–08:50 · …"
            if title.startswith("Đáp án câu") and not title.endswith("(tiếp theo)"):
                count[lesson] = count.get(lesson, 0) + 1
        assert count and all(count[k] <= limit[k] for k in count), (name, count)


def test_chart_values_equal_the_facts(bundled_decks: dict[str, Path]) -> None:
    course, _ = load_and_check(REPO)
    assert course is not None
    charts: dict[str, Chart] = {
        c.title: c for lesson in course.lessons.values() for c in lesson.charts
    }
    seen = 0
    for path in bundled_decks.values():
        for slide in Presentation(str(path)).slides:
            for shape in slide.shapes:
                if not shape.has_chart:
                    continue
                chart = charts[slide.shapes.title.text_frame.text]
                facts = [course.facts[f] for f in chart.facts]
                plot = shape.chart.plots[0]
                assert list(plot.categories) == render_charts.labels(facts)
                if len({f.place for f in facts}) > 1:  # bars from two provinces say which
                    assert all(
                        f"({f.place})" in c for f, c in zip(facts, plot.categories, strict=True)
                    )
                values = plot.series[0].values
                assert [Decimal(str(v)) for v in values] == [f.value for f in facts]
                assert shape.chart.value_axis.minimum_scale == 0
                descr = shape._element._nvXxPr.cNvPr.get("descr")  # noqa: SLF001
                assert descr and chart.title in descr
                seen += 1
    assert seen >= 1, "the bundled sessions show at least one native chart"


def test_vietnamese_text_is_intact_and_nfc(bundled_decks: dict[str, Path]) -> None:
    for path in bundled_decks.values():
        everything = texts(Presentation(str(path)))
        for text in everything:
            assert unicodedata.is_normalized("NFC", text)
        joined = "\n".join(everything)
        assert "Chuyển đổi số là gì" in joined
        assert "Mục tiêu" in joined and "Ghi nhớ" in joined and "Nguồn" in joined
        assert "\ufffd" not in joined and "?" * 3 not in joined
        assert "; Nguồn: " not in joined  # a chart's sources say 'Nguồn:' once


def test_pictures_and_charts_have_alt_text(bundled_decks: dict[str, Path]) -> None:
    seen = {3: 0, 13: 0}
    for path in bundled_decks.values():
        for slide in Presentation(str(path)).slides:
            for shape in slide.shapes:
                if shape.shape_type is not None and shape.shape_type in (13, 3):  # picture, chart
                    descr = shape._element._nvXxPr.cNvPr.get("descr")  # noqa: SLF001
                    assert descr and descr.strip()
                    seen[shape.shape_type] += 1
    assert seen[3] >= 3 and seen[13] >= 1, seen


def test_a_lesson_drawing_is_shown_as_vector_with_a_raster_fallback(
    bundled_decks: dict[str, Path],
) -> None:
    """The three-pillar SVG of lesson 2: the raster for LibreOffice and older PowerPoint, the
    SVG itself (Office 2016's svgBlip) for PowerPoint, the lesson's alt text, its aspect."""
    svg = (REPO / "course" / "images" / "ba-tru-cot.svg").read_bytes()
    for name in ("quang-tri-2022-09-16", "can-bo-xa"):
        prs = Presentation(str(bundled_decks[name]))
        pictures = [
            (slide, shape)
            for slide in prs.slides
            for shape in slide.shapes
            if shape.shape_type == 13 and "ba trụ cột" in alt_text(shape)
        ]
        assert len(pictures) == 1, name
        slide, shape = pictures[0]
        assert shape.image.content_type == "image/png"
        assert shape.image.size[0] >= 1600  # sharp on a projector
        assert abs(shape.width / shape.height - 640 / 300) < 0.01
        assert 0 <= shape.left and shape.left + shape.width <= prs.slide_width
        assert shape.top + shape.height <= prs.slide_height
        blip = shape._element.blipFill[0]  # noqa: SLF001
        svg_blips = blip.findall(f".//{{{SVG_BLIP_NS}}}svgBlip")
        assert len(svg_blips) == 1
        part = slide.part.related_part(svg_blips[0].get(qn("r:embed")))
        assert part.content_type == "image/svg+xml" and part.blob == svg
        assert "Sơ đồ ba trụ cột" in slide.notes_slide.notes_text_frame.text


def test_rebuilding_gives_identical_bytes(tmp_path: Path) -> None:
    first = build_deck(REPO, tmp_path / "a", "quang-tri-2022-09-16")
    time.sleep(1.1)  # zip entry times and workbook dates would differ if they were not fixed
    second = build_deck(REPO, tmp_path / "b", "quang-tri-2022-09-16")
    assert (
        hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest()
    )
    props = Presentation(str(first)).core_properties
    assert props.title == "Tập huấn chuyển đổi số năm 2022"
    assert props.revision == 1 and props.last_modified_by == "builder"


def measured_overflow(path: Path) -> list[str]:
    """Shapes whose text, measured in the metric-compatible fonts at the size and spacing the
    placeholder inherits from its layout and master, is taller than the shape; table cells
    taller than their row; shapes that reach outside the slide."""
    prs = Presentation(str(path))
    width, height = prs.slide_width, prs.slide_height
    fonts = package.theme_fonts(prs)
    cell_size = slides_module.table_size(prs)
    bad = []
    for number, slide in enumerate(prs.slides, start=1):
        for shape in leaf_shapes(slide.shapes):
            where = f"slide {number} '{shape.name}'"
            if shape.left < 0 or shape.top < 0:
                bad.append(f"{where} starts outside the slide")
            if shape.left + shape.width > width or shape.top + shape.height > height:
                bad.append(f"{where} ends outside the slide")
            if shape.has_text_frame and shape.text_frame.text.strip():
                assert shape.is_placeholder, f"{where}: text outside a placeholder"
                box = textfit.Box(
                    shape.width / EMU, shape.height / EMU, package.frame(shape, fonts).look
                )
                if not textfit.fits(paras_of(shape.text_frame), box):
                    bad.append(f"{where}: {shape.text_frame.text[:60]!r} overflows")
            if shape.has_table:
                table = shape.table
                for r, row in enumerate(table.rows):
                    for c, cell in enumerate(row.cells):
                        box = textfit.Box.plain(
                            table.columns[c].width / EMU, row.height / EMU, fonts[1], cell_size
                        )
                        if not textfit.fits(paras_of(cell.text_frame), box):
                            bad.append(f"{where} cell {r},{c}: {cell.text[:40]!r} overflows")
    return bad


def paras_of(frame) -> list[Para]:  # noqa: ANN001
    """A text frame's paragraphs read back as the writer's paragraphs: a paragraph without a
    bullet or margin is plain (level 0), the others at their list level."""
    out = []
    for paragraph in frame.paragraphs:
        runs = paragraph.runs
        if not runs:
            continue
        props = paragraph._p.pPr  # noqa: SLF001
        plain = props is not None and props.get("marL") == "0"
        unbulleted = props is not None and props.find(qn("a:buNone")) is not None
        level = 0 if plain else paragraph.level + 1
        spans = [Span(r.text, bool(r.font.bold), bool(r.font.italic)) for r in runs]
        out.append(Para(spans, level=level, continued=unbulleted and not plain))
    return out


def test_no_text_overflows_its_shape(bundled_decks: dict[str, Path]) -> None:
    for path in bundled_decks.values():
        assert measured_overflow(path) == []


# --- small trees ------------------------------------------------------------------------------

LONG_LESSON = (
    BASE["course/lessons/bai-mot.md"]
    .replace(
        "## Phần đầu\n",
        "## Phần đầu\n\n"
        + "\n".join(
            f"- Ý thứ {n}: ba việc lớn của tỉnh dựa vào nhau; đây là một câu dài "
            "để thử việc xuống dòng và sang trang của bộ trình chiếu cho báo cáo viên."
            for n in range(1, 19)
        )
        + "\n\n## Phần hai\n\nChỉ một đoạn văn, không có danh sách.\n",
    )
    .replace("teaching: 30\n  exercises: 15", "teaching: 5\n  exercises: 10")
)  # paced from its text


def test_long_content_continues_on_following_slides(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "src", {"course/lessons/bai-mot.md": LONG_LESSON})
    path = build_deck(root, tmp_path / "out", "buoi-mot")
    titles = [s.shapes.title.text_frame.text for s in Presentation(str(path)).slides]
    assert "Phần đầu" in titles and "Phần đầu (tiếp theo)" in titles
    assert "Phần hai" in titles
    assert measured_overflow(path) == []
    shown = "\n".join(texts(Presentation(str(path))))
    for n in range(1, 19):
        assert f"Ý thứ {n}:" in shown


def test_session_fields_agenda_and_boilerplate(tmp_path: Path) -> None:
    deck = (
        "title: Buổi tập huấn\n"
        "subtitle: Cho cán bộ cấp xã\n"
        "date: 2022-09-16\n"
        'start: "08:00"\n'
        "venue: Hội trường tỉnh\n"
        "place: Quảng Trị\n"
        "mode: hybrid\n"
        "audience: can-bo\n"
        "length: 60\n"
        "lessons:\n"
        "  - lesson: bai-mot\n"
        "    sections: [Phần đầu]\n"
        "    minutes: 50\n"
    )
    root = make_tree(tmp_path / "src", {"slides/decks/buoi-mot.yml": deck})
    prs = Presentation(str(build_deck(root, tmp_path / "out", "buoi-mot")))
    joined = "\n".join(texts(prs))
    assert "Hội trường tỉnh, Quảng Trị" in joined and "Trực tiếp kết hợp trực tuyến" in joined
    assert "08:00–08:50" in joined and "16/9/2022" in joined
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert titles[:2] == ["Buổi tập huấn", "Chương trình"]
    assert titles[-1] == "Nguồn tư liệu"
    # the chart is drawn with the value in the course's number format
    # the chart's labels come from the data's number format, so they follow edited data
    chart = next(sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart)
    series = chart.plots[0].series[0]
    assert list(series.values) == [98.72]
    label = series.points[0].data_label._dLbl  # noqa: SLF001
    assert label.find(qn("c:numFmt")).get("formatCode") == '[$-42A]#,##0.00"%"'
    assert label.find(qn("c:showVal")).get("val") == "1"
    assert not label.xpath(".//c:tx")  # no typed text
    assert "Báo A" in joined  # the closing slide lists the sources


def test_breaks_sit_in_the_agenda_and_quiz_slides_are_limited(tmp_path: Path) -> None:
    """A 10-minute break shifts the next lesson; each lesson part shows at most its
    ``questions`` (taken in turn from each quiz) and the notes say how many more are online."""
    deck = (
        "title: Buổi\n"
        'start: "08:00"\n'
        "questions: 3\n"
        "lessons:\n"
        "  - bai-mot\n"
        "  - title: Giải lao\n"
        "    minutes: 10\n"
        "  - lesson: bai-mot\n"
        "    minutes: 20\n"
        "    questions: 1\n"
    )
    root = make_tree(tmp_path / "src", {"slides/decks/buoi-mot.yml": deck})
    prs = Presentation(str(build_deck(root, tmp_path / "out", "buoi-mot")))
    agenda = "\n".join(texts_of(prs.slides[1]))
    assert "08:00–08:45  Bài một (45 phút)" in agenda
    assert "08:45–08:55  Giải lao (10 phút)" in agenda
    assert "08:55–09:15  Bài một (20 phút)" in agenda
    slides = list(prs.slides)
    titles = [s.shapes.title.text_frame.text for s in slides]
    pause = slides[titles.index("Giải lao")]
    assert "Đến 08:55 · 10 phút" in "\n".join(texts_of(pause))
    assert "tiếp tục lúc 08:55" in pause.notes_slide.notes_text_frame.text
    answers = [i for i, t in enumerate(titles) if t.startswith("Đáp án")]
    second = titles.index("Bài một", titles.index("Giải lao"))
    assert len([i for i in answers if i < second]) == 3
    assert len([i for i in answers if i > second]) == 1
    # turn by turn: the first question of each quiz, then the second of the first quiz
    first_part = "\n".join(t for s in slides[: titles.index("Giải lao")] for t in texts_of(s))
    assert "Có mấy trụ cột?" in first_part and "Những gì là trụ cột?" in first_part
    assert "Tỷ lệ ký số đạt 98,72%.\nĐúng\nSai" not in first_part  # the first quiz's third
    notes = [s.notes_slide.notes_text_frame.text for s in slides]
    assert sum("Bài học trực tuyến còn 4 câu hỏi khác" in n for n in notes) == 1
    assert sum("Bài học trực tuyến còn 6 câu hỏi khác" in n for n in notes) == 1


def test_a_break_without_a_start_time_gives_only_its_length(
    bundled_decks: dict[str, Path],
) -> None:
    """The Quảng Trị source gives no start time: the agenda counts from 0:00, and the break
    slide says how long it lasts rather than 'until 1:30', which reads as a time of day."""
    prs = Presentation(str(bundled_decks["quang-tri-2022-09-16"]))
    pause = next(s for s in prs.slides if s.shapes.title.text_frame.text == "Giải lao")
    assert texts_of(pause)[1] == "15 phút" and "Đến" not in "".join(texts_of(pause))
    assert "1:15–1:30  Giải lao (15 phút)" in "\n".join(texts_of(prs.slides[1]))


def test_theme_colours_fonts_and_logo_reach_the_deck(tmp_path: Path) -> None:
    from PIL import Image

    root = make_tree(
        tmp_path / "src",
        {
            "slides/theme.yml": (
                "heading_font: Calibri\nbody_font: Calibri\ncolours:\n  primary: '#7A1F1F'\n"
                "logo: slides/logo.png\nlogo_alt: Biểu trưng Sở\n"
            )
        },
    )
    Image.new("RGB", (200, 100), "#7A1F1F").save(root / "slides" / "logo.png")
    prs = Presentation(str(build_deck(root, tmp_path / "out", "buoi-mot")))
    theme = etree.fromstring(prs.slide_master.part.part_related_by(RT.THEME).blob)
    assert theme.find(f".//{qn('a:dk2')}/{qn('a:srgbClr')}").get("val") == "7A1F1F"
    assert package.theme_fonts(prs) == ("Calibri", "Calibri")
    first = prs.slides[0]
    # the title slide's layout fills its background with the theme's dark 2: the primary
    background = first.slide_layout._element.find(f"{qn('p:cSld')}/{qn('p:bg')}")  # noqa: SLF001
    assert background.find(f".//{qn('a:schemeClr')}").get("val") == "tx2"
    assert first._element.find(f"{qn('p:cSld')}/{qn('p:bg')}") is None  # noqa: SLF001
    logo = next(s for s in first.shapes if s.shape_type == 13)
    assert logo._element._nvXxPr.cNvPr.get("descr") == "Biểu trưng Sở"  # noqa: SLF001
    runs = [
        r
        for s in prs.slides
        for sh in s.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
        for r in p.runs
    ]
    assert runs and all(r.font.name is None for r in runs)  # the theme's fonts, inherited


def test_deck_option_builds_one_deck_and_a_failed_build_keeps_old_output(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path / "src", {"slides/decks/buoi-hai.yml": "title: Hai\nlessons: [bai-mot]\n"}
    )
    out = tmp_path / "out"
    first = build_deck(root, out, "buoi-mot")
    papers = ["buoi-mot.handout.pdf", "buoi-mot.plan.pdf"]
    assert sorted(p.name for p in (out / "decks").iterdir()) == [*papers, "buoi-mot.pptx"]
    build_deck(root, out, "buoi-hai")
    assert sorted(p.name for p in (out / "decks").iterdir()) == [
        "buoi-hai.handout.pdf",
        "buoi-hai.plan.pdf",
        "buoi-hai.pptx",
        *papers,
        "buoi-mot.pptx",
    ]
    before = first.read_bytes()
    (root / "slides/decks/buoi-mot.yml").write_text("title: X\nlessons: [khong-co]\n", "utf-8")
    result = run("build", "-q", "--root", str(root), "--out", str(out), "--deck", "buoi-mot")
    assert result.exit_code == 2
    assert first.read_bytes() == before
    result = run("build", "-q", "--root", str(root), "--out", str(out), "--deck", "buoi-ba")
    assert result.exit_code == 2
    assert "[deck.unknown] no session 'buoi-ba'" in result.output


def test_missing_fonts_skip_decks_in_a_full_build_but_fail_a_deck_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(*_args: object, **_kwargs: object) -> Path:
        raise textfit.FontMissing(
            "cannot measure Arial text: LiberationSans-Regular.ttf is missing"
        )

    monkeypatch.setattr(textfit, "font_file", missing)
    root = make_tree(tmp_path / "src")
    built = build_module.build(root, tmp_path / "all")
    assert built.decks == [] and built.book is not None
    assert (tmp_path / "all" / "decks").is_dir()
    assert list((tmp_path / "all" / "decks").iterdir()) == []
    assert [str(p) for p in built.problems.sorted()] == [
        "slides/theme.yml:1: [deck.font] cannot measure Arial text: LiberationSans-Regular.ttf "
        "is missing; no deck was written (warning)"
    ]
    with pytest.raises(build_module.BuildFailed) as failed:
        build_module.build(root, tmp_path / "one", deck="buoi-mot")
    assert failed.value.problems.errors(strict=False)


# --- hostile text and sessions that make no sense ---------------------------------------------

CONTROLS = "a\x00b\x0bc\x1fd\ufffee\ud800f\x85g\u2029h\ni"  # none may reach the XML as written
LONG_WORD = "x" * 5000
FAMILY = "👩‍👩‍👧‍👦 👍🏽 ✅"
RTL = "مرحبا بالعالم שלום עולם"
HOSTILE_LESSON = f"""---
title: Bài một {FAMILY} {RTL}
objectives:
  - {LONG_WORD}
  - Hiểu {FAMILY} {RTL}
keypoints:
  - Ghi nhớ một.
duration:
  teaching: 30
  exercises: 15
---

## {" ".join(["Đề mục"] * 700)}

{" ".join(["Nội dung dài"] * 850)}

- {LONG_WORD}
- {FAMILY} {RTL}

|---|
| |

| Cột | {LONG_WORD} |
|---|---|
| {" ".join(["Ô bảng"] * 1500)} | ngắn |

## Phần hai

Móc [vuông [lồng](a.md) và {"[" * 3000} còn {"[a](" * 1000}

Tỷ lệ {{fact}}`ty-le`, có {{fact}}`so-to` tổ.

```{{chart}} Biểu đồ thử
:facts: ty-le
```

```{{quiz}} Ôn tập
:questions: chon-mot
```
"""


def test_hostile_text_never_breaks_the_writer(tmp_path: Path) -> None:
    """Words longer than a line, a 10,000-character paragraph, a 5,000-character heading,
    emoji, right-to-left text, a table of rules only, and (put straight into the model, as the
    loader refuses them) control characters and titles over python-pptx's 255-character limit
    for document properties: the deck is written, nothing overflows or falls off a slide, no
    control character reaches the file, and a cut title still says it is continued."""
    root = make_tree(tmp_path / "src", {"course/lessons/bai-mot.md": HOSTILE_LESSON})
    course, problems = load_and_check(root)
    assert course is not None and not problems.errors(), [str(p) for p in problems.items]
    deck = course.decks["buoi-mot"]
    deck.title = "Buổi tập huấn " * 30 + CONTROLS
    for key in ("subtitle", "venue", "presenter"):
        setattr(deck, key, CONTROLS)
    deck.place = "Quảng Trị " * 30 + CONTROLS  # the footer's place, kept after a cut title
    deck.lessons.append(DeckPart(title=CONTROLS + LONG_WORD, minutes=5))
    course.info.title = "Khóa " * 80
    course.info.publisher = CONTROLS * 40
    lesson = course.lessons["bai-mot"]
    lesson.meta.keypoints.append(CONTROLS)
    lesson.blocks.append(Markdown(f"## {CONTROLS}\n\n{CONTROLS}\n\n- {CONTROLS}\n", 40))
    lesson.blocks.append(Notes(CONTROLS, 45))
    course.facts["ty-le"].label = CONTROLS
    course.questions["chon-mot"].prompt = CONTROLS
    course.sources["nguon-a"].publisher = CONTROLS
    path = tmp_path / "hostile.pptx"
    path.write_bytes(decks.deck_bytes(course, deck))

    assert measured_overflow(path) == []
    prs = Presentation(str(path))
    titles = [slide.shapes.title.text_frame.text for slide in prs.slides]
    assert all(t.strip() for t in titles)
    props = prs.core_properties
    assert len(props.title) <= 255 and props.title.endswith("…")
    assert props.title.startswith("Buổi tập huấn Buổi tập huấn")
    assert len(props.subject) <= 255 and props.subject.endswith("Khóa…")
    assert len(props.author) <= 255
    shown = "\n".join(texts(prs) + titles)
    assert not re.search("_x00|[\x00-\x08\x0b\x0c\x0e-\x1f\x85\u2028\u2029]", shown)
    assert "ab c def g h i" in shown  # whitespace controls as spaces, the others dropped
    assert FAMILY in shown and RTL in shown
    assert shown.count("x") >= 2 * len(LONG_WORD)  # the long words whole, across slides
    assert sum(t.startswith("Đề mục Đề mục") and t.endswith("… (tiếp theo)") for t in titles) > 3
    assert "Móc [vuông lồng và [[[" in shown
    chart = next(sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart)
    assert list(chart.plots[0].categories) == ["ab c def g h i"]
    assert any(t.startswith("Ôn tập · Câu 1") for t in titles)


def test_writing_a_deck_grows_linearly_with_a_title(tmp_path: Path) -> None:
    """A title four times as long costs about four times the measuring, not sixteen: titles
    are cut with '…' at a point found by bisection, and a word longer than a line is broken
    in one pass over its characters."""
    course, _ = load_and_check(make_tree(tmp_path))
    deck = course.decks["buoi-mot"]
    for unit in ("Buổi tập huấn ", "x"):
        counts = []
        for length in (1500, 6000):
            deck.title = (unit * length)[:length]
            counts.append(measured_characters(lambda: decks.deck_bytes(course, deck))[1])
        assert counts[1] < 6 * counts[0], (unit, counts)


def test_a_session_of_no_time_is_not_written(tmp_path: Path) -> None:
    for name, deck in {
        "length": "title: Buổi\nlength: 0\nlessons: [bai-mot]\n",
        "empty": "title: Buổi\nlessons: []\n",
        "break": "title: Buổi\nlessons:\n  - bai-mot\n  - {title: Giải lao, minutes: 0}\n",
    }.items():
        root = make_tree(tmp_path / name, {"slides/decks/buoi-mot.yml": deck})
        out = tmp_path / name / "out"
        result = run("build", "-q", "--root", str(root), "--out", str(out), "--deck", "buoi-mot")
        assert result.exit_code == 2, result.output
        assert "slides/decks/buoi-mot.yml:" in result.output and "[deck." in result.output
        assert not (out / "decks" / "buoi-mot.pptx").exists()


# --- restylable decks: layouts, placeholders, templates ------------------------------------------

EMPHASIS_ONLY = {"lang", "b", "i", "dirty"}


def test_every_text_sits_in_a_placeholder_of_a_named_layout_with_only_emphasis(
    bundled_decks: dict[str, Path],
) -> None:
    """Restyling the master restyles the deck: every slide is made from one of the
    template's named layouts, every text sits in a placeholder, its runs carry no font, size
    or colour (only bold, italic and their language), no slide sets its own background."""
    names = {name for names in package.LAYOUTS.values() for name in names}
    for name, path in bundled_decks.items():
        prs = Presentation(str(path))
        used = set()
        for number, slide in enumerate(prs.slides, start=1):
            where = f"{name} slide {number}"
            used.add(slide.slide_layout.name)
            assert slide.slide_layout.name in names, where
            assert slide._element.find(f"{qn('p:cSld')}/{qn('p:bg')}") is None, where  # noqa: SLF001
            for shape in leaf_shapes(slide.shapes):
                if shape.has_text_frame and shape.text_frame.text.strip():
                    assert shape.is_placeholder, f"{where}: {shape.name}"
                for props in shape._element.iter(qn("a:rPr")):  # noqa: SLF001
                    assert set(props.attrib) <= EMPHASIS_ONLY, (where, dict(props.attrib))
                    assert len(props) == 0, (where, [child.tag for child in props])
                for props in shape._element.iter(qn("a:pPr")):  # noqa: SLF001
                    assert props.find(qn("a:lnSpc")) is None, where  # the master's spacing
        assert {"Title Slide", "Agenda", "Section Header", "Title and Content"} <= used, name
        assert {"Question", "Answer", "Big Number", "Chart", "Two Content"} <= used, name


def test_the_templates_line_spacing_is_relative(bundled_decks: dict[str, Path]) -> None:
    """Enlarged text keeps its diacritics clear of the line above: the master sets line
    spacing as a share of the font's single spacing, never in points."""
    prs = Presentation(str(next(iter(bundled_decks.values()))))
    master = prs.slide_master._element  # noqa: SLF001
    spacing = master.findall(f".//{qn('p:txStyles')}//{qn('a:lnSpc')}")
    assert spacing and all(s.find(qn("a:spcPct")) is not None for s in spacing)
    assert not master.findall(f".//{qn('a:lnSpc')}/{qn('a:spcPts')}")


def department_template(path: Path) -> None:
    """A department's template, as a trainer would make it from ours in PowerPoint: its own
    title size and colour, its own fonts and colours, a band on the master."""
    prs = package.template()
    master = prs.slide_master
    title = master._element.find(  # noqa: SLF001
        f"{qn('p:txStyles')}/{qn('p:titleStyle')}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}"
    )
    title.set("sz", "4000")
    package.apply_theme(
        prs,
        primary="#005A32",
        on_primary="#FFFFFF",
        text="#101010",
        background="#FFFDF5",
        muted="#5A5A5A",
        heading_font="Calibri",
        body_font="Calibri",
    )
    band = etree.fromstring(
        '<p:sp xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<p:nvSpPr><p:cNvPr id="900" name="Dải màu của Sở"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{prs.slide_width}" cy="120000"/>'
        '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        '<a:solidFill><a:schemeClr val="accent1"/></a:solidFill></p:spPr></p:sp>'
    )
    master.shapes._spTree.append(band)  # noqa: SLF001
    prs.save(str(path))


def test_a_department_template_restyles_every_slide(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "src")
    department_template(root / "slides" / "template.pptx")
    prs = Presentation(str(build_deck(root, tmp_path / "out", "buoi-mot")))
    assert package.theme_fonts(prs) == ("Calibri", "Calibri")
    theme = etree.fromstring(prs.slide_master.part.part_related_by(RT.THEME).blob)
    assert theme.find(f".//{qn('a:dk2')}/{qn('a:srgbClr')}").get("val") == "005A32"
    assert len(prs.slides) > 8
    for number, slide in enumerate(prs.slides, start=1):
        master = slide.slide_layout.slide_master
        assert "Dải màu của Sở" in [s.name for s in master.shapes], number
        title = slide.shapes.title
        look = package.frame(title, package.theme_fonts(prs)).look
        if slide.slide_layout.name not in ("Title Slide", "Section Header", "Answer"):
            assert look.levels[0].size == 40.0, (number, slide.slide_layout.name)
        assert look.levels[0].family == "Calibri"
        assert all(r.font.size is None for p in title.text_frame.paragraphs for r in p.runs)
    assert measured_overflow(tmp_path / "out" / "decks" / "buoi-mot.pptx") == []


def test_a_template_font_is_measured_as_itself_or_a_warning_says_it_cannot_be(
    tmp_path: Path,
) -> None:
    """A department template in a font the builder has no metric twin for: installed, its text
    is measured in that font (a wide one pages the text over more slides than Arial); not
    installed, `builder check` warns that it is measured as Arial."""
    default, wide = tmp_path / "arial", tmp_path / "mono"
    for root in (default, wide):
        for folder in ("course", "quizzes", "slides"):
            shutil.copytree(REPO / folder, root / folder)
    prs = package.template()
    package.apply_theme(
        prs, primary="#005A32", on_primary="#FFFFFF", text="#101010", background="#FFFFFF",
        muted="#5A5A5A", heading_font="Liberation Mono", body_font="Liberation Mono",
    )  # fmt: skip
    prs.save(str(wide / "slides" / "template.pptx"))
    assert textfit.font_file("Liberation Mono").name == "LiberationMono-Regular.ttf"
    assert textfit.width("Chuyển đổi số", "Liberation Mono", 20) > textfit.width(
        "Chuyển đổi số", "Arial", 20
    )
    assert textfit.font_file("Liberation Mono", True).name == "LiberationMono-Bold.ttf"
    made = [build_deck(root, root / "out", "quang-tri-2022-09-16") for root in (default, wide)]
    counts = [len(Presentation(str(path)).slides) for path in made]
    assert counts[1] > counts[0], counts
    assert measured_overflow(made[1]) == []
    course, problems = load_and_check(wide)
    assert not [p for p in decks.template_problems(course).items]

    missing = make_tree(tmp_path / "missing")
    prs = package.template()
    package.apply_theme(
        prs, primary="#005A32", on_primary="#FFFFFF", text="#101010", background="#FFFFFF",
        muted="#5A5A5A", heading_font="Phông Của Sở", body_font="Phông Của Sở",
    )  # fmt: skip
    prs.save(str(missing / "slides" / "template.pptx"))
    course, _ = load_and_check(missing)
    found = [str(p) for p in decks.template_problems(course).items]
    assert len(found) == 1 and "[deck.font-metrics] the template's font 'Phông Của Sở'" in found[0]


def test_a_template_without_the_layouts_is_a_clear_error(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "src")
    prs = package.template()
    for layout in list(prs.slide_layouts):
        if layout.name in ("Big Number", "Title and Content", "Section Header", "Title Slide"):
            prs.slide_layouts.remove(layout)
    prs.save(str(root / "slides" / "template.pptx"))
    out = ["--out", str(tmp_path / "out")]
    for args in (["check"], ["build", *out], ["build", *out, "--deck", "buoi-mot"]):
        result = CliRunner().invoke(main, [*args, "--root", str(root)])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert "slides/template.pptx:1: [deck.template]" in result.output
        assert "'Section Header' or 'Title Slide'" in result.output
        assert "'Big Number' or 'Title and Content' or 'Title, Content'" in result.output
        assert "LibreOffice Impress: View > Master Slide" in result.output
    assert not (tmp_path / "out" / "decks").exists()
    (root / "slides" / "template.pptx").write_bytes(b"PK\x03\x04 not a deck")
    result = CliRunner().invoke(main, ["check", "--root", str(root)])
    assert result.exit_code == 2 and "[deck.template]" in result.output
    assert "save it from PowerPoint or LibreOffice" in result.output


def test_a_four_by_three_deck_for_old_projectors(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path / "src",
        {"slides/decks/buoi-mot.yml": BASE["slides/decks/buoi-mot.yml"] + "aspect: '4:3'\n"},
    )
    path = build_deck(root, tmp_path / "out", "buoi-mot")
    prs = Presentation(str(path))
    assert (prs.slide_width, prs.slide_height) == (9144000, 6858000)
    assert measured_overflow(path) == []


# --- what the trainer reads and says ----------------------------------------------------------

NOT_SECTIONS = ("Nguồn tư liệu",)  # the sources: one line per article cited


def test_section_slides_show_short_points(bundled_decks: dict[str, Path]) -> None:
    """A section's slide shows its points (at most 40 words), its prose is in the notes; the
    objectives and key points slides too (their short forms, the full texts in the notes)."""
    seen = 0
    for name, path in bundled_decks.items():
        for number, slide in enumerate(Presentation(str(path)).slides, start=1):
            title = slide.shapes.title.text_frame.text
            if slide.slide_layout.name not in ("Title and Content", "Two Content"):
                continue
            if title.startswith(NOT_SECTIONS):
                continue
            words = sum(
                len(shape.text_frame.text.split())
                for shape in shapes_module_content(slide)
                if shape.has_text_frame
            )
            assert 0 < words <= 40, (name, number, title, words)
            seen += 1
            if title.startswith(("Mục tiêu", "Ghi nhớ")):
                notes = slide.notes_slide.notes_text_frame.text
                assert notes.count("\n– ") >= 2, (name, number, notes)
    assert seen > 100


def shapes_module_content(slide) -> list:  # noqa: ANN001
    from builder.render.decks import shapes

    return shapes.content(slide)


CUE = re.compile(
    r"Thời gian: (\d+:\d\d)(?:–(\d+:\d\d) \((\d+) phút\)| \(dưới một phút\)); "
    r"bài này từ (\d+:\d\d) đến (\d+:\d\d)\."
)


def minutes_of(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def test_notes_timings_add_up_to_each_lessons_slot(bundled_decks: dict[str, Path]) -> None:
    """Each lesson slide's cue is a span of clock time; a lesson's spans follow each other
    from its start to its end, as the agenda gives it."""
    for name, path in bundled_decks.items():
        lessons: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for slide in Presentation(str(path)).slides:
            found = CUE.search(slide.notes_slide.notes_text_frame.text)
            if found:
                start, end, length, first, last = found.groups()
                at = minutes_of(start)
                until = minutes_of(end) if end else at
                assert length is None or int(length) == until - at
                lessons.setdefault((first, last), []).append((at, until))
        assert len(lessons) >= 5, name
        for (first, last), spans in lessons.items():
            assert spans[0][0] == minutes_of(first) and spans[-1][1] == minutes_of(last), name
            assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False)), name


def test_notes_name_lessons_by_title_never_by_id(bundled_decks: dict[str, Path]) -> None:
    course, _ = load_and_check(REPO)
    ids = [lesson_id for lesson_id in course.lessons if "-" in lesson_id]
    for name, path in bundled_decks.items():
        for number, slide in enumerate(Presentation(str(path)).slides, start=1):
            notes = slide.notes_slide.notes_text_frame.text
            words = re.sub(r"https?://\S+", "", notes)
            assert not [i for i in ids if re.search(rf"(?<![\w-]){i}(?![\w-])", words)], (
                name,
                number,
            )
            assert "Nội dung trình bày" not in notes or len(notes) > 60


def test_ordering_steps_are_shuffled_and_matching_has_two_columns(tmp_path: Path) -> None:
    deck = "title: Buổi\nquestions: 7\nlessons: [bai-mot]\n"
    root = make_tree(tmp_path / "src", {"slides/decks/buoi-mot.yml": deck})
    prs = Presentation(str(build_deck(root, tmp_path / "out", "buoi-mot")))
    slides = list(prs.slides)

    def question(prompt: str) -> int:
        return next(
            n
            for n, s in enumerate(slides)
            if s.slide_layout.name == "Question" and prompt in "\n".join(texts_of(s))
        )

    steps = ["Đăng nhập", "Nộp hồ sơ", "Nhận kết quả"]
    at = question("Sắp xếp các bước.")
    shown = [p.text for sh in shapes_module_content(slides[at]) for p in sh.text_frame.paragraphs]
    listed = [t for t in shown if t in steps]
    assert sorted(listed) == sorted(steps) and listed != steps  # never the answer
    answer = [
        p.text for sh in shapes_module_content(slides[at + 1]) for p in sh.text_frame.paragraphs
    ]
    assert answer[answer.index("Đáp án:") + 1 :][:3] == steps  # in order, a numbered list
    at = question("Ghép mỗi trụ cột với ví dụ.")
    matching = slides[at]
    answer = [
        p.text for sh in shapes_module_content(slides[at + 1]) for p in sh.text_frame.paragraphs
    ]
    assert "Đáp án:" in answer and any(" → " in line for line in answer)
    columns = [
        sh
        for sh in shapes_module_content(matching)
        if "Kinh tế số" in sh.text_frame.text or "Bán hàng trên sàn" in sh.text_frame.text
    ]
    assert len(columns) == 2 and columns[0].top == columns[1].top
    assert columns[0].left + columns[0].width <= columns[1].left
    assert plan.shuffled(steps, "any") != steps
    assert plan.shuffled(["a", "a"], "x") == ["a", "a"]


def test_a_matching_question_over_two_slides_shows_its_matches_beside_each_item(
    bundled_decks: dict[str, Path],
) -> None:
    """When a matching question's items need two slides, each slide shows every item's own
    match beside it: all the matches when they fit on one slide, else each slide a matching
    exercise of its own (its items and their matches, lettered afresh)."""
    course, _ = load_and_check(REPO)
    seen = 0
    for name, path in bundled_decks.items():
        slides = list(Presentation(str(path)).slides)
        units = plan.plan(course, course.decks[name])
        at = 0
        for unit in units:
            group = [slides[at]]
            at += 1
            continued = f"{unit.title} (tiếp theo)"
            while at < len(slides) and slides[at].shapes.title.text_frame.text == continued:
                group.append(slides[at])
                at += 1
            if unit.kind != "question" or unit.split is None or len(group) < 2:
                continue
            items = [" ".join(p.text.split()) for p in unit.more[: unit.split]]
            matches = [" ".join(p.text.split()) for p in unit.more[unit.split :]]
            for slide in group:
                shown = " ".join(" ".join(texts_of(slide)).split())
                on = [n for n, item in enumerate(items) if item in shown]
                assert on, (name, unit.title)
                for n in on:  # each item's own match beside it
                    assert matches[unit.pairs[n]] in shown, (name, unit.title, items[n])
            seen += 1
    assert seen >= 2  # the Quảng Trị deck has two (its questions of slides 9 and 30)


def test_question_and_answer_slides_show_every_choice_and_the_explanation(
    bundled_decks: dict[str, Path],
) -> None:
    """Nothing of a question is cut to make it fit: every choice is on its slides (continued
    on a second slide if it must), and the answer slides show the explanation."""
    course, _ = load_and_check(REPO)
    for name, path in bundled_decks.items():
        slides = list(Presentation(str(path)).slides)
        units = plan.plan(course, course.decks[name])
        at = 0
        for unit in units:
            shown = texts_of(slides[at])
            at += 1
            continued = f"{unit.title} (tiếp theo)"
            while at < len(slides) and slides[at].shapes.title.text_frame.text == continued:
                shown += texts_of(slides[at])
                at += 1
            if unit.kind not in ("question", "answer"):
                continue
            joined = " ".join(" ".join(shown).split())
            for para in (*unit.paras, *unit.more):
                if unit.kind == "answer" and para in unit.paras:
                    continue  # the question, repeated small: dropped when room is short
                assert " ".join(para.text.split()) in joined, (name, unit.title, para.text)
