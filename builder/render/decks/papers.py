"""A session's papers, printed from its plan: the trainer's session plan (the agenda with clock
times; per part its objectives, a running order of its slides with their minutes, its
activities with their task and the sheets to print, its questions with their answers) and the
learner's handout (each lesson's key points, with the online lesson's address and QR code; the
session's glossary; the sources). Both are A4 PDF files made by ``builder.render.pdf``, with
no LibreOffice; the same sources give the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from builder import i18n
from builder.course import glossary, sessions
from builder.course.model import Course, Deck, Term
from builder.course.sessions import Slot
from builder.render import pdf, qr
from builder.render.decks import notes as cues
from builder.render.decks import outline, plan
from builder.render.decks.plan import Unit

QR_MM = 32.0  # a printed QR code's side: phones read it from an arm's length
PLAN = "plan"  # <session>.plan.pdf
HANDOUT = "handout"  # <session>.handout.pdf


def _fonts(course: Course) -> pdf.Fonts:
    return pdf.fonts(course.theme.body_font)


def _info(course: Course, deck: Deck, lang: str) -> list[pdf.Block]:
    """The session's subtitle, when and where, audience and presenter."""
    _ = i18n.translations(lang).gettext
    out: list[pdf.Block] = []
    if deck.subtitle:
        out.append(pdf.Paragraph([pdf.Span(deck.subtitle, bold=True)]))
    when = " ".join(x for x in (i18n.date(deck.date, lang) if deck.date else "", deck.start) if x)
    where = ", ".join(x for x in (deck.venue, deck.place) if x)
    line = " · ".join(x for x in (when, where) if x)
    if line:
        out.append(pdf.Paragraph(line))
    audience = {a.id: a.title for a in course.info.audiences}.get(deck.audience or "", "")
    if audience:
        out.append(pdf.Paragraph(_("Audience") + ": " + audience))
    if deck.presenter:
        out.append(pdf.Paragraph(deck.presenter))
    return out


def _document(course: Course, deck: Deck, lang: str, blocks: list, kind: str) -> pdf.Document:
    """A session's paper: titled as the session, its kind in every page's footer."""
    return pdf.Document(
        title=deck.title,
        lang=lang,
        blocks=blocks,
        footer=f"{deck.title} · {kind}",
        author=course.info.publisher or "",
        subject=course.info.title,
    )


def _text(paras: list) -> str:  # noqa: ANN001 - the deck's paragraphs
    return " ".join(p.text for p in paras).strip()


def _spans(paras: list) -> list[pdf.Span]:  # noqa: ANN001
    return [pdf.Span(s.text, s.bold, s.italic) for p in paras for s in p.spans]


# --- the trainer's session plan ----------------------------------------------------------------


def paper(
    course: Course,
    deck: Deck,
    document: Callable[..., pdf.Document],
    context: str | None = None,
    units: Callable[[], list[Unit]] | None = None,
) -> tuple[Callable[[], bytes], Callable[[], str] | None]:
    """How to make one of the session's PDFs (``session_plan``, ``handout``) reading its
    document once (from ``units``, the session's plan, when given: the papers share it), and
    with ``context`` (a digest of what the session reads but its lessons' texts, pictures
    included: see ``deck.deck_bytes``) its value (``Output.value``: a digest of the context,
    its document and fonts)."""
    made = functools.cache(lambda: document(course, deck, units() if units else None))

    def value() -> str:
        return hashlib.sha256(
            f"{context}\n{pdf.key(made(), _fonts(course)).hex()}".encode()
        ).hexdigest()

    return lambda: pdf.pdf_bytes(made(), _fonts(course)), value if context else None


def plan_bytes(course: Course, deck: Deck) -> bytes:
    """The session plan of ``deck`` as PDF bytes."""
    return pdf.pdf_bytes(session_plan(course, deck), _fonts(course))


def session_plan(course: Course, deck: Deck, units: list[Unit] | None = None) -> pdf.Document:
    """The session plan: what a trainer prints to run the session."""
    lang = sessions.language(course, deck)
    _ = i18n.translations(lang).gettext
    units = plan.plan(course, deck) if units is None else units
    slots = _slots(units)
    blocks: list[pdf.Block] = [
        pdf.Paragraph(_("Session plan, for the trainer"), muted=True),
        *_info(course, deck, lang),
        pdf.Heading(_("Agenda"), 2),
        _agenda(deck, lang, slots),
    ]
    spans = _spans_of(units)
    number = 0
    for slot in slots:
        part = [u for u in units if u.slot is slot]
        when = f"{sessions.clock(deck, slot.start)}–{sessions.clock(deck, slot.end)}"
        if slot.lesson is None:
            blocks.append(pdf.Heading(f"{when} · {slot.title}", 2))
            blocks.append(pdf.Paragraph(i18n.minutes(slot.minutes, lang)))
            if slot.part.task:
                blocks.append(pdf.Paragraph(slot.part.task))
            continue
        number += 1
        lesson = _("Lesson {n}").format(n=number)
        blocks.append(pdf.Heading(f"{lesson} · {when} · {slot.title}", 2))
        objectives = slot.lesson.meta.objectives
        if objectives:
            blocks.append(pdf.Heading(_("Objectives"), 3))
            items = [
                [pdf.Span(s.text, s.bold, s.italic) for s in outline.spans(course, t, lang)]
                for t in objectives
            ]
            blocks.append(pdf.Items(items))
        blocks.append(pdf.Heading(_("Running order"), 3))
        blocks.append(_running_order(deck, lang, part, spans))
        blocks += _activities(lang, part)
        blocks += _questions(lang, part)
    blocks.append(pdf.Heading(_("Sources"), 2))
    blocks.append(pdf.Items([_spans([p]) for p in units[-1].paras]))
    return _document(course, deck, lang, blocks, _("Session plan"))


def _slots(units: list[Unit]) -> list[Slot]:
    """The session's parts, in order, as the plan's units hold them."""
    found: dict[int, Slot] = {}
    for unit in units:
        if unit.slot is not None:
            found.setdefault(id(unit.slot), unit.slot)
    return list(found.values())


def _agenda(deck: Deck, lang: str, slots: list[Slot]) -> pdf.Table:
    _ = i18n.translations(lang).gettext
    rows = [
        [
            f"{sessions.clock(deck, s.start)}–{sessions.clock(deck, s.end)}",
            s.title,
            i18n.minutes(s.minutes, lang),
        ]
        for s in slots
    ]
    total = sum(s.minutes for s in slots)
    rows.append(["", _("Total: {duration}.").format(duration=i18n.minutes(total, lang)), ""])
    return pdf.Table([_("Time"), _("Part"), _("Length")], rows, [0.22, 0.58, 0.2])


def _spans_of(units: list[Unit]) -> dict[int, tuple[int, int]]:
    """Each lesson unit's (start, end) minute, by ``id()`` of the unit: its lesson's slot
    shared by weight, as the deck's notes share it."""
    pages = [cues.Page([], unit.cue, unit.slot, unit.weight) for unit in units]
    timed = cues.timings(pages)
    return {id(u): timed[id(p)] for u, p in zip(units, pages, strict=True) if id(p) in timed}


def _running_order(
    deck: Deck, lang: str, part: list[Unit], spans: dict[int, tuple[int, int]]
) -> pdf.Table:
    """Each unit of a lesson part: its clock time, its slide's title, what happens."""
    _ = i18n.translations(lang).gettext
    rows = []
    for unit in part:
        start, end = spans.get(id(unit), (unit.slot.start, unit.slot.start))
        when = sessions.clock(deck, start)
        if end > start:
            when += f"–{sessions.clock(deck, end)}"
        rows.append([when, unit.title, _what(lang, unit)])
    return pdf.Table([_("Time"), _("Slide"), _("What happens")], rows, [0.17, 0.33, 0.5])


def _what(lang: str, unit: Unit) -> str:
    """What a unit of the running order does, in a few words."""
    _ = i18n.translations(lang).gettext
    if unit.kind == "question":
        return _("Ask the question (see below), give a minute to answer")
    if unit.kind == "answer":
        return _("Show the answer, explain it")
    if unit.kind == "list":
        return _("Read the objectives ({count})").format(count=len(unit.paras))
    if unit.kind == "closing":
        return _("Sum up the key points ({count})").format(count=len(unit.paras))
    if unit.kind == "figures":
        return "; ".join(f"{f.label}: {f.stated}" for f in unit.figures)
    if unit.kind == "chart":
        return unit.notes[0] if unit.notes else ""
    points = "\n".join(
        ("• " if p.level == 1 else "– " if p.level else "") + p.text for p in unit.paras
    )
    if unit.activities:
        activity = _("Activity (see below)")
        return f"{points}\n{activity}" if points else activity
    return points


def _activities(lang: str, part: list[Unit]) -> list[pdf.Block]:
    """The part's activities: their section, minutes, task and the sheets to print."""
    _ = i18n.translations(lang).gettext
    out: list[pdf.Block] = []
    for unit in part:
        for activity in unit.activities:
            if not out:
                out.append(pdf.Heading(_("Activities"), 3))
            head = f"{unit.title} ({i18n.minutes(activity.minutes, lang)})"
            out.append(pdf.Paragraph([pdf.Span(head, bold=True)]))
            out.append(pdf.Paragraph(activity.task))
        if unit.activities and unit.materials:
            sheets = "; ".join(unit.materials)
            out.append(pdf.Paragraph(_("To print: {sheets}").format(sheets=sheets), muted=True))
    return out


def _questions(lang: str, part: list[Unit]) -> list[pdf.Block]:
    """The part's questions as their slides title them, each with its choices (lettered or
    numbered as on the slide), its answer and its explanation."""
    _ = i18n.translations(lang).gettext
    out: list[pdf.Block] = []
    for unit in part:
        if unit.kind != "question":
            continue
        prompt = [pdf.Span(unit.title + ": ", bold=True), *_spans(unit.paras)]
        out.append(pdf.Paragraph(prompt))
        if unit.more:
            out.append(pdf.Items([[pdf.Span(_label(p) + p.text)] for p in unit.more]))
        answer, *rest = unit.notes or [""]
        out.append(pdf.Paragraph([pdf.Span(answer, bold=True)]))
        out += [pdf.Paragraph(n, muted=True) for n in rest]
    if not out:
        return []
    return [pdf.Heading(_("Questions and answers"), 3), *out]


def _label(para) -> str:  # noqa: ANN001 - a deck paragraph
    """A choice's letter or number as its slide shows it ('A. ', '2. '), or nothing."""
    if para.number is None:
        return ""
    if para.number < 0:
        return chr(ord("A") + (-para.number - 1) % 26) + ". "
    return f"{para.number}. "


# --- the learner's handout --------------------------------------------------------------------


def handout_bytes(course: Course, deck: Deck) -> bytes:
    """The learner's handout of ``deck`` as PDF bytes."""
    return pdf.pdf_bytes(handout(course, deck), _fonts(course))


def handout(course: Course, deck: Deck, units: list[Unit] | None = None) -> pdf.Document:
    """The handout: what a learner takes home from the session."""
    lang = sessions.language(course, deck)
    content = course.info.language
    _ = i18n.translations(lang).gettext
    units = plan.plan(course, deck) if units is None else units
    slots = _slots(units)
    blocks: list[pdf.Block] = [
        pdf.Paragraph(_("Handout for learners"), muted=True),
        *_info(course, deck, lang),
    ]
    number = 0
    for slot in slots:
        if slot.lesson is None:
            continue
        number += 1
        lesson = slot.lesson
        blocks.append(pdf.Heading(_("Lesson {n}").format(n=number) + ": " + slot.title, 2))
        address = course.address(lesson.id)
        if address:  # under its heading, so a page break never parts it from its lesson
            caption = _("The online lesson, with its questions: {address}")
            blocks.append(pdf.Image(qr.png(address), QR_MM, caption.format(address=address)))
        points = lesson.meta.keypoints
        if points:
            blocks.append(pdf.Heading(_("Key points"), 3))
            items = [
                [pdf.Span(s.text, s.bold, s.italic) for s in outline.spans(course, t, content)]
                for t in points
            ]
            blocks.append(pdf.Items(items))
    terms = session_terms(course, deck)
    if terms:
        blocks.append(pdf.Heading(_("Glossary"), 2))
        blocks.append(
            pdf.Table(
                [_("Term"), _("Meaning")],
                [[t.term, t.definition] for t in terms],
                [0.3, 0.7],
            )
        )
    address = course.address()
    if address:
        blocks.append(pdf.Heading(_("The course online"), 2))
        blocks.append(pdf.Image(qr.png(address), QR_MM, address))
    blocks.append(pdf.Heading(_("Sources"), 2))
    blocks.append(pdf.Paragraph(_("Every figure in this course comes from these documents.")))
    blocks.append(pdf.Items([_spans([p]) for p in units[-1].paras]))
    return _document(course, deck, lang, blocks, _("Handout"))


def session_terms(course: Course, deck: Deck) -> list[Term]:
    """The glossary terms the session's taught sections use, in the glossary's order."""
    used: set[int] = set()
    for slot in sessions.schedule(course, deck):
        if slot.lesson is None:
            continue
        every = outline.outline(course, slot.lesson, course.info.language)
        taught = set(slot.part.sections)
        ranges = []
        for index, section in enumerate(every):
            end = every[index + 1].line if index + 1 < len(every) else 10**9
            if not taught or section.group in taught:
                ranges.append((section.line, end))
        for use in glossary.uses(course, slot.lesson):
            if any(start <= use.line < end for start, end in ranges):
                used.add(id(use.term))
    ordered = sorted(
        (t for t in course.glossary if id(t) in used),
        key=lambda t: i18n.sort_key(course.info.language)(t.term),
    )
    return ordered
