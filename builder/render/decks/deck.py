"""Write one PowerPoint deck per session (``slides/decks/*.yml``).

The session's plan (``plan``: every unit in reading order, with its notes) is laid out unit by
unit (``slides``) on the layouts of the template: the course's ``slides/template.pptx``, else
the one shipped as package data (``templates/deck.pptx``, made by
``tools/make_deck_template.py``); then every slide but the first gets its footer and number,
and every slide its speaker notes with timing cues (``notes``). Only ``shapes`` and
``package`` touch python-pptx; the saved bytes are the same for the same sources.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from pathlib import Path

from builder.cache import Kept
from builder.course import imaging, sessions
from builder.course.load import COURSE_TEMPLATE
from builder.course.model import Course, Deck
from builder.problems import Problems, Where
from builder.publish import Output
from builder.render.decks import notes, package, papers, plan, shapes, slides, textfit

FOLDER = "decks"


def outputs(course: Course, contexts: dict[str, str] | None = None) -> list[Output]:
    """``decks/<session>.pptx`` for every session, with its session plan and handout
    (``<session>.plan.pdf``, ``<session>.handout.pdf``), made only when written. ``contexts``
    (see ``deck_bytes``) are digests of what each deck reads but its lessons' texts."""
    made = []
    for deck_id, deck in sorted(course.decks.items()):
        deck_file, plan_file, handout_file = paths(deck_id)
        context = (contexts or {}).get(deck_id)
        made_deck = _Deck(course, deck, context)
        units = functools.cache(functools.partial(plan.plan, course, deck))  # papers share it
        made += [
            Output(deck_file, made_deck.bytes, value=made_deck.value if context else None),
            Output(plan_file, *papers.paper(course, deck, papers.session_plan, context, units)),
            Output(handout_file, *papers.paper(course, deck, papers.handout, context, units)),
        ]
    return made


class _Deck:
    """One session's deck to make: its plan and sheet, read once for its value and bytes."""

    def __init__(self, course: Course, deck: Deck, context: str | None) -> None:
        self.course, self.deck, self.context = course, deck, context

    @functools.cached_property
    def _prepared(self) -> tuple[list[plan.Unit], slides.Sheet, bytes, bytes]:
        return _prepare(self.course, self.deck, self.context or "")

    def value(self) -> str:
        """A digest of what the deck is made from (see ``deck_bytes``)."""
        return self._prepared[2].hex()

    def bytes(self) -> bytes:
        """The deck's bytes."""
        if self.context is None:
            return deck_bytes(self.course, self.deck)
        units, sheet, key, shown = self._prepared
        return _MADE.get(key, lambda: _deck_bytes(self.course, self.deck, units, sheet, shown))


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


def deck_bytes(course: Course, deck: Deck, context: str | None = None) -> bytes:
    """The deck of one session as .pptx bytes, the same for the same sources.

    With ``context``, a digest of everything the deck reads but its lessons' texts (the
    course's files, the theme and template, the session's file, the builder), the last decks
    made are kept in memory by it, the measuring fonts' files and the deck's plan: the lessons
    reach a deck through its plan only, and ``builder serve`` makes the decks again after any
    edit to their lessons, most of which (a paragraph of prose) change nothing on a slide."""
    if context is None:
        return _deck_bytes(course, deck, plan.plan(course, deck), slides.Sheet(course, deck))
    return _Deck(course, deck, context).bytes()


_MADE = Kept(8)  # decks
_LAID = Kept(4)  # laid-out decks (python-pptx presentations), by what their slides show


@dataclasses.dataclass
class _LaidOut:
    """A deck's slides laid out, numbered, each with its (empty) notes: its sheet, each slide
    with the index of its unit, which of the unit's slides it is and how many it has; the
    notes laying each unit out added (a chart's sources when the layout has no place for
    them)."""

    sheet: slides.Sheet
    units: list[plan.Unit]
    slides: list[tuple[object, int, int, int]]
    added: list[list[str]]


def _lay_out(sheet: slides.Sheet, units: list[plan.Unit]) -> _LaidOut:
    before = [len(unit.notes) for unit in units]
    made = []
    for u, unit in enumerate(units):
        laid = slides.lay_out(sheet, unit)
        made += [(slide, u, index, len(laid)) for index, slide in enumerate(laid)]
    for number, (slide, u, _, _) in enumerate(made, start=1):
        slides.footer(sheet, slide, units[u], number)
        shapes.set_notes(slide, "", number, sheet.kept)  # their text: ``shapes.reset_notes``
    added = [unit.notes[count:] for unit, count in zip(units, before, strict=True)]
    return _LaidOut(sheet, units, made, added)


def _prepare(
    course: Course, deck: Deck, context: str
) -> tuple[list[plan.Unit], slides.Sheet, bytes, bytes]:
    """The deck's plan, its sheet, the digest of what the deck is made from (``context``, the
    font files its text is measured with and its plan) and of what its slides show (the same
    but the plan's notes and timing cues)."""
    units = plan.plan(course, deck)
    sheet = slides.Sheet(course, deck)
    # The font files the text is measured with (a missing one raises FontMissing, as laying
    # the deck out would): installed fonts are no file of the course.
    faces = [textfit.font_file(family) for family in sorted(set(sheet.fonts))]
    stamps = [(str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in faces]
    plain = [_plain_unit(u) for u in units]
    said = {"notes": [], "lead": [], "after": [], "cue": None}
    shown = [_plain_unit(dataclasses.replace(u, **said)) for u in units]
    return (
        units,
        sheet,
        hashlib.sha256(repr((context, stamps, plain)).encode()).digest(),
        hashlib.sha256(repr((context, stamps, shown)).encode()).digest(),
    )


def _plain_unit(unit: plan.Unit) -> tuple:
    """A unit as data: its slot by what the slides read of it (its part, lesson, times)."""
    slot = unit.slot
    when = None
    if slot is not None:
        lesson = slot.lesson.id if slot.lesson is not None else None
        when = (repr(slot.part), lesson, slot.title, slot.start, slot.minutes)
    return (repr(dataclasses.replace(unit, slot=None)), when)


def _deck_bytes(
    course: Course,
    deck: Deck,
    units: list[plan.Unit],
    sheet: slides.Sheet,
    shown: bytes | None = None,
) -> bytes:
    """Lay the deck out, number its slides and write their notes. With ``shown`` (a digest of
    what its slides show: ``_prepare``), a deck laid out from the same slides before in this
    process is taken again and only its notes are written anew: most edits to a lesson's
    prose change what a trainer says (and the timing cues), not what a slide shows."""
    lang = sessions.language(course, deck)
    laid = _LAID.get(shown, lambda: _lay_out(sheet, units)) if shown else _lay_out(sheet, units)
    if laid.units is not units:  # laid out before: this plan's notes, and what laying it added
        units = [
            dataclasses.replace(unit, notes=[*unit.notes, *added])
            for unit, added in zip(units, laid.added, strict=True)
        ]
    sheet = laid.sheet
    pages = [
        notes.Page(
            units[u].notes_on(index, count), units[u].cue, units[u].slot, units[u].weight / count
        )
        for _, u, index, count in laid.slides
    ]
    texts = notes.speaker_notes(deck, lang, pages)
    for (slide, _, _, _), text in zip(laid.slides, texts, strict=True):
        shapes.reset_notes(slide, text, sheet.kept)
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
