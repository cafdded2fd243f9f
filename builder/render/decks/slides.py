"""The slide kinds: each unit of the plan laid out on one slide or more, through ``shapes``.

Text is measured with ``textfit`` so nothing overflows: a unit's text at the largest size that
fits, else paged over slides titled '(continued)'; a table's rows that do not fit go to a
following slide under its header. Every slide's title is its first shape; the footer and the
slide number, added when every slide is made, are its last, so a screen reader reaches them
last. Sizes and positions are in points on a 960 × 540 slide.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from builder import i18n
from builder.course import imaging, sessions
from builder.course.model import Course, Deck
from builder.render.decks import package, shapes, textfit
from builder.render.decks.outline import Span
from builder.render.decks.plan import Unit
from builder.render.decks.shapes import EMU, Rect
from builder.render.decks.textfit import Para

W, H = package.SLIDE_WIDTH / EMU, package.SLIDE_HEIGHT / EMU  # slide size in points: 960 × 540
MARGIN = 48.0
TITLE_TOP, TITLE_HEIGHT = 24.0, 84.0
BODY_TOP = 120.0
FOOTER_TOP = H - 34.0
BODY_HEIGHT = FOOTER_TOP - 8.0 - BODY_TOP
BODY = (MARGIN, BODY_TOP, W - 2 * MARGIN, BODY_HEIGHT)
TITLE_SIZES = (32.0, 28.0, 24.0, 20.0)
OPENING_SIZES = (44.0, 40.0, 36.0, 32.0, 28.0)  # the title of a title, lesson or activity slide
BODY_SIZES = (24.0, 22.0, 20.0)
SMALL_SIZES = (20.0, 18.0, 16.0, 14.0)
TABLE_SIZES = (16.0, 14.0, 12.0)
Rows = list[list[list[Span]]]  # a table's rows of cells, each cell runs of text
DARK = ("title", "lesson", "activity")  # on the primary colour, in light text
PAGED = {  # units of text, on as many slides as it takes, at these sizes
    "agenda": BODY_SIZES,
    "list": BODY_SIZES,
    "text": BODY_SIZES,
    "question": BODY_SIZES + (18.0, 16.0),
    "answer": BODY_SIZES + (18.0, 16.0),
    "sources": SMALL_SIZES,
}


class Sheet:
    """One deck being laid out: its presentation, the theme, the language its runs are tagged
    with, and lines already fitted (the footer's repeats on every slide)."""

    def __init__(self, course: Course, deck: Deck) -> None:
        self.theme, self.colours = course.theme, course.theme.colours
        self.root = Path(course.root)
        self.logo_alt = course.theme.logo_alt or course.info.publisher or ""
        lang = sessions.language(course, deck)
        self.run_lang = package.LANG_TAGS.get(course.info.language, course.info.language)
        before, _, after = i18n.gettext(lang, "{title} (continued)").partition("{title}")
        self.continued = (before, after)
        parts = [deck.place] if deck.place else []
        if deck.date:
            parts.append(i18n.date(deck.date, lang))
        self.footer = (deck.title, "".join(" · " + part for part in parts))  # kept after a cut
        self.prs = package.template()
        self.layout = next(lay for lay in self.prs.slide_layouts if lay.name == "Title Only")
        self.fitted: dict[tuple, tuple[float, str]] = {}
        self.svg_parts: dict[bytes, object] = {}  # one part per drawing, however often shown

    def slide(
        self,
        title: str,
        *,
        dark: bool = False,
        title_box: Rect | None = None,
        continued: bool = False,
    ):  # noqa: ANN201
        """A slide with its title, shortened with '…' if it fits at no size; a ``continued``
        slide's title says so, however much of the title is cut."""
        background = self.colours.primary if dark else self.colours.background
        slide = shapes.new_slide(self.prs, self.layout, background)
        box = title_box or (MARGIN, TITLE_TOP, W - 2 * MARGIN, TITLE_HEIGHT)
        sizes = OPENING_SIZES if title_box else TITLE_SIZES
        around = self.continued if continued else ("", "")
        family = self.theme.heading_font
        size, text = self.fit_line(title, self.box(box, family), sizes, True, around)
        colour = self.colours.on_primary if dark else self.colours.primary
        paras = [Para([Span(text)], bold=True)]
        shapes.set_title(
            slide, box, paras, size, colour, family=family, lang=self.run_lang, middle=not title_box
        )
        return slide

    def fit_line(
        self,
        text: str,
        box: textfit.Box,
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

    def box(self, box: Rect, family: str | None = None) -> textfit.Box:
        """Where text goes in ``box``, for measuring."""
        return textfit.Box(box[2], box[3], family or self.theme.body_font)

    def text(
        self,
        into,  # noqa: ANN001
        box: Rect,
        paras: list[Para],
        sizes: tuple[float, ...],
        *,
        colour: str | None = None,
        family: str | None = None,
    ):  # noqa: ANN202
        """A text box in ``into`` (a slide's or a group's shapes) holding paragraphs at the
        largest size that fits; if none does, the paragraphs that fit at the smallest, or the
        first cut with '…'."""
        family = family or self.theme.body_font
        fit = self.box(box, family)
        size = textfit.largest(paras, fit, sizes)
        if size is None:
            size = min(sizes)
            while len(paras) > 1 and not textfit.fits(paras, fit, size):
                paras = paras[:-1]
            if not textfit.fits(paras, fit, size):
                _, text = self.fit_line(paras[0].text, fit, (size,), paras[0].bold)
                paras = [Para([Span(text)], bold=paras[0].bold, align=paras[0].align)]
        return shapes.text_box(
            into, box, paras, size, colour or self.colours.text, family=family, lang=self.run_lang
        )


def lay_out(sheet: Sheet, unit: Unit) -> list:
    """The slides a unit takes, made in order at the end of the deck."""
    if unit.kind in PAGED:
        return paged(sheet, unit.title, unit.paras, PAGED[unit.kind])
    return KINDS[unit.kind](sheet, unit)


def paged(sheet: Sheet, title: str, paras: list[Para], sizes: tuple[float, ...]) -> list:
    """One or more slides holding the paragraphs, the later ones titled '(continued)'."""
    made = []
    for index, (size, page) in enumerate(textfit.paginate(paras, sheet.box(BODY), sizes)):
        slide = sheet.slide(title, continued=index > 0)
        sheet.text(slide.shapes, BODY, page, (size,))
        made.append(slide)
    return made


def title_slide(sheet: Sheet, unit: Unit) -> list:
    """The session's title large on the primary colour, the logo, the lines under it."""
    slide = sheet.slide(unit.title, dark=True, title_box=(MARGIN, 150.0, W - 2 * MARGIN, 130.0))
    logo = sheet.theme.logo
    if logo and (sheet.root / logo).is_file():  # read after the title, before the lines
        shapes.logo(
            slide,
            sheet.root / logo,
            sheet.logo_alt,
            left=W - MARGIN - 120.0,
            top=30.0,
            height=90.0,
            widest=200.0,
            right=W - MARGIN,
        )
    if unit.paras:
        box = (MARGIN, 300.0, W - 2 * MARGIN, FOOTER_TOP - 300.0)
        sheet.text(
            slide.shapes, box, unit.paras, SMALL_SIZES + (12.0,), colour=sheet.colours.on_primary
        )
    return [slide]


def opening(sheet: Sheet, unit: Unit) -> list:
    """A lesson's or an activity's title on the primary colour, its times below it (so the
    title is read first and seen first)."""
    slide = sheet.slide(unit.title, dark=True, title_box=(MARGIN, 150.0, W - 2 * MARGIN, 140.0))
    box = (MARGIN, 310.0, W - 2 * MARGIN, 60.0)
    sheet.text(slide.shapes, box, unit.paras, (24.0, 20.0), colour=sheet.colours.on_primary)
    return [slide]


def table(sheet: Sheet, unit: Unit) -> list:
    """A native table; rows that do not fit go to a following slide under the header."""
    widths, size, pages = _table_pages(sheet, unit)
    made = []
    colours = sheet.colours
    for index, (rows, heights) in enumerate(pages):
        slide = sheet.slide(unit.title, continued=index > 0)
        frame = shapes.table(
            slide,
            (MARGIN, BODY_TOP, W - 2 * MARGIN),
            widths,
            rows,
            heights,
            size,
            family=sheet.theme.body_font,
            lang=sheet.run_lang,
            colours=(colours.primary, colours.on_primary, colours.text),
        )
        shapes.describe(frame, unit.title)
        made.append(slide)
    return made


def _table_pages(sheet: Sheet, unit: Unit) -> tuple[list[float], float, list[tuple[Rows, list]]]:
    """The table's column widths (by their longest text), its size (the largest at which it
    fits one slide, else the smallest), and its pages: the header, then the rows that fit,
    with each row's height. A row taller than a slide has its cells cut with '…'."""
    grid, family = unit.table, sheet.theme.body_font
    columns = len(grid.header)
    weights = []
    for col in range(columns):
        cells = [grid.header[col]] + [r[col] for r in grid.rows if col < len(r)]
        longest = max(textfit.width("".join(s.text for s in c), family, 16.0) for c in cells)
        weights.append(min(max(longest, 80.0), 420.0))
    widths = [(W - 2 * MARGIN) * w / sum(weights) for w in weights]

    def row_height(cells: list[list[Span]], size: float, bold: bool) -> float:
        tallest = 0.0
        for col, spans in enumerate(cells[:columns]):
            box = textfit.Box(widths[col], 10_000.0, family, inset_x=7.2, inset_y=3.6)
            tallest = max(tallest, textfit.height([Para(spans, bold=bold)], box, size))
        return tallest + 2 * 3.6 + 2.0

    def capped(cells: list[list[Span]], bold: bool, room: float) -> list[list[Span]]:
        """The row, its cells cut with '…' if it is taller than ``room`` points (a row is
        never split between slides, so one taller than a slide would fall off it)."""
        if row_height(cells, size, bold) <= room:
            return cells
        out = []
        for col, spans in enumerate(cells[:columns]):
            box = textfit.Box(widths[col], room - 2.0, family, inset_x=7.2, inset_y=3.6)
            if textfit.fits([Para(spans, bold=bold)], box, size):
                out.append(spans)
            else:
                text = "".join(s.text for s in spans)
                out.append([Span(sheet.fit_line(text, box, (size,), bold)[1])])
        return out

    size = min(TABLE_SIZES)
    for candidate in TABLE_SIZES:
        heights = [row_height(r, candidate, False) for r in grid.rows]
        if row_height(grid.header, candidate, True) + sum(heights) <= BODY_HEIGHT:
            size = candidate
            break
    header = capped(grid.header, True, BODY_HEIGHT / 3)
    head = row_height(header, size, True)
    pages: list[Rows] = [[]]
    used = head
    for row in (capped(r, False, BODY_HEIGHT - head) for r in grid.rows):
        tall = row_height(row, size, False)
        if pages[-1] and used + tall > BODY_HEIGHT:
            pages.append([])
            used = head
        pages[-1].append(row)
        used += tall
    laid = []
    for rows in pages:
        every = [header, *rows]
        laid.append((every, [row_height(r, size, n == 0) for n, r in enumerate(every)]))
    return widths, size, laid


def picture(sheet: Sheet, unit: Unit) -> list:
    """The picture as large as the body allows, centred, with its alt text. A drawing (SVG)
    is embedded as a vector for PowerPoint with a raster for everyone else."""
    shown = unit.picture
    fonts = [textfit.font_file(sheet.theme.body_font, bold) for bold in (False, True)]
    # Rendered at twice the widest it can be shown (at 96 px per inch), so it stays sharp.
    image = imaging.picture(sheet.root / shown.path, fonts, width=round(BODY[2] * 96 / 72 * 2))
    slide = sheet.slide(unit.title)
    scale = min((W - 2 * MARGIN) / image.width, BODY_HEIGHT / image.height)
    wide, high = image.width * scale, image.height * scale
    shape = shapes.picture(slide, image.raster, ((W - wide) / 2, BODY_TOP, wide, high))
    if image.svg is not None:
        shapes.add_svg(slide, shape, image.svg, sheet.svg_parts)
    shapes.describe(shape, shown.alt or unit.title)
    return [slide]


def chart(sheet: Sheet, unit: Unit) -> list:
    """A native, editable bar or column chart, values labelled in the locale's format, and
    the sources of its figures under it."""
    figures, colours = unit.figures, sheet.colours
    slide = sheet.slide(unit.title)
    source_top = FOOTER_TOP - 8.0 - 44.0
    frame = shapes.chart(
        slide,
        (MARGIN, BODY_TOP, W - 2 * MARGIN, source_top - BODY_TOP - 6.0),
        bar=unit.chart.kind == "bar",
        name=unit.chart.title,
        bars=[(f.label, f.number, f.value) for f in figures],
        percent=all(f.percent for f in figures),
        family=sheet.theme.body_font,
        colour=colours.text,
        fill_colour=colours.primary,
    )
    summary = "; ".join(f"{f.label}: {f.stated}" for f in figures)
    shapes.describe(frame, f"{unit.chart.title}. {summary}")
    cites = "; ".join(c for c in dict.fromkeys(f.source for f in figures) if c)
    if cites:
        box = (MARGIN, source_top, W - 2 * MARGIN, 44.0)
        size, text = sheet.fit_line(cites, sheet.box(box), (14.0, 12.0, 11.0, 10.0), False)
        sheet.text(slide.shapes, box, [Para([Span(text)])], (size,), colour=colours.muted)
    return [slide]


def figures(sheet: Sheet, unit: Unit) -> list:
    """Up to three figures side by side: the value large, what it measures, its source.
    Each figure is a group, so a screen reader reads one figure whole, then the next."""
    slide = sheet.slide(unit.title)
    colours, gap = sheet.colours, 24.0
    count = len(unit.figures)
    column = (W - 2 * MARGIN - gap * (count - 1)) / count
    for index, figure in enumerate(unit.figures):
        left = MARGIN + index * (column + gap)
        card = shapes.group(slide, f"{figure.label}: {figure.stated}")
        sheet.text(
            card,
            (left, BODY_TOP + 20.0, column, 120.0),
            [Para([Span(figure.stated)], bold=True, align="center")],
            (60.0, 54.0, 48.0, 40.0, 32.0, 28.0),
            colour=colours.primary,
            family=sheet.theme.heading_font,
        )
        where = ", ".join(x for x in (figure.place, figure.when) if x)
        label = figure.label + (f" ({where})" if where else "")
        box = (left, BODY_TOP + 150.0, column, 150.0)
        sheet.text(card, box, [Para([Span(label)], align="center")], (22.0, 20.0, 18.0, 16.0))
        box = (left, BODY_TOP + 310.0, column, 60.0)
        source = [Para([Span(figure.source)], align="center")]
        sheet.text(card, box, source, (14.0, 12.0, 11.0), colour=colours.muted)
    return [slide]


KINDS: dict[str, Callable[[Sheet, Unit], list]] = {
    "title": title_slide,
    "lesson": opening,
    "activity": opening,
    "table": table,
    "picture": picture,
    "chart": chart,
    "figures": figures,
}


def footer(sheet: Sheet, slide, unit: Unit, number: int) -> None:  # noqa: ANN001
    """The session, place and date, and the slide number (not on the title slide): a field
    PowerPoint and LibreOffice keep up to date, holding ``number`` for readers that show it
    as stored. Added when every slide is made, so a screen reader reaches it last."""
    if unit.kind == "title":
        return
    colour = sheet.colours.on_primary if unit.kind in DARK else sheet.colours.muted
    title, after = sheet.footer
    box = (MARGIN, FOOTER_TOP, W - 2 * MARGIN - 80.0, 26.0)
    size, text = sheet.fit_line(title, sheet.box(box), (12.0, 11.0, 10.0), False, ("", after))
    sheet.text(slide.shapes, box, [Para([Span(text)])], (size,), colour=colour)
    number_box = (W - MARGIN - 80.0, FOOTER_TOP, 80.0, 26.0)
    empty = [Para([Span("")], align="right")]
    shape = sheet.text(slide.shapes, number_box, empty, (12.0,), colour=colour)
    shapes.slide_number(shape, number, colour, family=sheet.theme.body_font, lang=sheet.run_lang)
