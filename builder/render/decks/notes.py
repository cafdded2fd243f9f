"""Speaker notes and timing cues, so a trainer keeps to the session's clock.

The slides before and after the lessons, and each activity, carry a fixed cue. A lesson's
slides share its slot in the agenda by weight: the words a slide shows and its notes say (read
and explained at ``sessions.WORDS_PER_MINUTE``), a minute for a question, the minutes its
trainer notes give an activity, at least half a minute each. Each slide's share is a span of
clock time ('08:20–08:24, 4 minutes'), its ends rounded to whole minutes so that the spans of
a lesson's slides add up to its slot exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder import i18n
from builder.course import sessions
from builder.course.model import Deck
from builder.course.sessions import Slot


@dataclass
class Page:
    """One slide as its notes see it: what it tells the trainer, its fixed cue if any, the
    part of the session whose time it shares, and its weight in that share."""

    notes: list[str]
    cue: str | None = None
    slot: Slot | None = None
    weight: float = 1.0


def cue_at(deck: Deck, lang: str, minute: int) -> str:
    """'Timing: about 08:45.', ``minute`` minutes into the session."""
    return i18n.gettext(lang, "Timing: about {time}.").format(time=sessions.clock(deck, minute))


def activity_cue(deck: Deck, lang: str, slot: Slot) -> str:
    """A break's or an opening's cue: when it starts and when to carry on."""
    return i18n.gettext(lang, "Timing: {start}–{end}; carry on at {end}.").format(
        start=sessions.clock(deck, slot.start), end=sessions.clock(deck, slot.end)
    )


def spans(slot: Slot, weights: list[float]) -> list[tuple[int, int]]:
    """Each slide's (start, end) minute within the session: the slot shared by weight, ends
    rounded, so the spans follow each other and fill the slot exactly."""
    total = sum(weights) or 1.0
    out, done = [], 0.0
    start = slot.start
    for weight in weights:
        done += weight
        end = slot.start + round(slot.minutes * done / total)
        out.append((start, end))
        start = end
    return out


def timings(pages: list[Page]) -> dict[int, tuple[int, int]]:
    """Each lesson page's (start, end) minute, by ``id()`` of the page: its lesson's slot
    shared out by weight over the pages without a fixed cue."""
    by_slot: dict[int, list[Page]] = {}
    for page in pages:
        if page.cue is None and page.slot is not None:
            by_slot.setdefault(id(page.slot), []).append(page)
    timed: dict[int, tuple[int, int]] = {}
    for group in by_slot.values():
        for page, span in zip(group, spans(group[0].slot, [p.weight for p in group]), strict=True):
            timed[id(page)] = span
    return timed


def speaker_notes(deck: Deck, lang: str, pages: list[Page]) -> list[str]:
    """Each slide's notes, blank ones dropped, and its timing cue last: the fixed cue, or
    for a lesson's slide its span of the lesson's slot."""
    timed = timings(pages)
    texts = []
    for page in pages:
        cue = page.cue
        if id(page) in timed:
            cue = lesson_cue(deck, lang, page.slot, *timed[id(page)])
        notes = [n for n in page.notes if n] + [cue or cue_at(deck, lang, 0)]
        texts.append("\n\n".join(notes))
    return texts


def lesson_cue(deck: Deck, lang: str, slot: Slot, start: int, end: int) -> str:
    """'Timing: 08:20–08:24 (4 minutes); this lesson runs 08:15–08:50.'"""
    _ = i18n.translations(lang).gettext
    at = sessions.clock(deck, start)
    if end > start:
        span = _("{start}–{end} ({minutes})").format(
            start=at, end=sessions.clock(deck, end), minutes=i18n.minutes(end - start, lang)
        )
    else:
        span = _("{start} (under a minute)").format(start=at)
    return _("Timing: {span}; this lesson runs {start}–{end}.").format(
        span=span, start=sessions.clock(deck, slot.start), end=sessions.clock(deck, slot.end)
    )
