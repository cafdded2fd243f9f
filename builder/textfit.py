"""Measure slide text with metric-compatible fonts, so decks never overflow their shapes.

PowerPoint and python-pptx never shrink text for us, so the deck writer lays text out here:
Liberation Sans has Arial's advance widths and Carlito has Calibri's, so the measure of a
line in those fonts is the width PowerPoint and LibreOffice give it in Arial or Calibri. Text
wraps greedily at spaces (as both do), lines are set at an exact 1.2 × size, and what does not
fit in a box goes on to the next slide. Sizes are in points.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from builder import imaging
from builder.outline import Span

LINE = 1.2  # line pitch as a multiple of the font size (set exactly on every paragraph)
SAFETY = 0.96  # use this much of a line's width, for renderers' rounding and hinting
# Free fonts with the advance widths of the fonts trainers' machines have.
METRIC_FONTS = {"Arial": "LiberationSans", "Calibri": "Carlito"}
FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    str(Path.home() / ".local/share/fonts"),
    str(Path.home() / ".fonts"),
)
_UNITS = 400  # faces measure in pixels; load them this large and scale


class FontMissing(Exception):
    """A metric-compatible font needed to measure text is not installed."""


def _style(bold: bool, italic: bool) -> str:
    return {
        (False, False): "Regular",
        (True, False): "Bold",
        (False, True): "Italic",
        (True, True): "BoldItalic",
    }[(bold, italic)]


@functools.cache
def font_file(family: str, bold: bool = False, italic: bool = False) -> Path:
    """The file of the metric-compatible face for ``family`` (Arial or Calibri)."""
    name = f"{METRIC_FONTS[family]}-{_style(bold, italic)}.ttf"
    dirs = [d for d in os.environ.get("BUILDER_FONT_DIRS", "").split(os.pathsep) if d]
    for folder in [*dirs, *FONT_DIRS]:
        found = sorted(Path(folder).rglob(name)) if Path(folder).is_dir() else []
        if found:
            return found[0]
    if shutil.which("fc-list"):
        listing = subprocess.run(
            ["fc-list", "-f", "%{file}\n"], capture_output=True, text=True, check=False
        ).stdout.split("\n")
        for line in sorted(listing):
            if Path(line).name == name:
                return Path(line)
    package = {"Arial": "fonts-liberation2", "Calibri": "fonts-crosextra-carlito"}[family]
    raise FontMissing(
        f"cannot measure {family} text: {name} is not installed (Debian: apt-get install {package})"
    )


def width(text: str, family: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Advance width of ``text`` on one line, in points."""
    if not text:
        return 0.0
    return imaging.face(font_file(family, bold, italic), _UNITS).getlength(text) * size / _UNITS


@dataclass
class Para:
    """A paragraph to lay out: runs of text, list level, and its size relative to the box's."""

    spans: list[Span]
    level: int = 0  # 0: no bullet; 1, 2: list levels
    number: int | None = None  # ordered-list number (shown instead of a bullet)
    scale: float = 1.0
    bold: bool = False  # the whole paragraph
    space: float = 0.4  # space before, in lines of its own size (not before the first)
    align: str = "left"
    colour: str | None = None
    continued: bool = False  # the rest of a paragraph split across slides: no bullet

    @property
    def text(self) -> str:
        """The paragraph's plain text."""
        return "".join(s.text for s in self.spans)

    def indent(self, size: float) -> float:
        """Left margin of the text in points at ``size``; the bullet hangs inside it."""
        if self.level == 0:
            return 0.0
        return (self.level - 1) * 1.2 * size + hang(self, size)


def hang(para: Para, size: float) -> float:
    """Room for a list item's bullet (or its number or letter) left of its text."""
    return (1.6 if para.number is not None else 1.0) * size


@dataclass
class Box:
    """Where text goes: its size in points and the font family."""

    width: float
    height: float
    family: str
    inset_x: float = 7.2  # 0.1 inch, PowerPoint's default
    inset_y: float = 3.6

    @property
    def inner_width(self) -> float:
        """Width available to text."""
        return self.width - 2 * self.inset_x

    @property
    def inner_height(self) -> float:
        """Height available to text."""
        return self.height - 2 * self.inset_y


@dataclass
class Word:
    """A word as styled pieces, so emphasis can change inside it ('**số**:')."""

    pieces: list[tuple[str, bool, bool]] = field(default_factory=list)

    def measure(self, family: str, size: float, bold: bool) -> float:
        return sum(width(t, family, size, b or bold, i) for t, b, i in self.pieces)


def _words(spans: list[Span]) -> list[Word]:
    words: list[Word] = []
    current = Word()
    for span in spans:
        for index, chunk in enumerate(span.text.split(" ")):
            if index > 0 and current.pieces:
                words.append(current)
                current = Word()
            if chunk:
                current.pieces.append((chunk, span.bold, span.italic))
    if current.pieces:
        words.append(current)
    return words


def lines(para: Para, family: str, size: float, room: float) -> list[list[Word]]:
    """The paragraph's lines when wrapped into ``room`` points (before the safety margin)."""
    limit = room * SAFETY - para.indent(size)
    space = width(" ", family, size)
    out: list[list[Word]] = []
    line: list[Word] = []
    used = 0.0
    for word in _words(para.spans):
        wide = word.measure(family, size, para.bold)
        if wide > limit:  # a word longer than the line: break it between characters
            for piece in _split_word(word, family, size, para.bold, limit):
                if line:
                    out.append(line)
                line, used = [piece], piece.measure(family, size, para.bold)
            continue
        if line and used + space + wide > limit:
            out.append(line)
            line, used = [], 0.0
        used += (space if line else 0.0) + wide
        line.append(word)
    if line or not out:
        out.append(line)
    return out


def _split_word(word: Word, family: str, size: float, bold: bool, limit: float) -> Iterator[Word]:
    part = Word()
    for text, b, i in word.pieces:
        for char in text:
            trial = Word([*part.pieces, (char, b, i)])
            if part.pieces and trial.measure(family, size, bold) > limit:
                yield part
                trial = Word([(char, b, i)])
            part = trial
    if part.pieces:
        yield part


def height(paras: list[Para], box: Box, size: float) -> float:
    """Height the paragraphs take at ``size`` (each scaled by its own ``scale``)."""
    total = 0.0
    for index, para in enumerate(paras):
        own = size * para.scale
        count = len(lines(para, box.family, own, box.inner_width))
        total += count * own * LINE + (para.space * own * LINE if index else 0.0)
    return total


def fits(paras: list[Para], box: Box, size: float) -> bool:
    """Whether the paragraphs fit the box at ``size``."""
    return height(paras, box, size) <= box.inner_height


def largest(paras: list[Para], box: Box, sizes: tuple[float, ...]) -> float | None:
    """The largest of ``sizes`` at which everything fits, or ``None``."""
    for size in sorted(sizes, reverse=True):
        if fits(paras, box, size):
            return size
    return None


def paginate(
    paras: list[Para], box: Box, sizes: tuple[float, ...]
) -> list[tuple[float, list[Para]]]:
    """Pages of paragraphs that each fit the box: everything on one page at the largest size
    that allows it, else pages at the largest size, a paragraph split between lines when it
    does not fit on a page of its own."""
    one = largest(paras, box, sizes)
    if one is not None:
        return [(one, paras)]
    size = max(sizes)
    pages: list[list[Para]] = []
    page: list[Para] = []
    queue = list(paras)
    while queue:
        para = queue.pop(0)
        if fits([*page, para], box, size):
            page.append(para)
            continue
        if page:
            pages.append(page)
            page = []
            queue.insert(0, para)
            continue
        head, tail = _split_para(para, box, size)
        pages.append([head])
        queue.insert(0, tail)
    if page:
        pages.append(page)
    return [(size, p) for p in pages]


def _split_para(para: Para, box: Box, size: float) -> tuple[Para, Para]:
    """The lines of a too-long paragraph that fit a page, and the rest."""
    own = size * para.scale
    wrapped = lines(para, box.family, own, box.inner_width)
    keep = max(1, int(box.inner_height // (own * LINE)))
    head_words = [w for line in wrapped[:keep] for w in line]
    tail_words = [w for line in wrapped[keep:] for w in line]
    return (
        replace(para, spans=_spans(head_words)),
        replace(para, spans=_spans(tail_words), continued=True, number=None),
    )


def _spans(words: list[Word]) -> list[Span]:
    out: list[Span] = []
    for index, word in enumerate(words):
        for n, (text, bold, italic) in enumerate(word.pieces):
            lead = " " if index and n == 0 else ""
            if out and out[-1].bold == bold and out[-1].italic == italic:
                out[-1].text += lead + text
            else:
                if lead and out:
                    out[-1].text += lead
                out.append(Span(text, bold, italic))
    return out or [Span("")]


def shrink(text: str, box: Box, sizes: tuple[float, ...], bold: bool = False) -> float:
    """The largest size at which one plain text fits the box; the smallest if none does."""
    para = [Para([Span(text)], bold=bold)]
    return largest(para, box, sizes) or min(sizes)
