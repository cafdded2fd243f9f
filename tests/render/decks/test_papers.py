"""A session's printed papers, read back as a trainer and a learner read them: the session plan
and the handout written beside the deck as PDF files (no LibreOffice), their text extracted with
poppler's pdftotext and the handout's QR code scanned from its rendered page."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image
from pptx import Presentation
from pptx.shapes.placeholder import PlaceholderPicture

from builder.cli import main
from builder.course.load import load_course
from builder.render.decks import papers
from tests.helpers import BASE, make_tree

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils (pdftotext, pdftoppm) not installed",
)

URL = "https://hoc.example.gov.vn/chuyen-doi-so"
LESSON = BASE["course/lessons/bai-mot.md"] + (
    "\n## Thực hành\n\n"
    "```{slide}\n- Điền phiếu việc cần làm.\n- Đọc to cho cả lớp.\n```\n\n"
    "Mỗi người điền phiếu cho công việc của mình.\n\n"
    "```{notes}\n:minutes: 10\nPhát phiếu. Chia nhóm ba người, mỗi nhóm điền một phiếu.\n```\n\n"
    "```{admonition} Phiếu việc cần làm: bắt đầu ở xã\n:class: checklist\n"
    "- [ ] Chọn một việc\n- [ ] Ghi tên người làm\n```\n"
)
DECK = (
    "title: Buổi tập huấn thử\n"
    "date: 2022-09-16\n"
    'start: "08:00"\n'
    "place: Quảng Trị\n"
    "lessons:\n"
    "  - bai-mot\n"
    "  - title: Giải lao\n"
    "    minutes: 10\n"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A small course with a book address, an activity and a checklist: its deck and papers."""
    tmp = tmp_path_factory.mktemp("papers")
    root = make_tree(
        tmp / "src",
        {
            "course/course.yml": BASE["course/course.yml"] + f"url: {URL}\n",
            "course/lessons/bai-mot.md": LESSON,
            "slides/decks/buoi-mot.yml": DECK,
        },
    )
    out = tmp / "out"
    result = CliRunner().invoke(
        main, ["build", "--root", str(root), "--out", str(out), "--deck", "buoi-mot"]
    )
    assert result.exit_code == 0, result.output
    assert "buoi-mot.plan.pdf" in result.output and "buoi-mot.handout.pdf" in result.output
    decks = out / "decks"
    return {
        "root": root,
        "deck": decks / "buoi-mot.pptx",
        "plan": decks / "buoi-mot.plan.pdf",
        "handout": decks / "buoi-mot.handout.pdf",
    }


def text_of(pdf: Path) -> str:
    found = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(unicodedata.normalize("NFC", found).split())


def test_the_session_plan_gives_the_trainer_times_tasks_and_answers(built: dict) -> None:
    text = text_of(built["plan"])
    assert text.startswith("Buổi tập huấn thử")
    assert "Kế hoạch buổi học, dành cho báo cáo viên" in text
    assert "16/9/2022 08:00 · Quảng Trị" in text
    # the agenda, with clock times, then each part with its running order
    assert "08:00–08:45 Bài một 45 phút" in text and "08:45–08:55 Giải lao 10 phút" in text
    assert "Mục tiêu • Hiểu ba trụ cột." in text and "Diễn tiến" in text
    assert "Nêu mục tiêu (1 ý)" in text and "Tóm tắt ghi nhớ (1 ý)" in text
    # the activity with its task, its minutes and the sheet to print
    assert "Thực hành (10 phút)" in text
    assert "Phát phiếu. Chia nhóm ba người, mỗi nhóm điền một phiếu." in text
    assert "Cần in: Phiếu việc cần làm: bắt đầu ở xã" in text
    # every question asked on the slides, with its answer and explanation
    assert "Câu hỏi và đáp án" in text and "Hỏi câu này (xem phần câu hỏi)" in text
    assert "Ôn tập · Câu 1: Có mấy trụ cột? • A. Hai • B. Ba Đáp án: Ba Giải thích:" in text
    assert "Buổi tập huấn thử · Kế hoạch buổi học 1/2" in text  # footer, page numbers


def test_the_plans_running_order_fills_each_lesson_slot(built: dict) -> None:
    """The running order's clock spans follow each other from the lesson's start to its
    end, as the deck's notes share it."""
    course, _ = load_course(built["root"])
    document = papers.session_plan(course, course.decks["buoi-mot"])
    tables = [b for b in document.blocks if isinstance(b, papers.pdf.Table)]
    order = next(t for t in tables if t.header[1] == "Trang chiếu")
    spans = [row[0] for row in order.rows]
    assert spans[0].startswith("08:00") and spans[-1].endswith("08:45")
    ends = [s.split("–")[-1] for s in spans]
    starts = [s.split("–")[0] for s in spans]
    assert all(a == b for a, b in zip(ends, starts[1:], strict=False))


def test_the_handout_gives_key_points_glossary_sources_and_a_scannable_link(
    built: dict, tmp_path: Path
) -> None:
    text = text_of(built["handout"])
    assert "Tài liệu phát cho học viên" in text
    assert "Bài 1: Bài một" in text and "Ghi nhớ • Ghi nhớ một." in text
    # the session's glossary: the terms its lessons use, with their meaning
    assert "Thuật ngữ" in text and "Chính quyền số Chính quyền làm việc trên môi trường số." in text
    assert "Nguồn tư liệu" in text and "Báo A" in text
    lesson = f"{URL}/bai-mot.html"
    assert lesson in text and f"{URL}/" in text
    # scanned from the printed page, as a learner's phone would
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", str(built["handout"]), str(tmp_path / "page")],
        check=True,
    )
    read = {
        code.text
        for page in sorted(tmp_path.glob("page-*.png"))
        for code in zxingcpp.read_barcodes(Image.open(page))
    }
    assert read == {lesson, f"{URL}/"}


def test_the_decks_closing_slide_links_its_online_lesson(built: dict) -> None:
    prs = Presentation(str(built["deck"]))
    closing = next(s for s in prs.slides if s.slide_layout.name == "Closing")
    assert closing.shapes.title.text_frame.text == "Ghi nhớ"
    texts = [sh.text_frame.text for sh in closing.shapes if sh.has_text_frame]
    assert f"{URL}/bai-mot.html" in texts
    (picture,) = [sh for sh in closing.shapes if isinstance(sh, PlaceholderPicture)]
    image = Image.open(io.BytesIO(picture.image.blob))
    assert [c.text for c in zxingcpp.read_barcodes(image)] == [f"{URL}/bai-mot.html"]
    assert picture.width == picture.height  # square: nothing cropped


def test_papers_are_the_same_bytes_on_a_rebuild(built: dict, tmp_path: Path) -> None:
    out = tmp_path / "again"
    result = CliRunner().invoke(
        main, ["build", "-q", "--root", str(built["root"]), "--out", str(out), "--deck", "buoi-mot"]
    )
    assert result.exit_code == 0, result.output
    for kind in ("plan", "handout"):
        assert (out / "decks" / f"buoi-mot.{kind}.pdf").read_bytes() == built[kind].read_bytes()
