"""Write one PowerPoint deck per session (``slides/decks/*.yml``).

The session's plan (``plan``: every unit in reading order, with its notes) is laid out unit by
unit (``slides``) on the layouts of the template: the course's ``slides/template.pptx``, else
the one shipped as package data (``templates/deck.pptx``, made by
``tools/make_deck_template.py``); then every slide but the first gets its footer and number,
and every slide its speaker notes with timing cues (``notes``). Only ``shapes`` and
``package`` touch python-pptx; the saved bytes are the same for the same sources.
"""

from __future__ import annotations

import functools
from pathlib import Path

from builder.course import imaging, sessions
from builder.course.load import COURSE_TEMPLATE
from builder.course.model import Course, Deck
from builder.problems import Problems, Where
from builder.publish import Output
from builder.render.decks import notes, package, papers, plan, shapes, slides, textfit

FOLDER = "decks"


def outputs(course: Course) -> list[Output]:
    """``decks/<session>.pptx`` for every session, with its session plan and handout
    (``<session>.plan.pdf``, ``<session>.handout.pdf``), made only when written."""
    made = []
    for deck_id, deck in sorted(course.decks.items()):
        deck_file, plan_file, handout_file = paths(deck_id)
        made += [
            Output(deck_file, functools.partial(deck_bytes, course, deck)),
            Output(plan_file, functools.partial(papers.plan_bytes, course, deck)),
            Output(handout_file, functools.partial(papers.handout_bytes, course, deck)),
        ]
    return made


def paths(deck_id: str) -> tuple[str, str, str]:
    """A session's files: its deck, its session plan and its handout, side by side."""
    return (
        f"{FOLDER}/{deck_id}.pptx",
        f"{FOLDER}/{deck_id}.{papers.PLAN}.pdf",
        f"{FOLDER}/{deck_id}.{papers.HANDOUT}.pdf",
    )


def template_problems(course: Course) -> Problems:
    """A course's own deck template that cannot serve: outside the tree, not a PowerPoint file,
    or without a layout each kind of slide needs (``builder check`` reports it before a build
    writes anything)."""
    problems = Problems()
    root = Path(course.root)
    path = root / COURSE_TEMPLATE
    if not path.is_file():
        return problems
    where = Where(COURSE_TEMPLATE, 1)
    if (real := imaging.outside(root, path)) is not None:
        problems.error(
            where,
            "path.outside",
            f"{COURSE_TEMPLATE} resolves outside the course tree (symlink to {real}); copy the"
            " file into slides/",
        )
        return problems
    try:
        prs = package.template(root)
        package.layouts(prs)
    except package.TemplateError as exc:
        problems.error(where, "deck.template", str(exc))
        return problems
    for family in sorted(set(package.theme_fonts(prs))):
        if textfit.measured_as_arial(family):
            problems.warning(
                where,
                "deck.font-metrics",
                f"the template's font '{family}' is not installed on this computer, so the "
                "decks measure its text with Arial's widths: a wider font may run past a "
                f"placeholder. Install '{family}' where the decks are built, or choose a font "
                "the builder knows (Arial, Calibri, Times New Roman, Liberation)",
            )
    return problems


def deck_bytes(course: Course, deck: Deck) -> bytes:
    """The deck of one session as .pptx bytes, the same for the same sources."""
    lang = sessions.language(course, deck)
    sheet = slides.Sheet(course, deck)
    made = []  # each slide, its unit, and which of the unit's slides it is
    for unit in plan.plan(course, deck):
        laid = slides.lay_out(sheet, unit)
        made += [(slide, unit, index, len(laid)) for index, slide in enumerate(laid)]
    pages = [
        notes.Page(u.notes_on(index, count), u.cue, u.slot, u.weight / count)
        for _, u, index, count in made
    ]
    texts = notes.speaker_notes(deck, lang, pages)
    for number, ((slide, unit, _, _), text) in enumerate(zip(made, texts, strict=True), start=1):
        slides.footer(sheet, slide, unit, number)
        shapes.set_notes(slide, text, number, sheet.kept)
    package.set_properties(
        sheet.prs,
        title=deck.title,
        subject=course.info.title,
        author=course.info.publisher or "",
        language=package.LANG_TAGS.get(lang, lang),
        identifier=deck.id,
        date=deck.date,
    )
    return package.deterministic_bytes(sheet.prs)
