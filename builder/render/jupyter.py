"""A lesson's text as Jupyter front ends show it: JupyterLab, Notebook 7, VS Code and Colab read
CommonMark (with GitHub's tables and task lists) and keep only the HTML their sanitizers
allow, and none of them knows MyST.

This is the learner's notebook's second rendering of the lesson tree (the book keeps MyST):

- the author's bytes stay wherever they already read as CommonMark; only roles, pictures,
  directives and MyST's own block syntax (targets, comments, block breaks, definition lists)
  are rewritten, from the nodes ``course.tree`` parsed;
- a figure reads as what its role shows with a note number (``98,72%<sup>1</sup>``,
  ``14.478 tổ<sup>2</sup>``) and a term as its text; under the cell, in a quote, each
  figure's note gives its label, place, date and source and each term its definition, at
  their first use in the lesson, since Jupyter has no sources or glossary page to link to;
- admonitions and other boxes become quotes with a bold title, dropdowns ``<details>``;
  pictures travel inside the notebook, so a downloaded notebook needs no file beside it: a
  PNG, JPEG or GIF as a cell attachment (Jupyter's own form for a pasted picture), an SVG
  (a chart, drawn on its own light card, or a drawing) as a ``data:`` address, since
  JupyterLab refuses SVG attachments ("unknown image mime type") but shows SVG data.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from dataclasses import dataclass, field
from pathlib import Path

from builder import i18n
from builder.course import facts as fact_text
from builder.course import glossary, markup, tree
from builder.course.model import Chart, Course, Lesson, Markdown, Term
from builder.course.myst import ADMONITIONS
from builder.render import charts, notes

QUOTED = {"epigraph", "highlights", "pull-quote"}
TITLED = {"topic", "sidebar", "table"}
FOLDED = {"dropdown", "toggle"}
CODE = {"code", "code-block", "sourcecode"}
DROPPED = {"myst_target", "myst_line_comment", "myst_block_break"}
PREFIX = re.compile(r"^[ \t>]*")
# The pictures JupyterLab shows as a Markdown cell's attachments.
ATTACHABLE = {"image/png", "image/jpeg", "image/gif"}
# What CommonMark, GitHub's tables and strikethrough, and JupyterLab's math ($) read as markup.
SPECIAL = re.compile(r"([\\`*_\[\]<>$~|&])")


def escape(text: str) -> str:
    """Plain text as Markdown that shows exactly these characters in Jupyter, on one line."""
    text = SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return "\\" + text if text.startswith("#") else text


@dataclass
class Cell:
    """A Markdown cell's source and the pictures it carries (``attachment:<name>``)."""

    source: str
    attachments: dict[str, dict[str, str]] = field(default_factory=dict)


class Writer:
    """One lesson's Markdown cells, in order: figures are numbered across the lesson, and each
    figure's source and each term's definition is written once, under the cell of its first
    use."""

    def __init__(self, course: Course, lesson: Lesson) -> None:
        self.course, self.lesson = course, lesson
        self.lang = course.info.language
        self._ = i18n.translations(self.lang).gettext
        self.numbers: dict[str, int] = {}
        self.defined: set[str] = set()
        self._figures: list[str] = []  # the notes under the cell: figures first, then terms
        self._terms: list[str] = []
        self._attachments: dict[str, dict[str, str]] = {}

    # --- cells ----------------------------------------------------------------------------

    def markdown(self, block: Markdown) -> Cell:
        lines = block.text.split("\n")
        made = self._range(lines, block.line, block.line, block.line + len(lines), block.nodes)
        return self._finish("\n".join(made).strip("\n"))

    def box(self, title: str, items: list[str]) -> Cell:
        """A titled list (objectives, key points): items are MyST text, read like the lesson's."""
        body = []
        for item in items:
            doc = tree.parse(item)
            body.append(
                "- " + " ".join(self._range(doc.lines, 1, 1, len(doc.lines) + 1, doc.nodes)).strip()
            )
        return self._finish(_quote(f"**{escape(title)}**", "\n".join(body)))

    def chart(self, chart: Chart, number: int) -> Cell:
        """The chart as a picture, then its title and the figures it draws, with their notes."""
        facts = [self.course.facts[f] for f in chart.facts]
        drawn = _data("image/svg+xml", charts.picture(chart, facts, self.lang).encode())
        alt = _alt(f"{chart.title}: {charts.summary(facts, self.lang)}")
        figures = ", ".join(f"{escape(f.label)}{self._figure(f.id)}" for f in facts)
        caption = notes.chart_caption(self.course, facts, figures, escape)
        return self._finish(f"![{alt}]({drawn})\n\n**{escape(chart.title)}.** {caption}")

    def _finish(self, text: str) -> Cell:
        notes, self._figures, self._terms = self._figures + self._terms, [], []
        if notes:
            text = "\n\n".join([text.rstrip("\n"), _quote(*notes)])
        cell = Cell(text, self._attachments)
        self._attachments = {}
        return cell

    # --- the lesson's lines, rewritten where they are not CommonMark ---------------------

    def _range(
        self, lines: list[str], first: int, start: int, stop: int, nodes: list[tree.Node]
    ) -> list[str]:
        """File lines ``start`` to ``stop`` (``lines[0]`` is file line ``first``) with the
        nodes' roles and pictures rewritten and their directives replaced."""
        edits: list[tuple[int, tuple[int, int], str]] = []
        blocks: dict[int, tuple[int, list[str]]] = {}
        for node in nodes:
            self._collect(node, lines, first, edits, blocks)
        written = tree.rewrite(lines, first, edits).split("\n")
        out: list[str] = []
        line = start
        while line < stop:
            if line in blocks:
                end, replacement = blocks[line]
                out += replacement
                line = max(end, line + 1)
                continue
            out.append(_line(written, first, line))
            line += 1
        return out

    def _collect(
        self,
        node: tree.Node,
        lines: list[str],
        first: int,
        edits: list[tuple[int, tuple[int, int], str]],
        blocks: dict[int, tuple[int, list[str]]],
    ) -> None:
        if node.kind in DROPPED:
            blocks[node.line] = (node.end, [""])
            return
        if node.kind == "directive" or node.kind == "dl":
            prefix = PREFIX.match(_line(lines, first, node.line))[0]
            made = (
                self._directive(node, lines, first)
                if node.kind == "directive"
                else (self._definitions(node))
            )
            blocks[node.line] = (
                node.end,
                [(prefix + x).rstrip() if x else prefix.rstrip() for x in made],
            )
            return
        for inline in tree.walk_inlines(node.inlines):
            if inline.span is not None and (text := self._inline_edit(inline)) is not None:
                edits.append((inline.line, inline.span, text))
        for child in node.children:
            self._collect(child, lines, first, edits, blocks)

    def _inline_edit(self, inline: tree.Inline) -> str | None:
        """What replaces a role or a picture's address as written."""
        if inline.kind == "image":
            return self._picture(inline.target)
        if inline.kind == "role":
            return self._role(inline)
        return None

    # --- inline ---------------------------------------------------------------------------

    def _role(self, role: tree.Inline) -> str:
        name, text = role.name, role.text
        if fact_text.is_role(role):
            fact = self.course.facts.get(text.strip())
            if fact is None:
                return escape(text)
            return escape(fact_text.shown(fact, name, self.lang)) + self._figure(fact.id)
        if name == "term":
            self._define(glossary.find(self.course, role.role_target))
            return escape(role.role_text)
        if name in ("sub", "subscript"):
            return f"<sub>{escape(text)}</sub>"
        if name in ("sup", "superscript"):
            return f"<sup>{escape(text)}</sup>"
        if name == "kbd":
            return f"<kbd>{escape(text)}</kbd>"
        if name in ("code", "literal"):
            return _code_span(text)
        if name == "emphasis":
            return f"*{escape(text)}*"
        if name in ("strong", "guilabel"):
            return f"**{escape(text)}**"
        if name == "menuselection":
            return "**" + " ▸ ".join(escape(p) for p in text.split("-->")) + "**"
        # abbr ('CNTT (công nghệ thông tin)'), ref, numref, doc: the text a reader sees.
        return escape(role.role_text or text)

    def _figure(self, fact_id: str) -> str:
        """A figure's note number; its note is written under this cell at its first use."""
        if fact_id not in self.numbers:
            self.numbers[fact_id] = len(self.numbers) + 1
            note = notes.fact_note(self.course, self.course.facts[fact_id])
            self._figures.append(f"<sup>{self.numbers[fact_id]}</sup> {escape(note)}")
        return f"<sup>{self.numbers[fact_id]}</sup>"

    def _define(self, term: Term | None) -> None:
        if term is not None and term.term not in self.defined:
            self.defined.add(term.term)
            self._terms.append(f"**{escape(term.term)}**: {escape(term.definition)}")

    def _inlines(self, inlines: list[tree.Inline]) -> str:
        """Inline nodes (a title, a definition) as CommonMark, from the nodes alone."""
        out = []
        for inline in inlines:
            kind = inline.kind
            if kind == "text":
                core = inline.text.strip()
                lead = inline.text[: len(inline.text) - len(inline.text.lstrip())]
                trail = inline.text[len(inline.text.rstrip()) :]
                out.append((lead and " ") + escape(core) + (trail and " ") if core else " ")
            elif kind in ("softbreak", "hardbreak"):
                out.append(" ")
            elif kind == "code":
                out.append(_code_span(inline.text))
            elif kind == "role":
                out.append(self._role(inline))
            elif kind == "strong":
                out.append(f"**{self._inlines(inline.children)}**")
            elif kind == "em":
                out.append(f"*{self._inlines(inline.children)}*")
            elif kind == "link":
                out.append(f"[{self._inlines(inline.children)}]({inline.target})")
            elif kind == "image":
                out.append(escape(inline.text))
            elif inline.children:
                out.append(self._inlines(inline.children))
        return "".join(out)

    # --- blocks ---------------------------------------------------------------------------

    def _directive(self, node: tree.Node, lines: list[str], first: int) -> list[str]:
        name = node.name
        if name in CODE:
            fence = "~~~" if "```" in node.text else "```"
            return [f"{fence}{node.arg.strip()}", *node.text.rstrip("\n").split("\n"), fence]
        if name in ("image", "figure"):
            alt = node.options.get("alt", ("", 0))[0]
            shown = [f"![{_alt(alt)}]({self._picture(node.arg.strip())})"]
            caption = self._content(node, lines, first)
            return shown + (
                [""] + [f"*{x}*" if x.strip() else x for x in caption] if caption else []
            )
        if name == "rubric":
            return [f"**{self._inlines(node.title)}**"]
        body = self._content(node, lines, first)
        if name == "container":
            return body
        if name in QUOTED:
            return _quote(*["\n".join(body)]).split("\n")
        if name == "list-table":
            return (
                _table(node, self)
                + ([""] if node.title else [])
                + ([f"*{self._inlines(node.title)}*"] if node.title else [])
            )
        title = self._inlines(node.title) if node.title else ""
        if not title and name in (titles := _titles(self.lang)):
            title = escape(titles[name])
        if name in FOLDED:
            summary = title or escape(i18n.gettext(self.lang, "Show"))
            return [f"<details><summary>{summary}</summary>", "", *body, "", "</details>"]
        if name in ADMONITIONS or name in TITLED:
            head = [f"**{title}**"] if title else []
            return _quote(*head, "\n".join(body)).split("\n")
        return body  # any other directive a course lets through: its content

    def _content(self, node: tree.Node, lines: list[str], first: int) -> list[str]:
        """A directive's content lines, rewritten in turn (without its closing fence)."""
        if not node.content_line:
            return []
        stop = node.end - 1 if node.closed else node.end
        body = self._range(lines, first, node.content_line, stop, node.children)
        indent = min((len(x) - len(x.lstrip()) for x in body if x.strip()), default=0)
        while body and not body[-1].strip():
            body.pop()
        while body and not body[0].strip():
            body.pop(0)
        return [x[indent:] for x in body]

    def _definitions(self, node: tree.Node) -> list[str]:
        """A definition list (MyST's ``deflist``): each term in bold, its definition on the
        next line of the same paragraph."""
        out: list[str] = []
        for child in node.children:
            if child.kind == "dt":
                out += ([""] if out else []) + [f"**{self._inlines(child.inlines)}**\\"]
            elif child.kind == "dd":
                out += [self._inlines(p.inlines) for p in child.walk() if p.inlines]
        return out

    def _picture(self, target: str) -> str:
        """A course picture's address in the cell: the picture itself, attached."""
        rel = markup.resolve(self.lesson.path, target)
        path = None if rel is None else Path(self.course.root) / rel
        if path is None or not path.is_file():
            return target
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if mime not in ATTACHABLE:
            return _data(mime, path.read_bytes())
        self._attachments[path.name] = {mime: base64.b64encode(path.read_bytes()).decode("ascii")}
        return f"attachment:{path.name}"


def _titles(lang: str) -> dict[str, str]:
    """The titles Sphinx gives the admonitions that have one, in the course's language."""
    return {
        "attention": i18n.gettext(lang, "Attention"),
        "caution": i18n.gettext(lang, "Caution"),
        "danger": i18n.gettext(lang, "Danger"),
        "error": i18n.gettext(lang, "Error"),
        "hint": i18n.gettext(lang, "Hint"),
        "important": i18n.gettext(lang, "Important"),
        "note": i18n.gettext(lang, "Note"),
        "seealso": i18n.gettext(lang, "See also"),
        "tip": i18n.gettext(lang, "Tip"),
        "warning": i18n.gettext(lang, "Warning"),
    }


def _data(mime: str, data: bytes) -> str:
    """A picture as a ``data:`` address, for a Markdown image."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _line(lines: list[str], first: int, line: int) -> str:
    index = line - first
    return lines[index] if 0 <= index < len(lines) else ""


def _quote(*paragraphs: str) -> str:
    """Paragraphs as one Markdown quote."""
    out: list[str] = []
    for paragraph in paragraphs:
        if out:
            out.append(">")
        out += [f"> {x}" if x else ">" for x in paragraph.split("\n")]
    return "\n".join(out)


def _code_span(text: str) -> str:
    ticks = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _alt(text: str) -> str:
    """Alt text inside ``![...]``: one line, brackets escaped."""
    return escape(text)


def _table(node: tree.Node, writer: Writer) -> list[str]:
    """A list-table (a list of rows, each a list of cells) as a GitHub table."""
    rows: list[list[str]] = []
    for row_list in node.children:
        for item in row_list.children:
            cells = []
            for inner in item.children:
                for cell in inner.children:
                    text = " ".join(writer._inlines(p.inlines) for p in cell.walk() if p.inlines)
                    cells.append(text.replace("|", "\\|"))
            rows.append(cells)
    if not rows:
        return []
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    return out + ["| " + " | ".join(r) + " |" for r in rows[1:]]
