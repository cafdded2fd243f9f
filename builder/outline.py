"""What a session's slides say, from the model only: parts, timings, and lesson sections as
titled lists, tables, pictures, charts, facts, quizzes and trainer notes.

No PowerPoint here: ``builder.decks`` lays this outline out on slides. ``builder check`` uses
the same timings to report sessions whose lessons do not fit their length.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from builder import i18n, quizzes
from builder.course import facts as fact_text
from builder.course import markup, tree
from builder.course.model import Chart, Course, Deck, DeckPart, Fact, Lesson, Markdown, Notes, Quiz
from builder.course.tree import Inline, Node
from builder.problems import Problems, suggest

# --- parts and timings ------------------------------------------------------------------------


def language(course: Course, deck: Deck) -> str:
    """The locale the deck's numbers, dates and headings use."""
    return deck.locale or course.info.language


def part_minutes(course: Course, part: DeckPart) -> int:
    """Minutes a part takes: its own ``minutes``, or the lesson's teaching plus exercises."""
    if part.minutes is not None:
        return part.minutes
    lesson = course.lessons.get(part.lesson or "")
    return lesson.meta.duration.total if lesson is not None else 0


@dataclass
class Slot:
    """A part of the session and when it starts, in minutes from the start: a lesson, or an
    activity (a break, an opening) when ``lesson`` is None."""

    part: DeckPart
    lesson: Lesson | None
    start: int
    minutes: int

    @property
    def end(self) -> int:
        """Minutes from the session start when the part ends."""
        return self.start + self.minutes

    @property
    def title(self) -> str:
        """What the agenda calls the part."""
        return self.lesson.meta.title if self.lesson is not None else self.part.title or ""

    @property
    def label(self) -> str:
        """The part in a message: the lesson id, or the activity's title."""
        return self.lesson.id if self.lesson is not None else self.part.title or ""


def schedule(course: Course, deck: Deck) -> list[Slot]:
    """The session's parts that name a known lesson, and its activities, one after the other."""
    slots = []
    at = 0
    for part in deck.parts():
        lesson = course.lessons.get(part.lesson or "")
        if lesson is None and (part.lesson is not None or part.title is None):
            continue
        minutes = part_minutes(course, part)
        slots.append(Slot(part, lesson, at, minutes))
        at += minutes
    return slots


def clock(deck: Deck, minute: int) -> str:
    """A time in the session: '08:45' from the start time, or '0:45' elapsed without one."""
    if deck.start:
        hours, mins = (int(x) for x in deck.start.split(":"))
        total = hours * 60 + mins + minute
        return f"{total // 60 % 24:02d}:{total % 60:02d}"
    return f"{minute // 60}:{minute % 60:02d}"


def check_sessions(course: Course, problems: Problems) -> None:
    """Sections that do not exist, unknown locales and places, sessions that overrun, and
    sessions or parts that take no time or teach nothing."""
    places = {f.place for f in course.facts.values() if f.place}
    audiences = {a.id for a in course.info.audiences}
    for deck in course.decks.values():
        if not deck.lessons:
            example = next(iter(course.ordered_lessons()), None)
            problems.error(
                deck.where.at(deck.lines.get("lessons", deck.where.line)),
                "deck.empty",
                f"session '{deck.id}' has no lessons; list the lesson ids it teaches under "
                f"'lessons', one per line (e.g. '  - {example.id if example else 'lesson-id'}'),"
                " or delete the file",
            )
        for part in deck.parts():
            _check_part(deck, part, problems)
            lesson = course.lessons.get(part.lesson or "")
            if lesson is None:
                continue
            _check_lesson_minutes(deck, part, lesson, problems)
            titles = section_titles(lesson)
            for index, heading in enumerate(part.sections):
                if heading not in titles:
                    problems.error(
                        deck.where.at(part.lines.get(f"sections[{index}]", part.where.line)),
                        "deck.section",
                        f"lesson '{lesson.id}' has no section '{heading}'"
                        + suggest(heading, titles),
                    )
            if (
                deck.audience in audiences
                and lesson.meta.audience
                and deck.audience not in lesson.meta.audience
            ):
                problems.warning(
                    deck.where.at(part.lines.get("lesson", part.where.line)),
                    "deck.audience",
                    f"lesson '{lesson.id}' is not written for audience '{deck.audience}'",
                )
        if deck.locale is not None:
            try:
                i18n.locale(deck.locale)
            except ValueError:
                problems.error(
                    deck.where.at(deck.lines.get("locale", deck.where.line)),
                    "deck.locale",
                    f"unknown locale '{deck.locale}' (e.g. 'vi' or 'en')",
                )
        if deck.province and deck.province not in places:
            problems.warning(
                deck.where.at(deck.lines.get("province", deck.where.line)),
                "deck.province",
                f"no fact has place '{deck.province}'" + suggest(deck.province, places),
            )
        if deck.length == 0:
            problems.error(
                deck.where.at(deck.lines.get("length", deck.where.line)),
                "deck.length",
                "the session is 0 minutes long; give its length in minutes, e.g. "
                "'length: 240', or leave 'length' out",
            )
        elif deck.length is not None:
            slots = schedule(course, deck)
            total = sum(s.minutes for s in slots)
            if total > deck.length:
                plan = ", ".join(f"{s.label} {s.minutes}" for s in slots)
                problems.error(
                    deck.where.at(deck.lines.get("length", deck.where.line)),
                    "deck.length",
                    f"the parts take {total} minutes ({plan}) but the session is "
                    f"{deck.length} minutes long; drop a lesson, teach some sections "
                    "with 'minutes', or lengthen the session",
                )


def _check_part(deck: Deck, part: DeckPart, problems: Problems) -> None:
    """A part is a lesson or an activity with its minutes, not both and not neither."""
    where = deck.where.at(part.where.line)
    if part.lesson is not None and part.title is not None:
        problems.error(
            deck.where.at(part.lines.get("title", part.where.line)),
            "deck.part",
            f"a part is a lesson or an activity: give 'lesson: {part.lesson}' or "
            f"'title: {part.title}', not both",
        )
    elif part.lesson is None and part.title is None:
        message = "a part needs a 'lesson', or a 'title' and 'minutes' for an activity"
        problems.error(where, "deck.part", message)
    elif part.lesson is None:
        if part.minutes is None:
            problems.error(
                where, "deck.part", f"activity '{part.title}' needs 'minutes' (how long it takes)"
            )
        elif part.minutes == 0:
            problems.error(
                deck.where.at(part.lines.get("minutes", part.where.line)),
                "deck.part",
                f"activity '{part.title}' takes 0 minutes; give how long it takes, e.g. "
                "'minutes: 15', or drop the activity",
            )
        for key in ("sections", "questions"):
            if key in part.lines:
                problems.error(
                    deck.where.at(part.lines[key]),
                    "deck.part",
                    f"activity '{part.title}' has no lesson to take '{key}' from",
                )


def _check_lesson_minutes(deck: Deck, part: DeckPart, lesson: Lesson, problems: Problems) -> None:
    """A lesson part takes some time: its own 'minutes', or else the lesson's duration."""
    if part.minutes == 0:
        total = lesson.meta.duration.total
        problems.error(
            deck.where.at(part.lines.get("minutes", part.where.line)),
            "deck.part",
            f"lesson '{lesson.id}' is given 0 minutes; give the minutes this part takes, e.g. "
            f"'minutes: 20', or leave 'minutes' out to use the lesson's duration"
            + (f" ({total} minutes)" if total else ""),
        )
    elif part.minutes is None and lesson.meta.duration.total == 0:
        problems.error(
            deck.where.at(part.lines.get("lesson", part.where.line)),
            "deck.part",
            f"lesson '{lesson.id}' takes 0 minutes (its front matter gives 'duration' 0); give "
            f"the lesson its duration, or this part its minutes: '- {{lesson: {lesson.id}, "
            "minutes: 20}'",
        )


# --- lesson sections as slide content ---------------------------------------------------------


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
class Section:
    """A '##' (or '###') section of a lesson and everything its slides show."""

    title: str
    line: int
    group: str  # the '##' heading it belongs to (its own title for a '##' section)
    items: list[Item] = field(default_factory=list)  # what the content slides show
    paragraphs: list[Item] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    quizzes: list[Quiz] = field(default_factory=list)
    listed: bool = False  # whether it has a list: then its other paragraphs go to the notes

    @property
    def prose(self) -> list[str]:
        """Paragraphs the slides do not show, for the speaker notes."""
        shown = {id(i) for i in self.items}
        return [p.text for p in self.paragraphs if id(p) not in shown]


def section_titles(lesson: Lesson) -> list[str]:
    """The lesson's '##' headings as plain text, in order."""
    return [
        _title(node)
        for block in lesson.blocks
        if isinstance(block, Markdown)
        for top in block.nodes
        for node in top.walk()
        if node.kind == "heading" and node.level == 2
    ]


def _title(node: Node) -> str:
    """A heading as plain text: marks dropped, roles as their text, spaces collapsed."""
    return " ".join(tree.plain(node.inlines).split())


def spans(course: Course, text: str | list[Inline], lang: str) -> list[Span]:
    """Inline MyST (a text, or its nodes) as emphasised runs, spaces collapsed: fact values in
    the locale, term roles as their text, links as their text, code as its content."""
    inlines = tree.parse_inline(text) if isinstance(text, str) else text
    runs: list[Span] = []

    def role(inline: Inline) -> str:
        if inline.name != "fact":
            return tree.default_role_text(inline)
        found = course.facts.get(inline.text.strip())
        return fact_text.value_text(found, lang) if found else inline.text

    def add(items: list[Inline], bold: bool, italic: bool) -> None:
        for inline in items:
            if inline.kind == "strong":
                add(inline.children, True, italic)
            elif inline.kind == "em":
                add(inline.children, bold, True)
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


def outline(
    course: Course, lesson: Lesson, lang: str, only: list[str] | None = None
) -> list[Section]:
    """The lesson as slide sections: lists (or paragraphs), tables, pictures, charts, facts,
    quizzes and trainer notes, each in the section where the lesson has it. ``only`` keeps
    the sections under those '##' headings."""
    sections: list[Section] = []

    def current(line: int) -> Section:
        if not sections:
            title = lesson.meta.title
            sections.append(Section(title=title, line=line, group=title))
        return sections[-1]

    for block in lesson.blocks:
        if isinstance(block, Markdown):
            _Reader(course, lesson, lang, sections, current).read(block)
        elif isinstance(block, Notes):
            current(block.line).notes.append(block.text)
        elif isinstance(block, Chart):
            current(block.line).charts.append(block)
        elif isinstance(block, Quiz):
            current(block.line).quizzes.append(block)
    charted = {f for chart in lesson.charts for f in chart.facts}
    for section in sections:
        if not section.listed:
            section.items = list(section.paragraphs)
        section.facts = [
            f
            for f in dict.fromkeys(section.facts)
            if f in course.facts and isinstance(course.facts[f].value, Decimal) and f not in charted
        ]
    sections = [s for s in sections if s.paragraphs or s.items or s.notes or _shows(s)]
    if only:
        sections = [s for s in sections if s.group in only]
    return sections


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
    ) -> None:
        self.course, self.lesson, self.lang = course, lesson, lang
        self.sections, self.current = sections, current
        self.line = 1
        self.last: Item | None = None  # the paragraph just read, a list's possible lead-in

    def read(self, block: Markdown) -> None:
        """Add the block's nodes to the sections."""
        for node in block.nodes:
            self.node(node, 0)

    def section(self) -> Section:
        return self.current(self.line)

    def facts(self, node: Node) -> None:
        """The fact roles a block shows (titles and captions included) count for its section."""
        self.section().facts += [r.text.strip() for r in tree.roles([node], "fact")]

    def titled_facts(self, node: Node) -> None:
        """The fact roles in a directive's title and captions (its content is read in turn)."""
        for inlines in (node.title, *node.captions):
            self.section().facts += [
                i.text.strip()
                for i in tree.walk_inlines(inlines)
                if i.kind == "role" and i.name == "fact"
            ]

    def node(self, node: Node, lists: int) -> None:
        """One block; ``lists`` is how many lists hold it."""
        self.line = node.line
        kind = node.kind
        if kind == "heading":
            title = _title(node)
            group = title if node.level <= 2 else self.section().group
            self.sections.append(Section(title=title, line=node.line, group=group))
            self.last = None
            self.facts(node)
        elif kind == "paragraph":
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
        if first is not None:
            self.facts(first)
        inlines = first.inlines if first is not None else []
        section.items.append(
            Item(spans(self.course, inlines, self.lang), 2 if lists > 1 else 1, item.number)
        )
        section.listed = True
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


# --- facts and quizzes ------------------------------------------------------------------------


def featured(course: Course, deck: Deck, fact_ids: list[str]) -> list[Fact]:
    """The facts a section's big-number slides show: with a province, only its figures."""
    found = [course.facts[f] for f in fact_ids if f in course.facts]
    if deck.province:
        return [f for f in found if f.place == deck.province]
    return found


def placed_questions(course: Course, lesson: Lesson) -> dict[int, list[str]]:
    """Question ids per quiz directive (keyed by ``id()`` of the directive)."""
    return {id(p.quiz): p.ids for p in quizzes.placements(course, lesson)}


def chosen_questions(
    placed: dict[int, list[str]], sections: list[Section], limit: int
) -> dict[int, list[str]]:
    """Up to ``limit`` of the questions the sections' quizzes show, for the slides: taken in
    turn from each quiz (first questions first), so every quiz is represented before any
    shows a second; each quiz keeps its own order. Keyed like ``placed_questions``."""
    queues = [placed.get(id(quiz), []) for section in sections for quiz in section.quizzes]
    keys = [id(quiz) for section in sections for quiz in section.quizzes]
    chosen: dict[int, list[str]] = {key: [] for key in keys}
    taken, depth = 0, 0
    while taken < limit and any(depth < len(ids) for ids in queues):
        for key, ids in zip(keys, queues, strict=True):
            if depth < len(ids) and taken < limit:
                chosen[key].append(ids[depth])
                taken += 1
        depth += 1
    return chosen


def source_line(course: Course, fact: Fact, lang: str) -> str:
    """'Source: Báo Quảng Trị, 16/9/2022' for a fact."""
    source = course.sources.get(fact.source)
    if source is None:
        return ""
    cite = source.publisher
    if source.date:
        cite += f", {i18n.date(source.date, lang)}"
    return i18n.gettext(lang, "Source: {cites}").format(cites=cite)
