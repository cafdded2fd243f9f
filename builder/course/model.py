"""The validated course model: everything later stages read, and nothing else.

YAML-backed records are dataclasses whose fields carry help text (see ``builder.course.schema``);
lesson bodies are parsed into blocks by ``builder.course.markup``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from builder.course.schema import internal, is_id, is_web_address, percent, positive, spec
from builder.problems import Where

if TYPE_CHECKING:
    from builder.course.tree import Node

# Who reads a text field (``spec(reads=...)``): ``builder.course.texts`` walks them.
LEARNER, TRAINER = "learner", "trainer"

NOWHERE = Where("", 0)


def file_name(value: str) -> str | None:
    """Validator: a plain file name, with no folder in it."""
    if "/" in value or "\\" in value or value.startswith(".") or len(value) > 200:
        return "must be a plain file name such as 'bao-a.txt' (no folders, not starting with '.')"
    return None


# --- course.yml -------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Audience:
    """A group of learners the course is written for."""

    id: str = spec("Short id used in lesson front matter, e.g. 'can-bo-xa'.", check=is_id)
    title: str = spec("Name shown to learners, e.g. 'Cán bộ, công chức cấp xã'.", reads=LEARNER)
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)


@dataclass(kw_only=True)
class Module:
    """A group of lessons, shown in order on the front page."""

    id: str = spec("Short id of the module.", check=is_id)
    title: str = spec("Module title shown to learners.", reads=LEARNER)
    lessons: list[str] = spec("Lesson ids (file names without .md) in teaching order.")
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)


@dataclass(kw_only=True)
class CourseInfo:
    """The contents of ``course/course.yml``."""

    title: str = spec("Course title.", reads=LEARNER)
    id: str | None = spec(
        "Short id of the course; namespaces learners' saved answers.", default=None, check=is_id
    )
    subtitle: str | None = spec(
        "One-line description under the title.", default=None, reads=LEARNER
    )
    description: str | None = spec(
        "A paragraph for the front page.", default=None, reads=LEARNER, myst=True
    )
    language: str = spec("Locale of the source text, e.g. 'vi'.", default="vi")
    version: str = spec("Course version; namespaces learners' saved answers.", default="1")
    publisher: str | None = spec("Who publishes the course.", default=None, reads=LEARNER)
    url: str | None = spec(
        "Web address where the online course (the book) is published, e.g. "
        "'https://daotao.example.gov.vn/chuyen-doi-so/': the notebooks link to its lesson pages.",
        default=None,
        check=is_web_address,
    )
    audiences: list[Audience] = spec("Who the course is for.", item="audience")
    modules: list[Module] = spec("Modules in order, each listing its lessons.", item="module")
    quiz: QuizSettings = spec("How quizzes behave.", default_factory=lambda: QuizSettings())
    silence: list[str] = spec(
        "Warning codes not to report for this course, e.g. [link.external] "
        "(builder check --codes lists them).",
        default_factory=list,
    )
    allow_raw_html: bool = spec(
        "Let lessons and the description hold raw HTML ({raw}, {eval-rst}, <tags>): only for a "
        "course whose every author is trusted, as such HTML can run scripts in learners' "
        "browsers.",
        default=False,
    )
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)


# --- facts.yml, sources.yml, glossary.yml -----------------------------------------------------


@dataclass(kw_only=True)
class Source:
    """A source document that facts are drawn from."""

    id: str = spec("Short id used by facts.", check=is_id)
    title: str = spec("Title of the article or document.", reads=LEARNER)
    publisher: str | None = spec(
        "Who published it, e.g. 'Báo Thanh Hóa'; leave it out when the saved text does not say.",
        default=None,
        reads=LEARNER,
    )
    date: datetime.date | None = spec("Publication date, YYYY-MM-DD, when known.", default=None)
    note: str | None = spec(
        "What a reader should know about the document, shown on the sources page: a title "
        "the course team gave it, its byline.",
        default=None,
        reads=LEARNER,
    )
    file: str = spec(
        "File name of the source text in course/sources/, e.g. 'thanh-hoa-ngay-cds-2022.txt'.",
        check=file_name,
    )
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)


@dataclass(kw_only=True)
class Fact:
    """A figure shown to learners, with where it comes from."""

    id: str = spec("Short id used by {fact} roles and charts.", check=is_id)
    label: str = spec(
        "What the figure measures, e.g. 'Tỷ lệ văn bản ký số cá nhân'.", reads=LEARNER
    )
    value: Decimal | datetime.date = spec("The figure: a number, or a date (YYYY-MM-DD).")
    unit: str | None = spec(
        "'%' for percentages; otherwise a counted noun, e.g. 'tổ'.",
        default=None,
        reads=LEARNER,
    )
    total: Decimal | None = spec("For ranks and ratios: the denominator (12 of 63).", default=None)
    place: str | None = spec(
        "Where the figure applies, e.g. 'Thanh Hóa'.", default=None, reads=LEARNER
    )
    date: datetime.date | None = spec("When the figure applies, YYYY-MM-DD.", default=None)
    period: str | None = spec(
        "When the figure applies, as the source words it: '9 tháng năm 2022', 'năm 2021'; "
        "shown instead of the date.",
        default=None,
        reads=LEARNER,
    )
    qualifier: str | None = spec(
        "How the source bounds the value: 'hơn', 'trên', 'gần', 'khoảng', 'tối thiểu'; shown "
        "before the value in notes, cards and the sources page (lesson text writes its own).",
        default=None,
        reads=LEARNER,
    )
    source: str = spec("Id of the source in sources.yml.")
    quote: str = spec("A few words of the source, verbatim, that locate the figure.", reads=LEARNER)
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)

    @property
    def is_percent(self) -> bool:
        """Whether the value is a percentage."""
        return self.unit == "%"


@dataclass(kw_only=True)
class Term:
    """A glossary entry."""

    term: str = spec("The term as learners read it, e.g. 'Chính quyền số'.", reads=LEARNER)
    definition: str = spec("A plain-language definition.", reads=LEARNER)
    aliases: list[str] = spec(
        "Other ways lessons write it: an abbreviation or a shorter form, e.g. 'DTI'.",
        default_factory=list,
        reads=LEARNER,
    )
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)


# --- quizzes/ ---------------------------------------------------------------------------------

# A question's source when it rests on no document: the course team's own how-to.
GENERAL = "general"
QUESTION_TYPES = ("single", "multiple", "true-false", "numeric", "text", "matching", "ordering")
DIFFICULTIES = ("easy", "medium", "hard")


def _one_of(options: tuple[str, ...]) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        return None if value in options else f"must be one of: {', '.join(options)}"

    return check


@dataclass(kw_only=True)
class Choice:
    """A choice of a single- or multiple-choice question."""

    id: str | None = spec("Id unique within the question (default: a, b, c...).", default=None)
    text: str = spec("The choice as learners read it.", reads=LEARNER, myst=True)
    correct: bool = spec("Whether choosing it is right.", default=False)
    feedback: str | None = spec(
        "Shown when the learner picks this choice.", default=None, reads=LEARNER, myst=True
    )
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)


@dataclass(kw_only=True)
class Pair:
    """A term and the definition it matches, in a matching question."""

    term: str = spec("Left-hand item, e.g. 'DTI'.", reads=LEARNER, myst=True)
    match: str = spec(
        "What it matches, e.g. 'Chỉ số đánh giá chuyển đổi số'.", reads=LEARNER, myst=True
    )
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)


@dataclass(kw_only=True)
class Feedback:
    """Messages for a right and a wrong answer (types without per-choice feedback)."""

    right: str | None = spec("Shown after a right answer.", default=None, reads=LEARNER, myst=True)
    wrong: str | None = spec("Shown after a wrong answer.", default=None, reads=LEARNER, myst=True)
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)


@dataclass(kw_only=True)
class QuizSettings:
    """The ``quiz:`` block of course.yml."""

    reveal_after: int = spec(
        "Wrong tries before 'Show answer' is offered.", default=2, check=positive
    )
    mastery: int = spec(
        "Percentage of a lesson's questions a learner must answer right (without 'Show "
        "answer') to pass it in a learning-management system (SCORM's mastery score).",
        default=80,
        check=percent,
    )
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)


@dataclass(kw_only=True)
class Question:
    """A question in ``quizzes/<bank>.yml``; which keys apply depends on ``type``."""

    id: str = spec("Id used to place the question in a lesson, e.g. 'cds-01'.", check=is_id)
    type: str = spec("One of: " + ", ".join(QUESTION_TYPES) + ".", check=_one_of(QUESTION_TYPES))
    prompt: str = spec("The question as learners read it.", reads=LEARNER, myst=True)
    explanation: str = spec(
        "Why the answer is right; shown after answering.", reads=LEARNER, myst=True
    )
    source: str | list[str] = spec(
        f"Fact ids or a source id the question rests on; '{GENERAL}' for what the course team "
        "writes from general knowledge (a how-to situation no source document covers)."
    )
    hint: str | None = spec("Offered before answering.", default=None, reads=LEARNER, myst=True)
    difficulty: str = spec("easy, medium or hard.", default="medium", check=_one_of(DIFFICULTIES))
    tags: list[str] = spec("Tags for drawing questions into lessons.", default_factory=list)
    shuffle: bool = spec("Shuffle the choices for each learner.", default=True)
    feedback: Feedback | None = spec("Right/wrong messages (not single/multiple).", default=None)
    choices: list[Choice] = spec(
        "single and multiple: the choices.", item="choice", default_factory=list
    )
    answer: bool | Decimal | str | None = spec(
        "true-false: true or false; numeric: the number.", default=None
    )
    tolerance: Decimal | str | None = spec("numeric: accepted distance from answer.", default=None)
    min: Decimal | str | None = spec("numeric: lowest accepted value.", default=None)
    max: Decimal | str | None = spec("numeric: highest accepted value.", default=None)
    unit: str | None = spec(
        "numeric: unit shown after the input, e.g. '%'.", default=None, reads=LEARNER
    )
    accept: list[str] = spec(
        "text: accepted answers; the first is shown as the answer.",
        default_factory=list,
        reads=LEARNER,
    )
    ignore_accents: bool = spec("text: let 'chinh quyen so' match 'chính quyền số'.", default=False)
    pairs: list[Pair] = spec("matching: term and match pairs.", item="pair", default_factory=list)
    steps: list[str] = spec(
        "ordering: the steps in the right order.",
        item="step",
        default_factory=list,
        reads=LEARNER,
        myst=True,
    )
    bank: str = internal(default="")
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)

    @property
    def sources(self) -> list[str]:
        """The ``source`` key as a list of ids."""
        return [self.source] if isinstance(self.source, str) else list(self.source)


# --- slides/ ----------------------------------------------------------------------------------


DECK_MODES = ("in-person", "hybrid", "online")
FONTS = ("Arial", "Calibri")
ASPECTS = ("16:9", "4:3")


def _clock(value: str) -> str | None:
    if re.fullmatch(r"([01]?[0-9]|2[0-3]):[0-5][0-9]", value):
        return None
    return "must be a time of day written HH:MM, e.g. '08:00' (in quotes)"


def _colour(value: str) -> str | None:
    if re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
        return None
    return "must be a colour written #RRGGBB, e.g. '#1F5F99' (in quotes)"


@dataclass(kw_only=True)
class DeckPart:
    """One part of a session: a lesson (or some of its sections), or an activity such as a
    break, an opening or a discussion, which has a title and minutes but no lesson."""

    lesson: str | None = spec(
        "Lesson id (the file name without .md); leave out for an activity.",
        default=None,
        check=is_id,
    )
    title: str | None = spec(
        "An activity that is not a lesson, e.g. 'Giải lao' or 'Khai mạc'; give its minutes.",
        default=None,
        reads=TRAINER,
    )
    sections: list[str] = spec(
        "The lesson's '##' headings to teach, as written; default: every section.",
        default_factory=list,
    )
    minutes: int | None = spec(
        "Minutes this part takes in the session; default: the lesson's duration.",
        default=None,
        check=positive,
    )
    questions: int | None = spec(
        "Quiz questions of this lesson shown on slides; default: the session's 'questions'.",
        default=None,
        check=positive,
    )
    task: str | None = spec(
        "What the class does in an activity, shown on its slide and in the session plan, e.g."
        " 'Từng nhóm chọn một việc của xã và lập kế hoạch một tuần'.",
        default=None,
        reads=TRAINER,
    )
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)


@dataclass(kw_only=True)
class Deck:
    """A training session (``slides/decks/<id>.yml``): one PowerPoint deck."""

    title: str = spec("Session title, on the title slide and in the footer.", reads=TRAINER)
    lessons: list[str | DeckPart] = spec(
        "What is taught, in order: lesson ids, or mappings {lesson, sections, minutes,"
        " questions}, or activities {title, minutes}.",
        item="part",
    )
    subtitle: str | None = spec("Line under the title.", default=None, reads=TRAINER)
    date: datetime.date | None = spec("Session date, YYYY-MM-DD.", default=None)
    start: str | None = spec(
        "Start time, 'HH:MM' in quotes; the agenda's times count from it.",
        default=None,
        check=_clock,
    )
    venue: str | None = spec(
        "The room or building, e.g. 'Hội trường UBND tỉnh'.", default=None, reads=TRAINER
    )
    place: str | None = spec("Town or province, e.g. 'Quảng Trị'.", default=None, reads=TRAINER)
    audience: str | None = spec("Audience id from course.yml.", default=None)
    mode: str = spec(
        "How trainees attend: " + ", ".join(DECK_MODES) + ".",
        default="in-person",
        check=_one_of(DECK_MODES),
    )
    length: int | None = spec(
        "Session length in minutes; the lessons must fit in it.", default=None, check=positive
    )
    locale: str | None = spec(
        "Locale of the slides' numbers, dates and headings (default: the course language).",
        default=None,
    )
    province: str | None = spec(
        "A place whose figures the fact slides feature, as facts.yml writes it ('Quảng Trị').",
        default=None,
    )
    presenter: str | None = spec(
        "Who presents, shown on the title slide.", default=None, reads=TRAINER
    )
    aspect: str = spec(
        "Slide shape: '16:9' (wide screens), or '4:3' for older projectors.",
        default="16:9",
        check=_one_of(ASPECTS),
    )
    questions: int = spec(
        "Quiz questions per lesson shown on slides, each a question slide then an answer"
        " slide; the lesson's other questions stay in the online course. 0 shows none.",
        default=4,
        check=positive,
    )
    id: str = internal(default="")
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)

    def parts(self) -> list[DeckPart]:
        """The ``lessons`` entries as parts, each located at its line."""
        out = []
        for index, item in enumerate(self.lessons):
            if isinstance(item, DeckPart):
                out.append(item)
            else:
                line = self.lines.get(f"lessons[{index}]", self.where.line)
                out.append(DeckPart(lesson=item, where=self.where.at(line), lines={"lesson": line}))
        return out


@dataclass(kw_only=True)
class Colours:
    """The deck colours, each '#RRGGBB'."""

    primary: str = spec(
        "Title and section slides, headings, chart bars.", default="#1F5F99", check=_colour
    )
    text: str = spec("Body text on white.", default="#1A1A1A", check=_colour)
    muted: str = spec("Footers, sources, slide numbers.", default="#595959", check=_colour)
    background: str = spec("Slide background.", default="#FFFFFF", check=_colour)
    on_primary: str = spec("Text on the primary colour.", default="#FFFFFF", check=_colour)
    where: Where = internal(default=NOWHERE)
    lines: dict[str, int] = internal(default_factory=dict)


@dataclass(kw_only=True)
class Theme:
    """``slides/theme.yml``: the look of every deck."""

    heading_font: str = spec(
        "Font of titles: Arial or Calibri (both cover Vietnamese).",
        default="Arial",
        check=_one_of(FONTS),
    )
    body_font: str = spec(
        "Font of body text: Arial or Calibri.", default="Arial", check=_one_of(FONTS)
    )
    colours: Colours = spec("Deck colours.", default_factory=lambda: Colours())
    logo: str | None = spec(
        "A PNG or JPEG file under slides/, shown on the title slide, e.g. 'slides/logo.png'.",
        default=None,
    )
    logo_alt: str | None = spec(
        "What the logo shows, for screen readers.", default=None, reads=TRAINER
    )
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
class SlideLists:
    """Short forms of a lesson's objectives and key points for a deck's slides, in the words a
    trainer speaks to; the full lists then go to the slides' speaker notes."""

    lines: dict[str, int] = internal(default_factory=dict)
    objectives: list[str] = spec(
        "The objectives as short phrases, for the objectives slide.",
        default_factory=list,
        reads=TRAINER,
        myst=True,
    )
    keypoints: list[str] = spec(
        "The key points as short phrases, for the closing slide.",
        default_factory=list,
        reads=TRAINER,
        myst=True,
    )


@dataclass(kw_only=True)
class FrontMatter:
    """The YAML block at the top of a lesson."""

    lines: dict[str, int] = internal(default_factory=dict)
    title: str = spec("Lesson title.", reads=LEARNER)
    objectives: list[str] = spec(
        "What a learner can do after the lesson.", reads=LEARNER, myst=True
    )
    keypoints: list[str] = spec("Points to remember, shown at the end.", reads=LEARNER, myst=True)
    slides: SlideLists = spec(
        "Short forms of the objectives and key points for the deck's slides.",
        default_factory=SlideLists,
    )
    duration: Duration = spec("Teaching and exercise minutes.")
    audience: list[str] = spec("Audience ids from course.yml.", default_factory=list)
    prerequisites: list[str] = spec("Lesson ids to take first.", default_factory=list)


@dataclass
class Markdown:
    """A run of MyST Markdown passed through to the book; ``line`` is its first line, ``nodes``
    its blocks as ``builder.course.tree`` parsed them (parsed here when not given)."""

    text: str
    line: int
    nodes: list[Node] = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.nodes is None:
            from builder.course import tree  # noqa: PLC0415 - the model stays light to import

            self.nodes = tree.parse(self.text, self.line).nodes


@dataclass
class Notes:
    """Trainer notes: speaker notes in decks, never shown in the book; ``nodes`` their MyST."""

    text: str
    line: int
    nodes: list[Node] = field(default_factory=list)
    minutes: int | None = None  # an activity's time (':minutes: 10'), counted in the pacing


@dataclass
class Slide:
    """A ``slide`` directive: the text a deck's slide shows for its section (short points in
    the course team's words), never shown in the book or the notebooks; the section's prose
    goes to the slide's speaker notes. ``title`` is the slide's own title ('' for the
    section's heading); ``columns`` 2 splits the text into two columns at its second list;
    ``places`` mark its '##' section as about those places (a session with another
    ``province:`` leaves the section out)."""

    title: str
    line: int
    nodes: list[Node] = field(default_factory=list)
    columns: int = 1
    places: list[str] = field(default_factory=list)  # ':place:' marks its section as about them


@dataclass
class Chart:
    """A bar or column chart of named facts."""

    title: str
    facts: list[str]
    kind: str
    line: int  # the ':facts:' line
    title_line: int = 0  # the directive's line


@dataclass
class Quiz:
    """A ``quiz`` directive: questions named by id, or drawn from a bank by tags."""

    title: str
    line: int
    ids: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    bank: str | None = None
    count: int = 0
    options: dict[str, int] = field(default_factory=dict)


Block = Markdown | Notes | Slide | Chart | Quiz


@dataclass
class FactRef:
    """A ``{fact}`id``` role in a lesson."""

    fact: str
    line: int


@dataclass
class TermRef:
    """A ``{term}`text``` or ``{term}`text <Term>``` role in a lesson, where it starts."""

    text: str
    target: str
    line: int
    column: int


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
    term_refs: list[TermRef] = field(default_factory=list)
    images: list[ImageRef] = field(default_factory=list)

    @property
    def notes(self) -> list[Notes]:
        """Trainer notes in order."""
        return [b for b in self.blocks if isinstance(b, Notes)]

    @property
    def slides(self) -> list[Slide]:
        """Slide directives in order."""
        return [b for b in self.blocks if isinstance(b, Slide)]

    @property
    def charts(self) -> list[Chart]:
        """Charts in order."""
        return [b for b in self.blocks if isinstance(b, Chart)]

    @property
    def quizzes(self) -> list[Quiz]:
        """Quiz directives in order."""
        return [b for b in self.blocks if isinstance(b, Quiz)]


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
    theme: Theme = field(default_factory=lambda: Theme())
    questions: dict[str, Question] = field(default_factory=dict)
    invalid_questions: set[str] = field(default_factory=set)  # ids of questions with errors
    # Files that exist but could not be read: references to them are not "unknown".
    broken_lessons: set[str] = field(default_factory=set)
    broken_banks: set[str] = field(default_factory=set)
    invalid_records: set[str] = field(default_factory=set)  # fact and source ids with errors

    def address(self, lesson_id: str | None = None) -> str | None:
        """The published book's address of a lesson's page (or of its front page), when
        course.yml gives the book's ``url:``."""
        if not self.info.url:
            return None
        base = self.info.url.rstrip("/")
        return f"{base}/{lesson_id}.html" if lesson_id else f"{base}/"

    def ordered_lessons(self) -> list[Lesson]:
        """Lessons in module order, then any lesson no module lists, by id."""
        seen: list[str] = []
        for module in self.info.modules:
            seen.extend(i for i in module.lessons if i in self.lessons and i not in seen)
        rest = sorted(i for i in self.lessons if i not in seen)
        return [self.lessons[i] for i in seen + rest]
