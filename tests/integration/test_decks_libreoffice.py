"""Every bundled deck converted to PDF by LibreOffice: it opens, has a page per slide, and no
word lies outside its page (poppler's pdftotext -bbox and pdftoppm read the result)."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation

from tests.helpers import leaf_shapes

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice]

TOOLS = ("soffice", "pdftotext", "pdfinfo", "pdftoppm")
EMU = 12700  # per point
SLACK = 2.0  # points: glyph boxes may stick out a little from the line box


def need_libreoffice() -> None:
    """Skip locally without LibreOffice and poppler; under CI their absence is an error."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CI"):
            raise RuntimeError(f"CI must install {', '.join(missing)} (see .ci/run)")
        pytest.skip(f"not installed: {', '.join(missing)}", allow_module_level=True)


need_libreoffice()

PAGE = re.compile(r'<page width="(?P<w>[\d.]+)" height="(?P<h>[\d.]+)">(?P<body>.*?)</page>', re.S)
WORD = re.compile(
    r'<word xMin="(?P<x0>[-\d.]+)" yMin="(?P<y0>[-\d.]+)" xMax="(?P<x1>[-\d.]+)" '
    r'yMax="(?P<y1>[-\d.]+)">(?P<text>[^<]*)</word>'
)


@pytest.fixture(scope="module")
def pdfs(bundled: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    """Each deck of the strict bundled build and its PDF."""
    decks = sorted((bundled / "decks").glob("*.pptx"))
    assert decks, "the build writes _build/decks/*.pptx"
    out = tmp_path_factory.mktemp("pdf")
    profile = (out / "profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, decks),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {deck: out / f"{deck.stem}.pdf" for deck in decks}


def test_every_deck_converts_with_a_page_per_slide(pdfs: dict[Path, Path]) -> None:
    for deck, pdf in pdfs.items():
        assert pdf.is_file(), f"LibreOffice did not convert {deck.name}"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)[1])
        assert pages == len(Presentation(str(deck)).slides)


def page_words(pdf: Path) -> list[tuple[float, float, list[tuple[str, tuple[float, ...]]]]]:
    """Per page: its width, height and words with their boxes (in points, y down)."""
    layout = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    out = []
    for page in PAGE.finditer(layout):
        words = [
            (html.unescape(w["text"]), tuple(float(w[k]) for k in ("x0", "y0", "x1", "y1")))
            for w in WORD.finditer(page["body"])
        ]
        out.append((float(page["w"]), float(page["h"]), words))
    return out


def text_areas(slide) -> list[tuple[str, tuple[float, ...]]]:  # noqa: ANN001
    """The last word of every paragraph with the rectangle it must end in (points)."""
    areas = []
    for shape in leaf_shapes(slide.shapes):
        box = tuple(
            v / EMU
            for v in (shape.left, shape.top, shape.left + shape.width, shape.top + shape.height)
        )
        frames = []
        if shape.has_text_frame:
            frames.append(shape.text_frame)
        if shape.has_table:
            frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
        for frame in frames:
            for paragraph in frame.paragraphs:
                words = "".join(r.text for r in paragraph.runs).split()
                if words:
                    # LibreOffice may break "2022-2023" after the hyphen: keep what follows it.
                    areas.append((words[-1].rsplit("-", 1)[-1] or words[-1], box))
    return areas


def test_no_text_lies_outside_its_page_or_its_shape(pdfs: dict[Path, Path]) -> None:
    """LibreOffice drops what falls off the page, so every paragraph's last word must be on
    the page, inside the shape that holds it."""
    for deck, pdf in pdfs.items():
        slides = Presentation(str(deck)).slides
        pages = page_words(pdf)
        assert len(pages) == len(slides)
        for number, ((width, height, words), slide) in enumerate(
            zip(pages, slides, strict=True), start=1
        ):
            where = f"{deck.name} page {number}"
            assert words, f"{where} has no text"
            for text, (x0, y0, x1, y1) in words:
                assert x0 >= 0 and y0 >= 0 and x1 <= width and y1 <= height, (
                    f"{where}: '{text}' lies outside the page"
                )
            for last, (left, top, right, bottom) in text_areas(slide):
                spots = [b for t, b in words if t.endswith(last)]
                assert any(
                    b[0] >= left - SLACK
                    and b[1] >= top - SLACK
                    and b[2] <= right + SLACK
                    and b[3] <= bottom + SLACK
                    for b in spots
                ), f"{where}: '{last}' is missing or outside its shape"


def test_pages_render_to_pictures(pdfs: dict[Path, Path], tmp_path: Path) -> None:
    for deck, pdf in pdfs.items():
        prefix = tmp_path / deck.stem
        subprocess.run(
            ["pdftoppm", "-r", "20", "-png", "-f", "1", "-l", "3", str(pdf), str(prefix)],
            check=True,
        )
        assert len(list(tmp_path.glob(f"{deck.stem}-*.png"))) == 3


def test_every_session_has_a_readable_plan_and_handout(bundled: Path, tmp_path: Path) -> None:
    """The papers a trainer prints, beside each deck: poppler reads their Vietnamese text
    and renders their pages."""
    decks = sorted((bundled / "decks").glob("*.pptx"))
    for deck in decks:
        title = Presentation(str(deck)).slides[0].shapes.title.text_frame.text
        for kind, expected in (
            ("plan", ("Kế hoạch buổi học", "Chương trình", "Diễn tiến", "Câu hỏi và đáp án")),
            ("handout", ("Tài liệu phát cho học viên", "Ghi nhớ", "Thuật ngữ", "Nguồn tư liệu")),
        ):
            pdf = deck.with_name(f"{deck.stem}.{kind}.pdf")
            text = subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            joined = " ".join(text.split())
            assert joined.startswith(" ".join(title.split())), pdf.name
            assert all(word in joined for word in expected), pdf.name
            assert "\ufffd" not in joined and "?" * 3 not in joined
            prefix = tmp_path / f"{deck.stem}-{kind}"
            subprocess.run(
                ["pdftoppm", "-r", "20", "-png", "-f", "1", "-l", "1", str(pdf), str(prefix)],
                check=True,
            )
            assert list(tmp_path.glob(f"{deck.stem}-{kind}-*.png")), pdf.name
