"""Checks of a lesson as teaching: its pacing against its text, and figures that say when.

**Pacing.** A trainer presents about ``WORDS_PER_MINUTE`` words of prose a minute, explaining as
they go (Vietnamese words are syllables: a 2,400-word lesson is some 20 minutes of talk). The
exercises take the minutes its trainer notes give their activities (``:minutes:``) and about
``MINUTES_PER_QUESTION`` per quiz question on the page. ``lesson.pacing`` warns where the
front matter's ``duration`` is far from either estimate, once the lesson has ``MIN_WORDS`` of
prose (a draft of a heading and a paragraph is not judged).

**Dated figures.** A figure read without its year reads as current. Every sentence that shows
a ``{fact}`` names when it applies: a year (2022), a date fact, or, for the items of a list,
the sentence that introduces the list; a chart's title names its year. ``fact.undated`` warns
where one does not.
"""

from __future__ import annotations

import datetime
import math
import re

from builder.course import facts as fact_text
from builder.course import sessions, tree
from builder.course.model import Course, Lesson, Markdown, Notes
from builder.course.tree import Inline, Node
from builder.problems import Problems, Where, suggest
from builder.quizzes import placement

WORDS_PER_MINUTE = sessions.WORDS_PER_MINUTE
MIN_WORDS = 300
MINUTES_PER_QUESTION = 1
DENSE_WORDS = 40  # words on a content slide at most
# How far a stated duration may be from the estimate before a warning: this share of the
# estimate, or SLACK_MINUTES when that is more.
SLACK_SHARE = 0.4
SLACK_MINUTES = 5
YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")
# A sentence ends at . ! ? or ; before a space (figures like 2,8 or 14.478 are inside roles).
SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")
DATED = "\x00dated\x00"  # stands for a date fact in a sentence
FIGURE = "\x00figure:{id}\x00"
FIGURE_MARK = re.compile(r"\x00figure:([^\x00]+)\x00")


def check_curriculum(course: Course, problems: Problems) -> None:
    """Pacing, dated figures and slides that a trainer can present, in every lesson."""
    for lesson in course.ordered_lessons():
        _check_pacing(course, lesson, problems)
        _check_dates(course, lesson, problems)
        _check_slides(course, lesson, problems)


# --- slides ---------------------------------------------------------------------------------


def _check_slides(course: Course, lesson: Lesson, problems: Problems) -> None:
    """Each ``{slide}`` holds key points, not the lesson's paragraphs, and marks its section
    for places the facts know."""
    where = Where(lesson.path)
    places = {f.place for f in course.facts.values() if f.place}
    for slide in lesson.slides:
        for place in slide.places:
            if place not in places:
                problems.warning(
                    where.at(slide.line),
                    "slide.place",
                    f"no fact has place '{place}' (':place:' names places as facts.yml writes "
                    "them, comma-separated)" + suggest(place, places),
                )
        count = words(slide.nodes)
        if count > DENSE_WORDS:
            problems.warning(
                where.at(slide.line),
                "deck.dense",
                f"this slide holds {count} words; keep a slide to {DENSE_WORDS} words or fewer "
                "(short points the trainer speaks to; the lesson's paragraphs go to the "
                "speaker notes), or split it into two {slide} directives",
            )
    if lesson.meta is None or not _in_a_deck(course, lesson):
        return
    lines = lesson.meta.lines
    for key, name in (("objectives", "objectives"), ("keypoints", "key points")):
        short = getattr(lesson.meta.slides, key)
        shown = short or getattr(lesson.meta, key)
        count = sum(len(tree.plain(tree.parse_inline(text)).split()) for text in shown)
        if count <= DENSE_WORDS:
            continue
        if short:
            line = lesson.meta.slides.lines.get(key, lines.get("slides", 1))
            advice = "shorten the phrases under 'slides: {key}:'"
        else:
            line = lines.get(key, 1)
            advice = (
                "give the slide short forms in the front matter, under 'slides:' then "
                "'{key}:', one phrase per item (the full {name} go to the speaker notes)"
            )
        problems.warning(
            where.at(line),
            "deck.dense",
            f"the {name} slide holds {count} words; keep a slide to {DENSE_WORDS} words or "
            "fewer: " + advice.format(key=key, name=name),
        )


def _in_a_deck(course: Course, lesson: Lesson) -> bool:
    """Whether a deck of the course teaches ``lesson``."""
    return any(p.lesson == lesson.id for d in course.decks.values() for p in d.parts())


# --- pacing ---------------------------------------------------------------------------------


def prose_words(lesson: Lesson) -> int:
    """The words a learner reads in the lesson body: headings, paragraphs, list items, tables
    and boxes; not trainer notes, slides, quizzes or charts."""
    return sum(words(b.nodes) for b in lesson.blocks if isinstance(b, Markdown))


def words(nodes: list[Node]) -> int:
    """The words of headings, paragraphs (list items' too), table cells and terms in ``nodes``;
    a figure counts as one word."""
    count = 0
    for top in nodes:
        for node in top.walk():
            if node.inlines and node.kind in ("heading", "paragraph", "th", "td", "dt"):
                count += len(tree.plain(node.inlines).split())
    return count


def estimate(course: Course, lesson: Lesson) -> tuple[int, int]:
    """Minutes of teaching (the prose read and explained) and of exercises (activities and
    quiz questions) the lesson's text asks for."""
    teaching = math.ceil(prose_words(lesson) / WORDS_PER_MINUTE)
    activities = sum(b.minutes or 0 for b in lesson.blocks if isinstance(b, Notes))
    questions = sum(len(p.ids) for p in placement.placements(course, lesson))
    return teaching, activities + questions * MINUTES_PER_QUESTION


def _check_pacing(course: Course, lesson: Lesson, problems: Problems) -> None:
    words = prose_words(lesson)
    if words < MIN_WORDS:
        return
    duration = lesson.meta.duration
    teaching, exercises = estimate(course, lesson)
    at = Where(lesson.path, lesson.meta.lines.get("duration", 1))
    if _far(duration.teaching, teaching):
        problems.warning(
            at,
            "lesson.pacing",
            f"the lesson's prose is {words} words, about {teaching} minutes at "
            f"{WORDS_PER_MINUTE} words a minute, but 'duration: teaching' says "
            f"{duration.teaching}; shorten or lengthen the text, or state about {teaching}",
        )
    if _far(duration.exercises, exercises):
        problems.warning(
            at,
            "lesson.pacing",
            f"the trainer notes' activities (':minutes:') and the quiz questions on the page "
            f"take about {exercises} minutes, but 'duration: exercises' says "
            f"{duration.exercises}; give each activity its ':minutes:', or state about "
            f"{exercises}",
        )


def _far(stated: int, estimated: int) -> bool:
    return abs(stated - estimated) > max(SLACK_MINUTES, SLACK_SHARE * estimated)


# --- dated figures --------------------------------------------------------------------------


def _check_dates(course: Course, lesson: Lesson, problems: Problems) -> None:
    def role(inline: Inline) -> str:
        if not fact_text.is_role(inline):
            return tree.default_role_text(inline)
        fact = course.facts.get(inline.text.strip())
        if fact is None or isinstance(fact.value, datetime.date):
            return DATED  # a date; or a fact that did not load, which says nothing of dates
        return FIGURE.format(id=fact.id)

    def read(nodes: list[Node], lead: str) -> None:
        """Paragraphs, list items and table rows; ``lead`` is the sentence before a list."""
        previous = lead
        for node in nodes:
            if node.kind in ("bullet_list", "ordered_list"):
                for item in node.children:
                    read(item.children, previous)
                continue
            if node.kind == "directive" and node.name == "list-table":
                for table in node.children:
                    for row in table.children:
                        cells = [i for n in row.walk() for i in n.inlines]
                        report(tree.plain(cells, role, " "), "", row.line)
                continue
            if node.kind in ("table", "tr", "thead", "tbody"):
                text = tree.plain([i for n in node.walk() for i in n.inlines], role)
                report(text, "", node.line)
                continue
            if node.inlines and node.kind in ("paragraph", "dt", "heading"):
                text = tree.plain(node.inlines, role)
                report(text, lead, node.line)
                previous = SENTENCE_END.split(text.strip())[-1] if text.strip() else previous
            if node.kind in ("blockquote", "list_item", "dd"):
                read(node.children, previous)
            elif node.kind == "directive":  # a box starts afresh: its text says its own dates
                read(node.children, "")

    def report(text: str, lead: str, line: int) -> None:
        for sentence in SENTENCE_END.split(text):
            figures = FIGURE_MARK.findall(sentence)
            if not figures:
                continue
            plain = FIGURE_MARK.sub("", sentence)
            if YEAR.search(plain) or DATED in plain or YEAR.search(lead) or DATED in lead:
                continue
            problems.warning(
                Where(lesson.path, 1).at(line),
                "fact.undated",
                f"the figure '{figures[0]}' is shown without when it applies; say it in the "
                "same sentence ('Tính đến tháng 10/2022, ...', 'năm 2021', 'trong 9 tháng năm "
                "2022'), as its source does",
            )

    for block in lesson.blocks:
        if isinstance(block, Markdown):
            read(block.nodes, "")
    for chart in lesson.charts:
        if not YEAR.search(chart.title):
            problems.warning(
                Where(lesson.path, 1).at(chart.title_line),
                "fact.undated",
                f"the chart '{chart.title[:60]}' does not say when its figures apply; name the "
                "year or period in its title, e.g. '... ở Trà Vinh (10/2022)'",
            )
