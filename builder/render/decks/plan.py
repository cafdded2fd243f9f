"""A session's deck as plain data: every unit it shows in reading order, what the unit says, the
part of the session it belongs to, its speaker notes and timing cue.

The session is a title, an agenda, then per part either an activity (a break, an opening) or
a lesson: its opening, objectives, the sections it teaches (text, tables, pictures, charts, big
numbers, questions each followed by its answer), its key points; then the sources cited. No
PowerPoint here: ``slides`` lays each unit out, on more than one slide when its text or table
does not fit on one, and ``notes`` shares a lesson's minutes out over its slides.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from builder import i18n
from builder.course import facts as fact_text
from builder.course import sessions
from builder.course.model import Chart, Course, Deck, Fact, Question
from builder.course.sessions import Slot
from builder.quizzes import client
from builder.render import charts
from builder.render.decks import notes as cues
from builder.render.decks import outline, selection
from builder.render.decks.outline import Picture, Section, Span, Table
from builder.render.decks.textfit import Para

# Windows locale ids for a chart label's number format, by course language.
LCIDS = {"vi": "42A", "en": "409"}
# What a unit is, each laid out its own way: the session's title, its agenda, a lesson's opening,
# an activity, a list (objectives, key points), a section's text, a table, a picture, a native
# chart, big numbers (figures), a quiz question, its answer, and the closing list of sources.
KINDS = (
    "title",
    "agenda",
    "lesson",
    "activity",
    "list",
    "text",
    "table",
    "picture",
    "chart",
    "figures",
    "question",
    "answer",
    "closing",
    "sources",
)


@dataclass
class Figure:
    """A figure as a chart's bar or a big number shows it, written in the course's locale."""

    label: str
    number: float  # the value, for a bar's length
    value: str  # '98,72%': a bar's label
    stated: str  # '14.478 tổ': the value with its counted noun, as a big number
    place: str | None
    when: str | None  # '9 tháng năm 2022', '10/10/2022': when the figure applies
    source: str  # 'Nguồn: Báo Quảng Trị, 16/9/2022'
    percent: bool
    number_format: str = "General"  # a chart label's format: '0.00"%"', '"hơn "#,##0'


@dataclass
class Unit:
    """One unit of the deck, in reading order: a slide, or more when its text or table does not
    fit on one (the later ones titled '(continued)')."""

    kind: str  # one of KINDS
    title: str
    slot: Slot | None = None  # the part of the session it belongs to; None before and after
    paras: list[Para] = field(default_factory=list)  # the text it shows
    more: list[Para] = field(default_factory=list)  # a second text: choices, an answer
    table: Table | None = None
    picture: Picture | None = None
    chart: Chart | None = None
    figures: list[Figure] = field(default_factory=list)  # a chart's bars, or big numbers
    split: int | None = None  # a text (or choices) in two columns: where the second starts
    pairs: list[int] = field(default_factory=list)  # matching: each item's match, by index
    notes: list[str] = field(default_factory=list)  # speaker notes on each of its slides
    lead: list[str] = field(default_factory=list)  # on its first slide only
    after: list[str] = field(default_factory=list)  # on its last slide only
    cue: str | None = None  # a fixed timing cue; None: its lesson's slides share the time
    link: str | None = None  # the online lesson's (or course's) address, with its QR code
    minutes: int = 0  # what its trainer notes give their activities
    activities: list[outline.Activity] = field(default_factory=list)  # for the session plan
    materials: list[str] = field(default_factory=list)  # sheets its activities hand out

    @property
    def weight(self) -> float:
        """Its share of its lesson's minutes before they are scaled to the slot: the words
        it shows and its notes say, read and explained at ``WORDS_PER_MINUTE``; a minute
        more for a question; its activities' minutes; at least half a minute."""
        shown = sum(len(p.text.split()) for p in (*self.paras, *self.more))
        said = sum(len(n.split()) for n in (*self.notes, *self.lead, *self.after))
        words = shown + said
        if self.table is not None:
            words += sum(len(s.text.split()) for row in self.table.rows for c in row for s in c)
        extra = 1.0 if self.kind == "question" else 0.0
        return max(0.5, words / sessions.WORDS_PER_MINUTE + extra) + self.minutes

    def notes_on(self, index: int, count: int) -> list[str]:
        """The speaker notes of the ``index``-th of the ``count`` slides it takes."""
        first = self.lead if index == 0 else []
        last = self.after if index == count - 1 else []
        return self.notes + first + last


def plan(course: Course, deck: Deck) -> list[Unit]:
    """Every unit of the session's deck, in reading order."""
    return _Planner(course, deck).plan()


class _Planner:
    """Walks the session's parts in order, adding their units."""

    def __init__(self, course: Course, deck: Deck) -> None:
        self.course, self.deck = course, deck
        self.lang = sessions.language(course, deck)
        self.content_lang = course.info.language
        self._ = i18n.translations(self.lang).gettext
        self.slots = sessions.schedule(course, deck)
        self.units: list[Unit] = []
        self.cited: dict[str, None] = {}  # source ids, in order of first use

    def plan(self) -> list[Unit]:
        """The title and agenda, each part in turn, then the sources."""
        self.units.append(_title(self.course, self.deck, self.lang, self.slots))
        self.units.append(_agenda(self.deck, self.lang, self.slots))
        number = 0
        for slot in self.slots:
            if slot.lesson is None:
                self.activity(slot)
            else:
                number += 1
                self.lesson(number, slot)
        self.closing()
        return self.units

    def activity(self, slot: Slot) -> None:
        """A break, opening or discussion: its title, when it ends and its task."""
        _ = self._
        line = i18n.minutes(slot.minutes, self.lang)
        if self.deck.start:  # without a start time, '1:30' would read as a time of day
            line = _("Until {time}").format(time=sessions.clock(self.deck, slot.end)) + " · " + line
        cue = cues.activity_cue(self.deck, self.lang, slot)
        paras = [Para([Span(line)])]
        notes = []
        if slot.part.task:
            paras.append(Para([Span(slot.part.task)], level=1))
            notes.append(slot.part.task)
        self.units.append(Unit("activity", slot.title, slot, paras=paras, notes=notes, cue=cue))

    def lesson(self, number: int, slot: Slot) -> None:
        """The lesson's opening, objectives, the sections the part teaches, its key points."""
        _, lang = self._, self.lang
        lesson, meta = slot.lesson, slot.lesson.meta
        when = (
            f"{sessions.clock(self.deck, slot.start)}–{sessions.clock(self.deck, slot.end)}"
            f" · {i18n.minutes(slot.minutes, lang)}"
        )
        heading = Para([Span(_("Lesson {n}").format(n=number), bold=True), Span(" · " + when)])
        said = _("Lesson {n}: {title}. This part runs {start}–{end} ({minutes}).").format(
            n=number,
            title=meta.title,
            start=sessions.clock(self.deck, slot.start),
            end=sessions.clock(self.deck, slot.end),
            minutes=i18n.minutes(slot.minutes, lang),
        )
        self.units.append(Unit("lesson", meta.title, slot, paras=[heading], notes=[said]))
        self.bullets(_("Objectives"), meta.objectives, meta.slides.objectives, lesson.id, slot)
        placed = selection.placed_questions(self.course, lesson)
        placed = {
            key: [q for q in ids if selection.asked(self.course, self.deck, q)]
            for key, ids in placed.items()
        }
        sections = selection.taught(
            self.deck,
            sessions.lesson_parts(lesson),
            outline.outline(
                self.course,
                lesson,
                self.content_lang,
                slot.part.sections,
                selection.keeps(self.course, self.deck),
            ),
        )
        limit = slot.part.questions if slot.part.questions is not None else self.deck.questions
        chosen = selection.chosen_questions(placed, sections, limit)
        for section in sections:
            self.section(section, chosen, slot)
        self.bullets(
            _("Key points"), meta.keypoints, meta.slides.keypoints, lesson.id, slot, "closing"
        )
        self.units[-1].link = self.course.address(lesson.id)
        if self.units[-1].link:
            self.units[-1].notes.append(
                _("The online lesson, with its questions: {address}").format(
                    address=self.units[-1].link
                )
            )
        left = sum(len(placed.get(key, [])) - len(ids) for key, ids in chosen.items())
        if left:
            self.units[-1].after.append(
                _(
                    "{count} more question(s) of this part are in the online lesson, "
                    "for practice after the session."
                ).format(count=left)
            )

    def bullets(
        self,
        title: str,
        texts: list[str],
        short: list[str],
        lesson_id: str,
        slot: Slot,
        kind: str = "list",
    ) -> None:
        """A lesson's objectives (a list) or key points (its closing slide): their short forms
        on the slide and the full texts in the notes, when the lesson gives short forms
        (``slides:`` in its front matter); else the full texts on the slide."""
        lang = self.content_lang
        paras = [Para(outline.spans(self.course, t, lang), level=1) for t in short or texts]
        said = f"{title}: {self.course.lessons[lesson_id].meta.title}"
        if short:
            full = ("".join(s.text for s in outline.spans(self.course, t, lang)) for t in texts)
            said += "".join(f"\n– {text}" for text in full)
        self.units.append(Unit(kind, title, slot, paras=paras, notes=[said]))

    def section(self, section: Section, chosen: dict[int, list[str]], slot: Slot) -> None:
        """A section's slide texts, tables, pictures, charts and big numbers, then its
        questions. What it says besides (its prose, its trainer notes) goes in the notes of its
        first slide; a section with nothing to show gets a slide with its title only."""
        _, title = self._, section.title
        for fact_id in section.facts:
            self.cite(self.course.facts[fact_id])
        notes = list(section.notes)
        if section.prose:
            notes.append(_("What to say:") + "\n" + "\n".join(section.prose))
        units = []
        for text in section.texts:
            paras = [Para(i.spans, level=i.level, number=i.number) for i in text.items]
            units.append(Unit("text", text.title or title, slot, paras=paras, split=text.split))
        units += [Unit("table", title, slot, table=table) for table in section.tables]
        for picture in section.pictures:
            units.append(Unit("picture", title, slot, picture=picture, notes=[picture.alt]))
        units += [
            self.chart(chart, slot)
            for chart in section.charts
            if selection.charted(self.course, self.deck, chart)
        ]
        facts = selection.featured(self.course, self.deck, section.facts)[:3]
        if facts:
            figures = [self.figure(fact) for fact in facts]
            said = [
                f"{f.label}: {fig.stated}. “{f.quote}”"
                for f, fig in zip(facts, figures, strict=True)
            ]
            units.append(Unit("figures", title, slot, figures=figures, notes=said))
        if not units:
            units.append(Unit("text", title, slot))
        units[0].lead = notes
        units[0].minutes = section.minutes
        units[0].activities, units[0].materials = section.activities, section.materials
        self.units += units
        for quiz in section.quizzes:
            for number, qid in enumerate(chosen.get(id(quiz), []), start=1):
                heading = quiz.title or _("Quiz")
                question = self.course.questions[qid]
                # Its answer states what its source says: that article, or a fact's.
                for ref in question.sources:
                    if ref in self.course.sources:
                        self.cited.setdefault(ref, None)
                for fact_id in sorted(fact_text.question_facts(self.course, question)):
                    self.cite(self.course.facts[fact_id])
                self.units += _question(self.course, self.lang, heading, number, question, slot)

    def chart(self, chart: Chart, slot: Slot) -> Unit:
        """A native chart of the figures it names, summed up in the notes."""
        facts = [self.course.facts[f] for f in chart.facts]
        for fact in facts:
            self.cite(fact)
        figures = [self.figure(fact) for fact in facts]
        for figure, fact, label in zip(figures, facts, charts.labels(facts), strict=True):
            figure.label, figure.value = label, charts.shown(fact, self.content_lang)
        summary = "; ".join(f"{fig.label}: {fig.stated}" for fig in figures)
        return Unit("chart", chart.title, slot, chart=chart, figures=figures, notes=[summary])

    def figure(self, fact: Fact) -> Figure:
        """A fact as a bar or a big number shows it."""
        lang = self.content_lang
        return Figure(
            label=fact.label,
            number=float(fact.value),  # type: ignore[arg-type]
            value=fact_text.value_text(fact, lang),
            stated=fact_text.value_with_unit(fact, lang),
            place=fact.place,
            when=fact_text.when(fact, lang),
            source=selection.source_line(self.course, fact, self.lang),
            percent=fact.is_percent,
            number_format=_number_format(fact, lang),
        )

    def cite(self, fact: Fact) -> None:
        """Count the fact's source for the sources slide."""
        if fact.source in self.course.sources:
            self.cited.setdefault(fact.source, None)

    def closing(self) -> None:
        """The sources the deck's figures come from, in order of first use."""
        _ = self._
        paras = []
        for source_id in self.cited:
            source = self.course.sources[source_id]
            cite = fact_text.cite(source, self.lang)
            spans = [Span(cite + ": ", bold=True), Span(source.title)]
            paras.append(Para(spans if source.publisher else [Span(cite, bold=True)], level=1))
        if not paras:
            paras.append(Para([Span(self.course.info.title)]))
        note = _("Every figure in this course comes from these documents.")
        cue = cues.cue_at(self.deck, self.lang, sum(s.minutes for s in self.slots))
        link = self.course.address()
        self.units.append(
            Unit("sources", _("Sources"), None, paras=paras, notes=[note], cue=cue, link=link)
        )


def _title(course: Course, deck: Deck, lang: str, slots: list[Slot]) -> Unit:
    """The session's title slide: subtitle, when and where, audience, presenter."""
    _ = i18n.translations(lang).gettext
    lines = []
    if deck.subtitle:
        lines.append(Para([Span(deck.subtitle)], bold=True))
    when = [i18n.date(deck.date, lang)] if deck.date else []
    if deck.start:
        when.append(deck.start)
    where = ", ".join(x for x in (deck.venue, deck.place) if x)
    mode = {
        "in-person": _("In person"),
        "hybrid": _("In person and online"),
        "online": _("Online"),
    }[deck.mode]
    facts = " · ".join(x for x in (" ".join(when), where, mode) if x)
    if facts:
        lines.append(Para([Span(facts)]))
    audience = {a.id: a.title for a in course.info.audiences}.get(deck.audience or "", "")
    if audience:
        lines.append(Para([Span(_("Audience") + ": " + audience)]))
    if deck.presenter:
        lines.append(Para([Span(deck.presenter)]))
    lessons = [s for s in slots if s.lesson is not None]
    note = _("Session: {title}. {count} lesson(s), {duration} of teaching.").format(
        title=deck.title,
        count=len(lessons),
        duration=i18n.minutes(sum(s.minutes for s in lessons), lang),
    )
    return Unit("title", deck.title, paras=lines, notes=[note], cue=cues.cue_at(deck, lang, 0))


def _agenda(deck: Deck, lang: str, slots: list[Slot]) -> Unit:
    """Each part's clock times, title (an activity's in italics) and minutes, then the total."""
    _ = i18n.translations(lang).gettext
    paras = []
    for slot in slots:
        when = f"{sessions.clock(deck, slot.start)}–{sessions.clock(deck, slot.end)}"
        paras.append(
            Para(
                [
                    Span(when + "  ", bold=True),
                    Span(slot.title, italic=slot.lesson is None),
                    Span(f" ({i18n.minutes(slot.minutes, lang)})"),
                ]
            )
        )
    total = sum(s.minutes for s in slots)
    paras.append(Para([Span(_("Total: {duration}.").format(duration=i18n.minutes(total, lang)))]))
    notes = []
    if deck.length:
        notes.append(
            _("The session is {length} long; its parts take {total}.").format(
                length=i18n.minutes(deck.length, lang), total=i18n.minutes(total, lang)
            )
        )
    return Unit("agenda", _("Agenda"), paras=paras, notes=notes, cue=cues.cue_at(deck, lang, 0))


def _number_format(fact: Fact, lang: str) -> str:
    """A chart label's number format for the fact: the course language's locale (LibreOffice
    then writes its separators, '98,72%'), its decimals as written, '%' for a percentage, its
    qualifier ('hơn', 'trên') before it."""
    value = fact.value
    exponent = value.as_tuple().exponent if isinstance(value, Decimal) else 0
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    locale = f"[$-{LCIDS[lang]}]" if lang in LCIDS else ""
    code = locale + "#,##0" + ("." + "0" * decimals if decimals else "")
    if fact.is_percent:
        code += '"%"'
    if fact.qualifier:
        code = '"' + fact.qualifier.replace('"', "") + ' "' + code
    return code


def _question(
    course: Course, lang: str, heading: str, number: int, question: Question, slot: Slot
) -> list[Unit]:
    """A quiz question (its prompt, then its choices: lettered, or terms numbered beside
    matches lettered, or steps shuffled), then its answer and explanation; both in the notes
    of each."""
    _ = i18n.translations(lang).gettext
    content_lang = course.info.language
    form = client.client_question(course, question)
    plain = client.strip_markdown
    prompt = [Para([Span(plain(form["prompt"]))])]
    choices: list[Para] = []
    split = None
    pairs: list[int] = []
    kind = question.type
    if kind in ("single", "multiple"):
        hint = _("Select all that apply.")
        said = " ".join(hint.split()[:3]).casefold()  # 'chọn tất cả', however it goes on
        if kind == "multiple" and said not in prompt[0].text.casefold():
            prompt.append(Para([Span(hint, italic=True)]))
        for index, choice in enumerate(form["choices"]):
            choices.append(Para([Span(plain(choice["text"]))], level=1, number=-(index + 1)))
    elif kind == "true-false":
        choices += [Para([Span(_("True"))], level=1), Para([Span(_("False"))], level=1)]
    elif kind == "matching":
        terms = [plain(p["term"]) for p in form["pairs"]]
        order = sorted(range(len(terms)), key=lambda i: i18n.sort_key(content_lang)(
            plain(form["pairs"][i]["match"])
        ))  # fmt: skip
        matches = [plain(form["pairs"][i]["match"]) for i in order]
        choices += [Para([Span(t)], level=1, number=n) for n, t in enumerate(terms, start=1)]
        choices += [Para([Span(m)], level=1, number=-n) for n, m in enumerate(matches, start=1)]
        split = len(terms)
        pairs = [order.index(i) for i in range(len(terms))]
    elif kind == "ordering":
        steps = [plain(s["text"]) for s in form["steps"]]
        shown = shuffled(steps, question.id)
        choices += [Para([Span(s)], level=1) for s in shown]
    elif kind == "numeric" and question.unit:
        choices.append(Para([Span(f"… {question.unit}")]))
    title = f"{heading} · {_('Question {n}').format(n=number)}"
    answer = _("Answer: {answer}").format(answer=plain(form["solution"]))
    explanation = plain(form["explanation"])
    said = [answer, _("Explanation:") + " " + explanation]
    answer_paras = [Para([Span(answer)], bold=True), Para([Span(explanation)])]
    if kind in ("matching", "ordering"):  # the pairs or steps as a list, not one long line
        items = (
            [f"{plain(p['term'])} → {plain(p['match'])}" for p in form["pairs"]]
            if kind == "matching"
            else [plain(step["text"]) for step in form["steps"]]
        )
        label = _("Answer: {answer}").format(answer="").strip()
        answer_paras = [Para([Span(label)], bold=True)]
        answer_paras += [
            Para([Span(item)], level=1, number=n if kind == "ordering" else None)
            for n, item in enumerate(items, start=1)
        ]
        answer_paras.append(Para([Span(explanation)]))
    answer_title = _("Answer to question {n}").format(n=number)
    return [
        Unit(
            "question",
            title,
            slot,
            paras=prompt,
            more=choices,
            split=split,
            pairs=pairs,
            notes=said,
        ),
        Unit(
            "answer",
            answer_title,
            slot,
            paras=[Para([Span(plain(form["prompt"]))])],
            more=answer_paras,
            notes=list(said),
        ),
    ]


def shuffled(steps: list[str], seed: str) -> list[str]:
    """The steps in an order fixed by ``seed`` that is never their right order (when they
    differ at all): a question slide must not give the answer away."""
    order = list(steps)
    random.Random(seed).shuffle(order)
    if order == steps and len(set(steps)) > 1:
        order = order[1:] + order[:1]
    return order
