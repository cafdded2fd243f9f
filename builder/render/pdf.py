"""Printable A4 PDFs (a session plan, a learner handout) from a small document model, made at
build time without LibreOffice: the only fpdf2 (and fontTools) user.

A `Document` is a title and a list of blocks: headings, paragraphs, bulleted or numbered
lists, tables, pictures (a QR code) and page breaks. `pdf_bytes` lays the blocks out itself,
line by line, in the Unicode TTF faces of one family (embedded as subsets, so Vietnamese prints
and copies as text), then paints the pages with fpdf2. Every block is measured before it is
placed: a heading never ends a page (it goes with the start of what follows), a table row
moves whole to the next page when it can (the table's header is repeated there), and a
picture stays with its caption. Each page ends with the footer text and "n / N".

Text is data from the course and never trusted: it is normalised to NFC, line separators
become line breaks, control and format characters (NUL, lone surrogates, bidi marks) are
dropped, a character the face has no glyph for (an emoji, CJK) becomes "?", and a word wider
than its line breaks inside. The same document gives the same bytes: the creation date is
fixed (``SOURCE_DATE_EPOCH``, else 2000-01-01 UTC), fpdf2 derives the file ``/ID`` from the
bytes and that date, and it names every font subset ``MPDFAA+``.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import os
import re
import struct
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

from builder.cache import Kept
from builder.render.decks.textfit import font_file

# Page (millimetres; sizes in points). Content runs from the top margin to BOTTOM above the
# page's edge; the footer sits below it.
MARGIN = 18.0
BOTTOM = 22.0  # content stops this far above the bottom edge
FOOTER_BASELINE = 12.0  # the footer's baseline, above the bottom edge
PT = 25.4 / 72  # millimetres per point
LINE = 1.35  # a body line's pitch as a multiple of the font size
HEADING_LINE = 1.2
BODY = 11.0
HEADING = {1: 18.0, 2: 14.0, 3: 12.0}
CELL = 10.0  # table text
SMALL = 9.0  # captions and the footer
# Space above a block (collapsed at the top of a page); after a heading only HEADING_AFTER.
BEFORE_HEADING = {1: 8.0, 2: 7.0, 3: 5.0}
HEADING_AFTER = 2.0
TITLE_AFTER = 5.0
BEFORE_BLOCK = 3.0  # paragraphs and lists
BEFORE_ITEM = 1.2
BEFORE_FIGURE = 4.0  # tables and pictures
CAPTION_GAP = 2.0
CELL_PAD_X = 1.5
CELL_PAD_Y = 1.2
# Grey levels (0 black, 255 white): all print in black and white.
INK = 0
MUTED = 80
HEADER_FILL = 225
TABLE_LINE = 90
RULE = 150
REPLACEMENT = "?"  # shown for a character the face cannot draw
FAMILY = "body"  # the name the faces are registered under in the PDF
DEFAULT_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)
_EPSILON = 1e-6
_NEWLINES = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")  # str.splitlines' breaks
_NO_BREAK = frozenset("\u00a0\u2007\u202f")  # spaces that hold words together
_PNG = b"\x89PNG\r\n\x1a\n"
_WORD_PARTS = re.compile(r"(\n| +)")


@dataclass(frozen=True)
class Span:
    """A run of text, bold and/or italic."""

    text: str
    bold: bool = False
    italic: bool = False


Text = str | Sequence[Span]  # plain text, or spans


@dataclass(frozen=True)
class Heading:
    """A heading: level 1 a title, 2 a part, 3 a sub-heading."""

    text: str
    level: int


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of spans (or plain text); a muted one prints grey, for notes."""

    spans: Text
    muted: bool = False


@dataclass(frozen=True)
class Items:
    """A bulleted (or numbered) list; each item is spans or plain text and may wrap."""

    items: Sequence[Text]
    numbered: bool = False


@dataclass(frozen=True)
class Table:
    """A table: ``widths`` are shares of the text width (equal shares when it does not give
    one positive share per column); the header repeats on each page the table runs onto."""

    header: list[str]
    rows: list[list[str]]
    widths: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Image:
    """A PNG picture (a QR code), centred at ``width_mm`` (at most the text width), kept with
    its caption."""

    png: bytes
    width_mm: float
    caption: str = ""


@dataclass(frozen=True)
class PageBreak:
    """Start a new page (nothing when the page is still empty)."""


Block = Heading | Paragraph | Items | Table | Image | PageBreak


@dataclass(frozen=True)
class Document:
    """A printable document: its title (the title block on the first page, and the PDF's
    title), its language tag (``vi``), its blocks and what each page's footer says."""

    title: str
    lang: str
    blocks: list[Block]
    footer: str = ""
    author: str = ""
    subject: str = ""


@dataclass(frozen=True)
class Fonts:
    """The TTF files of one family's four faces."""

    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path

    def faces(self) -> dict[str, Path]:
        """Each face by fpdf2's style name ("", "B", "I", "BI")."""
        return {"": self.regular, "B": self.bold, "I": self.italic, "BI": self.bold_italic}


def fonts(family: str = "Arial") -> Fonts:
    """The installed faces of ``family`` (its metric-compatible free font: Liberation Sans for
    Arial); raises ``FontMissing`` naming the package to install."""
    return Fonts(
        regular=font_file(family),
        bold=font_file(family, bold=True),
        italic=font_file(family, italic=True),
        bold_italic=font_file(family, bold=True, italic=True),
    )


def pdf_bytes(doc: Document, fonts: Fonts, date: datetime | None = None) -> bytes:
    """``doc`` as an A4 PDF; the same document, fonts and date give the same bytes (the date
    defaults to ``SOURCE_DATE_EPOCH``, else 2000-01-01 UTC).

    The last PDFs made are kept in memory by what made them (the document's full text, the
    font files as they are on disk, the date): ``builder serve`` rebuilds a session's papers
    after any edit to its lessons, and an edit to a lesson's prose changes neither the plan
    nor the handout."""
    when = creation_date(date)
    return _MADE.get(key(doc, fonts, when), lambda: _pdf_bytes(doc, fonts, when))


def key(doc: Document, fonts: Fonts, date: datetime | None = None) -> bytes:
    """A digest of what makes ``doc``'s PDF: the document's full text, the font files as they
    are on disk, the date."""
    faces = [(str(f), *_stamp(f)) for f in fonts.faces().values()]
    return hashlib.sha256(repr((doc, faces, creation_date(date))).encode("utf-8")).digest()


_MADE = Kept(16)  # PDFs (a course has two per session)


def _stamp(path: Path) -> tuple[int, int]:
    found = path.stat()
    return found.st_size, found.st_mtime_ns


def _pdf_bytes(doc: Document, fonts: Fonts, when: datetime) -> bytes:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(False)  # the layout places every page break itself
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.alias_nb_pages("")  # no text is ever a page-count placeholder ("{nb}")
    _metadata(pdf, doc, when)
    try:
        layout = _Layout(pdf, fonts)
        layout.document(doc)
        layout.footers(doc.footer)
        _paint(pdf, layout.pages)
        return bytes(pdf.output())
    finally:
        for font in pdf.fonts.values():  # fpdf2 reads its fonts lazily and never closes them
            ttfont = getattr(font, "ttfont", None)
            if ttfont is not None:
                ttfont.close()


def creation_date(date: datetime | None = None) -> datetime:
    """The date a PDF records: ``date`` (UTC when it has no time zone), else
    ``SOURCE_DATE_EPOCH`` (seconds), else 2000-01-01 UTC, so builds are reproducible."""
    if date is not None:
        return date if date.tzinfo else date.replace(tzinfo=timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return DEFAULT_DATE
    try:
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    except (ValueError, OverflowError, OSError) as error:
        raise ValueError(f"SOURCE_DATE_EPOCH is not a number of seconds: {epoch!r}") from error


def plain(text: str) -> str:
    """``text`` in NFC with every line separator as "\\n", other blanks (tabs, odd spaces) as
    spaces and no control or format characters or lone surrogates."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text.replace("\r\n", "\n")):
        category = unicodedata.category(char)
        if char in _NEWLINES:
            out.append("\n")
        elif char == "\t" or (category == "Zs" and char not in _NO_BREAK):
            out.append(" ")
        elif category not in ("Cc", "Cs", "Cf"):
            out.append(char)
    return "".join(out)


def drawable(text: str, cmap: frozenset[int]) -> str:
    """``text`` (already `plain`) with each character the face has no glyph for shown as "?"
    (a combining mark or variation selector it lacks is dropped)."""
    return "".join(
        char
        if char == "\n" or ord(char) in cmap
        else ("" if unicodedata.category(char) in ("Mn", "Me") else REPLACEMENT)
        for char in text
    )


@functools.cache
def _cmap(path: Path) -> frozenset[int]:
    """The code points a font file has glyphs for."""
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


def _metadata(pdf: FPDF, doc: Document, date: datetime) -> None:
    """Title, author, subject, language and creation date, as plain one-line text."""

    def one_line(text: str) -> str:
        return " ".join(plain(text).split())

    for value, setter in (
        (doc.title, pdf.set_title),
        (doc.author, pdf.set_author),
        (doc.subject, pdf.set_subject),
        (doc.lang, pdf.set_lang),
    ):
        if one_line(value):
            setter(one_line(value))
    pdf.set_creation_date(date)


def _style(bold: bool, italic: bool) -> str:
    return ("B" if bold else "") + ("I" if italic else "")


def _spans(text: Text) -> list[Span]:
    return [Span(text)] if isinstance(text, str) else list(text)


# The layout: what goes where, page by page, as drawing operations.

Run = tuple[str, str]  # (style, text) on one line
Line = list[Run]


@dataclass(frozen=True)
class _Text:
    x: float
    baseline: float
    style: str
    size: float
    grey: int
    text: str


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    w: float
    h: float
    fill: int | None


@dataclass(frozen=True)
class _Rule:
    x1: float
    y: float
    x2: float
    width: float
    grey: int


@dataclass(frozen=True)
class _Picture:
    x: float
    y: float
    w: float
    h: float
    png: bytes


_Op = _Text | _Box | _Rule | _Picture


def _words(runs: Sequence[Run]) -> Iterator[Line | None]:
    """The words of ``runs`` (a word may change style inside), None for a line break; spaces
    only separate words."""
    word: Line = []
    for style, text in runs:
        for part in _WORD_PARTS.split(text):
            if part == "\n" or part.startswith(" "):
                if word:
                    yield word
                    word = []
                if part == "\n":
                    yield None
            elif part:
                word.append((style, part))
    if word:
        yield word


def _merge(line: Line) -> Line:
    """Neighbouring runs of one style as one run."""
    merged: Line = []
    for style, text in line:
        if merged and merged[-1][0] == style:
            merged[-1] = (style, merged[-1][1] + text)
        else:
            merged.append((style, text))
    return merged


class _Layout:
    """Places a document's blocks on pages, measuring text with the PDF's own faces."""

    def __init__(self, pdf: FPDF, fonts: Fonts) -> None:
        self.pdf = pdf
        self.fonts = fonts.faces()
        self.cmaps: dict[str, frozenset[int]] = {}  # by style, of the faces added to the PDF
        self.advances: dict[str, dict[str, float]] = {}  # style: char: width at 1 pt (mm)
        self.left = MARGIN
        self.width = pdf.w - 2 * MARGIN
        self.bottom = pdf.h - BOTTOM
        self.body = self.bottom - MARGIN  # the height a page holds
        self.pages: list[list[_Op]] = []
        self.y = MARGIN
        self.blank = True  # nothing on the current page yet
        self.gap: float | None = None  # the space after the last block, when it sets one
        self.new_page()

    # Text.

    def cmap(self, style: str) -> frozenset[int]:
        """The code points the face of ``style`` draws; the face joins the PDF on first use."""
        if style not in self.cmaps:
            self.pdf.add_font(FAMILY, style, str(self.fonts[style]))
            self.cmaps[style] = _cmap(self.fonts[style])
        return self.cmaps[style]

    def runs(self, text: Text, bold: bool = False) -> Line:
        """Spans (or plain text) as runs of drawable text."""
        runs: Line = []
        for span in _spans(text):
            style = _style(bold or span.bold, span.italic)
            runs.append((style, drawable(plain(span.text), self.cmap(style))))
        return runs

    def measure(self, run: Run, size: float) -> float:
        """The width of ``run`` at ``size`` points, in millimetres (fpdf2 sets text with
        neither kerning nor shaping: the sum of its characters' advances)."""
        style, text = run
        if style not in self.advances:
            self.cmap(style)  # the face joins the PDF
            self.advances[style] = {}
        advances = self.advances[style]
        total = 0.0
        for char in text:
            advance = advances.get(char)
            if advance is None:
                self.pdf.set_font(FAMILY, style, 1000)
                advance = advances[char] = self.pdf.get_string_width(char) / 1000
            total += advance
        return total * size

    def wrap(self, runs: Sequence[Run], width: float, size: float) -> list[Line]:
        """``runs`` broken into lines at most ``width`` wide, at spaces and line breaks; a word
        wider than a line breaks between its characters."""
        lines: list[Line] = []
        line: Line = []
        used = 0.0
        for word in _words(runs):
            if word is None:
                lines.append(line)
                line, used = [], 0.0
                continue
            wide = sum(self.measure(run, size) for run in word)
            space = self.measure((word[0][0], " "), size) if line else 0.0
            if used + space + wide <= width + _EPSILON:
                if line:
                    line.append((word[0][0], " "))
                line.extend(word)
                used += space + wide
                continue
            if line:
                lines.append(line)
                line, used = [], 0.0
            if wide <= width + _EPSILON:
                line, used = list(word), wide
                continue
            for style, text in word:
                for char in text:
                    advance = self.measure((style, char), size)
                    if line and used + advance > width + _EPSILON:
                        lines.append(line)
                        line, used = [], 0.0
                    line.append((style, char))
                    used += advance
        if line:
            lines.append(line)
        return [_merge(line) for line in lines]

    def line_width(self, line: Line, size: float) -> float:
        return sum(self.measure(run, size) for run in line)

    def text_line(
        self, line: Line, x: float, top: float, pitch: float, size: float, grey: int
    ) -> None:
        """Draw ``line`` with its line box's top at ``top`` (baseline placed as fpdf2's cells
        place it)."""
        baseline = top + pitch / 2 + 0.3 * size * PT
        for style, text in line:
            if text.strip():
                self.draw(_Text(x, baseline, style, size, grey, text))
            x += self.measure((style, text), size)

    # Pages.

    def draw(self, op: _Op) -> None:
        self.pages[-1].append(op)
        self.blank = False

    def new_page(self) -> None:
        self.pages.append([])
        self.y = MARGIN
        self.blank = True

    def start(self, before: float, need: float) -> None:
        """Begin a block that needs ``need`` millimetres together, after ``before`` of space
        (or the last block's own gap); on a new page when it does not fit here."""
        gap = before if self.gap is None else self.gap
        self.gap = None
        if not self.blank and self.y + gap + need > self.bottom + _EPSILON:
            self.new_page()
        if not self.blank:
            self.y += gap

    def room_for(self, height: float) -> None:
        """A new page unless ``height`` fits below the current position."""
        if not self.blank and self.y + height > self.bottom + _EPSILON:
            self.new_page()

    # Blocks.

    def document(self, doc: Document) -> None:
        """The title block, then each block."""
        self.title(doc.title)
        for index, block in enumerate(doc.blocks):
            self.block(block, doc.blocks[index + 1 :])

    def title(self, title: str) -> None:
        size = HEADING[1]
        lines = self.wrap(self.runs(title, bold=True), self.width, size)
        if not lines:
            return
        self.lines(lines, self.left, size, size * PT * HEADING_LINE, INK)
        self.y += 1.5
        self.draw(_Rule(self.left, self.y, self.left + self.width, 0.4, INK))
        self.gap = TITLE_AFTER

    def block(self, block: Block, following: Sequence[Block]) -> None:
        if isinstance(block, Heading):
            self.heading(block, following)
        elif isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, Items):
            self.items(block)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Image):
            self.image(block)
        elif isinstance(block, PageBreak):
            self.gap = None
            if not self.blank:
                self.new_page()
        else:
            raise TypeError(f"not a PDF block: {block!r}")

    def lines(self, lines: list[Line], x: float, size: float, pitch: float, grey: int) -> None:
        """Draw ``lines`` one under the other, going on to the next page where they reach
        the bottom."""
        for line in lines:
            self.room_for(pitch)
            self.text_line(line, x, self.y, pitch, size, grey)
            self.y += pitch

    def heading(self, heading: Heading, following: Sequence[Block]) -> None:
        level = min(max(heading.level, 1), 3)
        size = HEADING[level]
        lines = self.wrap(self.runs(heading.text, bold=True), self.width, size)
        if not lines:
            return
        pitch = size * PT * HEADING_LINE
        need = len(lines) * pitch + HEADING_AFTER + self.lead(following)
        self.start(BEFORE_HEADING[level], min(need, self.body))
        self.lines(lines, self.left, size, pitch, INK)
        self.gap = HEADING_AFTER

    def lead(self, blocks: Sequence[Block]) -> float:
        """The height the start of ``blocks`` needs on the page a heading ends: following
        headings whole, then the first lines of the next block (or all of a picture)."""
        need = 0.0
        for block in blocks:
            if need > self.body:
                break
            if isinstance(block, Heading):
                size = HEADING[min(max(block.level, 1), 3)]
                count = len(self.wrap(self.runs(block.text, bold=True), self.width, size))
                need += count * size * PT * HEADING_LINE + HEADING_AFTER
                continue
            if isinstance(block, Paragraph):
                count = len(self.wrap(self.runs(block.spans), self.width, BODY))
                need += min(count, 2) * BODY * PT * LINE
            elif isinstance(block, Items) and block.items:
                _, indent = self.markers(block)
                first = self.wrap(self.runs(block.items[0]), self.width - indent, BODY)
                need += min(max(len(first), 1), 2) * BODY * PT * LINE
            elif isinstance(block, Table):
                need += self.table_lead(block)
            elif isinstance(block, Image):
                need += sum(self.figure(block)[1:3]) + CAPTION_GAP
            break
        return need

    def paragraph(self, paragraph: Paragraph) -> None:
        lines = self.wrap(self.runs(paragraph.spans), self.width, BODY)
        if not lines:
            return
        pitch = BODY * PT * LINE
        self.start(BEFORE_BLOCK, min(len(lines), 2) * pitch)
        self.lines(lines, self.left, BODY, pitch, MUTED if paragraph.muted else INK)

    def markers(self, items: Items) -> tuple[list[str], float]:
        """Each item's marker ("•", or "1." …) and the indent of the items' text."""
        if items.numbered:
            marks = [f"{n}." for n in range(1, len(items.items) + 1)]
        else:
            marks = ["\u2022"] * len(items.items)
        widest = max((self.measure(("", m), BODY) for m in marks), default=0.0)
        return marks, max(6.0, widest + 2.5)

    def items(self, items: Items) -> None:
        marks, indent = self.markers(items)
        pitch = BODY * PT * LINE
        before = BEFORE_BLOCK
        for mark, item in zip(marks, items.items, strict=True):
            lines = self.wrap(self.runs(item), self.width - indent, BODY) or [[]]
            self.start(before, min(len(lines), 2) * pitch)
            before = BEFORE_ITEM
            mark_x = self.left + indent - 2.0 - self.measure(("", mark), BODY)
            self.text_line([("", mark)], mark_x, self.y, pitch, BODY, INK)
            self.lines(lines, self.left + indent, BODY, pitch, INK)

    # Tables.

    def columns(self, table: Table) -> list[float]:
        """Each column's width in millimetres."""
        count = max([len(table.header), *(len(row) for row in table.rows)])
        shares = list(table.widths)
        if len(shares) != count or not all(math.isfinite(s) and s > 0 for s in shares):
            shares = [1.0] * count
        total = sum(shares)
        return [self.width * share / total for share in shares]

    def cells(self, texts: Sequence[str], widths: list[float], bold: bool) -> list[list[Line]]:
        """A row's cells, each wrapped to its column (missing cells empty)."""
        texts = [*texts, *[""] * (len(widths) - len(texts))][: len(widths)]
        return [
            self.wrap(self.runs(text, bold=bold), max(w - 2 * CELL_PAD_X, 2.0), CELL)
            for text, w in zip(texts, widths, strict=True)
        ]

    @staticmethod
    def row_height(cells: list[list[Line]]) -> float:
        most = max([1, *(len(cell) for cell in cells)])
        return 2 * CELL_PAD_Y + most * CELL * PT * LINE

    def table_lead(self, table: Table) -> float:
        """The height a table needs to start: its header and first row (one line of it when
        the row is taller than a page)."""
        widths = self.columns(table)
        if not widths:
            return 0.0
        header = self.row_height(self.cells(table.header, widths, True)) if table.header else 0
        if not table.rows:
            return header
        first = self.row_height(self.cells(table.rows[0], widths, False))
        if header + first > self.body:
            first = 2 * CELL_PAD_Y + CELL * PT * LINE
        return header + first

    def table(self, table: Table) -> None:
        widths = self.columns(table)
        if not widths:
            return
        header = self.cells(table.header, widths, True) if table.header else None
        self.start(BEFORE_FIGURE, min(self.table_lead(table), self.body))
        repeat = header if header and self.row_height(header) <= self.body / 3 else None
        if header:
            self.row(header, widths, HEADER_FILL, None)
        for texts in table.rows:
            self.row(self.cells(texts, widths, False), widths, None, repeat)

    def row(
        self,
        cells: list[list[Line]],
        widths: list[float],
        fill: int | None,
        header: list[list[Line]] | None,
    ) -> None:
        """One row, on the next page (under the header again) when it does not fit here but
        fits there; split between lines only when it is taller than a page."""
        pitch = CELL * PT * LINE
        header_height = self.row_height(header) if header else 0.0
        while True:
            height = self.row_height(cells)
            if self.y + height <= self.bottom + _EPSILON:
                self.row_cells(cells, widths, height, fill)
                return
            fits = int((self.bottom - self.y - 2 * CELL_PAD_Y + _EPSILON) // pitch)
            if height > self.body - header_height and fits >= 1:
                part = [cell[:fits] for cell in cells]
                self.row_cells(part, widths, self.row_height(part), fill)
                cells = [cell[fits:] for cell in cells]
            self.new_page()
            if header:
                self.row_cells(header, widths, header_height, HEADER_FILL)

    def row_cells(
        self, cells: list[list[Line]], widths: list[float], height: float, fill: int | None
    ) -> None:
        pitch = CELL * PT * LINE
        x = self.left
        for cell, width in zip(cells, widths, strict=True):
            self.draw(_Box(x, self.y, width, height, fill))
            for number, line in enumerate(cell):
                top = self.y + CELL_PAD_Y + number * pitch
                self.text_line(line, x + CELL_PAD_X, top, pitch, CELL, INK)
            x += width
        self.y += height

    # Pictures.

    def figure(self, image: Image) -> tuple[float, float, float, list[Line]]:
        """A picture's width and height on the page, its caption's height and lines."""
        pixels_w, pixels_h = png_size(image.png)
        caption = self.wrap(self.runs(image.caption), self.width, SMALL)
        caption_height = len(caption) * SMALL * PT * LINE
        width = min(image.width_mm, self.width) if image.width_mm > 0 else self.width
        height = width * pixels_h / pixels_w
        room = self.body - caption_height - CAPTION_GAP
        if height > room:
            width, height = width * max(room, 10.0) / height, max(room, 10.0)
        return width, height, caption_height, caption

    def image(self, image: Image) -> None:
        width, height, caption_height, caption = self.figure(image)
        self.start(BEFORE_FIGURE, height + CAPTION_GAP + caption_height)
        self.draw(_Picture(self.left + (self.width - width) / 2, self.y, width, height, image.png))
        self.y += height + CAPTION_GAP
        pitch = SMALL * PT * LINE
        for line in caption:
            x = self.left + (self.width - self.line_width(line, SMALL)) / 2
            self.room_for(pitch)
            self.text_line(line, x, self.y, pitch, SMALL, MUTED)
            self.y += pitch

    # Footers.

    def footers(self, footer: str) -> None:
        """Each page's footer: a rule, the footer text (cut to one line) and "n / N"."""
        total = len(self.pages)
        text = " ".join(drawable(plain(footer), self.cmap("")).split())
        baseline = self.pdf.h - FOOTER_BASELINE
        for number, page in enumerate(self.pages, start=1):
            count = f"{number} / {total}"
            count_width = self.measure(("", count), SMALL)
            right = self.left + self.width
            page.append(_Rule(self.left, self.bottom + 3.0, right, 0.2, RULE))
            page.append(_Text(right - count_width, baseline, "", SMALL, MUTED, count))
            shown = self.cut(text, self.width - count_width - 6.0)
            if shown:
                page.append(_Text(self.left, baseline, "", SMALL, MUTED, shown))

    def cut(self, text: str, width: float) -> str:
        """``text`` on one line at most ``width`` wide, ending in "…" when cut."""
        if not text or self.measure(("", text), SMALL) <= width:
            return text
        lines = self.wrap([("", text)], width - self.measure(("", "\u2026"), SMALL), SMALL)
        return "".join(t for _, t in lines[0]).rstrip() + "\u2026" if lines else ""


def png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header."""
    if png[:8] != _PNG or png[12:16] != b"IHDR" or len(png) < 24:
        raise ValueError("a PDF Image block takes PNG bytes")
    width, height = struct.unpack(">II", png[16:24])
    if not width or not height:
        raise ValueError("a PDF Image block's PNG has no pixels")
    return width, height


def _paint(pdf: FPDF, pages: list[list[_Op]]) -> None:
    """Draw each page's operations with fpdf2, in order."""
    for ops in pages:
        pdf.add_page()
        for op in ops:
            if isinstance(op, _Text):
                pdf.set_font(FAMILY, op.style, op.size)
                pdf.set_text_color(op.grey)
                pdf.text(op.x, op.baseline, op.text)
            elif isinstance(op, _Box):
                pdf.set_line_width(0.2)
                pdf.set_draw_color(TABLE_LINE)
                if op.fill is not None:
                    pdf.set_fill_color(op.fill)
                pdf.rect(op.x, op.y, op.w, op.h, style="DF" if op.fill is not None else "D")
            elif isinstance(op, _Rule):
                pdf.set_line_width(op.width)
                pdf.set_draw_color(op.grey)
                pdf.line(op.x1, op.y, op.x2, op.y)
            else:
                pdf.image(io.BytesIO(op.png), x=op.x, y=op.y, w=op.w, h=op.h)
