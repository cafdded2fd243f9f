"""Write one PowerPoint deck per session (``slides/decks/*.yml``): the only python-pptx user.

Every deck starts from the 16:9 template shipped as package data (``templates/deck.pptx``,
made by ``tools/make_deck_template.py``) and is laid out from the model: title, agenda, then
per lesson a section slide, objectives, content, tables, pictures, charts, big numbers,
quizzes with their answers and key points, and a closing slide of sources. Text is measured
by ``builder.textfit`` so nothing overflows; every slide has a title, speaker notes with a
timing cue, a footer and its number. Saved bytes are deterministic.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from builder import i18n
from builder.course import facts as fact_text
from builder.course import imaging, sessions
from builder.course.model import Chart, Course, Deck, Fact, Question
from builder.course.sessions import Slot
from builder.quizzes import client
from builder.render.decks import outline, textfit
from builder.render.decks.outline import Section, Span
from builder.render.decks.textfit import Box, Para

TEMPLATE_NAME = "deck.pptx"
SLIDE_WIDTH = 12192000  # 13.333 in: 16:9
SLIDE_HEIGHT = 6858000  # 7.5 in
EMU = 12700  # per point
W, H = SLIDE_WIDTH / EMU, SLIDE_HEIGHT / EMU  # slide size in points: 960 × 540
MARGIN = 48.0
TITLE_TOP, TITLE_HEIGHT = 24.0, 84.0
BODY_TOP = 120.0
FOOTER_TOP = H - 34.0
BODY_HEIGHT = FOOTER_TOP - 8.0 - BODY_TOP
TITLE_SIZES = (32.0, 28.0, 24.0, 20.0)
BODY_SIZES = (24.0, 22.0, 20.0)
SMALL_SIZES = (20.0, 18.0, 16.0, 14.0)
TABLE_SIZES = (16.0, 14.0, 12.0)
FIXED_TIME = datetime.datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
SLIDE_NUMBER_FIELD = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
SVG_TYPE = "image/svg+xml"
SVG_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # Office's extension id for svgBlip
SVG_BLIP_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
LANG_TAGS = {"vi": "vi-VN", "en": "en-US"}
PROPERTY_LIMIT = 255  # characters python-pptx allows in a core property (title, subject...)


def write_decks(course: Course, out: Path, only: str | None = None) -> list[Path]:
    """Write ``<deck>.pptx`` for every session (or only the one named) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for deck_id in sorted(course.decks):
        if only is not None and deck_id != only:
            continue
        path = out / f"{deck_id}.pptx"
        path.write_bytes(deck_bytes(course, course.decks[deck_id]))
        written.append(path)
    return written


def deck_bytes(course: Course, deck: Deck) -> bytes:
    """The deck of one session as .pptx bytes, the same for the same sources."""
    return _Writer(course, deck).write()


def template() -> Presentation:
    """A fresh presentation from the shipped 16:9 template."""
    with (resources.files("builder") / "templates" / TEMPLATE_NAME).open("rb") as handle:
        return Presentation(io.BytesIO(handle.read()))


def deterministic_bytes(prs: Presentation) -> bytes:
    """Save with fixed zip entry times, and fixed dates in embedded chart workbooks."""
    raw = io.BytesIO()
    prs.save(raw)
    return _normalise_zip(raw.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """The deck's zip with fixed entry times, its chart workbooks normalised the same way."""
    return _rezip(
        data, lambda name, blob: _normalise_workbook(blob) if name.endswith(".xlsx") else blob
    )


def _normalise_workbook(blob: bytes) -> bytes:
    """XlsxWriter stamps a chart's workbook with the time it was made; fix it."""

    def fixed(name: str, data: bytes) -> bytes:
        if name != "docProps/core.xml":
            return data
        return re.sub(
            rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data
        )

    return _rezip(blob, fixed)


def _rezip(data: bytes, edit: Callable[[str, bytes], bytes]) -> bytes:
    """A zip rewritten entry by entry through ``edit``, with fixed times and permissions."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, edit(info.filename, source.read(info.filename)))
    return out.getvalue()


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


@dataclass
class _Made:
    """A slide written, the lesson slot it belongs to, and its speaker notes so far."""

    slide: object
    slot: Slot | None
    notes: list[str] = field(default_factory=list)
    cue: str | None = None  # a fixed timing cue (slides outside lessons)
    dark: bool = False  # the primary colour behind light text (title, lesson, activity)
    footer: bool = True  # the footer and number, added last (read last); not on the title slide


class _Writer:
    """Builds one deck; slides are added in reading order."""

    def __init__(self, course: Course, deck: Deck) -> None:
        self.course, self.deck = course, deck
        self.theme = course.theme
        self.colours = course.theme.colours
        self.lang = sessions.language(course, deck)
        self.content_lang = course.info.language
        self.run_lang = LANG_TAGS.get(self.content_lang, self.content_lang)
        self._ = i18n.translations(self.lang).gettext
        self.prs = template()
        self.layout = next(lay for lay in self.prs.slide_layouts if lay.name == "Title Only")
        self.made: list[_Made] = []
        self.slots = sessions.schedule(course, deck)
        self.slot: Slot | None = None
        self.cited: dict[str, None] = {}  # source ids, in order of first use
        self.svg_parts: dict[bytes, Part] = {}  # one part per drawing, however often shown
        self.fitted: dict[tuple, tuple[float, str]] = {}  # lines fitted, e.g. the footer's

    # --- the deck, in order -------------------------------------------------------------------

    def write(self) -> bytes:
        self._title_slide()
        self._agenda()
        number = 0
        for slot in self.slots:
            self.slot = slot
            if slot.lesson is None:
                self._activity(slot)
            else:
                number += 1
                self._lesson(number, slot)
        self.slot = None
        self._closing()
        self._finish()
        return deterministic_bytes(self.prs)

    def _title_slide(self) -> None:
        deck, _ = self.deck, self._
        made = self._slide(deck.title, dark=True, title_box=(MARGIN, 150.0, W - 2 * MARGIN, 130.0))
        made.footer = False
        self._logo(made)  # read after the title, before the lines under it
        lines = []
        if deck.subtitle:
            lines.append(Para([Span(deck.subtitle)], scale=1.15, bold=True))
        when = [i18n.date(deck.date, self.lang)] if deck.date else []
        if deck.start:
            when.append(deck.start)
        where = ", ".join(x for x in (deck.venue, deck.place) if x)
        facts = " · ".join(x for x in (" ".join(when), where, self._mode()) if x)
        if facts:
            lines.append(Para([Span(facts)]))
        audience = self._audience()
        if audience:
            lines.append(Para([Span(_("Audience") + ": " + audience)]))
        if deck.presenter:
            lines.append(Para([Span(deck.presenter)]))
        if lines:
            self._text(
                made,
                (MARGIN, 300.0, W - 2 * MARGIN, FOOTER_TOP - 300.0),
                lines,
                SMALL_SIZES + (12.0,),
                colour=self.colours.on_primary,
            )
        lessons = [s for s in self.slots if s.lesson is not None]
        made.notes.append(
            _("Session: {title}. {count} lesson(s), {duration} of teaching.").format(
                title=deck.title,
                count=len(lessons),
                duration=i18n.minutes(sum(s.minutes for s in lessons), self.lang),
            )
        )
        made.cue = self._cue_text(0)

    def _agenda(self) -> None:
        _ = self._
        paras = []
        for slot in self.slots:
            when = f"{sessions.clock(self.deck, slot.start)}–{sessions.clock(self.deck, slot.end)}"
            paras.append(
                Para(
                    [
                        Span(when + "  ", bold=True),
                        Span(slot.title, italic=slot.lesson is None),
                        Span(f" ({i18n.minutes(slot.minutes, self.lang)})"),
                    ]
                )
            )
        total = sum(s.minutes for s in self.slots)
        paras.append(
            Para([Span(_("Total: {duration}.").format(duration=i18n.minutes(total, self.lang)))])
        )
        for made in self._paged(_("Agenda"), paras, BODY_SIZES):
            if self.deck.length:
                made.notes.append(
                    _("The session is {length} long; its parts take {total}.").format(
                        length=i18n.minutes(self.deck.length, self.lang),
                        total=i18n.minutes(total, self.lang),
                    )
                )
            made.cue = self._cue_text(0)

    def _lesson(self, number: int, slot: Slot) -> None:
        _ = self._
        lesson, meta = slot.lesson, slot.lesson.meta
        when = (
            f"{sessions.clock(self.deck, slot.start)}–{sessions.clock(self.deck, slot.end)}"
            f" · {i18n.minutes(slot.minutes, self.lang)}"
        )
        made = self._slide(meta.title, dark=True, title_box=(MARGIN, 150.0, W - 2 * MARGIN, 140.0))
        self._text(  # below the title, so the title is read first and seen first
            made,
            (MARGIN, 310.0, W - 2 * MARGIN, 60.0),
            [
                Para(
                    [Span(_("Lesson {n}").format(n=number), bold=True), Span(" · " + when)],
                )
            ],
            (24.0, 20.0),
            colour=self.colours.on_primary,
        )
        made.notes.append(
            _("{total} ({teaching} teaching, {exercises} exercises)").format(
                total=i18n.minutes(meta.duration.total, self.lang),
                teaching=i18n.minutes(meta.duration.teaching, self.lang),
                exercises=i18n.minutes(meta.duration.exercises, self.lang),
            )
        )
        self._bullets(_("Objectives"), meta.objectives, lesson.id)
        placed = outline.placed_questions(self.course, lesson)
        sections = outline.outline(self.course, lesson, self.content_lang, slot.part.sections)
        limit = slot.part.questions if slot.part.questions is not None else self.deck.questions
        chosen = outline.chosen_questions(placed, sections, limit)
        for section in sections:
            self._section(section, chosen)
        self._bullets(_("Key points"), meta.keypoints, lesson.id)
        left = sum(len(placed.get(key, [])) - len(ids) for key, ids in chosen.items())
        if left:
            self.made[-1].notes.append(
                _(
                    "{count} more question(s) of this part are in the online lesson, "
                    "for practice after the session."
                ).format(count=left)
            )

    def _activity(self, slot: Slot) -> None:
        """A break, opening or discussion: its title and when it ends."""
        _ = self._
        made = self._slide(slot.title, dark=True, title_box=(MARGIN, 150.0, W - 2 * MARGIN, 140.0))
        line = i18n.minutes(slot.minutes, self.lang)
        if self.deck.start:  # without a start time, '1:30' would read as a time of day
            line = _("Until {time}").format(time=sessions.clock(self.deck, slot.end)) + " · " + line
        self._text(
            made,
            (MARGIN, 310.0, W - 2 * MARGIN, 60.0),
            [Para([Span(line)])],
            (24.0, 20.0),
            colour=self.colours.on_primary,
        )
        made.cue = _("Timing: {start}–{end}; carry on at {end}.").format(
            start=sessions.clock(self.deck, slot.start), end=sessions.clock(self.deck, slot.end)
        )

    def _section(self, section: Section, placed: dict[int, list[str]]) -> None:
        _ = self._
        for fact_id in section.facts:
            self._cite(self.course.facts[fact_id])
        notes = list(section.notes)
        if section.prose:
            notes.append(_("In the lesson:") + "\n" + "\n".join(section.prose))
        first = True
        if section.items:
            paras = [self._para(item) for item in section.items]
            for made in self._paged(section.title, paras, BODY_SIZES):
                if first:
                    made.notes.extend(notes)
                    first = False
        for table in section.tables:
            self._table(section.title, table)
        for picture in section.pictures:
            self._picture(section.title, picture)
        for chart in section.charts:
            self._chart(chart)
        facts = outline.featured(self.course, self.deck, section.facts)
        if facts:
            self._big_numbers(section.title, facts[:3])
        if first and notes and self.made:  # a section with no text slide: notes go last
            self.made[-1].notes.extend(notes)
        for quiz in section.quizzes:
            for number, qid in enumerate(placed.get(id(quiz), []), start=1):
                self._question(quiz.title or _("Quiz"), number, self.course.questions[qid])

    def _closing(self) -> None:
        _ = self._
        paras = []
        for source_id in self.cited:
            source = self.course.sources[source_id]
            when = f", {i18n.date(source.date, self.lang)}" if source.date else ""
            paras.append(
                Para([Span(source.publisher + when + ": ", bold=True), Span(source.title)], level=1)
            )
        if not paras:
            paras.append(Para([Span(self.course.info.title)]))
        for made in self._paged(_("Sources"), paras, SMALL_SIZES):
            made.notes.append(_("Every figure in this course comes from these documents."))
            made.cue = self._cue_text(sum(s.minutes for s in self.slots))

    # --- slide kinds --------------------------------------------------------------------------

    def _bullets(self, title: str, texts: list[str], lesson_id: str) -> None:
        paras = [Para(outline.spans(self.course, t, self.content_lang), level=1) for t in texts]
        for made in self._paged(title, paras, BODY_SIZES):
            made.notes.append(title + ": " + lesson_id)

    def _para(self, item: outline.Item) -> Para:
        return Para(item.spans, level=item.level, number=item.number)

    def _paged(self, title: str, paras: list[Para], sizes: tuple[float, ...]) -> list[_Made]:
        """One or more slides holding the paragraphs, the later ones titled '(continued)'."""
        box = (MARGIN, BODY_TOP, W - 2 * MARGIN, BODY_HEIGHT)
        pages = textfit.paginate(paras, self._box(box), sizes)
        made_list = []
        for index, (size, page) in enumerate(pages):
            made = self._slide(title, continued=index > 0)
            self._lay(made, box, page, size)
            made_list.append(made)
        return made_list

    def _table(self, title: str, table: outline.Table) -> None:
        """A native table; rows that do not fit go to a following slide under the header."""
        family = self.theme.body_font
        columns = len(table.header)
        left, top, width = MARGIN, BODY_TOP, W - 2 * MARGIN
        weights = []
        for col in range(columns):
            cells = [table.header[col]] + [r[col] for r in table.rows if col < len(r)]
            longest = max(textfit.width("".join(s.text for s in c), family, 16.0) for c in cells)
            weights.append(min(max(longest, 80.0), 420.0))
        widths = [width * w / sum(weights) for w in weights]

        def row_height(cells: list[list[Span]], size: float, bold: bool) -> float:
            tallest = 0.0
            for col, spans in enumerate(cells[:columns]):
                box = Box(widths[col], 10_000.0, family, inset_x=7.2, inset_y=3.6)
                para = Para(spans, bold=bold)
                tallest = max(tallest, textfit.height([para], box, size))
            return tallest + 2 * 3.6 + 2.0

        def capped(cells: list[list[Span]], bold: bool, room: float) -> list[list[Span]]:
            """The row, its cells cut with '…' if it is taller than ``room`` points (a row is
            never split between slides, so one taller than a slide would fall off it)."""
            if row_height(cells, size, bold) <= room:
                return cells
            out = []
            for col, spans in enumerate(cells[:columns]):
                box = Box(widths[col], room - 2.0, family, inset_x=7.2, inset_y=3.6)
                if textfit.fits([Para(spans, bold=bold)], box, size):
                    out.append(spans)
                else:
                    text = "".join(s.text for s in spans)
                    out.append([Span(self._fit_line(text, box, (size,), bold)[1])])
            return out

        size = min(TABLE_SIZES)
        for candidate in TABLE_SIZES:
            heights = [row_height(r, candidate, False) for r in table.rows]
            if row_height(table.header, candidate, True) + sum(heights) <= BODY_HEIGHT:
                size = candidate
                break
        header = capped(table.header, True, BODY_HEIGHT / 3)
        head = row_height(header, size, True)
        pages: list[list[list[list[Span]]]] = [[]]
        used = head
        for row in (capped(r, False, BODY_HEIGHT - head) for r in table.rows):
            tall = row_height(row, size, False)
            if pages[-1] and used + tall > BODY_HEIGHT:
                pages.append([])
                used = head
            pages[-1].append(row)
            used += tall
        for index, rows in enumerate(pages):
            made = self._slide(title, continued=index > 0)
            all_rows = [header, *rows]
            heights = [row_height(r, size, n == 0) for n, r in enumerate(all_rows)]
            frame = made.slide.shapes.add_table(
                len(all_rows),
                columns,
                Emu(round(left * EMU)),
                Emu(round(top * EMU)),
                Emu(round(width * EMU)),
                Emu(round(sum(heights) * EMU)),
            )
            grid = frame.table
            for col, col_width in enumerate(widths):
                grid.columns[col].width = Emu(round(col_width * EMU))
            for n, (cells, tall) in enumerate(zip(all_rows, heights, strict=True)):
                grid.rows[n].height = Emu(round(tall * EMU))
                for col in range(columns):
                    spans = cells[col] if col < len(cells) else [Span("")]
                    cell = grid.cell(n, col)
                    cell.margin_left = cell.margin_right = Emu(round(7.2 * EMU))
                    cell.margin_top = cell.margin_bottom = Emu(round(3.6 * EMU))
                    frame_text = cell.text_frame
                    frame_text.word_wrap = True
                    colour = self.colours.on_primary if n == 0 else self.colours.text
                    if n == 0:
                        cell.fill.solid()
                        cell.fill.fore_color.rgb = _rgb(self.colours.primary)
                    self._fill(frame_text, [Para(spans, bold=n == 0)], size, colour)
            self._describe(frame, title)

    def _picture(self, title: str, picture: outline.Picture) -> None:
        """The picture as large as the body allows, centred, with its alt text. A drawing
        (SVG) is embedded as a vector for PowerPoint with a raster for everyone else."""
        path = Path(self.course.root) / picture.path
        fonts = [textfit.font_file(self.theme.body_font, bold) for bold in (False, True)]
        # Rendered at twice the widest it can be shown (at 96 px per inch), so it stays sharp.
        image = imaging.picture(path, fonts, width=round((W - 2 * MARGIN) * 96 / 72 * 2))
        made = self._slide(title)
        scale = min((W - 2 * MARGIN) / image.width, BODY_HEIGHT / image.height)
        shown_w, shown_h = image.width * scale, image.height * scale
        shape = made.slide.shapes.add_picture(
            io.BytesIO(image.raster),
            Emu(round((W - shown_w) / 2 * EMU)),
            Emu(round(BODY_TOP * EMU)),
            Emu(round(shown_w * EMU)),
            Emu(round(shown_h * EMU)),
        )
        if image.svg is not None:
            self._vector(made, shape, image.svg)
        self._describe(shape, picture.alt or title)
        made.notes.append(picture.alt)

    def _vector(self, made: _Made, shape, svg: bytes) -> None:  # noqa: ANN001
        """Add the SVG beside the picture's raster, as Office 2016 does (an ``asvg:svgBlip``
        extension of the blip): PowerPoint draws the vector, older readers the raster."""
        package = made.slide.part.package
        svg_part = self.svg_parts.get(svg)
        if svg_part is None:
            svg_part = Part(package.next_image_partname("svg"), SVG_TYPE, package, svg)
            self.svg_parts[svg] = svg_part
        rel_id = made.slide.part.relate_to(svg_part, RT.IMAGE)
        blip = shape._element.blipFill.find(qn("a:blip"))  # noqa: SLF001
        ext = etree.SubElement(etree.SubElement(blip, qn("a:extLst")), qn("a:ext"), uri=SVG_EXT)
        svg_blip = etree.SubElement(ext, f"{{{SVG_BLIP_NS}}}svgBlip", nsmap={"asvg": SVG_BLIP_NS})
        svg_blip.set(qn("r:embed"), rel_id)

    def _chart(self, chart: Chart) -> None:
        """A native, editable bar or column chart; values labelled in the locale's format."""
        facts = [self.course.facts[f] for f in chart.facts]
        for fact in facts:
            self._cite(fact)
        made = self._slide(chart.title)
        data = CategoryChartData()
        data.categories = [textfit.one_line(f.label) for f in facts]
        values = [float(f.value) for f in facts]  # type: ignore[arg-type]
        data.add_series(textfit.one_line(chart.title), values)
        kind = (
            XL_CHART_TYPE.BAR_CLUSTERED if chart.kind == "bar" else XL_CHART_TYPE.COLUMN_CLUSTERED
        )
        source_top = FOOTER_TOP - 8.0 - 44.0
        frame = made.slide.shapes.add_chart(
            kind,
            Emu(round(MARGIN * EMU)),
            Emu(round(BODY_TOP * EMU)),
            Emu(round((W - 2 * MARGIN) * EMU)),
            Emu(round((source_top - BODY_TOP - 6.0) * EMU)),
            data,
        )
        plot_chart = frame.chart
        plot_chart.has_legend = False
        plot_chart.has_title = False
        plot_chart.font.size = Pt(16)
        plot_chart.font.name = self.theme.body_font
        plot_chart.font.color.rgb = _rgb(self.colours.text)
        axis = plot_chart.value_axis
        axis.minimum_scale = 0
        if all(f.is_percent for f in facts):
            axis.maximum_scale = max(100.0, *(float(f.value) for f in facts))  # type: ignore[arg-type]
        axis.has_major_gridlines = False
        axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
        if chart.kind == "bar":
            plot_chart.category_axis.reverse_order = True  # the first fact on top, as written
        plot = plot_chart.plots[0]
        plot.gap_width = 60
        series = plot.series[0]
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(self.colours.primary)
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        labels.font.size = Pt(18)
        labels.font.bold = True
        for index, fact in enumerate(facts):
            label = series.points[index].data_label
            label.position = XL_LABEL_POSITION.OUTSIDE_END
            text = label.text_frame
            text.text = textfit.one_line(fact_text.value_text(fact, self.content_lang))
            for run in text.paragraphs[0].runs:
                run.font.size = Pt(18)
                run.font.bold = True
        summary = "; ".join(
            f"{f.label}: {fact_text.value_with_unit(f, self.content_lang)}" for f in facts
        )
        self._describe(frame, f"{chart.title}. {summary}")
        self._sources_line(made, facts, (MARGIN, source_top, W - 2 * MARGIN, 44.0))
        made.notes.append(summary)

    def _big_numbers(self, title: str, facts: list[Fact]) -> None:
        """Up to three figures side by side: the value large, what it measures, its source.
        Each figure is a group, so a screen reader reads one figure whole, then the next."""
        made = self._slide(title)
        gap = 24.0
        column = (W - 2 * MARGIN - gap * (len(facts) - 1)) / len(facts)
        for index, fact in enumerate(facts):
            left = MARGIN + index * (column + gap)
            value = fact_text.value_with_unit(fact, self.content_lang)
            card = made.slide.shapes.add_group_shape()
            card.name = textfit.one_line(f"{fact.label}: {value}")
            self._text(
                made,
                (left, BODY_TOP + 20.0, column, 120.0),
                [Para([Span(value)], bold=True, align="center")],
                (60.0, 54.0, 48.0, 40.0, 32.0, 28.0),
                colour=self.colours.primary,
                family=self.theme.heading_font,
                into=card.shapes,
            )
            label = fact.label + (f" ({fact.place})" if fact.place else "")
            self._text(
                made,
                (left, BODY_TOP + 150.0, column, 150.0),
                [Para([Span(label)], align="center")],
                (22.0, 20.0, 18.0, 16.0),
                into=card.shapes,
            )
            self._text(
                made,
                (left, BODY_TOP + 310.0, column, 60.0),
                [Para([Span(outline.source_line(self.course, fact, self.lang))], align="center")],
                (14.0, 12.0, 11.0),
                colour=self.colours.muted,
                into=card.shapes,
            )
            made.notes.append(f"{fact.label}: {value}. “{fact.quote}”")

    def _question(self, heading: str, number: int, question: Question) -> None:
        """The question, then a slide with its answer and explanation."""
        _ = self._
        form = client.client_question(self.course, question)
        plain = client.strip_markdown
        paras = [Para([Span(plain(form["prompt"]))], bold=True, scale=1.1)]
        kind = question.type
        if kind in ("single", "multiple"):
            if kind == "multiple":
                paras.append(Para([Span(_("Select all that apply."), italic=True)], scale=0.85))
            for index, choice in enumerate(form["choices"]):
                paras.append(Para([Span(plain(choice["text"]))], level=1, number=-(index + 1)))
        elif kind == "true-false":
            paras += [Para([Span(_("True"))], level=1), Para([Span(_("False"))], level=1)]
        elif kind == "matching":
            terms = [plain(p["term"]) for p in form["pairs"]]
            matches = sorted(
                (plain(p["match"]) for p in form["pairs"]), key=i18n.sort_key(self.content_lang)
            )
            paras += [Para([Span(t)], level=1, number=n) for n, t in enumerate(terms, start=1)]
            paras += [Para([Span(m)], level=1, number=-n) for n, m in enumerate(matches, start=1)]
        elif kind == "ordering":
            steps = sorted(
                (plain(s["text"]) for s in form["steps"]), key=i18n.sort_key(self.content_lang)
            )
            paras += [Para([Span(s)], level=1) for s in steps]
        elif kind == "numeric" and question.unit:
            paras.append(Para([Span(f"… {question.unit}")], level=0))
        title = f"{heading} · {_('Question {n}').format(n=number)}"
        answer = _("Answer: {answer}").format(answer=plain(form["solution"]))
        explanation = plain(form["explanation"])
        for made in self._paged(title, paras, BODY_SIZES + (18.0, 16.0)):
            made.notes += [answer, _("Explanation:") + " " + explanation]
        answer_paras = [
            Para([Span(plain(form["prompt"]))], scale=0.8, colour=self.colours.muted),
            Para([Span(answer)], bold=True),
            Para([Span(explanation)]),
        ]
        answer_title = _("Answer to question {n}").format(n=number)
        for made in self._paged(answer_title, answer_paras, BODY_SIZES + (18.0, 16.0)):
            made.notes += [answer, _("Explanation:") + " " + explanation]

    # --- building blocks ----------------------------------------------------------------------

    def _slide(
        self,
        title: str,
        *,
        dark: bool = False,
        title_box: tuple[float, ...] | None = None,
        continued: bool = False,
    ) -> _Made:
        """A slide with its title, shortened with '…' if it fits at no size; a ``continued``
        slide's title says so, however much of the title is cut."""
        slide = self.prs.slides.add_slide(self.layout)
        made = _Made(slide, self.slot, dark=dark)
        self.made.append(made)
        background = self.colours.primary if dark else self.colours.background
        slide.background.fill.solid()
        slide.background.fill.fore_color.rgb = _rgb(background)
        box = title_box or (MARGIN, TITLE_TOP, W - 2 * MARGIN, TITLE_HEIGHT)
        shape = slide.shapes.title
        self._place(shape, box)
        sizes = (44.0, 40.0, 36.0, 32.0, 28.0) if title_box else TITLE_SIZES
        around = ("", "")
        if continued:
            before, _, after = self._("{title} (continued)").partition("{title}")
            around = (before, after)
        size, text = self._fit_line(
            title, self._box(box, self.theme.heading_font), sizes, bold=True, around=around
        )
        colour = self.colours.on_primary if dark else self.colours.primary
        frame = shape.text_frame
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE if not title_box else MSO_ANCHOR.TOP
        self._fill(
            frame,
            [Para([Span(text)], bold=True)],
            size,
            colour,
            family=self.theme.heading_font,
        )
        return made

    def _fit_line(
        self,
        text: str,
        box: Box,
        sizes: tuple[float, ...],
        bold: bool,
        around: tuple[str, str] = ("", ""),
    ) -> tuple[float, str]:
        """The largest size at which a title fits; cut with '…' if none does (each text
        fitted once per box: the footer repeats on every slide)."""
        key = (text, box.width, box.height, box.family, sizes, bold, around)
        if key not in self.fitted:
            self.fitted[key] = textfit.fit_line(text, box, sizes, bold, around)
        return self.fitted[key]

    def _footer(self, made: _Made, number: int) -> None:
        """The session, place and date, and the slide number: a field PowerPoint and
        LibreOffice keep up to date, holding ``number`` for readers that show it as stored."""
        deck = self.deck
        colour = self.colours.on_primary if made.dark else self.colours.muted
        parts = [deck.place] if deck.place else []
        if deck.date:
            parts.append(i18n.date(deck.date, self.lang))
        after = "".join(" · " + part for part in parts)  # kept when a long title is cut
        box = (MARGIN, FOOTER_TOP, W - 2 * MARGIN - 80.0, 26.0)
        size, text = self._fit_line(
            deck.title, self._box(box), (12.0, 11.0, 10.0), False, around=("", after)
        )
        self._text(made, box, [Para([Span(text)])], (size,), colour=colour)
        number_box = (W - MARGIN - 80.0, FOOTER_TOP, 80.0, 26.0)
        shape = self._text(
            made, number_box, [Para([Span("")], align="right")], (12.0,), colour=colour
        )
        paragraph = shape.text_frame.paragraphs[0]._p
        for run in paragraph.findall(qn("a:r")):
            paragraph.remove(run)
        fld = etree.SubElement(paragraph, qn("a:fld"), id=SLIDE_NUMBER_FIELD, type="slidenum")
        props = etree.SubElement(fld, qn("a:rPr"), lang=self.run_lang, sz="1200")
        fill = etree.SubElement(props, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr"), val=colour.lstrip("#").upper())
        etree.SubElement(props, qn("a:latin"), typeface=self.theme.body_font)
        etree.SubElement(fld, qn("a:t")).text = str(number)
        end = paragraph.find(qn("a:endParaRPr"))
        if end is not None:
            paragraph.remove(end)
            paragraph.append(end)

    def _sources_line(self, made: _Made, facts: list[Fact], box: tuple[float, ...]) -> None:
        cites: dict[str, None] = {}
        for fact in facts:
            cites[outline.source_line(self.course, fact, self.lang)] = None
        text = "; ".join(c for c in cites if c)
        if text:
            size, shown = self._fit_line(text, self._box(box), (14.0, 12.0, 11.0, 10.0), False)
            self._text(made, box, [Para([Span(shown)])], (size,), colour=self.colours.muted)

    def _box(self, box: tuple[float, ...], family: str | None = None) -> Box:
        return Box(box[2], box[3], family or self.theme.body_font)

    def _place(self, shape, box: tuple[float, ...]) -> None:  # noqa: ANN001
        shape.left, shape.top = Emu(round(box[0] * EMU)), Emu(round(box[1] * EMU))
        shape.width, shape.height = Emu(round(box[2] * EMU)), Emu(round(box[3] * EMU))

    def _text(
        self,
        made: _Made,
        box: tuple[float, ...],
        paras: list[Para],
        sizes: tuple[float, ...],
        *,
        colour: str | None = None,
        family: str | None = None,
        into=None,  # noqa: ANN001
    ):  # noqa: ANN202
        """A text box holding paragraphs at the largest size that fits (shortened if none),
        on the slide or ``into`` a group's shapes."""
        family = family or self.theme.body_font
        fit = self._box(box, family)
        size = textfit.largest(paras, fit, sizes)
        if size is None:
            size = min(sizes)
            while len(paras) > 1 and not textfit.fits(paras, fit, size):
                paras = paras[:-1]
            if not textfit.fits(paras, fit, size):
                _, text = self._fit_line(paras[0].text, fit, (size,), paras[0].bold)
                paras = [Para([Span(text)], bold=paras[0].bold, align=paras[0].align)]
        shape = (into if into is not None else made.slide.shapes).add_textbox(
            Emu(round(box[0] * EMU)),
            Emu(round(box[1] * EMU)),
            Emu(round(box[2] * EMU)),
            Emu(round(box[3] * EMU)),
        )
        frame = shape.text_frame
        frame.vertical_anchor = MSO_ANCHOR.TOP
        self._fill(frame, paras, size, colour or self.colours.text, family=family)
        return shape

    def _lay(self, made: _Made, box: tuple[float, ...], paras: list[Para], size: float) -> None:
        self._text(made, box, paras, (size,))

    def _fill(
        self,
        frame,  # noqa: ANN001
        paras: list[Para],
        size: float,
        colour: str,
        *,
        family: str | None = None,
    ) -> None:
        """Write paragraphs into a text frame: exact line pitch, explicit fonts on every run."""
        family = family or self.theme.body_font
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.margin_left = frame.margin_right = Emu(round(7.2 * EMU))
        frame.margin_top = frame.margin_bottom = Emu(round(3.6 * EMU))
        for index, para in enumerate(paras):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            own = size * para.scale
            paragraph.line_spacing = Pt(own * textfit.LINE)
            paragraph.space_before = Pt(para.space * own * textfit.LINE if index else 0)
            paragraph.alignment = {
                "left": PP_ALIGN.LEFT,
                "center": PP_ALIGN.CENTER,
                "right": PP_ALIGN.RIGHT,
            }[para.align]
            self._bullet(paragraph, para, own, family)
            for span in para.spans:
                if not span.text:
                    continue
                run = paragraph.add_run()
                run.text = span.text
                font = run.font
                font.name = family
                font.size = Pt(own)
                font.bold = span.bold or para.bold
                font.italic = span.italic
                font.color.rgb = _rgb(para.colour or colour)
                font._rPr.set("lang", self.run_lang)  # noqa: SLF001 - no API for the language

    def _bullet(self, paragraph, para: Para, size: float, family: str) -> None:  # noqa: ANN001
        """A hanging bullet or number for list items; none for plain paragraphs."""
        props = paragraph._p.get_or_add_pPr()  # noqa: SLF001
        if para.level == 0:
            etree.SubElement(props, qn("a:buNone"))
            return
        indent = para.indent(size)
        hang = textfit.hang(para, size)
        props.set("marL", str(round(indent * EMU)))
        props.set("indent", str(-round(hang * EMU)))
        if para.continued:
            etree.SubElement(props, qn("a:buNone"))
        elif para.number is None:
            etree.SubElement(props, qn("a:buFont"), typeface=family)
            etree.SubElement(props, qn("a:buChar"), char="•")
        else:
            scheme = "arabicPeriod" if para.number > 0 else "alphaUcPeriod"
            etree.SubElement(props, qn("a:buAutoNum"), type=scheme, startAt=str(abs(para.number)))

    def _describe(self, shape, text: str) -> None:  # noqa: ANN001
        """Alt text for a picture, chart or table (no python-pptx API for it)."""
        shape._element._nvXxPr.cNvPr.set("descr", textfit.xml_text(text))  # noqa: SLF001

    def _logo(self, made: _Made) -> None:
        logo = self.theme.logo
        if not logo:
            return
        path = Path(self.course.root) / logo
        if not path.is_file():
            return
        shape = made.slide.shapes.add_picture(
            str(path),
            Emu(round((W - MARGIN - 120.0) * EMU)),
            Emu(round(30.0 * EMU)),
            height=Emu(round(90.0 * EMU)),
        )
        if shape.width > Emu(round(200.0 * EMU)):
            ratio = 200.0 * EMU / shape.width
            shape.width = Emu(round(200.0 * EMU))
            shape.height = Emu(round(shape.height * ratio))
        shape.left = Emu(round(SLIDE_WIDTH - MARGIN * EMU - shape.width))
        self._describe(shape, self.theme.logo_alt or self.course.info.publisher or "")

    # --- notes, timing and properties ---------------------------------------------------------

    def _cite(self, fact: Fact) -> None:
        if fact.source in self.course.sources:
            self.cited.setdefault(fact.source, None)

    def _mode(self) -> str:
        _ = self._
        return {
            "in-person": _("In person"),
            "hybrid": _("In person and online"),
            "online": _("Online"),
        }[self.deck.mode]

    def _audience(self) -> str:
        titles = {a.id: a.title for a in self.course.info.audiences}
        return titles.get(self.deck.audience or "", "")

    def _cue_text(self, minute: int) -> str:
        return self._("Timing: about {time}.").format(time=sessions.clock(self.deck, minute))

    def _finish(self) -> None:
        """Speaker notes with a timing cue on every slide; fixed document properties."""
        by_slot: dict[int, list[_Made]] = {}
        for made in self.made:
            if made.slot is not None:
                by_slot.setdefault(id(made.slot), []).append(made)
        for number, made in enumerate(self.made, start=1):
            if made.footer:  # after everything else, so screen readers reach it last
                self._footer(made, number)
            cue = made.cue
            if cue is None and made.slot is not None:
                group = by_slot[id(made.slot)]
                index = next(i for i, m in enumerate(group) if m is made)
                slot = made.slot
                at = slot.start + (slot.minutes * index) // max(len(group), 1)
                cue = self._("Timing: about {time}; this lesson runs {start}–{end}.").format(
                    time=sessions.clock(self.deck, at),
                    start=sessions.clock(self.deck, slot.start),
                    end=sessions.clock(self.deck, slot.end),
                )
            notes = [n for n in made.notes if n] + [cue or self._cue_text(0)]
            text = textfit.xml_text("\n\n".join(notes))
            made.slide.notes_slide.notes_text_frame.text = text
        props = self.prs.core_properties
        stamp = (
            datetime.datetime.combine(self.deck.date, datetime.time(8))
            if self.deck.date
            else FIXED_TIME
        )
        props.title = _property(self.deck.title)
        props.subject = _property(self.course.info.title)
        props.author = _property(self.course.info.publisher or "")
        props.last_modified_by = "builder"
        props.language = _property(LANG_TAGS.get(self.lang, self.lang))
        props.keywords = ""
        props.comments = ""
        props.category = ""
        props.revision = 1
        props.created = props.modified = props.last_printed = stamp
        props.identifier = _property(self.deck.id)


def _property(text: str) -> str:
    """A core property's text: one XML-safe line, cut at a word with '…' to the 255
    characters python-pptx allows."""
    text = " ".join(textfit.one_line(text).split())
    if len(text) <= PROPERTY_LIMIT:
        return text
    cut = text[: PROPERTY_LIMIT - 1]
    space = cut.rfind(" ")
    if space > PROPERTY_LIMIT // 2:  # a word boundary not too far back
        cut = cut[:space]
    return cut.rstrip() + "…"
