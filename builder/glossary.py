"""Glossary terms in lessons: finding a term by any of its forms, its anchor, its first use.

A lesson links a glossary term with ``{term}`text``` (or ``{term}`text <Term>```). Learners
who open any lesson should find the term explained where they first meet it, so each lesson
must link a term at its first use in the prose; later uses stay plain. Headings and code do
not count.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from builder import markup, vietnamese
from builder.model import Course, Lesson, Markdown, Term
from builder.problems import Problems, Where, suggest

HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
# Parts of a Markdown line that are not prose a learner reads as words: roles, link targets,
# inline code, HTML tags, URLs. They are blanked (same length) before terms are searched.
NOT_PROSE = re.compile(
    r"\{fact\}`[^`]*`|\]\([^)]*\)|`[^`]*`|<[^>\n]*>|\b[a-z][a-z0-9+.-]*://\S+|\(#[^)]*\)="
)


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
    """MyST for ``text`` linked to the term's glossary entry, inside a span whose tooltip is
    the definition (Sphinx drops a Markdown link's title on internal references)."""
    title = html.escape(" ".join(term.definition.split()), quote=True)
    return f'<span class="term" title="{title}">[{text}](#{anchor(term)})</span>'


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
    """A plain (unlinked) use of a term in a lesson's prose."""

    term: Term
    text: str
    line: int
    column: int


def plain_uses(course: Course, lesson: Lesson) -> Iterator[Use]:
    """Unlinked uses of glossary terms in the lesson's prose, in reading order. A term may
    wrap onto the next line of a paragraph. Where forms overlap ('tổ công nghệ số cộng đồng'
    holds 'công nghệ số'), the longest one counts."""
    patterns = [(term, _pattern(form)) for term in course.glossary for form in forms(term)]
    for block in lesson.blocks:
        if not isinstance(block, Markdown):
            continue
        lines = block.text.split("\n")
        prose = [
            " " * len(line)
            if offset in block.literal or HEADING.match(line) or line.lstrip().startswith(":")
            else line
            for offset, line in enumerate(lines)
        ]
        starts = [0]
        for line in prose:
            starts.append(starts[-1] + len(line) + 1)
        text = " ".join(prose)
        for start, end, term in _uses(text, patterns):
            offset = bisect.bisect_right(starts, start) - 1
            yield Use(term, text[start:end], block.line + offset, start - starts[offset])


def _uses(text: str, patterns) -> list[tuple[int, int, Term]]:  # noqa: ANN001
    """(start, end, term) of the longest non-overlapping term forms outside roles and links."""
    blank = markup.TERM_ROLE.sub(lambda m: "\0" * len(m.group(0)), text)
    blank = NOT_PROSE.sub(lambda m: " " * len(m.group(0)), blank)
    found = [(m.start(), m.end(), t) for t, pattern in patterns for m in pattern.finditer(blank)]
    found.sort(key=lambda m: (m[0] - m[1], m[0]))
    kept: list[tuple[int, int, Term]] = []
    for start, end, term in found:
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, term))
    return sorted(kept, key=lambda m: m[0])


def check(course: Course, problems: Problems) -> None:
    """Term roles in every lesson, and terms whose first use in a lesson is not linked."""
    for lesson in course.lessons.values():
        _check_lesson(course, lesson, problems)


def _check_lesson(course: Course, lesson: Lesson, problems: Problems) -> None:
    known = index(course)
    first_link: dict[str, tuple[int, int]] = {}
    for ref in lesson.term_refs:
        term = known.get(ref.target.casefold())
        if term is None and ref.target.casefold() in course.invalid_records:
            continue  # the entry has its own error in the glossary
        if term is None:
            names = [f for t in course.glossary for f in forms(t)]
            problems.error(
                Where(lesson.path, ref.line),
                "ref.unknown-term",
                f"'{ref.target}' is not in course/glossary.yml" + suggest(ref.target, names),
            )
            continue
        first_link.setdefault(term.term, (ref.line, ref.column))
    seen: set[str] = set()
    for use in plain_uses(course, lesson):
        name = use.term.term
        if name in seen:
            continue
        seen.add(name)
        linked = first_link.get(name)
        if linked is None or linked > (use.line, use.column):
            shown = use.text if use.text.casefold() == name.casefold() else f"{use.text} <{name}>"
            problems.warning(
                Where(lesson.path, use.line),
                "term.unlinked",
                f"the first use of glossary term '{name}' in this lesson is not linked; "
                f"write {{term}}`{shown}`",
            )
