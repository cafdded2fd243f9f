"""The python-pptx and XML layer: slides, text boxes with an exact line pitch and hanging
bullets, the slide-number field, alt text, pictures with their SVG, native charts and tables,
the logo and speaker notes.

Positions and sizes come in points, already measured by ``textfit``: nothing here decides
what fits. Every run names its font, size, colour and language, so what PowerPoint and
LibreOffice show is what was measured.
"""

from __future__ import annotations

import io
from pathlib import Path

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from builder.render.decks import textfit
from builder.render.decks.outline import Span
from builder.render.decks.textfit import Para

EMU = 12700  # per point
SLIDE_NUMBER_FIELD = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
SVG_TYPE = "image/svg+xml"
SVG_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # Office's extension id for svgBlip
SVG_BLIP_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
INSET_X, INSET_Y = 7.2, 3.6  # a text frame's or cell's margins in points: PowerPoint's default
ALIGN = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}

Rect = tuple[float, float, float, float]  # left, top, width, height in points


def emu(points: float) -> Emu:
    """Points as the English Metric Units python-pptx places shapes in."""
    return Emu(round(points * EMU))


def rgb(colour: str) -> RGBColor:
    """'#1F5F99' as python-pptx's colour."""
    return RGBColor.from_string(colour.lstrip("#").upper())


def new_slide(prs, layout, background: str):  # noqa: ANN001, ANN201
    """A slide of ``layout`` added at the end, on a solid background."""
    slide = prs.slides.add_slide(layout)
    slide.background.fill.solid()
    slide.background.fill.fore_color.rgb = rgb(background)
    return slide


def place(shape, box: Rect) -> None:  # noqa: ANN001
    """Move and size a shape."""
    shape.left, shape.top = emu(box[0]), emu(box[1])
    shape.width, shape.height = emu(box[2]), emu(box[3])


def set_title(
    slide,  # noqa: ANN001
    box: Rect,
    paras: list[Para],
    size: float,
    colour: str,
    *,
    family: str,
    lang: str,
    middle: bool,
) -> None:
    """Fill the slide's title placeholder, placed at ``box`` (its text centred vertically if
    ``middle``, else from the top)."""
    shape = slide.shapes.title
    place(shape, box)
    frame = shape.text_frame
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE if middle else MSO_ANCHOR.TOP
    fill(frame, paras, size, colour, family=family, lang=lang)


def text_box(
    shapes,  # noqa: ANN001
    box: Rect,
    paras: list[Para],
    size: float,
    colour: str,
    *,
    family: str,
    lang: str,
):  # noqa: ANN201
    """A text box added to ``shapes`` (a slide's or a group's), its text from the top."""
    shape = shapes.add_textbox(emu(box[0]), emu(box[1]), emu(box[2]), emu(box[3]))
    frame = shape.text_frame
    frame.vertical_anchor = MSO_ANCHOR.TOP
    fill(frame, paras, size, colour, family=family, lang=lang)
    return shape


def fill(
    frame,  # noqa: ANN001
    paras: list[Para],
    size: float,
    colour: str,
    *,
    family: str,
    lang: str,
) -> None:
    """Write paragraphs into a text frame: exact line pitch, explicit fonts on every run."""
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = emu(INSET_X)
    frame.margin_top = frame.margin_bottom = emu(INSET_Y)
    for index, para in enumerate(paras):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        own = size * para.scale
        paragraph.line_spacing = Pt(own * textfit.LINE)
        paragraph.space_before = Pt(para.space * own * textfit.LINE if index else 0)
        paragraph.alignment = ALIGN[para.align]
        _bullet(paragraph, para, own, family)
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
            font.color.rgb = rgb(para.colour or colour)
            font._rPr.set("lang", lang)  # noqa: SLF001 - no API for the language


def _bullet(paragraph, para: Para, size: float, family: str) -> None:  # noqa: ANN001
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


def slide_number(shape, number: int, colour: str, *, family: str, lang: str) -> None:  # noqa: ANN001
    """Make a text box's empty first paragraph the slide-number field: a field PowerPoint and
    LibreOffice keep up to date, holding ``number`` for readers that show it as stored."""
    paragraph = shape.text_frame.paragraphs[0]._p  # noqa: SLF001
    for run in paragraph.findall(qn("a:r")):
        paragraph.remove(run)
    fld = etree.SubElement(paragraph, qn("a:fld"), id=SLIDE_NUMBER_FIELD, type="slidenum")
    props = etree.SubElement(fld, qn("a:rPr"), lang=lang, sz="1200")
    solid = etree.SubElement(props, qn("a:solidFill"))
    etree.SubElement(solid, qn("a:srgbClr"), val=colour.lstrip("#").upper())
    etree.SubElement(props, qn("a:latin"), typeface=family)
    etree.SubElement(fld, qn("a:t")).text = str(number)
    end = paragraph.find(qn("a:endParaRPr"))
    if end is not None:
        paragraph.remove(end)
        paragraph.append(end)


def describe(shape, text: str) -> None:  # noqa: ANN001
    """Alt text for a picture, chart or table (no python-pptx API for it)."""
    shape._element._nvXxPr.cNvPr.set("descr", textfit.xml_text(text))  # noqa: SLF001


def group(slide, name: str):  # noqa: ANN001, ANN201
    """An empty group shape on the slide, named (a screen reader reads a group whole); its
    shapes, to add to."""
    card = slide.shapes.add_group_shape()
    card.name = textfit.one_line(name)
    return card.shapes


def picture(slide, raster: bytes, box: Rect):  # noqa: ANN001, ANN201
    """A raster picture stretched to ``box``."""
    return slide.shapes.add_picture(
        io.BytesIO(raster), emu(box[0]), emu(box[1]), emu(box[2]), emu(box[3])
    )


def add_svg(slide, shape, svg: bytes, parts: dict[bytes, Part]) -> None:  # noqa: ANN001
    """Add the SVG beside a picture's raster, as Office 2016 does (an ``asvg:svgBlip``
    extension of the blip): PowerPoint draws the vector, older readers the raster. ``parts``
    holds one part per drawing, however often it is shown."""
    package = slide.part.package
    svg_part = parts.get(svg)
    if svg_part is None:
        svg_part = Part(package.next_image_partname("svg"), SVG_TYPE, package, svg)
        parts[svg] = svg_part
    rel_id = slide.part.relate_to(svg_part, RT.IMAGE)
    blip = shape._element.blipFill.find(qn("a:blip"))  # noqa: SLF001
    ext = etree.SubElement(etree.SubElement(blip, qn("a:extLst")), qn("a:ext"), uri=SVG_EXT)
    svg_blip = etree.SubElement(ext, f"{{{SVG_BLIP_NS}}}svgBlip", nsmap={"asvg": SVG_BLIP_NS})
    svg_blip.set(qn("r:embed"), rel_id)


def logo(
    slide,  # noqa: ANN001
    path: Path,
    alt: str,
    *,
    left: float,
    top: float,
    height: float,
    widest: float,
    right: float,
) -> None:
    """The logo ``height`` points high (narrowed to ``widest`` if it is wider), its right
    edge at ``right``."""
    shape = slide.shapes.add_picture(str(path), emu(left), emu(top), height=emu(height))
    if shape.width > emu(widest):
        ratio = widest * EMU / shape.width
        shape.width = emu(widest)
        shape.height = Emu(round(shape.height * ratio))
    shape.left = Emu(round(right * EMU - shape.width))
    describe(shape, alt)


def chart(
    slide,  # noqa: ANN001
    box: Rect,
    *,
    bar: bool,
    name: str,
    bars: list[tuple[str, float, str]],
    percent: bool,
    family: str,
    colour: str,
    fill_colour: str,
):  # noqa: ANN201
    """A native, editable chart of one series: horizontal bars (``bar``, the first on top) or
    columns, each ``(category, value, label)``; no axis labels, each bar labelled instead; a
    scale from 0 (to at least 100 for percentages)."""
    data = CategoryChartData()
    data.categories = [textfit.one_line(category) for category, _, _ in bars]
    values = [value for _, value, _ in bars]
    data.add_series(textfit.one_line(name), values)
    kind = XL_CHART_TYPE.BAR_CLUSTERED if bar else XL_CHART_TYPE.COLUMN_CLUSTERED
    frame = slide.shapes.add_chart(kind, emu(box[0]), emu(box[1]), emu(box[2]), emu(box[3]), data)
    plot_chart = frame.chart
    plot_chart.has_legend = False
    plot_chart.has_title = False
    plot_chart.font.size = Pt(16)
    plot_chart.font.name = family
    plot_chart.font.color.rgb = rgb(colour)
    axis = plot_chart.value_axis
    axis.minimum_scale = 0
    if percent:
        axis.maximum_scale = max(100.0, *values)
    axis.has_major_gridlines = False
    axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
    if bar:
        plot_chart.category_axis.reverse_order = True  # the first fact on top, as written
    plot = plot_chart.plots[0]
    plot.gap_width = 60
    series = plot.series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = rgb(fill_colour)
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(18)
    labels.font.bold = True
    for index, (_, _, shown) in enumerate(bars):
        label = series.points[index].data_label
        label.position = XL_LABEL_POSITION.OUTSIDE_END
        text = label.text_frame
        text.text = textfit.one_line(shown)
        for run in text.paragraphs[0].runs:
            run.font.size = Pt(18)
            run.font.bold = True
    return frame


def table(
    slide,  # noqa: ANN001
    at: tuple[float, float, float],
    widths: list[float],
    rows: list[list[list[Span]]],
    heights: list[float],
    size: float,
    *,
    family: str,
    lang: str,
    colours: tuple[str, str, str],
):  # noqa: ANN201
    """A native table at ``at`` (left, top, width): the first row a header in white on the primary
    colour (``colours``: primary, on primary, text), columns and rows as wide and high as
    measured, every cell's text at ``size``."""
    primary, on_primary, text = colours
    columns = len(widths)
    frame = slide.shapes.add_table(
        len(rows), columns, emu(at[0]), emu(at[1]), emu(at[2]), emu(sum(heights))
    )
    grid = frame.table
    for col, col_width in enumerate(widths):
        grid.columns[col].width = emu(col_width)
    for n, (cells, tall) in enumerate(zip(rows, heights, strict=True)):
        grid.rows[n].height = emu(tall)
        for col in range(columns):
            spans = cells[col] if col < len(cells) else [Span("")]
            cell = grid.cell(n, col)
            cell.margin_left = cell.margin_right = emu(INSET_X)
            cell.margin_top = cell.margin_bottom = emu(INSET_Y)
            frame_text = cell.text_frame
            frame_text.word_wrap = True
            if n == 0:
                cell.fill.solid()
                cell.fill.fore_color.rgb = rgb(primary)
            colour = on_primary if n == 0 else text
            fill(frame_text, [Para(spans, bold=n == 0)], size, colour, family=family, lang=lang)
    return frame


def set_notes(slide, text: str) -> None:  # noqa: ANN001
    """The slide's speaker notes, made safe for XML."""
    slide.notes_slide.notes_text_frame.text = textfit.xml_text(text)
