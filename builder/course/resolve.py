"""A lesson's Markdown as the book and Jupyter read it: fact and term roles rendered, picture
paths pointing at the media copied beside the notebooks. ``builder check`` scans the same text."""

from __future__ import annotations

from builder.course import facts as fact_text
from builder.course import glossary, markup, tree
from builder.course.model import Course, Lesson, Markdown
from builder.course.myst import escape

MEDIA = "media"


def media_path(rel: str) -> str:
    """Where a course file (``course/images/x.png``) sits next to the notebooks."""
    return f"{MEDIA}/{rel.removeprefix('course/')}"


def cell_markdown(course: Course, lesson: Lesson, block: Markdown) -> str:
    """Lesson Markdown with fact and term roles rendered as links, image paths pointing at
    copied media: exactly what the book and Jupyter read (``builder check`` scans it too).
    Only those places change; every other byte is the author's."""
    lang = course.info.language
    edits: list[tuple[int, tuple[int, int], str]] = []

    def media(target: str) -> str | None:
        rel = markup.resolve(lesson.path, target)
        return None if rel is None else media_path(rel)

    for node in block.nodes:
        for each in node.walk():
            if each.kind == "directive" and each.name in tree.PICTURES and each.arg_span:
                if (path := media(each.arg)) is not None:
                    edits.append((each.line, each.arg_span, path))
        for inline in tree.node_inlines(node):
            if inline.span is None:
                continue
            if inline.kind == "image" and (path := media(inline.target)) is not None:
                edits.append((inline.line, inline.span, path))
            elif fact_text.is_role(inline):
                fact = course.facts[inline.text.strip()]
                edits.append((inline.line, inline.span, fact_text.link(fact, lang, inline.name)))
            elif inline.kind == "role" and inline.name == "term":
                text = escape(inline.role_text)
                found = glossary.find(course, inline.role_target)
                shown = text if found is None else glossary.link(found, text)
                edits.append((inline.line, inline.span, shown))
    return tree.rewrite(block.text.split("\n"), block.line, edits)
