"""``builder stats``: an overview of a course for its authors, per lesson, per session and in
total: minutes stated against the builder's estimate, sections, words, questions per type,
facts used and never used, figures written in prose without a ``{fact}``, and glossary terms
whose first use in a lesson is not linked.

Every figure comes from what the checks already compute: ``checks.curriculum`` (the estimate,
the prose words), ``quizzes.placement`` (a lesson's questions), ``course.sessions`` (a
session's timetable), ``render.decks.selection`` and ``outline`` (the questions a session's
slides ask, as the deck's plan chooses them, with no PowerPoint loaded) and
``course.glossary.uses`` (first uses, as ``term.unlinked`` reads them).

**Figures without a fact.** No check reports these; this module counts them with a rule kept
simple. In a lesson's prose (the headings, paragraphs, list items, table cells and definition
terms whose words the pacing check counts; not trainer notes, slides, code, roles or
pictures), a number counts when it has two digits or more, or a ``%``. It does not count when
it is a year (``2022``, ``2017-2022``), a date or a month (``6/10/2022``, ``10/10``,
``9/2022``, ``7-2023``), a clock time (``08:30``), a document's number (``749/QĐ-TTg``,
``52-NQ/TW``, ``42/2022/NĐ-CP``, or after ``số``: ``Quyết định số 749``), part of a name
(``5G``, ``COVID-19``) or a version (``4.0``: in Vietnamese a ``.`` groups thousands,
``14.478``), an age or a time of day (``68 tuổi``, ``16 giờ 30``, ``30 phút``), or an item's
number opening a heading or a paragraph (``10. ...``). What is left may be a worked example's
own numbers (a commune that received 40 files): the list is for the author to read, not an
error.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import click
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from builder.checks import curriculum
from builder.checks.run import load_and_check
from builder.commands import options
from builder.course import facts as fact_text
from builder.course import glossary, sessions, tree
from builder.course.model import QUESTION_TYPES, Course, Deck, Lesson, Markdown
from builder.course.sessions import Slot
from builder.problems import Problems
from builder.quizzes import placement
from builder.render.decks import outline, selection

USER_ERROR = 2

# The blocks whose words ``curriculum.words`` counts: a lesson's prose.
PROSE = ("heading", "paragraph", "th", "td", "dt")


# --- figures in prose without a fact ------------------------------------------------------------

NUMBER = re.compile(r"\d+(?:[.,:/-]\d+)*(?:\s?%)?")
YEARS = re.compile(r"(?:19|20)\d\d(?:-(?:19|20)\d\d)?")
DAY_MONTH = re.compile(r"(\d{1,2})[/-](\d{1,2})(?:[/-](?:(?:19|20)\d\d|\d\d))?")
MONTH_YEAR = re.compile(r"(\d{1,2})[/-](?:19|20)\d\d")
CLOCK = re.compile(r"(?:[01]?\d|2[0-3]):[0-5]\d")
VERSION = re.compile(r"\.(?:\d{1,2}|\d{4,})(?!\d)")  # '4.0'; '14.478' groups thousands
LETTER = r"[^\W\d_]"
GLUED_BEFORE = re.compile(LETTER + r"-?\Z")  # COVID-19
GLUED_AFTER = re.compile(LETTER)  # 5G
DOCUMENT_AFTER = re.compile(r"[/-][A-ZĐ]")  # 749/QĐ-TTg, 52-NQ/TW, 42/2022/NĐ-CP
NUMBER_WORD = re.compile(r"(?<!\w)số\s*\Z", re.IGNORECASE)  # Quyết định số 749
UNIT_AFTER = re.compile(r"\s*(?:tuổi|giờ|phút)(?!\w)", re.IGNORECASE)  # 68 tuổi, 16 giờ
HOUR_BEFORE = re.compile(r"(?<!\w)giờ\s*\Z", re.IGNORECASE)  # 16 giờ 30
NUMBERING_AFTER = re.compile(r"[.)](?:\s|$)")  # '10. ' opening a heading or paragraph


def not_a_figure(number: str, before: str, after: str) -> str | None:
    """Why a number written in prose is not a figure that wants a ``{fact}`` (a year, a date,
    a document's number...), or None when it may be one. ``before`` and ``after`` are the
    text of its paragraph (or heading, or table cell) before and after it."""
    body = number.rstrip("%").rstrip()
    if GLUED_BEFORE.search(before) or GLUED_AFTER.match(after):
        return "name"
    if DOCUMENT_AFTER.match(after) or NUMBER_WORD.search(before):
        return "document"
    if YEARS.fullmatch(body):
        return "year"
    day_month = DAY_MONTH.fullmatch(body)
    if day_month and 1 <= int(day_month[1]) <= 31 and 1 <= int(day_month[2]) <= 12:
        return "date"
    month_year = MONTH_YEAR.fullmatch(body)
    if month_year and 1 <= int(month_year[1]) <= 12:
        return "date"
    if CLOCK.fullmatch(body):
        return "time"
    if VERSION.search(body):
        return "version"
    if UNIT_AFTER.match(after) or HOUR_BEFORE.search(before):
        return "age or time"
    if not before.strip() and NUMBERING_AFTER.match(after):
        return "numbering"
    return None


def figures_in(text: str) -> Iterator[re.Match[str]]:
    """The numbers in a paragraph's text that count as figures without a fact: two digits or
    more, or a percentage, and none of what ``not_a_figure`` recognises."""
    for match in NUMBER.finditer(text):
        number = match.group()
        digits = sum(c.isdigit() for c in number)
        if digits < 2 and not number.endswith("%"):
            continue
        if not_a_figure(number, text[: match.start()], text[match.end() :]) is None:
            yield match


@dataclass(frozen=True)
class BareFigure:
    """A number in a lesson's prose where a ``{fact}`` role may belong."""

    line: int
    text: str  # the number as written: '40', '12/63', '15%'
    context: str  # its line in the lesson, as written (shortened around it when long)


def bare_figures(lesson: Lesson) -> list[BareFigure]:
    """Numbers written as plain text in the lesson's prose (see the module's docstring)."""
    found = []
    for block in lesson.blocks:
        if not isinstance(block, Markdown):
            continue
        source = block.text.split("\n")
        for text, starts in _prose(block):
            offsets = [offset for offset, _ in starts]
            for match in figures_in(text):
                line = starts[bisect.bisect_right(offsets, match.start()) - 1][1]
                index = line - block.line
                written = source[index] if 0 <= index < len(source) else text
                found.append(BareFigure(line, match.group(), _context(written, match.group())))
    return found


def _prose(block: Markdown) -> Iterator[tuple[str, list[tuple[int, int]]]]:
    """Each prose node of a block as plain text (roles, code, HTML and pictures blanked, a
    line break where the source breaks), with the offsets where its file lines start."""
    for top in block.nodes:
        for node in top.walk():
            if node.kind in PROSE and node.inlines:
                pieces: list[str] = []
                starts: list[tuple[int, int]] = []
                _pieces(node.inlines, pieces, starts)
                yield "".join(pieces), starts


def _pieces(inlines: list[tree.Inline], pieces: list[str], starts: list[tuple[int, int]]) -> None:
    for inline in inlines:
        if not starts or starts[-1][1] != inline.line:
            starts.append((sum(len(p) for p in pieces), inline.line))
        if inline.kind == "text":
            pieces.append(inline.text)
        elif inline.kind in ("softbreak", "hardbreak"):
            pieces.append("\n")
        elif inline.kind in ("role", "code", "html", "image"):
            pieces.append(" ")
        else:
            _pieces(inline.children, pieces, starts)


CONTEXT = 40  # characters kept on either side of a figure in a long line


def _context(line: str, number: str) -> str:
    """The line, stripped; a long one cut to the words around the number."""
    line = line.strip()
    at = line.find(number)
    if len(line) <= 2 * CONTEXT + len(number) or at < 0:
        return line
    start, end = max(0, at - CONTEXT), min(len(line), at + len(number) + CONTEXT)
    return ("…" if start else "") + line[start:end].strip() + ("…" if end < len(line) else "")


# --- glossary terms -----------------------------------------------------------------------------


@dataclass(frozen=True)
class UnlinkedTerm:
    """A glossary term whose first use in a lesson is plain text (``term.unlinked``)."""

    line: int
    term: str  # the glossary entry
    text: str  # as the lesson writes it


def unlinked_terms(course: Course, lesson: Lesson) -> list[UnlinkedTerm]:
    """The terms whose first use in the lesson's prose is not a ``{term}`` role, as the
    ``term.unlinked`` check finds them (``checks.glossary``)."""
    seen: set[str] = set()
    found = []
    for use in glossary.uses(course, lesson):
        if use.term.term in seen:
            continue
        seen.add(use.term.term)
        if not use.linked:
            found.append(UnlinkedTerm(use.line, use.term.term, use.text))
    return found


# --- facts --------------------------------------------------------------------------------------


def lesson_facts(course: Course, lesson: Lesson, shown: list[str]) -> list[str]:
    """The facts a lesson uses: its ``{fact}`` roles (prose and slides), its charts and the
    questions it shows (``shown``), sorted."""
    found = {ref.fact for ref in lesson.fact_refs}
    found |= {fact for chart in lesson.charts for fact in chart.facts}
    for qid in shown:
        found |= fact_text.question_facts(course, course.questions[qid])
    return sorted(found & course.facts.keys())


def facts_unused(course: Course) -> list[str]:
    """The facts of facts.yml that no lesson, chart or question uses, in facts.yml's order. A
    question counts even when no lesson shows it; sessions show only their lessons' facts."""
    used = {fact for lesson in course.lessons.values() for fact in lesson_facts(course, lesson, [])}
    for question in course.questions.values():
        used |= fact_text.question_facts(course, question)
    return [fact for fact in course.facts if fact not in used]


# --- lessons and sessions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Minutes:
    """Minutes a lesson states in its front matter, and what its text and activities take."""

    stated: int
    estimated: int


@dataclass
class LessonStats:
    """One lesson's figures."""

    id: str
    path: str
    title: str
    teaching: Minutes
    exercises: Minutes
    sections: int  # '##' headings
    words: int  # prose words, as the pacing check counts them
    questions: dict[str, int]  # per type, the questions its quizzes show
    facts: list[str]
    bare_figures: list[BareFigure]
    unlinked_terms: list[UnlinkedTerm]

    @property
    def minutes(self) -> Minutes:
        """Teaching plus exercises."""
        return _add([self.teaching, self.exercises])


def lesson_stats(course: Course, lesson: Lesson) -> LessonStats:
    """A lesson's minutes, sections, words, questions, facts, bare figures, unlinked terms."""
    duration = lesson.meta.duration
    teaching, exercises = curriculum.estimate(course, lesson)
    shown = placement.shown(placement.placements(course, lesson))
    return LessonStats(
        id=lesson.id,
        path=lesson.path,
        title=lesson.meta.title,
        teaching=Minutes(duration.teaching, teaching),
        exercises=Minutes(duration.exercises, exercises),
        sections=len(sessions.section_titles(lesson)),
        words=curriculum.prose_words(lesson),
        questions=_types(course, shown),
        facts=lesson_facts(course, lesson, shown),
        bare_figures=bare_figures(lesson),
        unlinked_terms=unlinked_terms(course, lesson),
    )


@dataclass
class PartStats:
    """A part of a session: a lesson (or some of its sections), or an activity."""

    title: str
    lesson: str | None
    sections: list[str]
    start: int  # minutes from the session's start
    clock: str  # '08:00', or '0:45' for a session without a start time
    minutes: int  # what the agenda gives it
    duration: int | None  # the lesson's stated duration (teaching + exercises)
    questions: dict[str, int]  # per type, the questions its slides ask


@dataclass
class SessionStats:
    """One session (``slides/decks/<id>.yml``): its parts against its length."""

    id: str
    path: str
    title: str
    length: int | None
    parts: list[PartStats]

    @property
    def minutes(self) -> int:
        """What the parts take together."""
        return sum(p.minutes for p in self.parts)

    @property
    def questions(self) -> dict[str, int]:
        """Questions the session's slides ask, per type."""
        return _sum(p.questions for p in self.parts)


def asked_questions(course: Course, deck: Deck, slot: Slot) -> list[str]:
    """The questions a lesson part's slides ask, chosen as the deck's plan chooses them
    (``render.decks.plan``): those the session may ask, from the sections it teaches, up to
    its limit, in turn from each quiz."""
    lesson = slot.lesson
    if lesson is None:
        return []
    placed = {
        key: [qid for qid in ids if selection.asked(course, deck, qid)]
        for key, ids in selection.placed_questions(course, lesson).items()
    }
    taught = selection.taught(
        deck,
        sessions.lesson_parts(lesson),
        outline.outline(
            course,
            lesson,
            course.info.language,
            slot.part.sections,
            selection.keeps(course, deck),
        ),
    )
    limit = slot.part.questions if slot.part.questions is not None else deck.questions
    chosen = selection.chosen_questions(placed, taught, limit)
    return [qid for ids in chosen.values() for qid in ids]


def session_stats(course: Course, deck: Deck) -> SessionStats:
    """A session's parts with their minutes and the questions each asks."""
    parts = []
    for slot in sessions.schedule(course, deck):
        lesson = slot.lesson
        parts.append(
            PartStats(
                title=slot.title,
                lesson=lesson.id if lesson is not None else None,
                sections=list(slot.part.sections),
                start=slot.start,
                clock=sessions.clock(deck, slot.start),
                minutes=slot.minutes,
                duration=lesson.meta.duration.total if lesson is not None else None,
                questions=_types(course, asked_questions(course, deck, slot)),
            )
        )
    return SessionStats(deck.id, deck.where.path, deck.title, deck.length, parts)


@dataclass
class CourseStats:
    """The whole course: its lessons in course order, its sessions by id, unused facts."""

    title: str
    lessons: list[LessonStats]
    sessions: list[SessionStats]
    facts: int  # entries in facts.yml
    facts_unused: list[str]
    bank: dict[str, int]  # every question of the banks, per type

    @property
    def teaching(self) -> Minutes:
        """The lessons' teaching minutes, stated and estimated, summed."""
        return _add(s.teaching for s in self.lessons)

    @property
    def exercises(self) -> Minutes:
        """The lessons' exercise minutes, stated and estimated, summed."""
        return _add(s.exercises for s in self.lessons)

    @property
    def questions(self) -> dict[str, int]:
        """The questions the lessons show, per type (a question two lessons show counts
        twice)."""
        return _sum(s.questions for s in self.lessons)


def course_stats(course: Course) -> CourseStats:
    """Every figure of the course."""
    return CourseStats(
        title=course.info.title,
        lessons=[lesson_stats(course, lesson) for lesson in course.ordered_lessons()],
        sessions=[session_stats(course, course.decks[d]) for d in sorted(course.decks)],
        facts=len(course.facts),
        facts_unused=facts_unused(course),
        bank=_types(course, course.questions),
    )


def collect(root: Path) -> tuple[CourseStats | None, Problems]:
    """Load and check the course tree, then count; no figures (None) when it has errors."""
    course, problems = load_and_check(root)
    if course is None or problems.errors():
        return None, problems
    return course_stats(course), problems


def _types(course: Course, ids: Iterable[str]) -> dict[str, int]:
    """How many of the questions are of each type (types with none left out)."""
    return _sum([Counter(course.questions[qid].type for qid in ids)])


def _sum(counts: Iterable[dict[str, int]]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for count in counts:
        total.update(count)
    return {kind: total[kind] for kind in QUESTION_TYPES if total[kind]}


def _add(minutes: Iterable[Minutes]) -> Minutes:
    pairs = [(m.stated, m.estimated) for m in minutes]
    return Minutes(sum(p[0] for p in pairs), sum(p[1] for p in pairs))


# --- JSON ---------------------------------------------------------------------------------------


def _minutes(teaching: Minutes, exercises: Minutes) -> dict:
    return {
        **dataclasses.asdict(_add([teaching, exercises])),
        "teaching": dataclasses.asdict(teaching),
        "exercises": dataclasses.asdict(exercises),
    }


def as_json(stats: CourseStats) -> dict:
    """The figures as the JSON document ``builder stats --json`` prints (see the README)."""
    lessons = [
        {
            "id": s.id,
            "path": s.path,
            "title": s.title,
            "minutes": _minutes(s.teaching, s.exercises),
            "sections": s.sections,
            "words": s.words,
            "questions": s.questions,
            "facts": s.facts,
            "bare_figures": [dataclasses.asdict(f) for f in s.bare_figures],
            "unlinked_terms": [dataclasses.asdict(t) for t in s.unlinked_terms],
        }
        for s in stats.lessons
    ]
    sessions_ = [
        {
            "id": s.id,
            "path": s.path,
            "title": s.title,
            "length": s.length,
            "minutes": s.minutes,
            "parts": [dataclasses.asdict(p) for p in s.parts],
            "questions": s.questions,
        }
        for s in stats.sessions
    ]
    used = {fact for s in stats.lessons for fact in s.facts}
    course = {
        "title": stats.title,
        "lessons": len(stats.lessons),
        "sessions": len(stats.sessions),
        "minutes": _minutes(stats.teaching, stats.exercises),
        "sections": sum(s.sections for s in stats.lessons),
        "words": sum(s.words for s in stats.lessons),
        "questions": stats.questions,
        "questions_in_banks": stats.bank,
        "facts": stats.facts,
        "facts_used": stats.facts - len(stats.facts_unused),
        "facts_in_lessons": len(used),
        "facts_unused": len(stats.facts_unused),
        "bare_figures": sum(len(s.bare_figures) for s in stats.lessons),
        "unlinked_terms": sum(len(s.unlinked_terms) for s in stats.lessons),
    }
    return {
        "course": course,
        "lessons": lessons,
        "sessions": sessions_,
        "facts_unused": stats.facts_unused,
    }


# --- the terminal -------------------------------------------------------------------------------


def _counts(counts: dict[str, int]) -> str:
    """'7 (single 3, text 4)', or '0'."""
    total = sum(counts.values())
    kinds = ", ".join(f"{kind} {n}" for kind, n in counts.items())
    return f"{total} ({kinds})" if total else "0"


def _versus(minutes: Minutes) -> str:
    return f"{minutes.stated} / {minutes.estimated}"


def _table(title: Text, caption: str, columns: list[tuple[str, str]]) -> Table:
    """A table with its title and caption (plain text: ':minutes:' is no emoji code)."""
    table = Table(title=title, caption=Text(caption), title_justify="left", caption_justify="left")
    for header, justify in columns:
        # a long id folds rather than lose its end; other text wraps at spaces
        table.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]
    return table


def _named(title: str, name: str) -> Text:
    """A title (an author's text: never read as markup) with its id under it."""
    return Text(title) + Text(f"\n{name}", style="dim")


def report(stats: CourseStats) -> Group:
    """The figures as tables for a terminal of 80 columns or more; author text goes in as
    text, never as markup."""
    totals = as_json(stats)["course"]
    lessons = _table(
        Text(stats.title, style="bold"),
        "Minutes: stated in the front matter / estimated from the text (teaching: "
        f"{curriculum.WORDS_PER_MINUTE} words a minute; exercises: the notes' :minutes: and a "
        "minute a question).",
        [
            ("Lesson", "left"),
            ("Minutes", "right"),
            ("Teaching", "right"),
            ("Exercises", "right"),
            ("Sections", "right"),
            ("Words", "right"),
        ],
    )
    for s in stats.lessons:
        lessons.add_row(
            _named(s.title, s.id),
            _versus(s.minutes),
            _versus(s.teaching),
            _versus(s.exercises),
            str(s.sections),
            str(s.words),
        )
    lessons.add_section()
    lessons.add_row(
        Text(f"{len(stats.lessons)} lesson" + "s" * (len(stats.lessons) != 1), style="bold"),
        _versus(_add([stats.teaching, stats.exercises])),
        _versus(stats.teaching),
        _versus(stats.exercises),
        str(totals["sections"]),
        str(totals["words"]),
    )
    content = _table(
        Text("Questions, facts and terms", style="bold"),
        "Questions: those the lesson's quizzes show, per type. Facts: those its text, charts "
        "and questions use. Bare figures: numbers in its prose without a {fact}. Unlinked "
        "terms: glossary terms whose first use in it is plain text.",
        [
            ("Lesson", "left"),
            ("Questions", "left"),
            ("Facts", "right"),
            ("Bare figures", "right"),
            ("Unlinked terms", "right"),
        ],
    )
    for s in stats.lessons:
        content.add_row(
            Text(s.id),
            _counts(s.questions),
            str(len(s.facts)),
            str(len(s.bare_figures)),
            str(len(s.unlinked_terms)),
        )
    content.add_section()
    content.add_row(
        Text("all lessons", style="bold"),
        _counts(stats.questions),
        f"{totals['facts_used']}/{stats.facts} used",
        str(totals["bare_figures"]),
        str(totals["unlinked_terms"]),
    )
    content.add_row(Text("the banks", style="bold"), _counts(stats.bank), "", "", "")
    parts: list = [lessons, Text(), content]
    for session in stats.sessions:
        length = (
            f"Length: {session.length} minutes" if session.length is not None else "No length given"
        )
        table = _table(
            Text(session.title, style="bold") + Text(f" ({session.id})", style="dim"),
            f"{length}; the parts take {session.minutes}. Questions on its slides: "
            f"{_counts(session.questions)}.",
            [
                ("Start", "right"),
                ("Part", "left"),
                ("Minutes", "right"),
                ("Lesson's duration", "right"),
                ("Questions asked", "left"),
            ],
        )
        for part in session.parts:
            title = Text(part.title)
            if part.lesson is not None:
                title += Text(f"\n{part.lesson}", style="dim")
            for section in part.sections:
                title += Text(f"\n· {section}", style="dim")
            table.add_row(
                part.clock,
                title,
                str(part.minutes),
                "" if part.duration is None else str(part.duration),
                "" if part.lesson is None else _counts(part.questions),
            )
        parts += [Text(), table]
    details = Text()
    for s in stats.lessons:
        for figure in s.bare_figures:
            details.append(f"{s.path}:{figure.line}: figure without a fact: ")
            details.append(figure.text, style="bold")
            details.append(f" in: {figure.context}\n")
        for term in s.unlinked_terms:
            details.append(f"{s.path}:{term.line}: first use of a term, not linked: ")
            details.append(term.term, style="bold")
            details.append("" if term.text == term.term else f" (written '{term.text}')")
            details.append("\n")
    if stats.facts_unused:
        details.append(f"Facts no lesson, chart or question uses ({len(stats.facts_unused)}): ")
        details.append(", ".join(stats.facts_unused) + "\n")
    if details:
        parts += [Text(), details]
    return Group(*parts)


# --- the command --------------------------------------------------------------------------------


@click.command(name="stats")
@click.option("--json", "as_json_", is_flag=True, help="Print the figures as JSON (sorted keys).")
@options.root()
def stats(as_json_: bool, root: Path) -> None:
    """An overview of the course for its authors: per lesson and session, minutes against the
    estimate, sections, words, questions per type, facts used and unused, figures in prose
    without a {fact}, glossary terms whose first use is not linked. A course with errors
    prints them (as builder check does) and exits with status 2; warnings do not stop it.

    \b
    Example:
      builder stats --root my-course
      builder stats --json > stats.json
    """
    figures, problems = collect(root)
    if figures is None:
        for problem in problems.sorted():
            click.echo(str(problem), err=True)
        sys.exit(USER_ERROR)
    if as_json_:
        click.echo(json.dumps(as_json(figures), ensure_ascii=False, indent=2, sort_keys=True))
        return
    Console(highlight=False).print(report(figures))
