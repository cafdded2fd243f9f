"""Measure slide text with metric-compatible fonts, so decks never overflow their shapes.

PowerPoint and python-pptx never shrink text for us, so the deck writer lays text out here:
Liberation Sans has Arial's advance widths and Carlito has Calibri's, so the measure of a
line in those fonts is the width PowerPoint and LibreOffice give it in Arial or Calibri. Text
wraps greedily at spaces (as both do); a line's pitch is the share of single spacing (1.2 ×
size) its template gives (or exact points, if it says so); a placeholder's sizes, margins and
spacing per list level come from its template (a ``Look``, read by ``package.frame``); what
does not fit in a box goes on to the next slide. Sizes are in points.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import unicodedata
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from builder.course import imaging
from builder.render.decks.outline import Span

LINE = 1.2  # a single line's pitch as a multiple of the font size
EMU = 12700  # English Metric Units per point
SAFETY = 0.96  # use this much of a line's width, for renderers' rounding and hinting
# Free fonts with the advance widths of the fonts trainers' machines have.
# A template's font measures as the free font of its widths; one not known here as Arial.
METRIC_FONTS = {
    "Arial": "LiberationSans",
    "Liberation Sans": "LiberationSans",
    "Helvetica": "LiberationSans",
    "Calibri": "Carlito",
    "Carlito": "Carlito",
    "Times New Roman": "LiberationSerif",
    "Liberation Serif": "LiberationSerif",
}
FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    str(Path.home() / ".local/share/fonts"),
    str(Path.home() / ".fonts"),
)
_UNITS = 400  # faces measure in pixels; load them this large and scale
# Characters XML 1.0 cannot hold (python-pptx and lxml refuse them, or write them as '_x000B_'):
# the C0 controls but tab, newline and return, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BLANK_CONTROLS = re.compile("[\x0b\x0c\x1c-\x1f\x85]")  # whitespace to Python: spaces
_SEPARATORS = re.compile("[\u2028\u2029]")  # Unicode's line and paragraph separators: newlines
ZERO_WIDTH_JOINERS = "\u200d\ufe0e\ufe0f"  # joiner, text and emoji variation selectors
# Line and paragraph breaks: a run is one line (and the shaper refuses a paragraph break in it).
_BREAKS = re.compile("[\t\n\r]")


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
    """The file to measure ``family`` with: the free face with its widths for the fonts of
    trainers' machines (``METRIC_FONTS``); for another family, its own face when fontconfig
    finds it installed (a department template's font); else Arial's (``measured_as_arial``
    tells)."""
    if family not in METRIC_FONTS and (own := installed(family, bold, italic)) is not None:
        return own
    free = METRIC_FONTS.get(family, METRIC_FONTS["Arial"])
    name = f"{free}-{_style(bold, italic)}.ttf"
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
    package = "fonts-crosextra-carlito" if free == "Carlito" else "fonts-liberation2"
    raise FontMissing(
        f"cannot measure {family} text: {name} is not installed (Debian: apt-get install {package})"
    )


# A family name as a template may give it: letters, digits, spaces, hyphens (nothing that
# means more in a fontconfig pattern, such as ':' or ',').
_FAMILY = re.compile(r"^[\w][\w \-]{0,62}$")
_FACE_SUFFIXES = (".ttf", ".otf", ".ttc")


@functools.cache
def installed(family: str, bold: bool = False, italic: bool = False) -> Path | None:
    """The installed face of ``family`` in that style, as fontconfig finds it; None when the
    family is not installed (fontconfig would offer another one in its place)."""
    if not _FAMILY.match(family) or shutil.which("fc-match") is None:
        return None
    pattern = family + (":bold" if bold else "") + (":italic" if italic else "")
    found = subprocess.run(
        ["fc-match", "-f", "%{file}\n%{family}", pattern],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    ).stdout.split("\n")
    if len(found) < 2 or not found[0].endswith(_FACE_SUFFIXES):
        return None
    families = {name.strip().casefold() for name in found[1].split(",")}
    return Path(found[0]) if family.casefold() in families else None


def measured_as_arial(family: str) -> bool:
    """Whether text in ``family`` is measured with Arial's widths, the family being neither
    one whose free metric twin is known nor installed here."""
    return family not in METRIC_FONTS and installed(family) is None


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot hold (controls that are whitespace become
    spaces, Unicode's line separators newlines), so no author text can make the writer fail."""
    return _NOT_XML.sub("", _SEPARATORS.sub("\n", _BLANK_CONTROLS.sub(" ", text)))


def one_line(text: str) -> str:
    """``text`` as a run shows it: XML-safe, with tabs and line breaks as spaces."""
    return _BREAKS.sub(" ", xml_text(text))


def width(text: str, family: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Advance width of ``text`` on one line, in points."""
    if not text:
        return 0.0
    return _advance(font_file(family, bold, italic), text) * size / _UNITS


@functools.lru_cache(maxsize=1 << 16)
def _advance(font: Path, text: str) -> float:
    """Width of ``text`` in the face at ``_UNITS`` pixels, measured once per font and text."""
    return imaging.face(font, _UNITS).getlength(one_line(text))


@dataclass
class Para:
    """A paragraph to lay out: runs of text and its level. Level 0 is a plain paragraph (no
    bullet, no margin); level n is a list item at the template's n-th list level (its bullet,
    margin and size), numbered when ``number`` is set (negative: lettered)."""

    spans: list[Span]
    level: int = 0
    number: int | None = None  # ordered-list number (shown instead of a bullet)
    bold: bool = False  # the whole paragraph (emphasis)
    continued: bool = False  # the rest of a paragraph split across slides: no bullet

    def __post_init__(self) -> None:
        """Runs hold one line of XML-safe text: what is measured is what is written."""
        self.spans = [Span(one_line(s.text), s.bold, s.italic) for s in self.spans]

    @property
    def text(self) -> str:
        """The paragraph's plain text."""
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class Level:
    """How one list level of a placeholder sets text, as its template says: size, weight,
    font, left margin, the bullet's hang, line spacing (a share of single spacing, or exact
    points) and the space before a paragraph, in points."""

    size: float = 18.0
    bold: bool = False
    family: str = "Arial"
    margin: float = 0.0
    hang: float = 0.0
    line: float = 1.0
    exact: float | None = None
    before: float = 0.0
    bulleted: bool = False

    @property
    def pitch(self) -> float:
        """Height of one line in points."""
        return self.exact if self.exact is not None else self.size * LINE * self.line


@dataclass(frozen=True)
class Look:
    """How a placeholder sets text: its nine list levels and its insets (left, top, right,
    bottom) in points."""

    levels: tuple[Level, ...] = (Level(),) * 9
    insets: tuple[float, float, float, float] = (7.2, 3.6, 7.2, 3.6)

    def level(self, para: Para) -> Level:
        """The style of a paragraph: a plain one takes the first level's without margin."""
        style = self.levels[min(max(para.level, 1), len(self.levels)) - 1]
        if para.level == 0 or para.continued:
            return replace(style, margin=0.0 if para.level == 0 else style.margin, hang=0.0)
        return style


@dataclass(frozen=True)
class Box:
    """Where text goes: its size in points and how its text is set."""

    width: float
    height: float
    look: Look = Look()

    @property
    def inner_width(self) -> float:
        """Width available to text."""
        return self.width - self.look.insets[0] - self.look.insets[2]

    @property
    def inner_height(self) -> float:
        """Height available to text."""
        return self.height - self.look.insets[1] - self.look.insets[3]

    @staticmethod
    def plain(width: float, height: float, family: str, size: float, bold: bool = False) -> Box:
        """A box of one style at one size, PowerPoint's default insets (tables' cells)."""
        level = Level(size=size, bold=bold, family=family)
        return Box(width, height, Look(levels=(level,) * 9))


@dataclass
class Word:
    """A word as styled pieces, so emphasis can change inside it ('**số**:')."""

    pieces: list[tuple[str, bool, bool]] = field(default_factory=list)
    glued: bool = False  # the rest of a word broken at a line's end: no space before it

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


def lines(para: Para, box: Box) -> list[list[Word]]:
    """The paragraph's lines when wrapped into the box's width (less the safety margin)."""
    style = box.look.level(para)
    family, size = style.family, style.size
    bold = para.bold or style.bold
    limit = box.inner_width * SAFETY - style.margin
    space = width(" ", family, size)
    out: list[list[Word]] = []
    line: list[Word] = []
    used = 0.0
    for word in _words(para.spans):
        wide = word.measure(family, size, bold)
        if wide > limit:  # a word longer than the line: break it between characters
            for piece in _split_word(word, family, size, bold, limit):
                if line:
                    out.append(line)
                line, used = [piece], piece.measure(family, size, bold)
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
    """A word longer than a line in pieces that each fit one, broken between characters.
    Each piece is measured as the sum of its characters' advances (no kerning between them,
    so never less than it shows), which keeps the cut linear in the word's length."""
    part = Word()
    used = 0.0
    for text, b, i in word.pieces:
        for char in text:
            wide = width(char, family, size, b or bold, i)
            if part.pieces and used + wide > limit:
                yield part
                part, used = Word(glued=True), 0.0
            part.pieces.append((char, b, i))
            used += wide
    if part.pieces:
        yield part


def height(paras: list[Para], box: Box) -> float:
    """Height the paragraphs take in the box."""
    return sum(_own_height(para, box, first=not index) for index, para in enumerate(paras))


def _own_height(para: Para, box: Box, *, first: bool) -> float:
    """Height one paragraph adds: its lines, and the space before it unless it comes first."""
    style = box.look.level(para)
    return len(lines(para, box)) * style.pitch + (0.0 if first else style.before)


def fits(paras: list[Para], box: Box) -> bool:
    """Whether the paragraphs fit the box."""
    return height(paras, box) <= box.inner_height


def paginate(paras: list[Para], box: Box) -> list[list[Para]]:
    """Pages of paragraphs that each fit the box: everything on one page if it fits, else
    as many pages as it takes, a paragraph split between lines when it does not fit on a page
    of its own. Each paragraph is wrapped once."""
    pages: list[list[Para]] = []
    page: list[Para] = []
    used = 0.0  # the page's height so far, added up in the order height() adds it
    queue = deque(paras)
    while queue:
        para = queue.popleft()
        taller = used + _own_height(para, box, first=not page)
        if taller <= box.inner_height:
            page.append(para)
            used = taller
            continue
        if page:
            pages.append(page)
            page, used = [], 0.0
            queue.appendleft(para)
            continue
        *full, rest = _split_para(para, box)
        pages.extend([part] for part in full)
        queue.appendleft(rest)
    if page or not pages:
        pages.append(page)
    return _balanced(pages, box)


def _balanced(pages: list[list[Para]], box: Box) -> list[list[Para]]:
    """The pages with a last one that is not left with a lone paragraph while the one before
    is full: whole paragraphs move over from the end of the page before while that page
    keeps more than the last and the last still fits (five choices as 3 + 2, not 4 + 1)."""
    if len(pages) < 2:
        return pages
    *rest, before, last = pages
    before, last = list(before), list(last)
    while len(before) > len(last) + 1 and not before[-1].continued and not last[0].continued:
        moved = [before[-1], *last]
        if not fits(moved, box):
            break
        before, last = before[:-1], moved
    return [*rest, before, last]


def _split_para(para: Para, box: Box) -> list[Para]:
    """A paragraph too long for a page in page-high parts, the last maybe shorter: the first
    part as the paragraph starts, the others continuing it (no bullet, no number)."""
    keep = max(1, int(box.inner_height // box.look.level(para).pitch))
    wrapped = lines(para, box)
    head = replace(para, spans=_spans([w for line in wrapped[:keep] for w in line]))
    tail = replace(
        para,
        spans=_spans([w for line in wrapped[keep:] for w in line]),
        continued=True,
        number=None,
    )
    wrapped = lines(tail, box)  # the rest wraps as it will show
    parts = [
        replace(tail, spans=_spans([w for line in wrapped[at : at + keep] for w in line]))
        for at in range(0, len(wrapped), keep)
    ]
    return [head, *parts] if parts else [head, tail]


def _spans(words: list[Word]) -> list[Span]:
    """Words back to runs: a space between words, none inside one; runs of equal emphasis
    joined (each run's text gathered in a list and joined once, so this stays linear)."""
    runs: list[tuple[bool, bool, list[str]]] = []
    for index, word in enumerate(words):
        for n, (text, bold, italic) in enumerate(word.pieces):
            lead = " " if index and n == 0 and not word.glued else ""
            if runs and runs[-1][:2] == (bold, italic):
                runs[-1][2].extend((lead, text))
            else:
                if lead and runs:
                    runs[-1][2].append(lead)
                runs.append((bold, italic, [text]))
    return [Span("".join(parts), bold, italic) for bold, italic, parts in runs] or [Span("")]


def fit_line(text: str, box: Box, bold: bool = False, around: tuple[str, str] = ("", "")) -> str:
    """``text`` (between the ``around`` texts, kept whole if they can be) as it fits the
    box: whole if it fits, else cut with '…' after as many of its words as fit (or, when not
    even the first does, as many of its characters). The cut is found by bisection, so a text
    n characters long is wrapped about log n times, not n times."""
    before, after = around
    words = text.split()

    def shown(middle: str) -> str:
        return " ".join((before + middle + after).split())

    def fit(middle: str) -> bool:
        return fits([Para([Span(shown(middle))], bold=bold)], box)

    whole = " ".join(words)
    if fit(whole):
        return shown(whole)
    count = _last_true(lambda k: fit(" ".join(words[:k]) + "…"), len(words) - 1)
    if count:
        middle = " ".join(words[:count]) + "…"
    else:
        first = words[0] if words else ""
        cuts = [
            c
            for c in range(1, len(first))
            if not _joins_previous(first[c]) and first[c - 1] != "\u200d"
        ]
        index = _last_true(lambda k: fit(first[: cuts[k - 1]] + "…"), len(cuts))
        middle = (first[: cuts[index - 1]] if index else "") + "…"
    if not fit(middle) and (before or after):  # what surrounds it is too long: cut the whole
        return fit_line(shown(whole), box, bold)
    return shown(middle)


def _last_true(test: Callable[[int], bool], high: int) -> int:
    """The largest k in 1..high for which ``test`` holds, taking it to hold up to some k and
    not after; 0 if it holds for none."""
    low = 0  # the largest k known to hold (0: none yet)
    while low < high:
        middle = (low + high + 1) // 2
        if test(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _joins_previous(char: str) -> bool:
    """Whether a character belongs to the one before it (a combining mark, a joiner, a
    variation selector, a skin tone), so a cut before it would split one visible letter."""
    if char in ZERO_WIDTH_JOINERS or "\U0001f3fb" <= char <= "\U0001f3ff":
        return True
    return unicodedata.category(char) in ("Mn", "Mc", "Me")
