"""Printable PDFs (session plans, handouts): what a reader of the printed page or of the text
poppler extracts from it finds there, whatever the text."""

from __future__ import annotations

import subprocess
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import pytest

from builder.render import pdf, qr

VIETNAMESE = (
    "Chuyển đổi số: chính quyền số, kinh tế số, xã hội số — Quảng Trị, Thái Nguyên, Đắk Lắk, ỹ ữ ợ"
)
FONTS = pdf.fonts()


def write(tmp_path: Path, doc: pdf.Document, name: str = "doc.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf.pdf_bytes(doc, FONTS))
    return path


def text(path: Path, page: int | None = None) -> str:
    """The text poppler extracts (of one page), in NFC with runs of blanks as one space."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return " ".join(unicodedata.normalize("NFC", out).split())


def squeezed(found: str) -> str:
    return "".join(found.split())


def info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return dict(
        (key.strip(), value.strip())
        for key, value in (line.split(":", 1) for line in out.stdout.splitlines() if ":" in line)
    )


def document(*blocks: pdf.Block, footer: str = "") -> pdf.Document:
    return pdf.Document(title="Kế hoạch buổi học", lang="vi", blocks=list(blocks), footer=footer)


def test_vietnamese_text_prints_and_extracts_with_every_diacritic(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Đắk Lắk và Quảng Trị")
    doc = document(
        pdf.Heading(VIETNAMESE, 2),
        pdf.Paragraph([pdf.Span("Mục tiêu: ", bold=True), pdf.Span(VIETNAMESE, italic=True)]),
        pdf.Paragraph(decomposed),
    )
    found = text(write(tmp_path, doc))
    assert VIETNAMESE in found
    # poppler reads "ỹ ữ ợ" alone on a line as letter-spaced "ỹữợ": compare without blanks
    assert squeezed(found).count(squeezed(VIETNAMESE)) == 2
    assert "Mục tiêu: Chuyển đổi số" in found
    assert "Đắk Lắk và Quảng Trị" in found


def test_headings_lists_tables_and_pictures_all_appear(tmp_path: Path) -> None:
    doc = document(
        pdf.Heading("Phần 1. Chuẩn bị", 2),
        pdf.Paragraph("Ghi chú cho giảng viên.", muted=True),
        pdf.Items(["Kiểm tra máy chiếu", [pdf.Span("Phát ", bold=True), pdf.Span("phiếu")]]),
        pdf.Heading("Các bước", 3),
        pdf.Items(["Mở trang", "Đăng nhập"], numbered=True),
        pdf.Table(["Thời gian", "Hoạt động"], [["08:00", "Khởi động"]], [0.3, 0.7]),
        pdf.Image(qr.png("https://example.org/khoa-hoc"), 30, "Quét mã để mở khóa học"),
    )
    path = write(tmp_path, doc)
    found = text(path)
    for expected in (
        "Kế hoạch buổi học",
        "Phần 1. Chuẩn bị",
        "Ghi chú cho giảng viên.",
        "• Kiểm tra máy chiếu",
        "• Phát phiếu",
        "Các bước",
        "1. Mở trang",
        "2. Đăng nhập",
        "Thời gian Hoạt động",
        "08:00 Khởi động",
        "Quét mã để mở khóa học",
    ):
        assert expected in found
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True)
    assert len(images.stdout.splitlines()) == 3  # two header lines, one picture


def test_a_table_longer_than_a_page_repeats_its_header(tmp_path: Path) -> None:
    rows = [[f"Hoạt động số {n}", "Giảng viên hướng dẫn"] for n in range(1, 81)]
    path = write(tmp_path, document(pdf.Table(["Hoạt động", "Người thực hiện"], rows, [0.6, 0.4])))
    pages = int(info(path)["Pages"])
    assert pages >= 2
    for page in range(1, pages + 1):
        assert text(path, page).startswith(
            ("Kế hoạch buổi học Hoạt động Người thực hiện", "Hoạt động Người thực hiện")
        )
    assert "Hoạt động số 80 Giảng viên hướng dẫn" in text(path, pages)


def test_a_heading_never_ends_a_page(tmp_path: Path) -> None:
    blocks: list[pdf.Block] = []
    for n in range(1, 41):
        blocks.append(pdf.Heading(f"Mục {n}", 3))
        blocks.append(pdf.Paragraph(f"Nội dung {n}" + " dòng tiếp theo" * 8 * (n % 5)))
    path = write(tmp_path, document(*blocks))
    pages = [text(path, page) for page in range(1, int(info(path)["Pages"]) + 1)]
    for n in range(1, 41):
        assert any(f"Mục {n} Nội dung {n}" in page for page in pages), n


def test_each_page_shows_the_footer_and_its_number(tmp_path: Path) -> None:
    doc = document(
        pdf.Paragraph("Trang một"),
        pdf.PageBreak(),
        pdf.Paragraph("Trang hai"),
        footer="Khóa học Chuyển đổi số · Buổi 1",
    )
    path = write(tmp_path, doc)
    for page in (1, 2):
        found = text(path, page)
        assert "Khóa học Chuyển đổi số · Buổi 1" in found
        assert f"{page}/2" in squeezed(found)  # poppler reads "1 / 2" as "1/2"


def test_the_same_document_gives_the_same_bytes(tmp_path: Path) -> None:
    doc = document(
        pdf.Heading(VIETNAMESE, 2),
        pdf.Table(["A", "B"], [["1", "2"]], [0.5, 0.5]),
        pdf.Image(qr.png("https://example.org"), 25, "QR"),
    )
    first = pdf.pdf_bytes(doc, FONTS)
    assert first == pdf.pdf_bytes(doc, FONTS)
    assert b"/ID [<" in first
    assert b"MPDFAA+LiberationSans" in first


def test_the_creation_date_comes_from_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert pdf.creation_date() == datetime(2000, 1, 1, tzinfo=timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert pdf.creation_date() == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    assert "2023" in info(write(tmp_path, document()))["CreationDate"]


def test_the_pdf_carries_its_title_author_subject_and_language(tmp_path: Path) -> None:
    doc = pdf.Document(
        title="Tài liệu học viên: Đắk Lắk",
        lang="vi",
        blocks=[pdf.Paragraph("Xin chào")],
        author="Nhóm biên soạn",
        subject="Chuyển đổi số",
    )
    path = write(tmp_path, doc)
    meta = info(path)
    assert meta["Title"] == "Tài liệu học viên: Đắk Lắk"
    assert meta["Author"] == "Nhóm biên soạn"
    assert meta["Subject"] == "Chuyển đổi số"
    assert meta["Page size"].endswith("(A4)")
    assert b"/Lang (vi)" in path.read_bytes()


HOSTILE = [
    "\x00NUL\x07bell\x1b[31m escape\x7f",
    "lone \ud800 surrogate \udfff",
    "emoji 😀👍🏽 and CJK 漢字 and Arabic مرحبا",
    "zero\u200bwidth\u200d joiner\ufeff bom \u202eRTL override",
    "tabs\tand\r\nnewlines\u2028separator\u2029paragraph\x0bvt\x0cff",
    "x" * 5_000,
    ("chuyển đổi số " * 800)[:10_000],
    "{nb} {nb_pages} %PDF-1.4 ) ( \\",
    "",
    "   ",
    "e\u0301\u0323\u0302 combining \u0300\u0301 alone \ufe0f",
]


def test_hostile_text_never_breaks_the_pdf(tmp_path: Path) -> None:
    blocks: list[pdf.Block] = []
    for hostile in HOSTILE:
        blocks += [
            pdf.Heading(hostile, 2),
            pdf.Paragraph([pdf.Span(hostile, bold=True), pdf.Span(hostile, italic=True)]),
            pdf.Items([hostile, [pdf.Span(hostile, bold=True, italic=True)]], numbered=True),
            pdf.Table([hostile, "B"], [[hostile, hostile, "extra cell"], []], [0.01, 0.99]),
            pdf.Image(qr.png("x"), float("nan"), hostile),
        ]
    blocks.append(pdf.Table([], [["a", "b"]], [0.0, -1.0]))
    doc = pdf.Document(
        title=HOSTILE[0] + HOSTILE[1],
        lang="vi\x00",
        blocks=blocks,
        footer=HOSTILE[6],
        author=HOSTILE[2],
        subject=HOSTILE[5],
    )
    path = write(tmp_path, doc)
    assert path.read_bytes().startswith(b"%PDF-")
    assert int(info(path)["Pages"]) > 10
    found = text(path)
    assert "emoji ?" in found
    assert "NULbell[31m escape" in found
    assert "{nb} {nb_pages} %PDF-1.4 ) ( \\" in found


def test_a_word_wider_than_the_line_breaks_inside_it(tmp_path: Path) -> None:
    word = "Từquárấtdài" * 40
    path = write(tmp_path, document(pdf.Paragraph(word), pdf.Table(["A"], [[word]], [1.0])))
    assert squeezed(text(path)).count(word) == 2


def test_a_picture_that_is_not_png_is_refused() -> None:
    with pytest.raises(ValueError, match="PNG"):
        pdf.pdf_bytes(document(pdf.Image(b"GIF89a", 30)), FONTS)
