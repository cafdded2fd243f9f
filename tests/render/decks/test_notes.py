"""Speaker notes and timing cues, from the plan alone: a trainer can tell from any slide's notes
where the session should be on the clock."""

from __future__ import annotations

import re

from builder.course.load import load_course
from builder.course.model import Deck, DeckPart
from builder.course.sessions import Slot
from builder.render.decks import notes, plan
from builder.render.decks.notes import Page
from tests.conftest import REPO


def test_a_lessons_slides_share_its_minutes_by_weight_as_clock_spans() -> None:
    """Four slides of a 40-minute lesson starting at 08:35, the second weighing twice the
    others: each cue is a span of clock time, the spans follow each other and fill the lesson
    exactly; the fixed cue of a slide outside the lesson stays; blank notes are dropped."""
    deck = Deck(id="buoi", title="Buổi", start="08:00", lessons=[])
    lesson = Slot(DeckPart(lesson="bai"), None, 35, 40)
    pages = [Page(["Mở đầu", ""], cue=notes.cue_at(deck, "vi", 0))]
    pages += [Page([f"trang {n}"], slot=lesson, weight=2.0 if n == 1 else 1.0) for n in range(4)]
    texts = notes.speaker_notes(deck, "vi", pages)
    assert texts[0] == "Mở đầu\n\nThời gian: khoảng 08:00."
    assert [t.split("\n\n") for t in texts[1:]] == [
        ["trang 0", "Thời gian: 08:35–08:43 (8 phút); bài này từ 08:35 đến 09:15."],
        ["trang 1", "Thời gian: 08:43–08:59 (16 phút); bài này từ 08:35 đến 09:15."],
        ["trang 2", "Thời gian: 08:59–09:07 (8 phút); bài này từ 08:35 đến 09:15."],
        ["trang 3", "Thời gian: 09:07–09:15 (8 phút); bài này từ 08:35 đến 09:15."],
    ]


def test_spans_fill_the_slot_however_the_weights_fall() -> None:
    slot = Slot(DeckPart(lesson="bai"), None, 10, 25)
    for weights in ([1.0] * 7, [0.5, 9.0, 0.5], [1.0] * 60, [3.0]):
        got = notes.spans(slot, weights)
        assert got[0][0] == 10 and got[-1][1] == 35
        assert all(a[1] == b[0] for a, b in zip(got, got[1:], strict=False))
        assert all(end >= start for start, end in got)


def test_every_slide_of_the_bundled_sessions_has_a_cue_within_its_part() -> None:
    """Planned with one slide per unit, every slide's notes end with a timing cue, and each
    lesson slide's span falls inside its lesson, never going back."""
    course, _ = load_course(REPO)
    assert course is not None
    for deck in course.decks.values():
        units = plan.plan(course, deck)
        pages = [Page(u.notes_on(0, 1), u.cue, u.slot, u.weight) for u in units]
        texts = notes.speaker_notes(deck, "vi", pages)
        last = -1
        for unit, text in zip(units, texts, strict=True):
            cue = text.split("\n\n")[-1]
            assert cue.startswith("Thời gian: "), (deck.id, unit.title)
            if unit.cue is None:
                hours, minutes = re.match(r"Thời gian: (\d+):(\d\d)", cue).groups()
                at = int(hours) * 60 + int(minutes) - _start(deck)
                assert unit.slot.start <= at <= unit.slot.end, (deck.id, unit.title, cue)
                assert at >= last
                last = at


def _start(deck: Deck) -> int:
    if not deck.start:
        return 0
    hours, minutes = deck.start.split(":")
    return int(hours) * 60 + int(minutes)
