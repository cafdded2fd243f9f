"""One walk over every text a learner or trainer reads, with its file, line and kind.

Which fields are read is marked in the model (``spec(reads=...)``, ``myst=True`` for MyST
text); lesson bodies, trainer notes and directive titles come from the lesson tree. MyST
comes out as the words a reader sees: roles as their text (a fact's value is a figure, not
words; its unit is read where facts.yml gives it), no link targets, code or HTML; a MyST text
keeps its inline nodes too, for checks of what its roles show. Spelling reads this walk;
translation catalogs, the search index and the LMS exports are meant to read it too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from builder.course import facts as fact_text
from builder.course import tree
from builder.course.model import Chart, Course, Markdown, Notes, Quiz, Slide
from builder.course.tree import Inline, Node

# What a lesson's own text is, by the block it sits in.
BLOCK_KINDS = {"heading": "lesson:heading", "th": "lesson:table", "td": "lesson:table"}


@dataclass(frozen=True)
class Text:
    """A text as a reader sees it, the file and line it starts on, what it is
    ('question:prompt', 'lesson:paragraph', 'notes'...) and who reads it; a MyST text also
    has its inline nodes (none for plain text)."""

    path: str
    line: int
    text: str
    kind: str
    reader: str
    inlines: tuple[Inline, ...] = field(default=(), compare=False, repr=False)


def texts(course: Course) -> Iterator[Text]:
    """Every read text of the course: course.yml, sources, facts, glossary, question banks,
    sessions, then each lesson's front matter and body, in course order."""
    yield from _record(course.info, "course")
    for group, records in (
        ("source", course.sources.values()),
        ("fact", course.facts.values()),
        ("term", course.glossary),
        ("question", course.questions.values()),
        ("deck", course.decks.values()),
        ("theme", [course.theme] if course.theme.where.path else []),  # theme.yml is optional
    ):
        for record in records:
            yield from _record(record, group)
    for lesson in course.ordered_lessons():
        yield from _record(lesson.meta, "lesson", lesson.path)
        for block in lesson.blocks:
            if isinstance(block, Markdown):
                yield from _body(block.nodes, lesson.path, "lesson", "learner")
            elif isinstance(block, Notes):
                yield from _body(block.nodes, lesson.path, "notes", "trainer")
            elif isinstance(block, Slide):
                yield from _body(block.nodes, lesson.path, "slide", "trainer")
                if block.title:
                    yield from _myst(block.title, lesson.path, block.line, "slide:title", "trainer")
            elif isinstance(block, (Chart, Quiz)) and block.title:
                kind = "chart:title" if isinstance(block, Chart) else "quiz:title"
                line = block.line if isinstance(block, Quiz) else block.title_line
                yield from _myst(block.title, lesson.path, line, kind, "learner")


def _record(record: Any, group: str, path: str | None = None) -> Iterator[Text]:
    """The read fields of a model record and of the records it holds."""
    path = path or record.where.path
    lines: dict[str, int] = getattr(record, "lines", {})
    base = record.where.line if hasattr(record, "where") else 1
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        reads = f.metadata.get("reads")
        if reads:
            kind = f"{group}:{f.name}"
            values = value if isinstance(value, list) else [value]
            for index, item in enumerate(values):
                if not isinstance(item, str) or not item.strip():
                    continue
                key = f"{f.name}[{index}]" if isinstance(value, list) else f.name
                line = lines.get(key, lines.get(f.name, base))
                if f.metadata.get("myst"):
                    yield from _myst(item, path, line, kind, reads)
                else:
                    yield Text(path, line, item, kind, reads)
        elif dataclasses.is_dataclass(value):
            yield from _record(value, f"{group}:{f.name}", path)
        elif isinstance(value, list):
            for item in value:
                if dataclasses.is_dataclass(item) and hasattr(item, "where"):
                    yield from _record(item, f"{group}:{f.metadata.get('item') or f.name}", path)


def _myst(text: str, path: str, line: int, kind: str, reader: str) -> Iterator[Text]:
    inlines = tree.parse_inline(text, line)
    words = words_of(inlines)
    if words.strip():
        yield Text(path, line, words, kind, reader, tuple(inlines))


def _body(nodes: list[Node], path: str, kind: str, reader: str) -> Iterator[Text]:
    """The texts of lesson or notes blocks: headings, paragraphs, table cells, directive
    titles, captions and pictures' alt text, one per block, lines joined by newlines."""
    for top in nodes:
        for node in top.walk():
            for titled in (node.title, *node.captions):
                if titled:
                    words = words_of(titled)
                    yield Text(path, node.line, words, f"{kind}:title", reader, tuple(titled))
            alt, line = node.options.get("alt", ("", node.line))
            if node.kind == "directive" and alt.strip():  # a picture's text for screen readers
                yield Text(path, line, alt, f"{kind}:alt", reader)
            if node.inlines and node.kind in ("heading", "paragraph", "th", "td", "dt"):
                words = words_of(node.inlines)
                if words.strip():
                    name = BLOCK_KINDS.get(node.kind, f"{kind}:paragraph")
                    name = name if kind == "lesson" else kind
                    yield Text(path, node.line, words, name, reader, tuple(node.inlines))


def words_of(inlines: list[Inline]) -> str:
    """Inline MyST as the words a reader sees, one line per source line."""
    return tree.plain(inlines, role=_role, breaks="\n", code=False, html=False)


def _role(inline: Inline) -> str:
    if fact_text.is_role(inline):  # a figure; its unit is read where facts.yml gives it
        return ""
    return tree.default_role_text(inline)
