"""A session's timetable as plain data: its parts one after the other, their minutes and clock
times, and the lesson sections a part may name. The deck's plan (``render.decks.plan``) is
built on it; the checks measure it against the session's length."""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.course import facts as fact_text
from builder.course import tree
from builder.course.model import Course, Deck, DeckPart, Lesson, Markdown, Slide
from builder.course.tree import Node

# A trainer presents about this many words a minute, explaining as they go (Vietnamese words
# are syllables); the lesson pacing check counts with it.
WORDS_PER_MINUTE = 120


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


def section_titles(lesson: Lesson) -> list[str]:
    """The lesson's '##' headings as plain text, in order."""
    return [
        heading_text(node)
        for block in lesson.blocks
        if isinstance(block, Markdown)
        for top in block.nodes
        for node in top.walk()
        if node.kind == "heading" and node.level == 2
    ]


@dataclass
class Part:
    """A lesson's '##' section as a session sees it: its title, where it starts, the places
    its slides mark it as about, and the facts its headings, tables and box titles show
    (each with its line): what a deck cannot leave out by dropping a paragraph or an item
    (it drops those that state a figure the session must not show, and charts likewise)."""

    title: str
    line: int
    places: list[str] = field(default_factory=list)
    fixed_facts: list[tuple[str, int]] = field(default_factory=list)


FIXED = ("heading", "th", "td")  # blocks a deck shows whole, whatever their figures


def lesson_parts(lesson: Lesson) -> list[Part]:
    """The lesson's '##' sections in order (what comes before the first is a part titled
    '')."""
    parts = [Part("", 1)]
    for block in lesson.blocks:
        if isinstance(block, Slide):
            parts[-1].places += block.places
        if not isinstance(block, Markdown):
            continue
        for top in block.nodes:
            for node in top.walk():
                if node.kind == "heading" and node.level == 2:
                    parts.append(Part(heading_text(node), node.line))
                inlines = [*node.title, *(i for c in node.captions for i in c)]
                if node.kind in FIXED:
                    inlines += node.inlines
                parts[-1].fixed_facts += [
                    (i.text.strip(), node.line) for i in fact_text.inline_roles(inlines)
                ]
    return parts


def heading_text(node: Node) -> str:
    """A heading as plain text: marks dropped, roles as their text, spaces collapsed."""
    return " ".join(tree.plain(node.inlines).split())
