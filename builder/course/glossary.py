"""Glossary terms in lessons: finding a term by any of its forms, its anchor, its first use.

A lesson links a glossary term with ``{term}`text``` (or ``{term}`text <Term>```). Learners
who open any lesson should find the term explained where they first meet it, so each lesson
must link a term at its first use in the prose; later uses stay plain. Headings and code do
not count.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from builder.course import tree
from builder.course.model import Course, Lesson, Markdown, Term
from builder.course.tree import Inline
from builder.i18n import vietnamese

# Web addresses in prose are not words a learner reads as terms.
ADDRESS = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+")


def slug(text: str) -> str:
    """ASCII anchor text: 'Chữ ký số' gives 'chu-ky-so'."""
    return re.sub(r"[^a-z0-9]+", "-", vietnamese.fold(text.casefold())).strip("-")


def anchor(term: Term) -> str:
    """The target name of a term's entry on the glossary page."""
    return f"term-{slug(term.term)}"


def forms(term: Term) -> list[str]:
    """The term and its aliases, as lessons may write them."""
    return [term.term, *term.aliases]


def index(course: Course) -> dict[str, Term]:
    """Every form of every term, case-folded, to its term."""
    found: dict[str, Term] = {}
    for term in course.glossary:
        for form in forms(term):
            found.setdefault(form.casefold(), term)
    return found


def find(course: Course, name: str) -> Term | None:
    """The term a role names (any form, any case)."""
    return index(course).get(name.strip().casefold())


def link(term: Term, text: str) -> str:
    """MyST for ``text`` linked to the term's glossary entry (the book shows the definition
    in place when the link is tapped: ``render/notes.py``)."""
    return f"[{text}](#{anchor(term)})"


def _finder(form: str) -> tuple[re.Pattern[str], str, bool]:
    """The form's pattern, and text any match holds: the case-folded form when the pattern
    ignores case (True), else the form after its first letter (False). A paragraph without
    that text is not searched (most paragraphs hold few of a glossary's terms)."""
    pattern = _pattern(form)
    ignores_case = bool(pattern.flags & re.IGNORECASE)
    return pattern, (form.casefold() if ignores_case else form[1:]), ignores_case


def _pattern(form: str) -> re.Pattern[str]:
    """Whole-word pattern: case-insensitive, except acronyms and forms with inner capitals
    ('AI' is not the Vietnamese word 'ai'), whose first letter alone may change case."""
    words = r"(?<![\w])" + "{}" + r"(?![\w])"
    if any(c.isupper() for c in form[1:]):
        first, rest = form[0], re.escape(form[1:])
        head = (
            f"[{re.escape(first.lower())}{re.escape(first.upper())}]"
            if first.isalpha()
            else re.escape(first)
        )
        return re.compile(words.format(head + rest))
    return re.compile(words.format(re.escape(form)), re.IGNORECASE)


@dataclass(frozen=True)
class Use:
    """A use of a term in a lesson's prose: a ``{term}`` role (``linked``) or plain words."""

    term: Term
    text: str
    line: int
    linked: bool = False


def uses(course: Course, lesson: Lesson) -> Iterator[Use]:
    """Uses of glossary terms in the lesson's prose, linked or plain, in reading order. A term
    may wrap onto the next line of a paragraph. Where forms overlap ('tổ công nghệ số cộng
    đồng' holds 'công nghệ số'), the longest one counts. Headings link terms but their words
    are not prose; code, pictures and link targets are not prose either."""
    patterns = [(term, *_finder(form)) for term in course.glossary for form in forms(term)]
    known = index(course)
    for block in lesson.blocks:
        if not isinstance(block, Markdown):
            continue
        for top in block.nodes:
            for node in top.walk():
                for titled in (node.title, *node.captions):
                    yield from _links(titled, known)
                if node.kind == "heading":
                    yield from _links(node.inlines, known)
                elif node.kind in PROSE:
                    yield from _prose_uses(node.inlines, patterns, known)


PROSE = {"paragraph", "th", "td", "dt"}


def _links(inlines: list[Inline], known: dict[str, Term]) -> Iterator[Use]:
    for inline in tree.walk_inlines(inlines):
        if inline.kind == "role" and inline.name == "term":
            term = known.get(inline.role_target.casefold())
            if term is not None:
                yield Use(term, inline.role_text, inline.line, linked=True)


def _prose_uses(inlines: list[Inline], patterns, known: dict[str, Term]) -> Iterator[Use]:  # noqa: ANN001
    """Term uses in one paragraph (or table cell): its words as one text, roles and code
    blanked, each term role an event where it stands."""
    parts: list[str] = []
    breaks: list[tuple[int, int]] = []  # (offset, line) where each line starts
    events: list[tuple[int, Use]] = []
    size = 0

    def add(text: str) -> None:
        nonlocal size
        parts.append(text)
        size += len(text)

    def walk(items: list[Inline]) -> None:
        for inline in items:
            if not breaks or breaks[-1][1] != inline.line:
                breaks.append((size, inline.line))
            if inline.kind == "text":
                add(ADDRESS.sub(lambda m: " " * len(m.group(0)), inline.text))
            elif inline.kind in ("softbreak", "hardbreak"):
                add(" ")
            elif inline.kind == "role" and inline.name == "term":
                term = known.get(inline.role_target.casefold())
                if term is not None:
                    events.append((size, Use(term, inline.role_text, inline.line, linked=True)))
                add("\0")
            elif inline.kind in ("role", "code", "html", "image"):
                add(" ")
            else:
                walk(inline.children)

    walk(inlines)
    text = "".join(parts)
    offsets = [offset for offset, _ in breaks]
    for start, end, term in _uses(text, patterns):
        line = breaks[bisect.bisect_right(offsets, start) - 1][1] if breaks else 0
        events.append((start, Use(term, text[start:end], line)))
    for _, use in sorted(events, key=lambda e: e[0]):
        yield use


def _uses(text: str, patterns) -> list[tuple[int, int, Term]]:  # noqa: ANN001
    """(start, end, term) of the longest non-overlapping term forms in a text."""
    folded = text.casefold()
    found = [
        (m.start(), m.end(), t)
        for t, pattern, needle, ignores_case in patterns
        if needle in (folded if ignores_case else text)
        for m in pattern.finditer(text)
    ]
    found.sort(key=lambda m: (m[0] - m[1], m[0]))
    kept: list[tuple[int, int, Term]] = []
    for start, end, term in found:
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, term))
    return sorted(kept, key=lambda m: m[0])
