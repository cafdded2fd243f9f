"""The python-pptx and XML layer: slides of a layout, text in placeholders, footers with the
slide-number field, alt text, pictures with their SVG, native charts and tables, the logo
and speaker notes.

Every text sits in a placeholder of the slide's layout and inherits the master's fonts,
sizes, colours, bullets and spacing: a run carries its emphasis (bold, italic) and language,
nothing else, so a trainer restyles every slide by editing the master or the theme.
Positions come from the layouts; a placeholder is moved only to split it into columns.
What fits was decided by ``textfit`` from the same styles.
"""

from __future__ import annotations

import copy
import functools
import io
from pathlib import Path

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import namespaces, qn
from pptx.oxml.simpletypes import ST_Coordinate, ST_PositiveCoordinate
from pptx.oxml.text import CT_RegularTextRun
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.util import Emu, Pt

from builder.render.decks import textfit
from builder.render.decks.outline import Span
from builder.render.decks.textfit import Para

EMU = textfit.EMU
SLIDE_NUMBER_FIELD = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
SVG_TYPE = "image/svg+xml"
SVG_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # Office's extension id for svgBlip
SVG_BLIP_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"  # Medium Style 2 - Accent 1
NOT_CONTENT = ("TITLE", "CENTER_TITLE", "FOOTER", "SLIDE_NUMBER", "DATE", "HEADER")

Rect = tuple[float, float, float, float]  # left, top, width, height in points


def emu(points: float) -> Emu:
    """Points as the English Metric Units python-pptx places shapes in."""
    return Emu(round(points * EMU))


def new_slide(prs, layout, kept: dict):  # noqa: ANN001, ANN201
    """A slide of ``layout`` added at the end, with the layout's placeholders. The first
    slide of each layout is made by python-pptx and kept (in ``kept``) as it was made; the
    others are copies of it, related as python-pptx relates them (it clones each
    placeholder of the layout anew, looking each one up)."""
    key = ("slide", layout.part)
    model = kept.get(key)
    if model is None:
        slide = prs.slides.add_slide(layout)
        kept[key] = copy.deepcopy(slide._element)  # noqa: SLF001
        return slide
    listed = prs.slides._sldIdLst  # noqa: SLF001
    name = PackURI(f"/ppt/slides/slide{len(listed) + 1}.xml")
    part = SlidePart(name, CT.PML_SLIDE, prs.part.package, copy.deepcopy(model))
    part.relate_to(layout.part, RT.SLIDE_LAYOUT)
    listed.add_sldId(prs.part.relate_to(part, RT.SLIDE))
    return part.slide


# Placeholders found as python-pptx finds them, without its XPath queries (each compiled anew).
_SHAPE_TAGS = frozenset(
    qn(f"p:{tag}") for tag in ("sp", "grpSp", "graphicFrame", "cxnSp", "pic", "contentPart")
)
_NV_PH = f"{qn('p:nvPr')}/{qn('p:ph')}"
_XFRM = f"{qn('p:spPr')}/{qn('a:xfrm')}"
_IDS = etree.XPath("//@id", smart_strings=False)
_NAMES = etree.XPath("//p:cNvPr/@name", namespaces=namespaces("p"), smart_strings=False)


def _ph(element):  # noqa: ANN001, ANN202
    """A shape's ``p:ph`` element (``./*[1]/p:nvPr/p:ph``), None if it is no placeholder."""
    for child in element.iterchildren(etree.Element):
        return child.find(_NV_PH)
    return None


@functools.cache
def _type_name(value: str | None) -> str:
    """A placeholder type's name ('TITLE', 'BODY'...) from its XML value (none: 'OBJECT')."""
    return PP_PLACEHOLDER.from_xml(value).name if value is not None else "OBJECT"


def _placeholders(owner) -> list[tuple[int, str, object]]:  # noqa: ANN001
    """A slide's or layout's placeholders in document order: each one's idx, type name and
    element."""
    found = []
    for element in owner.shapes._spTree.iterchildren():  # noqa: SLF001
        if element.tag in _SHAPE_TAGS and (ph := _ph(element)) is not None:
            found.append((int(ph.get("idx", "0")), _type_name(ph.get("type")), element))
    return found


def title(slide):  # noqa: ANN001, ANN201
    """The slide's title placeholder (idx 0), None if it has none."""
    for idx, _, element in _placeholders(slide):
        if idx == 0:
            return slide.shapes._shape_factory(element)  # noqa: SLF001
    return None


def ph_index(placeholder) -> int:  # noqa: ANN001
    """A placeholder's idx."""
    return int(_ph(placeholder._element).get("idx", "0"))  # noqa: SLF001


def kind(placeholder) -> str:  # noqa: ANN001
    """A placeholder's type name ('TITLE', 'BODY', 'OBJECT', 'PICTURE'...)."""
    ph = _ph(placeholder._element)  # noqa: SLF001
    return _type_name(ph.get("type")) if ph is not None else "OBJECT"


def content(owner) -> list:  # noqa: ANN001
    """The slide's (or layout's) placeholders for content (text, charts, pictures), in
    their layout's order of index."""
    shown = [(idx, e) for idx, name, e in _placeholders(owner) if name not in NOT_CONTENT]
    shown.sort(key=lambda found: found[0])
    return [owner.shapes._shape_factory(e) for _, e in shown]  # noqa: SLF001


def own_rect(shape) -> tuple[int | None, int | None, int | None, int | None]:  # noqa: ANN001
    """A shape's own left, top, width and height in EMU (None where it inherits them)."""
    element = shape._element  # noqa: SLF001
    if element.tag not in (qn("p:sp"), qn("p:pic")):
        return (shape.left, shape.top, shape.width, shape.height)
    xfrm = element.find(_XFRM)
    off = xfrm.find(qn("a:off")) if xfrm is not None else None
    ext = xfrm.find(qn("a:ext")) if xfrm is not None else None
    at = (None, None) if off is None else (off.get("x"), off.get("y"))
    size = (None, None) if ext is None else (ext.get("cx"), ext.get("cy"))
    return (
        *(ST_Coordinate.convert_from_xml(v) if v is not None else None for v in at),
        *(ST_PositiveCoordinate.convert_from_xml(v) if v is not None else None for v in size),
    )


def remove(shape) -> None:  # noqa: ANN001
    """Take a shape (an unused placeholder) off its slide."""
    element = shape._element  # noqa: SLF001
    element.getparent().remove(element)


def place(shape, box: Rect) -> None:  # noqa: ANN001
    """Move and size a shape."""
    shape.left, shape.top = emu(box[0]), emu(box[1])
    shape.width, shape.height = emu(box[2]), emu(box[3])


def inherited_rect(placeholder) -> tuple:  # noqa: ANN001
    """The place and size a placeholder inherits, in EMU: a slide's from its layout's
    placeholder of the same idx, a layout's from the master's of its type."""
    base = placeholder._base_placeholder  # noqa: SLF001
    if base is None:
        return (None, None, None, None)
    return (base.left, base.top, base.width, base.height)


def columns(slide, placeholder, box: Rect, count: int, gap: float) -> list:  # noqa: ANN001
    """The placeholder (at ``box``) split into ``count`` columns side by side, ``gap`` points
    apart: the same placeholder (same style) repeated, each placed over its share of the
    width."""
    left, top, width, height = box
    wide = (width - gap * (count - 1)) / count
    made = [placeholder]
    element = placeholder._element  # noqa: SLF001
    for _ in range(count - 1):
        twin = copy.deepcopy(element)
        element.addnext(twin)
        element = twin
        twin.nvSpPr.cNvPr.id = _next_id(slide)
        made.append(slide.shapes._shape_factory(twin))  # noqa: SLF001
    for index, shape in enumerate(made):
        place(shape, (left + index * (wide + gap), top, wide, height))
    return made


def _next_id(slide) -> int:  # noqa: ANN001
    ids = [int(i) for i in slide.shapes._spTree.xpath("//p:cNvPr/@id")]  # noqa: SLF001
    return max(ids, default=0) + 1


def fill(placeholder, paras: list[Para], lang: str) -> None:  # noqa: ANN001
    """Write paragraphs into a placeholder: each at its list level (a plain paragraph
    without bullet or margin, a numbered item with its number), runs with their emphasis
    and language only. The elements are those python-pptx's ``add_paragraph``,
    ``add_run`` and ``get_or_add_rPr`` make, in the same places, made here directly."""
    body = placeholder.text_frame._txBody  # noqa: SLF001
    for p in body.findall(_A_P)[1:]:
        body.remove(p)
    for index, para in enumerate(paras):
        if index == 0:
            p = body.findall(_A_P)[0]
            for run in p.findall(_A_R):
                p.remove(run)
        else:
            p = etree.SubElement(body, _A_P)
        _bullet(p, para)
        for span in para.spans:
            if not span.text:
                continue
            props = _run(p, span.text).find(_A_RPR)
            props.set("lang", lang)
            if span.bold or para.bold:
                props.set("b", "1")
            if span.italic:
                props.set("i", "1")


_A_P, _A_R, _A_T, _A_BR = qn("a:p"), qn("a:r"), qn("a:t"), qn("a:br")
_A_PPR, _A_RPR, _A_END = qn("a:pPr"), qn("a:rPr"), qn("a:endParaRPr")
_BEFORE_PPR = tuple(qn(f"a:{tag}") for tag in ("r", "br", "fld", "endParaRPr"))
_escape = CT_RegularTextRun._escape_ctrl_chars  # noqa: SLF001 - as a run's text setter escapes


def _run(p, text: str, props: bool = True):  # noqa: ANN001, ANN202
    """A run of ``text`` (with an empty ``a:rPr`` if ``props``) added to paragraph ``p``
    where python-pptx adds one: last, before any ``a:endParaRPr``."""
    run = etree.SubElement(p, _A_R)
    end = p.find(_A_END)
    if end is not None:
        end.addprevious(run)
    if props:
        etree.SubElement(run, _A_RPR)
    etree.SubElement(run, _A_T).text = _escape(text)
    return run


def _paragraph_props(p):  # noqa: ANN001, ANN202
    """The paragraph's ``a:pPr``, added where python-pptx adds it (before the first run,
    break, field or end properties, looked for in that order) if it has none."""
    props = p.find(_A_PPR)
    if props is not None:
        return props
    props = p.makeelement(_A_PPR)
    for tag in _BEFORE_PPR:
        successor = p.find(tag)
        if successor is not None:
            successor.addprevious(props)
            return props
    p.append(props)
    return props


def _set_text(body, text: str) -> None:  # noqa: ANN001
    """A text body's paragraphs replaced by ``text``, as python-pptx's ``TextFrame.text``
    sets them: a paragraph per line, in it a run per piece between vertical tabs and a break
    between them."""
    for p in body.findall(_A_P):
        body.remove(p)
    for line in text.split("\n"):
        p = etree.SubElement(body, _A_P)
        for index, piece in enumerate(line.split("\v")):
            if index > 0:
                brk = etree.SubElement(p, _A_BR)
                end = p.find(_A_END)
                if end is not None:
                    end.addprevious(brk)
            if piece:
                _run(p, piece, props=False)


def _bullet(p, para: Para) -> None:  # noqa: ANN001
    """A paragraph's level: plain (no bullet, no margin), a list level, a number or letter
    in place of the level's bullet, or none for the rest of a split item."""
    props = _paragraph_props(p)
    if para.level > 1:
        props.set("lvl", str(para.level - 1))
    if para.level == 0:
        props.set("marL", "0")
        props.set("indent", "0")
        etree.SubElement(props, qn("a:buNone"))
    elif para.continued:
        props.set("indent", "0")
        etree.SubElement(props, qn("a:buNone"))
    elif para.number is not None:
        scheme = "arabicPeriod" if para.number > 0 else "alphaUcPeriod"
        etree.SubElement(props, qn("a:buAutoNum"), type=scheme, startAt=str(abs(para.number)))


def footer(slide, layout, text: str, number: int, lang: str, kept: dict) -> None:  # noqa: ANN001
    """The layout's footer with ``text`` and its slide number as a field PowerPoint and
    LibreOffice keep up to date (holding ``number`` for readers that show it as stored).
    The first slide of each layout gets them as python-pptx clones them; they are kept (in
    ``kept``) and copied to the others, with the id and name python-pptx would give them."""
    key = ("footer", layout.part)
    models = kept.get(key)
    if models is None:
        kept[key] = [
            copy.deepcopy(made) for made in _first_footer(slide, layout, text, number, lang)
        ]
        return
    tree = slide.shapes._spTree  # noqa: SLF001
    for model in models:
        element = copy.deepcopy(model)
        shape_id = max((int(i) for i in _IDS(tree) if i.isdigit()), default=0) + 1
        named = element[0].find(qn("p:cNvPr"))
        base = named.get("name").rsplit(" ", 1)[0]
        names = set(_NAMES(tree))
        count = shape_id - 1
        while f"{base} {count}" in names:
            count += 1
        named.set("id", str(shape_id))
        named.set("name", f"{base} {count}")
        for field in element.iter(qn("a:fld")):
            if field.get("type") == "slidenum":
                field.find(qn("a:t")).text = str(number)
        end = tree.find(qn("p:extLst"))
        if end is None:
            tree.append(element)
        else:
            end.addprevious(element)


def _first_footer(slide, layout, text: str, number: int, lang: str) -> list:  # noqa: ANN001
    """The footer and slide number added as python-pptx adds them; their elements."""
    made_elements = []
    for placeholder in layout.placeholders:
        name = kind(placeholder)
        if name not in ("FOOTER", "SLIDE_NUMBER"):
            continue
        slide.shapes.clone_placeholder(placeholder)
        made = slide.placeholders[placeholder.placeholder_format.idx]
        made_elements.append(made._element)  # noqa: SLF001
        if name == "FOOTER":
            fill(made, [Para([Span(text)])], lang)
            continue
        paragraph = made.text_frame.paragraphs[0]._p  # noqa: SLF001
        fld = etree.SubElement(paragraph, qn("a:fld"), id=SLIDE_NUMBER_FIELD, type="slidenum")
        etree.SubElement(fld, qn("a:rPr"), lang=lang)
        etree.SubElement(fld, qn("a:t")).text = str(number)
        end = paragraph.find(qn("a:endParaRPr"))
        if end is not None:
            paragraph.remove(end)
            paragraph.append(end)
    return made_elements


def qr_code(placeholder, png: bytes, address: str) -> None:  # noqa: ANN001
    """A QR code in a picture placeholder (square, so nothing is cropped), described for
    screen readers by its address."""
    left, top, width, height = (
        placeholder.left,
        placeholder.top,
        placeholder.width,
        placeholder.height,
    )
    shape = placeholder.insert_picture(io.BytesIO(png))
    shape.crop_left = shape.crop_right = shape.crop_top = shape.crop_bottom = 0
    side = min(width, height)
    shape.left, shape.top = Emu(left + (width - side) // 2), Emu(top + (height - side) // 2)
    shape.width = shape.height = Emu(side)
    describe(shape, f"QR: {address}")


def describe(shape, text: str) -> None:  # noqa: ANN001
    """Alt text for a picture, chart or table (no python-pptx API for it)."""
    shape._element._nvXxPr.cNvPr.set("descr", textfit.xml_text(text))  # noqa: SLF001


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
    top: float,
    height: float,
    widest: float,
    right: float,
) -> None:
    """The logo ``height`` points high (narrowed to ``widest`` if it is wider), its right
    edge at ``right``."""
    shape = slide.shapes.add_picture(str(path), 0, emu(top), height=emu(height))
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
    lang: str = "en-US",
):  # noqa: ANN201
    """A native, editable chart of one series in the theme's colours and fonts: horizontal
    bars (``bar``, the first on top) or columns, each ``(category, value, number format)``;
    no value axis, each bar labelled with its value in its number format (so an edited value
    shows in its new label); a scale from 0 (to at least 100 for percentages). The chart's
    language is ``lang``, so LibreOffice writes the labels' separators as the course does."""
    data = CategoryChartData()
    data.categories = [textfit.one_line(category) for category, _, _ in bars]
    values = [value for _, value, _ in bars]
    data.add_series(textfit.one_line(name), values, number_format=bars[0][2] if bars else None)
    kind_ = XL_CHART_TYPE.BAR_CLUSTERED if bar else XL_CHART_TYPE.COLUMN_CLUSTERED
    frame = slide.shapes.add_chart(kind_, emu(box[0]), emu(box[1]), emu(box[2]), emu(box[3]), data)
    space = frame.chart._chartSpace  # noqa: SLF001
    tag = space.find(qn("c:lang"))
    if tag is None:  # its schema place: first, or after c:date1904
        tag = etree.Element(qn("c:lang"))
        date = space.find(qn("c:date1904"))
        space.insert(0 if date is None else list(space).index(date) + 1, tag)
    tag.set("val", lang)
    plot_chart = frame.chart
    plot_chart.has_legend = False
    plot_chart.has_title = False
    plot_chart.font.size = Pt(16)
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
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(18)
    labels.font.bold = True
    labels.number_format_is_linked = False
    labels.show_value = True
    series = plot.series[0]
    for index, (_, _, number_format) in enumerate(bars):
        label = series.points[index].data_label
        label.position = XL_LABEL_POSITION.OUTSIDE_END
        _number_format(label._get_or_add_dLbl(), number_format)  # noqa: SLF001
    return frame


def _number_format(dlbl, code: str) -> None:  # noqa: ANN001
    """A data label shows its point's value in ``code`` (the element in its schema place:
    after the index and any layout or text, before the rest)."""
    fmt = etree.Element(qn("c:numFmt"), formatCode=code, sourceLinked="0")
    after = [qn(t) for t in ("c:idx", "c:delete", "c:layout", "c:tx")]
    children = list(dlbl)
    at = max((i + 1 for i, c in enumerate(children) if c.tag in after), default=0)
    dlbl.insert(at, fmt)
    if dlbl.find(qn("c:showVal")) is None:
        etree.SubElement(dlbl, qn("c:showVal"), val="1")
    else:
        dlbl.find(qn("c:showVal")).set("val", "1")


def table(
    slide,  # noqa: ANN001
    at: tuple[float, float, float],
    widths: list[float],
    rows: list[list[list[Span]]],
    heights: list[float],
    lang: str,
):  # noqa: ANN201
    """A native table at ``at`` (left, top, width) in the theme's table style (a header row,
    banded rows), columns and rows as wide and high as measured; cells carry only emphasis."""
    columns_ = len(widths)
    frame = slide.shapes.add_table(
        len(rows), columns_, emu(at[0]), emu(at[1]), emu(at[2]), emu(sum(heights))
    )
    frame._element.graphic.graphicData.tbl.tblPr.find(qn("a:tableStyleId")).text = TABLE_STYLE  # noqa: SLF001
    grid = frame.table
    for col, col_width in enumerate(widths):
        grid.columns[col].width = emu(col_width)
    for n, (cells, tall) in enumerate(zip(rows, heights, strict=True)):
        grid.rows[n].height = emu(tall)
        for col in range(columns_):
            spans = cells[col] if col < len(cells) else [Span("")]
            cell = grid.cell(n, col)
            cell.text_frame.word_wrap = True
            fill(cell, [Para(spans)], lang)
    return frame


def reset_notes(slide, text: str, kept: dict) -> None:  # noqa: ANN001
    """Replace the text of the notes ``set_notes`` gave the slide (the same XML as if it had
    been set first)."""
    element = slide.part.notes_slide.part._element  # noqa: SLF001
    _set_text(element.cSld.spTree[kept["notes at"]].get_or_add_txBody(), textfit.xml_text(text))


def set_notes(slide, text: str, number: int, kept: dict) -> None:  # noqa: ANN001
    """The slide's speaker notes, made safe for XML. The deck's first notes slide is made
    as python-pptx makes one, and copied for the others (``kept`` holds it, and where its
    notes text goes): python-pptx looks for a free part name among every part of the
    package for each one, which grows with the deck."""
    part = slide.part
    package = part.package
    model = kept.get("notes")
    if model is None:
        made = NotesSlidePart.new(package, part)
        part.relate_to(made, RT.NOTES_SLIDE)
        kept["notes"] = model = copy.deepcopy(made._element)  # noqa: SLF001
        kept["notes master"] = package.presentation_part.notes_master_part
        body = made.notes_slide.notes_placeholder
        tree = made.notes_slide.shapes._spTree  # noqa: SLF001
        kept["notes at"] = list(tree).index(body._element) if body is not None else None  # noqa: SLF001
        element = made._element  # noqa: SLF001
    else:
        element = copy.deepcopy(model)
        name = PackURI(f"/ppt/notesSlides/notesSlide{number}.xml")
        made = NotesSlidePart(name, CT.PML_NOTES_SLIDE, package, element)
        made.relate_to(kept["notes master"], RT.NOTES_MASTER)
        made.relate_to(part, RT.SLIDE)
        part.relate_to(made, RT.NOTES_SLIDE)
    at = kept["notes at"]
    if at is None:  # python-pptx would fail here too: a notes master without a notes body
        raise ValueError("the notes master has no body placeholder for speaker notes")
    _set_text(element.cSld.spTree[at].get_or_add_txBody(), textfit.xml_text(text))
