"""A lesson as slide content, from the model only: its sections as slide texts, tables,
pictures, charts, facts, quizzes and trainer notes, read from the lesson tree; inline MyST as
runs of emphasised text.

A section's slide text is what its ``{slide}`` directives hold (short points in the course
team's words); everything else the section says (paragraphs, lists, boxes) becomes the
speaker notes of its first slide, in whole paragraphs. A section with no ``{slide}`` shows its
lists (with the paragraph ending in ':' that introduces one) and says the rest in the notes.

No PowerPoint here: ``plan`` orders this content into the session's units, ``slides`` lays
them out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from builder.course import facts as fact_text
from builder.course import markup, myst, tree
from builder.course.model import Chart, Course, Lesson, Markdown, Notes, Quiz, Slide
from builder.course.sessions import heading_text
from builder.course.tree import Inline, Node


@dataclass
class Span:
    """A run of text with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Item:
    """A paragraph on a slide: plain (level 0) or a list item (level 1, 2...)."""

    spans: list[Span]
    level: int = 0
    number: int | None = None  # for ordered lists

    @property
    def text(self) -> str:
        """The paragraph's plain text."""
        return "".join(s.text for s in self.spans)


@dataclass
class Table:
    """A Markdown table: a header row, then body rows; each cell a list of spans."""

    header: list[list[Span]]
    rows: list[list[list[Span]]]


@dataclass
class Picture:
    """A local image of a lesson, with its alt text; ``path`` is relative to the course root."""

    path: str
    alt: str


@dataclass
class SlideText:
    """The text of one content slide: its title ('' for the section's) and paragraphs, in one
    column or two (the second from ``split`` on)."""

    title: str
    items: list[Item]
    line: int
    split: int | None = None  # where the second column starts


@dataclass
class Activity:
    """Trainer notes that give an activity its minutes: what the class does, and how long."""

    minutes: int
    task: str


@dataclass
class Section:
    """A '##' (or '###') section of a lesson and everything its slides show."""

    title: str
    line: int
    group: str  # the '##' heading it belongs to (its own title for a '##' section)
    items: list[Item] = field(default_factory=list)  # a list's items, if it has no {slide}
    paragraphs: list[Item] = field(default_factory=list)
    said: list[Item] = field(default_factory=list)  # all its text in order, list items too
    slides: list[SlideText] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    minutes: int = 0  # what its trainer notes give their activities
    activities: list[Activity] = field(default_factory=list)
    materials: list[str] = field(default_factory=list)  # its checklists' titles (sheets to print)
    tables: list[Table] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    quizzes: list[Quiz] = field(default_factory=list)

    @property
    def prose(self) -> list[str]:
        """What the section says that its slides do not show, for the speaker notes: with
        ``{slide}`` texts, all of it (list items as bullets); else the paragraphs its lists
        do not show."""
        if self.slides:
            return said(self.said)
        shown = {id(i) for i in self.items}
        return [p.text for p in self.paragraphs if id(p) not in shown]

    @property
    def texts(self) -> list[SlideText]:
        """The content slides the section shows: its ``{slide}`` texts, else its lists."""
        if self.slides:
            return self.slides
        return [SlideText("", self.items, self.line)] if self.items else []


def said(items: list[Item]) -> list[str]:
    """Paragraphs and list items as lines of speaker notes, list items bulleted."""
    return [("• " if i.level else "") + i.text for i in items if i.text]


def spans(course: Course, text: str | list[Inline], lang: str) -> list[Span]:
    """Inline MyST (a text, or its nodes) as emphasised runs, spaces collapsed: fact roles as
    their value in the locale (and unit), term roles as their text, links as their text, code
    as its content."""
    inlines = tree.parse_inline(text) if isinstance(text, str) else text
    runs: list[Span] = []

    def role(inline: Inline) -> str:
        if not fact_text.is_role(inline):
            return tree.default_role_text(inline)
        found = course.facts.get(inline.text.strip())
        return fact_text.shown(found, inline.name, lang) if found else inline.text

    def add(items: list[Inline], bold: bool, italic: bool) -> None:
        for inline in items:
            if inline.kind == "strong":
                add(inline.children, True, italic)
            elif inline.kind == "em":
                add(inline.children, bold, True)
            elif inline.kind == "html":  # a task list's box; other tags (opt-in only) stay out
                box = myst.CHECKBOX.match(inline.text.strip())
                if box:
                    add([Inline("text", inline.line, "☑ " if box[1] else "☐ ")], bold, italic)
            else:
                piece = tree.plain([inline], role)
                if runs and (runs[-1].bold, runs[-1].italic) == (bold, italic):
                    runs[-1].text += piece
                else:
                    runs.append(Span(piece, bold, italic))

    add(inlines, False, False)
    out = []
    for run in runs:
        run.text = re.sub(r"\s+", " ", run.text)
        if out and out[-1].text.endswith(" ") and run.text.startswith(" "):
            run.text = run.text[1:]
        out.append(run)
    if out:
        out[0].text = out[0].text.lstrip()
        out[-1].text = out[-1].text.rstrip()
    out = [run for run in out if run.text]
    return out or [Span("")]


def plain(course: Course, text: str, lang: str) -> str:
    """Inline MyST as plain text (for notes)."""
    return "".join(s.text for s in spans(course, text, lang))


Keep = Callable[[list[str]], bool]  # whether a paragraph stating these facts is shown


def _every(_facts: list[str]) -> bool:
    return True


def outline(
    course: Course,
    lesson: Lesson,
    lang: str,
    only: list[str] | None = None,
    keep: Keep = _every,
) -> list[Section]:
    """The lesson as slide sections: lists (or paragraphs), tables, pictures, charts, facts,
    quizzes and trainer notes, each in the section where the lesson has it. ``only`` keeps
    the sections under those '##' headings; ``keep`` the paragraphs and list items (of the
    text, slides and notes) by the facts they state."""
    sections: list[Section] = []

    def current(line: int) -> Section:
        if not sections:
            title = lesson.meta.title
            sections.append(Section(title=title, line=line, group=title))
        return sections[-1]

    for block in lesson.blocks:
        if isinstance(block, Markdown):
            _Reader(course, lesson, lang, sections, current, keep).read(block)
        elif isinstance(block, Notes):
            section = current(block.line)
            text = "\n".join(said(read(course, lesson, lang, block.nodes, keep)))
            section.notes.append(text)
            section.minutes += block.minutes or 0
            if block.minutes:
                section.activities.append(Activity(block.minutes, text))
        elif isinstance(block, Slide):
            shown = slide_text(course, lesson, lang, block, keep)
            if shown.items:
                current(block.line).slides.append(shown)
        elif isinstance(block, Chart):
            current(block.line).charts.append(block)
        elif isinstance(block, Quiz):
            current(block.line).quizzes.append(block)
    charted = {f for chart in lesson.charts for f in chart.facts}
    for section in sections:
        section.facts = [
            f
            for f in dict.fromkeys(section.facts)
            if f in course.facts and isinstance(course.facts[f].value, Decimal) and f not in charted
        ]
    sections = [s for s in sections if s.said or s.slides or s.notes or _shows(s)]
    if only:
        sections = [s for s in sections if s.group in only]
    return sections


def read(
    course: Course, lesson: Lesson, lang: str, nodes: list[Node], keep: Keep = _every
) -> list[Item]:
    """The paragraphs and list items of ``nodes`` (a slide's or trainer notes'), in order."""
    into = [Section(title="", line=0, group="")]
    reader = _Reader(course, lesson, lang, into, lambda _line: into[-1], keep)
    for node in nodes:
        reader.node(node, 0)
    return [item for section in into for item in section.said]


def slide_text(
    course: Course, lesson: Lesson, lang: str, slide: Slide, keep: Keep = _every
) -> SlideText:
    """A ``{slide}``'s paragraphs; with two columns, the second from its second list (and the
    paragraph that introduces it)."""
    items = read(course, lesson, lang, slide.nodes, keep)
    split = None
    if slide.columns == 2:
        starts = [
            n - 1 if n and items[n - 1].level == 0 else n
            for n, item in enumerate(items)
            if item.level == 1 and (n == 0 or items[n - 1].level == 0)
        ]
        split = starts[1] if len(starts) > 1 else (len(items) + 1) // 2
    return SlideText(slide.title, items, slide.line, split)


def _shows(section: Section) -> bool:
    """Whether a section has anything besides text for a slide."""
    return bool(section.tables or section.pictures or section.charts or section.quizzes)


class _Reader:
    """Reads one Markdown block's nodes into the sections."""

    def __init__(
        self,
        course: Course,
        lesson: Lesson,
        lang: str,
        sections: list[Section],
        current: Callable[[int], Section],
        keep: Keep = _every,
    ) -> None:
        self.course, self.lesson, self.lang = course, lesson, lang
        self.sections, self.current = sections, current
        self.keep = keep
        self.stating: dict[int, list[str]] = {}  # by id(): the trees outlive the reader
        self.line = 1
        self.last: Item | None = None  # the paragraph just read, a list's possible lead-in

    def read(self, block: Markdown) -> None:
        """Add the block's nodes to the sections."""
        for node in block.nodes:
            self.node(node, 0)

    def section(self) -> Section:
        return self.current(self.line)

    def kept(self, node: Node) -> bool:
        """Whether the session shows a paragraph, by the facts it states."""
        return self.keep(self.stated(node))

    def stated(self, node: Node) -> list[str]:
        """The facts a block states (``fact_text.roles``: its title, captions and text, then
        its children's), each block's found once: ``kept`` asks of a block and of every block
        inside it."""
        found = self.stating.get(id(node))
        if found is None:
            own = (node.title, *node.captions, node.inlines)
            found = [
                i.text.strip()
                for part in own
                for i in tree.walk_inlines(part)
                if fact_text.is_role(i)
            ]
            found += [text for child in node.children for text in self.stated(child)]
            self.stating[id(node)] = found
        return found

    def facts(self, node: Node) -> None:
        """The fact roles a block shows (titles and captions included) count for its section."""
        self.section().facts += [r.text.strip() for r in fact_text.roles([node])]

    def titled_facts(self, node: Node) -> None:
        """The fact roles in a directive's title and captions (its content is read in turn)."""
        for inlines in (node.title, *node.captions):
            self.section().facts += [i.text.strip() for i in fact_text.inline_roles(inlines)]

    def node(self, node: Node, lists: int) -> None:
        """One block; ``lists`` is how many lists hold it."""
        self.line = node.line
        kind = node.kind
        if kind == "heading":
            title = heading_text(node)
            group = title if node.level <= 2 else self.section().group
            self.sections.append(Section(title=title, line=node.line, group=group))
            self.last = None
            self.facts(node)
        elif kind == "paragraph":
            if not self.kept(node):
                self.last = None
                return
            self.facts(node)
            self.paragraph(node)
        elif kind in ("bullet_list", "ordered_list"):
            for item in node.children:
                self.list_item(item, lists + 1)
        elif kind == "table":
            self.facts(node)
            self.table(node)
        elif kind == "directive" and node.name in tree.PICTURES:
            self.facts(node)
            self.picture(node.arg, node.options.get("alt", ("", 0))[0].strip())
            for child in node.children:
                self.node(child, lists)
            self.last = None
        elif kind in ("directive", "blockquote", "dl", "dd"):
            self.titled_facts(node)
            if kind == "directive" and "checklist" in node.options.get("class", ("", 0))[0].split():
                title = "".join(s.text for s in spans(self.course, node.title, self.lang))
                self.section().materials.append(title.strip() or node.arg.strip())
            self.last = None
            for child in node.children:
                self.node(child, lists)
            self.last = None
        elif kind == "dt":
            self.facts(node)
            self.paragraph(node)
        else:  # code, HTML, rules: nothing for a slide
            self.last = None

    def paragraph(self, node: Node) -> None:
        """A paragraph: a picture when it holds only pictures, else text."""
        shown = [
            i
            for i in node.inlines
            if i.kind != "softbreak" and (i.kind != "text" or i.text.strip())
        ]
        if shown and all(i.kind == "image" for i in shown):
            for image in shown:
                self.picture(image.target, image.text)
            self.last = None
            return
        self.last = Item(spans(self.course, node.inlines, self.lang))
        self.section().paragraphs.append(self.last)
        self.section().said.append(self.last)

    def list_item(self, item: Node, lists: int) -> None:
        """A list item: its first paragraph on the slide (after a lead-in paragraph ending
        in ':'), nested lists one level in, later paragraphs as prose."""
        lead, self.last = self.last, None
        section = self.section()
        if lead is not None and lead.text.rstrip().endswith(":"):
            section.items.append(lead)
        children = list(item.children)
        first = children.pop(0) if children and children[0].kind == "paragraph" else None
        self.line = item.line
        if first is not None and not self.kept(first):
            return  # nor what the item holds: it explains what is left out
        if first is not None:
            self.facts(first)
        inlines = first.inlines if first is not None else []
        shown = Item(spans(self.course, inlines, self.lang), 2 if lists > 1 else 1, item.number)
        section.items.append(shown)
        section.said.append(shown)
        for child in children:
            self.node(child, lists)

    def table(self, node: Node) -> None:
        rows = [
            [spans(self.course, cell.inlines, self.lang) for cell in row.children]
            for row in node.walk()
            if row.kind == "tr"
        ]
        if rows:
            self.section().tables.append(Table(header=rows[0], rows=rows[1:]))
        self.last = None

    def picture(self, target: str, alt: str) -> None:
        rel = markup.resolve(self.lesson.path, target)
        if rel is not None:
            self.section().pictures.append(Picture(rel, alt))
