"""Speaker notes and timing cues, so a trainer keeps to the session's clock: the slides before
and after the lessons, and each activity, carry a fixed cue; a lesson's slides share its
minutes out in order ('about 08:20; this lesson runs 08:15–08:50')."""

from __future__ import annotations

from dataclasses import dataclass

from builder import i18n
from builder.course import sessions
from builder.course.model import Deck
from builder.course.sessions import Slot


@dataclass
class Page:
    """One slide as its notes see it: what it tells the trainer, its fixed cue if any, and
    the part of the session whose time it shares."""

    notes: list[str]
    cue: str | None = None
    slot: Slot | None = None


def cue_at(deck: Deck, lang: str, minute: int) -> str:
    """'Timing: about 08:45.', ``minute`` minutes into the session."""
    return i18n.gettext(lang, "Timing: about {time}.").format(time=sessions.clock(deck, minute))


def activity_cue(deck: Deck, lang: str, slot: Slot) -> str:
    """A break's or an opening's cue: when it starts and when to carry on."""
    return i18n.gettext(lang, "Timing: {start}–{end}; carry on at {end}.").format(
        start=sessions.clock(deck, slot.start), end=sessions.clock(deck, slot.end)
    )


def speaker_notes(deck: Deck, lang: str, pages: list[Page]) -> list[str]:
    """Each slide's notes, blank ones dropped, and its timing cue last: the fixed cue, or for
    a lesson's slide its share of the lesson's minutes (the n-th of k slides of a lesson
    starting at S and lasting M minutes is about S + M·n/k)."""
    by_slot: dict[int, list[Page]] = {}
    index: dict[int, int] = {}  # each lesson page's place among its lesson's pages
    for page in pages:
        if page.slot is not None:
            group = by_slot.setdefault(id(page.slot), [])
            index[id(page)] = len(group)
            group.append(page)
    texts = []
    for page in pages:
        cue = page.cue
        if cue is None and page.slot is not None:
            slot = page.slot
            at = slot.start + (slot.minutes * index[id(page)]) // len(by_slot[id(slot)])
            cue = i18n.gettext(
                lang, "Timing: about {time}; this lesson runs {start}–{end}."
            ).format(
                time=sessions.clock(deck, at),
                start=sessions.clock(deck, slot.start),
                end=sessions.clock(deck, slot.end),
            )
        notes = [n for n in page.notes if n] + [cue or cue_at(deck, lang, 0)]
        texts.append("\n\n".join(notes))
    return texts
