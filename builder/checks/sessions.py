"""Session checks: parts, sections, locales, places, and sessions that overrun their length."""

from __future__ import annotations

from builder import i18n
from builder.course import facts
from builder.course.model import Course, Deck, DeckPart, Lesson
from builder.course.sessions import language, lesson_parts, schedule, section_titles
from builder.problems import Problems, suggest


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
            _check_known(course, deck, part, lesson, problems)
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


def _check_known(
    course: Course, deck: Deck, part: DeckPart, lesson: Lesson, problems: Problems
) -> None:
    """What a part shows must suit its session: with a province, a section it names that is
    marked for other places is left out (said here); with a date, a section whose heading,
    tables or box titles give a figure dated after the session is flagged, as a replica of
    that day cannot know it (the deck leaves out by itself the paragraphs, list items,
    questions, big numbers and charts that state such figures)."""
    lang = language(course, deck)
    at = deck.where.at(part.lines.get("lesson", part.where.line))
    parts = lesson_parts(lesson)
    named = set(part.sections)
    for section in parts:
        if named and section.title not in named:
            continue
        elsewhere = deck.province and section.places and deck.province not in section.places
        if elsewhere and section.title in named:
            problems.warning(
                at,
                "deck.place",
                f"section '{section.title}' of lesson '{lesson.id}' is marked for "
                f"{', '.join(section.places)} (:place: on its slide), and this session features "
                f"{deck.province} (province:), so its slides leave it out; remove it from "
                "'sections'",
            )
        if elsewhere or deck.date is None:
            continue
        late = {}
        for fact_id, line in section.fixed_facts:
            fact = course.facts.get(fact_id)
            if fact is not None and facts.after(fact, deck.date) is not None:
                late.setdefault(fact_id, (line, facts.when(fact, lang)))
        if late:
            listed = ", ".join(f"{f} ({when}, line {line})" for f, (line, when) in late.items())
            where = f"section '{section.title}'" if section.title else "the opening"
            problems.warning(
                at,
                "deck.future-fact",
                f"{where} of lesson '{lesson.id}' ({lesson.path}) shows, in a heading, table or"
                f" box title, figures dated after this session ({i18n.date(deck.date, lang)}): "
                f"{listed}; leave the section out with 'sections', or date the session later "
                "(paragraphs, list items and charts with such figures are left out by "
                "themselves)",
            )
