"""The deck as a file: its template (the shipped one, or the course's ``slides/template.pptx``)
with the layout for each kind of slide found by name, the theme's colours and fonts from
``slides/theme.yml``, the slide size, what each placeholder's text looks like (read from the
master and layouts, for measuring), its document properties, and saved bytes that are the same
for the same deck (fixed zip times, fixed dates in chart workbooks)."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.serialized import PackageWriter
from pptx.oxml.ns import qn
from pptx.util import Emu

from builder.course.load import COURSE_TEMPLATE
from builder.render.decks import textfit

TEMPLATE_NAME = "deck.pptx"
SLIDE_WIDTH = 12192000  # 13.333 in: 16:9
SLIDE_HEIGHT = 6858000  # 7.5 in
ASPECTS = {"16:9": SLIDE_WIDTH, "4:3": 9144000}  # slide widths; the height stays 7.5 in
# Each kind of slide and the layout names it takes, the first the template has: ours, then a
# standard Office layout that serves as well.
LAYOUTS: dict[str, tuple[str, ...]] = {
    "title": ("Title Slide",),
    "agenda": ("Agenda", "Title and Content", "Title, Content"),
    "section": ("Section Header", "Title Slide"),
    "content": ("Title and Content", "Title, Content"),
    "two": ("Two Content", "Title, 2 Content", "Title and Content", "Title, Content"),
    "plain": ("Title Only", "Title and Content", "Title, Content"),
    "figures": ("Big Number", "Title and Content", "Title, Content"),
    "chart": ("Chart", "Title and Content", "Title, Content"),
    "question": ("Question", "Title and Content", "Title, Content"),
    "answer": ("Answer", "Title and Content", "Title, Content"),
    "closing": ("Closing", "Title and Content", "Title, Content"),
}
TEXT_TYPES = ("body", "obj", "subTitle")  # placeholders that take text

FIXED_TIME = datetime.datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
LANG_TAGS = {"vi": "vi-VN", "en": "en-US"}  # a course's language as its runs and properties say it
PROPERTY_LIMIT = 255  # characters python-pptx allows in a core property (title, subject...)


class TemplateError(Exception):
    """The course's template cannot be used: it is no PowerPoint file, or lacks layouts."""


def template(root: Path | None = None) -> Presentation:
    """A fresh presentation from the course's ``slides/template.pptx`` when it has one, else
    from the shipped template."""
    own = root / COURSE_TEMPLATE if root is not None else None
    if own is not None and own.is_file():
        try:
            return Presentation(io.BytesIO(own.read_bytes()))
        except Exception as exc:  # noqa: BLE001 - python-pptx raises many kinds on a bad file
            raise TemplateError(
                f"{COURSE_TEMPLATE} is not a PowerPoint file python-pptx can open ({exc}); "
                "save it from PowerPoint or LibreOffice as .pptx"
            ) from exc
    with (resources.files("builder") / "templates" / TEMPLATE_NAME).open("rb") as handle:
        return Presentation(io.BytesIO(handle.read()))


def layouts(prs: Presentation) -> dict[str, object]:
    """The layout of each kind of slide, found by name; a template that lacks some is a
    ``TemplateError`` naming every layout needed."""
    named = {layout.name.strip().casefold(): layout for layout in prs.slide_layouts}
    found, missing = {}, []
    for kind, names in LAYOUTS.items():
        layout = next((named[n.casefold()] for n in names if n.casefold() in named), None)
        if layout is None or not _has_title(layout):
            missing.append(" or ".join(f"'{n}'" for n in names))
        else:
            found[kind] = layout
    if missing:
        have = ", ".join(f"'{layout.name}'" for layout in prs.slide_layouts) or "none"
        raise TemplateError(
            "the template lacks layouts (each with a title placeholder) the decks need: "
            + "; ".join(missing)
            + f". It has: {have}. Rename or add layouts in the slide master (PowerPoint: View >"
            " Slide Master; LibreOffice Impress: View > Master Slide)."
        )
    return found


def _has_title(layout) -> bool:  # noqa: ANN001
    return any(
        ph.placeholder_format.type is not None
        and ph.placeholder_format.type.name in ("TITLE", "CENTER_TITLE")
        for ph in layout.placeholders
    )


def set_size(prs: Presentation, aspect: str) -> None:
    """Make the slides ``aspect`` wide; the master's and layouts' shapes move and widen with
    them."""
    width = ASPECTS[aspect]
    factor = width / prs.slide_width
    if abs(factor - 1) < 1e-6:
        return
    prs.slide_width = Emu(width)
    for owner in (prs.slide_master, *prs.slide_layouts):
        for shape in owner.shapes:
            if shape._element.xpath("./p:spPr/a:xfrm"):  # noqa: SLF001 - its own position only
                shape.left = Emu(round(shape.left * factor))
                shape.width = Emu(round(shape.width * factor))


def apply_theme(
    prs: Presentation,
    *,
    primary: str,
    on_primary: str,
    text: str,
    background: str,
    muted: str,
    heading_font: str,
    body_font: str,
) -> None:
    """The theme's colours and fonts: text on background (dark 1, light 1), the primary
    colour for titles, dark slides and accents (dark 2, accent 1), the text on it (light 2),
    muted text (accent 2); the heading and body fonts (major, minor)."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    theme = etree.fromstring(part.blob)
    scheme = theme.find(f".//{qn('a:clrScheme')}")
    for name, colour in (
        ("dk1", text),
        ("lt1", background),
        ("dk2", primary),
        ("lt2", on_primary),
        ("accent1", primary),
        ("accent2", muted),
    ):
        slot = scheme.find(qn(f"a:{name}"))
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, qn("a:srgbClr"), val=colour.lstrip("#").upper())
    for name, family in (("majorFont", heading_font), ("minorFont", body_font)):
        theme.find(f".//{qn('a:' + name)}").find(qn("a:latin")).set("typeface", family)
    part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)  # noqa: SLF001


def theme_fonts(prs: Presentation) -> tuple[str, str]:
    """The theme's heading and body fonts."""
    theme = etree.fromstring(prs.slide_master.part.part_related_by(RT.THEME).blob)
    return tuple(  # type: ignore[return-value]
        theme.find(f".//{qn('a:' + name)}").find(qn("a:latin")).get("typeface")
        for name in ("majorFont", "minorFont")
    )


# --- what a placeholder's text looks like ------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """A placeholder's box as measuring needs it: its place (points), insets and look."""

    left: float
    top: float
    width: float
    height: float
    look: textfit.Look


def frame(placeholder, fonts: tuple[str, str]) -> Frame:  # noqa: ANN001
    """Where a slide's placeholder sits and how its text is set, as inherited from its
    layout, the master and the master's text styles (the theme's fonts for '+mj-lt' and
    '+mn-lt')."""
    chain = _chain(placeholder)
    body = _merged_attrs([el.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}") for el in chain])
    insets = tuple(
        int(body.get(key, default)) / textfit.EMU
        for key, default in (("lIns", 91440), ("tIns", 45720), ("rIns", 91440), ("bIns", 45720))
    )
    styles = [el.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}") for el in chain]
    styles.append(_master_style(placeholder))
    levels = tuple(_level(styles, n, fonts) for n in range(1, 10))
    look = textfit.Look(levels=levels, insets=insets)  # type: ignore[arg-type]
    return Frame(
        placeholder.left / textfit.EMU,
        placeholder.top / textfit.EMU,
        placeholder.width / textfit.EMU,
        placeholder.height / textfit.EMU,
        look,
    )


def _chain(placeholder) -> list:  # noqa: ANN001
    """The placeholder's element, its layout's and its master's (as far as they exist)."""
    out = [placeholder._element]  # noqa: SLF001
    base = placeholder
    while True:
        inherited = getattr(base, "_base_placeholder", None)
        if inherited is None:
            break
        out.append(inherited._element)  # noqa: SLF001
        base = inherited
    return out


def _master_style(placeholder):  # noqa: ANN001, ANN202
    """The master's text style for this kind of placeholder."""
    kind = placeholder._element.ph_type  # noqa: SLF001
    part = placeholder.part
    owner = part.slide_master if hasattr(part, "slide_master") else part.slide_layout.slide_master
    master = owner._element  # noqa: SLF001
    styles = master.find(qn("p:txStyles"))
    name = kind.name if kind is not None else "OBJECT"
    tag = (
        "p:titleStyle"
        if name in ("TITLE", "CENTER_TITLE")
        else "p:bodyStyle"
        if name in ("BODY", "OBJECT", "SUBTITLE")
        else "p:otherStyle"
    )
    return styles.find(qn(tag)) if styles is not None else None


def _merged_attrs(elements: list) -> dict[str, str]:
    """Attributes of the first element in the chain that has each one."""
    out: dict[str, str] = {}
    for element in reversed([e for e in elements if e is not None]):
        out.update(element.attrib)
    return out


def _level(styles: list, n: int, fonts: tuple[str, str]) -> textfit.Level:
    """Level ``n``'s size, weight, font, margins and spacing, the nearest style first."""
    tag = qn(f"a:lvl{n}pPr")
    props = [s.find(tag) for s in styles if s is not None]
    props = [p for p in props if p is not None]
    para = _merged_attrs(props)
    runs = _merged_attrs([p.find(qn("a:defRPr")) for p in props])

    def first(path: str):  # noqa: ANN202
        for p in props:
            found = p.find(path)
            if found is not None:
                return found
        return None

    latin = first(f"{qn('a:defRPr')}/{qn('a:latin')}")
    family = latin.get("typeface") if latin is not None else "+mn-lt"
    family = {"+mj-lt": fonts[0], "+mn-lt": fonts[1]}.get(family, family)
    size = int(runs.get("sz", 1800)) / 100
    line = 1.0
    spacing = first(f"{qn('a:lnSpc')}/{qn('a:spcPct')}")
    exact = first(f"{qn('a:lnSpc')}/{qn('a:spcPts')}")
    if spacing is not None:
        line = int(spacing.get("val")) / 100000
    before = 0.0
    points = first(f"{qn('a:spcBef')}/{qn('a:spcPts')}")
    share = first(f"{qn('a:spcBef')}/{qn('a:spcPct')}")
    if points is not None:
        before = int(points.get("val")) / 100
    elif share is not None:
        before = int(share.get("val")) / 100000 * size * textfit.LINE
    bulleted = first(qn("a:buNone")) is None and (
        first(qn("a:buChar")) is not None or first(qn("a:buAutoNum")) is not None
    )
    return textfit.Level(
        size=size,
        bold=runs.get("b") in ("1", "true"),
        family=family,
        margin=int(para.get("marL", 0)) / textfit.EMU,
        hang=-int(para.get("indent", 0)) / textfit.EMU,
        line=line,
        exact=int(exact.get("val")) / 100 if exact is not None else None,
        before=before,
        bulleted=bulleted,
    )


def set_properties(
    prs: Presentation,
    *,
    title: str,
    subject: str,
    author: str,
    language: str,
    identifier: str,
    date: datetime.date | None,
) -> None:
    """Fixed document properties: the session's title and date (08:00 that day), the course
    as subject, revision 1 by 'builder'."""
    props = prs.core_properties
    stamp = datetime.datetime.combine(date, datetime.time(8)) if date else FIXED_TIME
    props.title = _property(title)
    props.subject = _property(subject)
    props.author = _property(author)
    props.last_modified_by = "builder"
    props.language = _property(language)
    props.keywords = ""
    props.comments = ""
    props.category = ""
    props.revision = 1
    props.created = props.modified = props.last_printed = stamp
    props.identifier = _property(identifier)


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


def deterministic_bytes(prs: Presentation) -> bytes:
    """Save with fixed zip entry times, and fixed dates in embedded chart workbooks: the
    entries python-pptx saves, in its order, each written once (``_FixedZip``)."""
    package = prs.part.package
    parts = tuple(package.iter_parts())
    writer = PackageWriter(io.BytesIO(), package._rels, parts)  # noqa: SLF001
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        fixed = _FixedZip(target)
        writer._write_content_types_stream(fixed)  # noqa: SLF001 - PackageWriter._write's steps
        writer._write_pkg_rels(fixed)  # noqa: SLF001
        writer._write_parts(fixed)  # noqa: SLF001
    return out.getvalue()


class _FixedZip:
    """python-pptx's zip writer (``write(pack_uri, blob)``) with fixed times and permissions,
    its chart workbooks normalised."""

    def __init__(self, target: zipfile.ZipFile) -> None:
        self.target = target

    def write(self, pack_uri: str, blob: bytes) -> None:
        name = pack_uri.membername  # type: ignore[attr-defined]
        if name.endswith(".xlsx"):
            blob = _normalise_workbook(blob)
        _add(self.target, name, blob)


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
            _add(target, info.filename, edit(info.filename, source.read(info.filename)))
    return out.getvalue()


def _add(target: zipfile.ZipFile, name: str, data: bytes) -> None:
    """An entry with a fixed time and permissions."""
    entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o600 << 16
    target.writestr(entry, data)
