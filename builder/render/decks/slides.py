"""The slide kinds: each unit of the plan laid out on one slide or more of its layout, through
``shapes``.

A slide is made from the layout for its kind (``package.LAYOUTS``, found by name in the
template) and its text goes into the layout's placeholders, styled by the master. Text is
measured with ``textfit`` against the same styles (``package.frame``), so nothing overflows: a
unit's text that does not fit its placeholder continues on slides titled '(continued)', a
table's rows under its header. Every slide's title is its first shape; the footer and the
slide number, added when every slide is made, are its last, so a screen reader reaches them
last. Positions are in points.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path

from builder import i18n
from builder.course import imaging, sessions
from builder.course.model import Course, Deck
from builder.render import qr
from builder.render.decks import package, shapes, textfit
from builder.render.decks.outline import Span
from builder.render.decks.plan import Unit
from builder.render.decks.shapes import EMU
from builder.render.decks.textfit import Box, Para

GAP = 24.0  # points between columns
Rows = list[list[list[Span]]]  # a table's rows of cells, each cell runs of text
# The layout each kind of unit is laid out on.
LAYOUT_OF = {
    "title": "title",
    "agenda": "agenda",
    "lesson": "section",
    "activity": "section",
    "list": "content",
    "text": "content",
    "table": "plain",
    "picture": "plain",
    "chart": "chart",
    "figures": "figures",
    "question": "question",
    "answer": "answer",
    "closing": "content",  # with a link: "closing"
    "sources": "content",
}


class Sheet:
    """One deck being laid out: its presentation (the template, sized and themed), the
    layout of each kind, the language its runs are tagged with, and what was read once
    (each layout's placeholders, where they are and how they set text, the footer, the first
    slide of each layout and its footer, copied for the others)."""

    def __init__(self, course: Course, deck: Deck) -> None:
        self.theme = course.theme
        self.root = Path(course.root)
        self.logo_alt = course.theme.logo_alt or course.info.publisher or ""
        lang = sessions.language(course, deck)
        self.run_lang = package.LANG_TAGS.get(course.info.language, course.info.language)
        before, _, after = i18n.gettext(lang, "{title} (continued)").partition("{title}")
        self.continued = (before, after)
        parts = [deck.place] if deck.place else []
        if deck.date:
            parts.append(i18n.date(deck.date, lang))
        self.footer_text = (deck.title, "".join(" · " + part for part in parts))  # kept whole
        self.prs = package.template(self.root)
        own = (self.root / package.COURSE_TEMPLATE).is_file()
        package.set_size(self.prs, deck.aspect)
        if not own or course.theme.where.path:  # theme.yml restyles any template
            colours = course.theme.colours
            package.apply_theme(
                self.prs,
                primary=colours.primary,
                on_primary=colours.on_primary,
                text=colours.text,
                background=colours.background,
                muted=colours.muted,
                heading_font=course.theme.heading_font,
                body_font=course.theme.body_font,
            )
        self.fonts = package.theme_fonts(self.prs)
        self.layouts = package.layouts(self.prs)
        self.width = self.prs.slide_width / EMU
        self.frames: dict[tuple, package.Frame] = {}
        self.rects: dict[tuple[int, int, bool], tuple] = {}  # what each inherits, in EMU
        self.layout_of: dict[int, object] = {}  # each slide's part: its layout's part
        self.contents: dict[str, list] = {}  # each kind's layout: its content placeholders
        self.footers: dict[int, str] = {}
        self.svg_parts: dict[bytes, object] = {}  # one part per drawing, however often shown
        self.kept: dict = {}  # the first slide of each layout, its footer, the first notes

    def _key(self, placeholder) -> tuple[int, int, bool]:  # noqa: ANN001
        """The placeholder's layout (a slide's, or the layout it is on), its idx, and whether
        it is on a slide."""
        part = placeholder.part
        layout = self.layout_of.get(id(part))
        if layout is None:
            layout = part.slide_layout.part
        return (id(layout), shapes.ph_index(placeholder), layout is not part)

    def frame(self, placeholder) -> package.Frame:  # noqa: ANN001
        """Where a placeholder sits and how it sets text, read once per layout."""
        key = self._key(placeholder)[:2]
        if key not in self.frames:
            self.frames[key] = package.frame(placeholder, self.fonts)
        return self.frames[key]

    def emus(self, placeholder) -> tuple[int, int, int, int]:  # noqa: ANN001
        """Where a placeholder is now, in EMU: its own place and size, else its layout's
        (each read once per layout)."""
        own = shapes.own_rect(placeholder)
        if None not in own:
            return own  # type: ignore[return-value]
        key = self._key(placeholder)
        if key not in self.rects:
            self.rects[key] = shapes.inherited_rect(placeholder)
        pairs = zip(own, self.rects[key], strict=True)
        return tuple(o if o is not None else b for o, b in pairs)  # type: ignore[return-value]

    def rect(self, placeholder) -> tuple[float, float, float, float]:  # noqa: ANN001
        """Where a placeholder is now, in points."""
        return tuple(v / EMU for v in self.emus(placeholder))  # type: ignore[return-value]

    def box(self, placeholder) -> Box:  # noqa: ANN001
        """The placeholder's box for measuring, where it is now (split into columns, or
        grown)."""
        look = self.frame(placeholder).look
        _, _, width, height = self.rect(placeholder)
        return Box(width, height, look)

    def content(self, kind: str) -> list:
        """The content placeholders of the kind's layout (read once)."""
        if kind not in self.contents:
            self.contents[kind] = shapes.content(self.layouts[kind])
        return self.contents[kind]

    def slide(self, kind: str, title: str, *, continued: bool = False):  # noqa: ANN201
        """A slide of the kind's layout with its title, cut with '…' if it does not fit; a
        ``continued`` slide's title says so, however much of the title is cut."""
        layout = self.layouts[kind]
        slide = shapes.new_slide(self.prs, layout, self.kept)
        self.layout_of[id(slide.part)] = layout.part
        holder = shapes.title(slide)
        around = self.continued if continued else ("", "")
        text = textfit.fit_line(title, self.box(holder), False, around)
        shapes.fill(holder, [Para([Span(text)])], self.run_lang)
        return slide

    def text(self, placeholder, paras: list[Para]) -> None:  # noqa: ANN001
        """Paragraphs into a placeholder; the caller has made sure they fit (or, for a
        short unit, cuts the last ones that do not)."""
        box = self.box(placeholder)
        while len(paras) > 1 and not textfit.fits(paras, box):
            paras = paras[:-1]
        if paras and not textfit.fits(paras, box):
            text = textfit.fit_line(paras[0].text, box, paras[0].bold)
            paras = [Para([Span(text)], level=paras[0].level, bold=paras[0].bold)]
        shapes.fill(placeholder, paras, self.run_lang)

    def area(self, slide) -> tuple[float, float, float, float]:  # noqa: ANN001
        """Where a table, picture or chart goes: the first content placeholder's place (the
        placeholder is taken off), else between the title and the footer."""
        holders = shapes.content(slide)
        if holders:
            holder = holders[0]
            found = self.rect(holder)
            shapes.remove(holder)
            return found
        left, top, width, height = self.emus(shapes.title(slide))
        top = (top + height) / EMU + 12.0
        bottom = self.prs.slide_height / EMU - 40.0
        for holder in slide.slide_layout.placeholders:
            if shapes.kind(holder) == "FOOTER":
                bottom = holder.top / EMU - 8.0
        return (left / EMU, top, width / EMU, bottom - top)


def lay_out(sheet: Sheet, unit: Unit) -> list:
    """The slides a unit takes, made in order at the end of the deck."""
    return KINDS.get(unit.kind, paged)(sheet, unit)


def paged(sheet: Sheet, unit: Unit) -> list:
    """A text in the layout's content placeholder (two columns for a split text), on as
    many slides as it takes, the later ones titled '(continued)'. A unit with no text is a
    slide with its title alone."""
    kind = LAYOUT_OF[unit.kind]
    if not unit.paras:
        return [sheet.slide("plain", unit.title)]
    if unit.split is not None:
        return _two_columns(sheet, unit)
    holders = sheet.content(kind)
    pages = textfit.paginate(unit.paras, sheet.box(holders[0])) if holders else [unit.paras]
    return [_text_slide(sheet, kind, unit, page, index > 0) for index, page in enumerate(pages)]


def _text_slide(sheet: Sheet, kind: str, unit: Unit, page: list[Para], continued: bool):  # noqa: ANN202
    """A slide of the kind's layout with one page of text in its first content placeholder
    (the others taken off), titled '(continued)' after the first."""
    slide = sheet.slide(kind, unit.title, continued=continued)
    holders = shapes.content(slide)
    if holders:
        sheet.text(holders[0], page)
    for extra in holders[1:]:
        shapes.remove(extra)
    return slide


def _two_columns(sheet: Sheet, unit: Unit) -> list:
    """A text in two columns, each paged on its own; the slides pair their pages."""
    left, right = unit.paras[: unit.split], unit.paras[unit.split :]
    made, pages = [], None
    index = 0
    while pages is None or index < len(pages):
        slide = sheet.slide("two", unit.title, continued=index > 0)
        holders = shapes.content(slide)
        if len(holders) < 2:
            holders = shapes.columns(slide, holders[0], sheet.rect(holders[0]), 2, GAP)
        for extra in holders[2:]:
            shapes.remove(extra)
        if pages is None:
            sides = [
                textfit.paginate(part, sheet.box(holder))
                for part, holder in zip((left, right), holders, strict=True)
            ]
            count = max(len(p) for p in sides)
            pages = [[side[n] if n < len(side) else [] for side in sides] for n in range(count)]
        for holder, paras in zip(holders, pages[index], strict=True):
            if paras:
                sheet.text(holder, paras)
            else:
                shapes.remove(holder)
        made.append(slide)
        index += 1
    return made


def closing(sheet: Sheet, unit: Unit) -> list:
    """A lesson's key points (or the deck's sources) with the online course's address and
    its QR code beside them; without an address, a text like any other."""
    if not unit.link:
        return paged(sheet, unit)
    holders = sheet.content("closing")
    pages = textfit.paginate(unit.paras, sheet.box(holders[0])) if holders else [unit.paras]
    slide = sheet.slide("closing", unit.title)
    made = [slide]
    holders = shapes.content(slide)
    texts = [pages[0], [], [Para([Span(unit.link)])]]
    for index, holder in enumerate(holders):
        if index == 1 and shapes.kind(holder) == "PICTURE":
            shapes.qr_code(holder, qr.png(unit.link), unit.link)
        elif index < len(texts) and texts[index]:
            sheet.text(holder, texts[index])
        else:
            shapes.remove(holder)
    made += [_text_slide(sheet, "content", unit, page, True) for page in pages[1:]]
    return made


def title_slide(sheet: Sheet, unit: Unit) -> list:
    """The session's title, the logo, the lines under it."""
    slide = sheet.slide("title", unit.title)
    logo = sheet.theme.logo
    if logo and (sheet.root / logo).is_file():  # read after the title, before the lines
        shapes.logo(
            slide,
            sheet.root / logo,
            sheet.logo_alt,
            top=30.0,
            height=90.0,
            widest=200.0,
            right=sheet.width - 48.0,
        )
    _fill_or_drop(sheet, slide, [unit.paras])
    return [slide]


def _fill_or_drop(sheet: Sheet, slide, texts: list[list[Para]]) -> None:  # noqa: ANN001
    """Each text into the slide's content placeholders in turn; texts beyond the last
    placeholder go into it too, and placeholders left empty are taken off."""
    holders = shapes.content(slide)
    texts = [t for t in texts]
    if holders and len(texts) > len(holders):
        texts = texts[: len(holders) - 1] + [[p for t in texts[len(holders) - 1 :] for p in t]]
    for index, holder in enumerate(holders):
        paras = texts[index] if index < len(texts) else []
        if paras and shapes.kind(holder) != "PICTURE":
            sheet.text(holder, paras)
        else:
            shapes.remove(holder)


def opening(sheet: Sheet, unit: Unit) -> list:
    """A lesson's or an activity's title on the section layout, its times below it."""
    slide = sheet.slide("section", unit.title)
    _fill_or_drop(sheet, slide, [unit.paras])
    return [slide]


def table(sheet: Sheet, unit: Unit) -> list:
    """A native table; rows that do not fit go to a following slide under the header."""
    slide = sheet.slide("plain", unit.title)
    area = sheet.area(slide)
    size = table_size(sheet.prs)
    widths, pages = _table_pages(sheet, unit, area, size)
    made = []
    for index, (rows, heights) in enumerate(pages):
        if index:
            slide = sheet.slide("plain", unit.title, continued=True)
            sheet.area(slide)
        frame = shapes.table(slide, area[:3], widths, rows, heights, sheet.run_lang)
        shapes.describe(frame, unit.title)
        made.append(slide)
    return made


def table_size(prs) -> float:  # noqa: ANN001
    """The size a table's text takes: the master's style for other text."""
    master = prs.slide_master._element  # noqa: SLF001
    found = master.xpath(".//p:txStyles/p:otherStyle/a:lvl1pPr/a:defRPr/@sz")
    return int(found[0]) / 100 if found else 18.0


def _table_pages(
    sheet: Sheet, unit: Unit, area: tuple[float, float, float, float], size: float
) -> tuple[list[float], list[tuple[Rows, list]]]:
    """The table's column widths (by their longest text) and its pages: the header, then
    the rows that fit, with each row's height. A row taller than a slide has its cells cut
    with '…'."""
    grid, family = unit.table, sheet.fonts[1]
    columns = len(grid.header)
    room = area[3]
    weights = []
    for col in range(columns):
        cells = [grid.header[col]] + [r[col] for r in grid.rows if col < len(r)]
        longest = max(textfit.width("".join(s.text for s in c), family, 16.0) for c in cells)
        weights.append(min(max(longest, 80.0), 420.0))
    widths = [area[2] * w / sum(weights) for w in weights]

    def row_height(cells: list[list[Span]], bold: bool) -> float:
        tallest = 0.0
        for col, spans in enumerate(cells[:columns]):
            box = Box.plain(widths[col], 10_000.0, family, size, bold)
            tallest = max(tallest, textfit.height([Para(spans)], box))
        return tallest + 2 * 3.6 + 2.0

    def capped(cells: list[list[Span]], bold: bool, limit: float) -> list[list[Span]]:
        """The row, its cells cut with '…' if it is taller than ``limit`` points (a row is
        never split between slides, so one taller than a slide would fall off it)."""
        if row_height(cells, bold) <= limit:
            return cells
        out = []
        for col, spans in enumerate(cells[:columns]):
            box = Box.plain(widths[col], limit - 2.0, family, size, bold)
            if textfit.fits([Para(spans)], box):
                out.append(spans)
            else:
                out.append([Span(textfit.fit_line("".join(s.text for s in spans), box))])
        return out

    header = capped(grid.header, True, room / 3)
    head = row_height(header, True)
    pages: list[Rows] = [[]]
    used = head
    for row in (capped(r, False, room - head) for r in grid.rows):
        tall = row_height(row, False)
        if pages[-1] and used + tall > room:
            pages.append([])
            used = head
        pages[-1].append(row)
        used += tall
    laid = []
    for rows in pages:
        every = [header, *rows]
        laid.append((every, [row_height(r, n == 0) for n, r in enumerate(every)]))
    return widths, laid


def picture(sheet: Sheet, unit: Unit) -> list:
    """The picture as large as the layout's content area allows, centred, with its alt
    text. A drawing (SVG) is embedded as a vector for PowerPoint with a raster for everyone
    else."""
    shown = unit.picture
    slide = sheet.slide("plain", unit.title)
    left, top, wide, high = sheet.area(slide)
    fonts = [textfit.font_file(sheet.fonts[1], bold) for bold in (False, True)]
    # Rendered at 144 px per inch: a 16:9 slide (13.33 in) is 1,920 px wide, a full-HD
    # projector's width, so the raster is shown at 1:1 or smaller on the projectors trainers
    # meet (PowerPoint 2016 and later draw the vector anyway). Twice 96 px per inch cost 1.8
    # times the rendering time for pixels no projector shows.
    image = imaging.picture(sheet.root / shown.path, fonts, width=round(wide * 144 / 72))
    scale = min(wide / image.width, high / image.height)
    width, height = image.width * scale, image.height * scale
    box = (left + (wide - width) / 2, top, width, height)
    shape = shapes.picture(slide, image.raster, box)
    if image.svg is not None:
        shapes.add_svg(slide, shape, image.svg, sheet.svg_parts)
    shapes.describe(shape, shown.alt or unit.title)
    return [slide]


def chart(sheet: Sheet, unit: Unit) -> list:
    """A native, editable bar or column chart, each value labelled in its number format,
    and the sources of its figures under it (in the layout's second placeholder)."""
    figures = unit.figures
    slide = sheet.slide("chart", unit.title)
    holders = shapes.content(slide)
    cites = _joined([c for c in dict.fromkeys(f.source for f in figures) if c])
    if len(holders) > 1:
        if cites:
            box = sheet.box(holders[1])
            sheet.text(holders[1], [Para([Span(textfit.fit_line(cites, box))])])
        else:
            shapes.remove(holders[1])
    elif cites:
        unit.notes.append(cites)
    area = sheet.area(slide)
    frame = shapes.chart(
        slide,
        area,
        bar=unit.chart.kind == "bar",
        name=unit.chart.title,
        bars=[(f.label, f.number, f.number_format) for f in figures],
        percent=all(f.percent for f in figures),
        lang=sheet.run_lang,
    )
    if len(holders) > 1 and cites:  # read the chart before the sources under it
        holders[1]._element.addprevious(frame._element)  # noqa: SLF001
    summary = "; ".join(f"{f.label}: {f.stated}" for f in figures)
    shapes.describe(frame, f"{unit.chart.title}. {summary}")
    return [slide]


def _joined(lines: list[str]) -> str:
    """Source lines as one, their shared lead said once: 'Nguồn: Báo A, 6/10/2022; Báo B'."""
    shared = os.path.commonprefix(lines) if len(lines) > 1 else ""
    lead = shared[: shared.rfind(": ") + 2] if ": " in shared else ""
    return lead + "; ".join(line[len(lead) :] for line in lines)


def figures(sheet: Sheet, unit: Unit) -> list:
    """Up to three figures side by side, each in a column of the layout's placeholder: the
    value large, what it measures (where and when), its source."""
    slide = sheet.slide("figures", unit.title)
    holders = shapes.content(slide)
    count = len(unit.figures)
    columns = (
        shapes.columns(slide, holders[0], sheet.rect(holders[0]), count, GAP)
        if count > 1
        else holders[:1]
    )
    for extra in holders[1:]:
        shapes.remove(extra)
    for holder, figure in zip(columns, unit.figures, strict=True):
        where = ", ".join(x for x in (figure.place, figure.when) if x)
        label = figure.label + (f" ({where})" if where else "")
        paras = [
            Para([Span(figure.stated)], level=1),
            Para([Span(label)], level=2),
            Para([Span(figure.source)], level=3),
        ]
        sheet.text(holder, paras)
    return [slide]


def question(sheet: Sheet, unit: Unit) -> list:
    """A question: its prompt in the first placeholder, its choices in the second (in two
    columns for matching); with one placeholder, both in it."""
    slide = sheet.slide("question", unit.title)
    prompt, choices = unit.paras, unit.more
    holders = shapes.content(slide)
    if len(holders) > 1:
        _make_room(sheet, holders[0], holders[1], prompt)
    if unit.split is not None and len(holders) > 1:
        return _matching(sheet, unit, slide)
    return _two_parts(sheet, "question", unit, slide, prompt, choices)


def _matching(sheet: Sheet, unit: Unit, slide) -> list:  # noqa: ANN001
    """A matching question: the prompt above, the items to match on the left and what they
    match on the right, each column paged on its own where it does not fit (the slides,
    '(continued)' after the first, pair their pages; the prompt is on each). Matches that fit
    on one slide are shown beside every page of items, so each item has them all in view."""
    prompt, choices = unit.paras, unit.more
    sides = (choices[: unit.split], choices[unit.split :])
    made, pages = [], None
    while pages is None or len(made) < len(pages):
        if made:
            slide = sheet.slide("question", unit.title, continued=True)
            holders = shapes.content(slide)
            _make_room(sheet, holders[0], holders[1], prompt)
        holders = shapes.content(slide)
        for extra in holders[2:]:
            shapes.remove(extra)
        columns = shapes.columns(slide, holders[1], sheet.rect(holders[1]), 2, GAP)
        if pages is None:
            boxes = [sheet.box(column) for column in columns]
            paged = [textfit.paginate(side, box) for side, box in zip(sides, boxes, strict=True)]
            if len(paged[1]) == 1:  # the matches fit: beside every page of items, all of them
                paged[1] *= len(paged[0])
            elif unit.pairs:  # they do not: each slide its items with their own matches
                paged = _own_matches(sides, unit.pairs, boxes) or paged
            count = max(len(p) for p in paged)
            pages = [[side[n] if n < len(side) else [] for side in paged] for n in range(count)]
        sheet.text(holders[0], prompt)
        for column, paras in zip(columns, pages[len(made)], strict=True):
            if paras:
                sheet.text(column, paras)
            else:
                shapes.remove(column)
        made.append(slide)
    return made


def _own_matches(
    sides: tuple[list[Para], list[Para]], pairs: list[int], boxes: list[textfit.Box]
) -> list[list[list[Para]]] | None:
    """A matching question's items in runs that fit one slide each with their own matches,
    lettered afresh on each (in the order of the whole list): each slide a small matching
    exercise of its own, no item's match on another slide. ``None`` when an item and its
    match do not fit on a slide together."""
    items, matches = sides
    runs: list[list[int]] = []
    run: list[int] = []

    def fits(chosen: list[int]) -> bool:
        left = [items[i] for i in chosen]
        right = _lettered([matches[pairs[i]] for i in sorted(chosen, key=pairs.__getitem__)])
        return all(
            len(textfit.paginate(paras, box)) == 1
            for paras, box in zip((left, right), boxes, strict=True)
        )

    for index in range(len(items)):
        if fits([*run, index]):
            run.append(index)
        elif run and fits([index]):
            runs.append(run)
            run = [index]
        else:
            return None
    runs.append(run)
    left = [[items[i] for i in chosen] for chosen in runs]
    right = [
        _lettered([matches[pairs[i]] for i in sorted(chosen, key=pairs.__getitem__)])
        for chosen in runs
    ]
    return [left, right]


def _lettered(paras: list[Para]) -> list[Para]:
    """The paragraphs lettered A, B, C... in their order."""
    return [dataclasses.replace(p, number=-n) for n, p in enumerate(paras, start=1)]


def _two_parts(  # noqa: PLR0913
    sheet: Sheet,
    kind: str,
    unit: Unit,
    slide,
    first: list[Para],
    second: list[Para],  # noqa: ANN001
) -> list:
    """``first`` (the prompt) in the slide's first placeholder, ``second`` (choices, or the
    answer and its explanation) in the second; nothing is cut: what of ``second`` does not
    fit continues on slides titled '(continued)', the prompt repeated above it."""
    holders = shapes.content(slide)
    if len(holders) < 2 or not second:
        _fill_or_drop(sheet, slide, [first, second])
        return [slide]
    pages = textfit.paginate(second, sheet.box(holders[1]))
    made = [slide]
    for index, page in enumerate(pages):
        if index:
            slide = sheet.slide(kind, unit.title, continued=True)
            holders = shapes.content(slide)
            _make_room(sheet, holders[0], holders[1], first)
            made.append(slide)
        _fill_or_drop(sheet, slide, [first, page])
    return made


def _make_room(sheet: Sheet, first, second, paras: list[Para]) -> None:  # noqa: ANN001
    """Grow the first placeholder down over the second when its text needs it (a long
    question), so the question and its choices share the slide."""
    box = sheet.box(first)
    look = box.look
    need = textfit.height(paras, box) + look.insets[1] + look.insets[3] + 2.0
    if need <= box.height:
        return
    left, top, width, _ = sheet.rect(first)
    second_left, second_top, second_width, _ = sheet.rect(second)
    emus = sheet.emus(second)
    bottom = (emus[1] + emus[3]) / EMU
    gap = second_top - (top + box.height)
    grown = min(need, bottom - top - gap - 60.0)
    shapes.place(first, (left, top, width, grown))
    below = top + grown + gap
    shapes.place(second, (second_left, below, second_width, bottom - below))


def answer(sheet: Sheet, unit: Unit) -> list:
    """The question again, small; the answer and its explanation."""
    slide = sheet.slide("answer", unit.title)
    holders = shapes.content(slide)
    if len(holders) > 1:
        _make_room(sheet, holders[0], holders[1], unit.paras)
    return _two_parts(sheet, "answer", unit, slide, unit.paras, unit.more)


KINDS: dict[str, Callable[[Sheet, Unit], list]] = {
    "title": title_slide,
    "lesson": opening,
    "activity": opening,
    "table": table,
    "picture": picture,
    "chart": chart,
    "figures": figures,
    "question": question,
    "answer": answer,
    "closing": closing,
    "sources": closing,
}


def footer(sheet: Sheet, slide, unit: Unit, number: int) -> None:  # noqa: ANN001
    """The session, place and date, and the slide number (not on the title slide), in the
    layout's footer placeholders. Added when every slide is made, so a screen reader
    reaches them last."""
    if unit.kind == "title":
        return
    layout = slide.slide_layout
    key = id(layout)
    if key not in sheet.footers:
        text = ""
        for holder in layout.placeholders:
            if shapes.kind(holder) == "FOOTER":
                found = package.frame(holder, sheet.fonts)
                box = Box(found.width, found.height, found.look)
                title, after = sheet.footer_text
                text = textfit.fit_line(title, box, False, ("", after))
        sheet.footers[key] = text
    shapes.footer(slide, layout, sheet.footers[key], number, sheet.run_lang, sheet.kept)
