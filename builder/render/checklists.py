"""Printable checklists: a lesson's ``{admonition}`` boxes of class ``checklist`` as one HTML
page a trainer prints and hands out, one A4 sheet per checklist.

A box is written in the lesson as::

    ```{admonition} Phiếu việc cần làm: giúp người dân nộp hồ sơ trực tuyến
    :class: checklist
    - [ ] Hỏi người dân cần làm thủ tục gì
    ```

The sheet holds the course and lesson titles, the box's title, its text and each item with an
empty box to tick, and lines for a name and a date. Every text is escaped; the page is
self-contained (no script, no file beside it), so it prints from the book, a USB stick or
an e-mail.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from builder import i18n
from builder.course import facts as fact_text
from builder.course import tree
from builder.course.model import Course, Lesson, Markdown
from builder.course.tree import Inline, Node

CLASS = "checklist"  # the admonition class that marks a checklist
FOLDER = "checklists"  # checklists/<lesson>.html in the site

STYLE = """
@page { size: A4; margin: 16mm 18mm; }
html { font-family: Arial, "Liberation Sans", Helvetica, sans-serif; color: #000; }
body { margin: 0 auto; max-width: 46rem; padding: 1rem; font-size: 12pt; line-height: 1.45; }
.sheet { break-after: page; page-break-after: always; }
.sheet:last-child { break-after: auto; page-break-after: auto; }
.course { margin: 0; font-size: 10pt; color: #444; }
h1 { font-size: 16pt; margin: .4rem 0 .8rem; }
ul.items { list-style: none; padding: 0; margin: 0; }
ul.items > li { display: flex; gap: .7rem; align-items: flex-start; padding: .45rem 0;
  border-bottom: 1px solid #bbb; break-inside: avoid; }
.box { flex: none; width: 1.05rem; height: 1.05rem; border: 2px solid #000; margin-top: .15rem; }
.sign { display: flex; gap: 2rem; margin-top: 1.6rem; }
.sign span { flex: 1; border-bottom: 1px dotted #000; padding-bottom: 1.2rem; }
.print { margin: 1rem 0; font-size: 12pt; padding: .6rem 1rem; min-height: 44px; }
@media print { .print { display: none; } }
"""


@dataclass(frozen=True)
class Checklist:
    """One checklist of a lesson: its title, text before the items, and the items."""

    title: str
    intro: list[str]
    items: list[str]
    line: int


def checklists(course: Course, lesson: Lesson) -> list[Checklist]:
    """The lesson's checklist boxes, in order, as plain text."""
    lang = course.info.language

    def role(inline: Inline) -> str:
        if fact_text.is_role(inline):
            fact = course.facts.get(inline.text.strip())
            return fact_text.shown(fact, inline.name, lang) if fact else inline.text
        return tree.default_role_text(inline)

    def text(inlines: list[Inline]) -> str:
        return " ".join(tree.plain(inlines, role, code=True, html=False).split())

    found = []
    for block in lesson.blocks:
        if not isinstance(block, Markdown):
            continue
        for top in block.nodes:
            for node in top.walk():
                if node.kind == "directive" and node.name == "admonition" and _marked(node):
                    intro, items = [], []
                    for child in node.children:
                        if child.kind in ("bullet_list", "ordered_list"):
                            items += [_item_text(item, text) for item in child.children]
                        elif child.inlines:
                            intro.append(text(child.inlines))
                    found.append(Checklist(text(node.title) or node.arg, intro, items, node.line))
    return found


def _marked(node: Node) -> bool:
    value, _ = node.options.get("class", ("", 0))
    return CLASS in value.split()


def _item_text(item: Node, text) -> str:  # noqa: ANN001 - the inline-to-text function
    return " ".join(text(n.inlines) for n in item.walk() if n.inlines).strip()


def page(course: Course, lesson: Lesson) -> str | None:
    """The lesson's checklists as one printable page, or None when it has none."""
    found = checklists(course, lesson)
    if not found:
        return None
    lang = course.info.language
    _ = i18n.translations(lang).gettext
    e = html.escape
    name, date = e(_("Name:")), e(_("Date:"))
    sheets = []
    for checklist in found:
        parts = [
            '<section class="sheet">',
            f'<p class="course">{e(course.info.title)} · {e(lesson.meta.title)}</p>',
            f"<h1>{e(checklist.title)}</h1>",
            *(f"<p>{e(p)}</p>" for p in checklist.intro),
            '<ul class="items">',
            *(f'<li><span class="box" aria-hidden="true"></span><span>{e(i)}</span></li>'
              for i in checklist.items),
            "</ul>",
            f'<p class="sign"><span>{name}</span><span>{date}</span></p>',
            "</section>",
        ]  # fmt: skip
        sheets.append("\n".join(parts))
    title = _("Checklists: {lesson}").format(lesson=lesson.meta.title)
    button = e(_("Print"))
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{e(lang)}">',
            '<head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{e(title)}</title>",
            f"<style>{STYLE}</style></head>",
            "<body>",
            f'<button class="print" type="button" onclick="window.print()">{button}</button>',
            *sheets,
            "</body></html>",
            "",
        ]
    )
