"""The validated course model: everything later stages read, and nothing else.

YAML-backed records are dataclasses whose fields carry help text (see ``builder.schema``);
lesson bodies are parsed into blocks by ``builder.markup``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from builder.problems import Where
from builder.schema import internal, is_id, positive, spec

NOWHERE = Where("", 0)


# --- course.yml -------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Audience:
    """A group of learners the course is written for."""

    id: str = spec("Short id used in lesson front matter, e.g. 'can-bo-xa'.", check=is_id)
    title: str = spec("Name shown to learners, e.g. 'Cán bộ, công chức cấp xã'.")
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)


@dataclass(kw_only=True)
class Module:
    """A group of lessons, shown in order on the front page."""

    id: str = spec("Short id of the module.", check=is_id)
    title: str = spec("Module title shown to learners.")
    lessons: list[str] = spec("Lesson ids (file names without .md) in teaching order.")
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)


@dataclass(kw_only=True)
class CourseInfo:
    """The contents of ``course/course.yml``."""

    title: str = spec("Course title.")
    subtitle: str | None = spec("One-line description under the title.", default=None)
    description: str | None = spec("A paragraph for the front page.", default=None)
    language: str = spec("Locale of the source text, e.g. 'vi'.", default="vi")
    version: str = spec("Course version; namespaces learners' saved answers.", default="1")
    publisher: str | None = spec("Who publishes the course.", default=None)
    audiences: list[Audience] = spec("Who the course is for.")
    modules: list[Module] = spec("Modules in order, each listing its lessons.")
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)


# --- facts.yml, sources.yml, glossary.yml -----------------------------------------------------


@dataclass(kw_only=True)
class Source:
    """A source document that facts are drawn from."""

    id: str = spec("Short id used by facts.", check=is_id)
    title: str = spec("Title of the article or document.")
    publisher: str = spec("Who published it, e.g. 'Báo Thanh Hóa'.")
    date: datetime.date | None = spec("Publication date, YYYY-MM-DD, when known.", default=None)
    file: str = spec("File name of the source text, e.g. '001_03e32e1f15340240.txt'.")
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)


@dataclass(kw_only=True)
class Fact:
    """A figure shown to learners, with where it comes from."""

    id: str = spec("Short id used by {fact} roles and charts.", check=is_id)
    label: str = spec("What the figure measures, e.g. 'Tỷ lệ văn bản ký số cá nhân'.")
    value: Decimal | datetime.date = spec("The figure: a number, or a date (YYYY-MM-DD).")
    unit: str | None = spec(
        "'%' for percentages; otherwise a counted noun, e.g. 'tổ'.", default=None
    )
    total: Decimal | None = spec("For ranks and ratios: the denominator (12 of 63).", default=None)
    place: str | None = spec("Where the figure applies, e.g. 'Thanh Hóa'.", default=None)
    date: datetime.date | None = spec("When the figure applies, YYYY-MM-DD.", default=None)
    source: str = spec("Id of the source in sources.yml.")
    quote: str = spec("A few words of the source, verbatim, that locate the figure.")
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)

    @property
    def is_percent(self) -> bool:
        """Whether the value is a percentage."""
        return self.unit == "%"


@dataclass(kw_only=True)
class Term:
    """A glossary entry."""

    term: str = spec("The term as learners read it, e.g. 'Chính quyền số'.")
    definition: str = spec("A plain-language definition.")
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)


# --- quizzes/ ---------------------------------------------------------------------------------

QUESTION_TYPES = ("single", "multiple", "true-false", "numeric", "text", "matching", "ordering")


def _question_type(value: str) -> str | None:
    if value not in QUESTION_TYPES:
        return f"must be one of: {', '.join(QUESTION_TYPES)}"
    return None


@dataclass(kw_only=True)
class Question:
    """A question in ``quizzes/<bank>.yml``; answers and grading come with the quiz stage."""

    id: str = spec("Id used to place the question in a lesson, e.g. 'ba-tru-cot-01'.", check=is_id)
    type: str = spec("One of: " + ", ".join(QUESTION_TYPES) + ".", check=_question_type)
    prompt: str = spec("The question as learners read it.")
    bank: str = internal(default="")
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)


# --- slides/ ----------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Deck:
    """A training session (``slides/decks/<id>.yml``); the deck writer comes later."""

    title: str = spec("Session title.")
    lessons: list[str] = spec("Lesson ids in the order they are taught.")
    subtitle: str | None = spec("Line under the title.", default=None)
    date: datetime.date | None = spec("Session date.", default=None)
    place: str | None = spec("Venue and place.", default=None)
    audience: str | None = spec("Audience id from course.yml.", default=None)
    length: int | None = spec("Session length in minutes.", default=None, check=positive)
    id: str = internal(default="")
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)


# --- lessons ----------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Duration:
    """Minutes a lesson takes in class."""

    teaching: int = spec("Minutes of teaching.", check=positive)
    exercises: int = spec("Minutes of exercises and quizzes.", default=0, check=positive)

    @property
    def total(self) -> int:
        """Teaching plus exercises."""
        return self.teaching + self.exercises


@dataclass(kw_only=True)
class FrontMatter:
    """The YAML block at the top of a lesson."""

    lines: dict[str, int] = internal(default_factory=dict)
    title: str = spec("Lesson title.")
    objectives: list[str] = spec("What a learner can do after the lesson.")
    keypoints: list[str] = spec("Points to remember, shown at the end.")
    duration: Duration = spec("Teaching and exercise minutes.")
    audience: list[str] = spec("Audience ids from course.yml.", default_factory=list)
    prerequisites: list[str] = spec("Lesson ids to take first.", default_factory=list)


@dataclass
class Markdown:
    """A run of MyST Markdown passed through to the book; ``line`` is its first line.

    ``literal`` holds the 0-based offsets of lines inside code, where no builder syntax applies.
    """

    text: str
    line: int
    literal: frozenset[int] = frozenset()


@dataclass
class Notes:
    """Trainer notes: speaker notes in decks, never shown in the book."""

    text: str
    line: int


@dataclass
class Chart:
    """A bar or column chart of named facts."""

    title: str
    facts: list[str]
    kind: str
    line: int


Block = Markdown | Notes | Chart


@dataclass
class FactRef:
    """A ``{fact}`id``` role in a lesson."""

    fact: str
    line: int


@dataclass
class ImageRef:
    """A local image referenced by a lesson; ``target`` is the path as written."""

    target: str
    alt: str
    line: int


@dataclass
class Lesson:
    """One lesson: front matter plus a body of blocks."""

    id: str
    path: str
    meta: FrontMatter
    blocks: list[Block]
    fact_refs: list[FactRef] = field(default_factory=list)
    images: list[ImageRef] = field(default_factory=list)

    @property
    def notes(self) -> list[Notes]:
        """Trainer notes in order."""
        return [b for b in self.blocks if isinstance(b, Notes)]

    @property
    def charts(self) -> list[Chart]:
        """Charts in order."""
        return [b for b in self.blocks if isinstance(b, Chart)]


# --- the whole course -------------------------------------------------------------------------


@dataclass
class Course:
    """Everything the builder knows about one course tree."""

    root: str
    info: CourseInfo
    lessons: dict[str, Lesson]
    facts: dict[str, Fact]
    sources: dict[str, Source]
    glossary: list[Term]
    decks: dict[str, Deck]
    questions: dict[str, Question] = field(default_factory=dict)

    def ordered_lessons(self) -> list[Lesson]:
        """Lessons in module order, then any lesson no module lists, by id."""
        seen: list[str] = []
        for module in self.info.modules:
            seen.extend(i for i in module.lessons if i in self.lessons and i not in seen)
        rest = sorted(i for i in self.lessons if i not in seen)
        return [self.lessons[i] for i in seen + rest]
