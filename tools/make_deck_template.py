"""Write builder/templates/deck.pptx, the template every deck starts from.

A real PowerPoint template, so that a trainer can restyle a deck the way PowerPoint users do
(change the master or the theme, and every slide follows): one master whose text styles give
every font, size, colour, bullet and spacing (relative line spacing, so enlarged text stays
readable), a theme whose colours and fonts ``slides/theme.yml`` replaces at build time, and one
named layout per kind of slide the builder makes (``package.LAYOUTS``), each with the
placeholders the builder fills. Slides carry no formatting of their own but emphasis.

It starts from python-pptx's default template (for its theme and notes master), widened to
16:9 (13.333 × 7.5 inches), and replaces the master's shapes and styles and its eleven layouts.
Run from the repository root:

    python tools/make_deck_template.py

The output is deterministic (fixed zip times and core properties), so running it again
leaves the committed file unchanged.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

from builder.course.model import Theme
from builder.render.decks.package import (
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    TEMPLATE_NAME,
    apply_theme,
    deterministic_bytes,
)

OUT = Path(__file__).resolve().parent.parent / "builder" / "templates" / TEMPLATE_NAME
NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)
PT = 12700  # EMU per point

# Where things sit on the 960 × 540 pt slide.
MARGIN = 48
TITLE = (MARGIN, 24, 864, 84)
BODY = (MARGIN, 120, 864, 378)
FOOTER = (MARGIN, 506, 784, 26)
NUMBER = (832, 506, 80, 26)


def xfrm(box: tuple[float, float, float, float]) -> str:
    left, top, width, height = (round(v * PT) for v in box)
    return f'<a:xfrm><a:off x="{left}" y="{top}"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'


def level(
    n: int,
    size: int,
    *,
    colour: str = "tx1",
    bold: bool = False,
    font: str = "+mn-lt",
    margin: float = 0,
    hang: float = 0,
    bullet: str | None = None,
    before: float = 0,
    align: str = "l",
) -> str:
    """One level's paragraph and run defaults: relative line spacing (100 %), space before
    in points, a hanging bullet or none."""
    mark = f'<a:buFont typeface="Arial"/><a:buChar char="{bullet}"/>' if bullet else "<a:buNone/>"
    return (
        f'<a:lvl{n}pPr marL="{round(margin * PT)}" indent="{-round(hang * PT)}" algn="{align}">'
        '<a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
        f'<a:spcBef><a:spcPts val="{round(before * 100)}"/></a:spcBef>'
        f"{mark}"
        f'<a:defRPr sz="{size * 100}" b="{1 if bold else 0}">'
        f'<a:solidFill><a:schemeClr val="{colour}"/></a:solidFill>'
        f'<a:latin typeface="{font}"/></a:defRPr></a:lvl{n}pPr>'
    )


def levels(size: int, small: int, **keys: object) -> str:
    """Nine levels: 1 bullets, 2 and deeper smaller dashes, each further in. A paragraph
    that is not a list item sets its own margin to 0 and no bullet."""
    out = [
        level(1, size, margin=size * 1.1, hang=size * 1.1, bullet="•", before=size * 0.45, **keys)
    ]
    for n in range(2, 10):
        margin = size * 1.1 + (n - 1) * small * 1.3
        out.append(
            level(n, small, margin=margin, hang=small * 1.1, bullet="–", before=small * 0.4, **keys)
        )
    return "".join(out)


def shape(
    sid: int,
    name: str,
    ph: str,
    box: tuple[float, float, float, float] | None,
    *,
    styles: str = "",
    anchor: str = "t",
    text: str = "",
) -> str:
    """A placeholder: its id, name, ``<p:ph>`` attributes, position (``None``: the master's),
    list styles and prompt text."""
    where = xfrm(box) if box else ""
    geometry = '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>' if box else ""
    # Text set on the bottom edge keeps its descenders (and a dot below) inside the shape.
    bottom = 137160 if anchor == "b" else 45720
    body = (
        f'<a:bodyPr vert="horz" lIns="91440" tIns="45720" rIns="91440" bIns="{bottom}" '
        f'rtlCol="0" anchor="{anchor}"><a:noAutofit/></a:bodyPr>'
    )
    prompt = f'<a:r><a:rPr lang="en-US"/><a:t>{text}</a:t></a:r>' if text else ""
    return (
        f'<p:sp {NS}><p:nvSpPr><p:cNvPr id="{sid}" name="{name}"/>'
        '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
        f"<p:nvPr><p:ph {ph}/></p:nvPr></p:nvSpPr>"
        f"<p:spPr>{where}{geometry}</p:spPr>"
        f"<p:txBody>{body}<a:lstStyle>{styles}</a:lstStyle>"
        f'<a:p>{prompt}<a:endParaRPr lang="en-US"/></a:p></p:txBody></p:sp>'
    )


def footer_shapes(sid: int, colour: str | None = None) -> str:
    """The footer and slide-number placeholders, in ``colour`` on a dark layout."""
    styles = level(1, 12, colour=colour) if colour else ""
    number = level(1, 12, colour=colour, align="r") if colour else ""
    return shape(sid, "Footer", 'type="ftr" sz="quarter" idx="11"', FOOTER, styles=styles) + (
        shape(sid + 1, "Slide Number", 'type="sldNum" sz="quarter" idx="12"', NUMBER, styles=number)
    )


DARK = (
    '<p:bg><p:bgPr><a:solidFill><a:schemeClr val="tx2"/></a:solidFill>'
    "<a:effectLst/></p:bgPr></p:bg>"
)


def layouts() -> list[tuple[str, str, str, str]]:
    """(name, layout type, background, shapes) of each layout, in the template's order."""
    title = shape(2, "Title", 'type="title"', None)
    light = "bg2"
    return [
        (
            "Title Slide",
            "title",
            DARK,
            shape(
                2,
                "Title",
                'type="ctrTitle"',
                (MARGIN, 130, 864, 150),
                styles=level(1, 44, colour=light, bold=True, font="+mj-lt"),
                anchor="b",
            )
            + shape(
                3,
                "Subtitle",
                'type="subTitle" idx="1"',
                (MARGIN, 296, 864, 200),
                styles=levels(20, 18, colour=light),
            )
            + footer_shapes(4, light),
        ),
        (
            "Title and Content",
            "obj",
            "",
            title + shape(3, "Content", 'idx="1"', None) + footer_shapes(4),
        ),
        (
            "Section Header",
            "secHead",
            DARK,
            shape(
                2,
                "Title",
                'type="title"',
                (MARGIN, 130, 864, 160),
                styles=level(1, 40, colour=light, bold=True, font="+mj-lt"),
                anchor="b",
            )
            + shape(
                3,
                "Text",
                'type="body" idx="1"',
                (MARGIN, 306, 864, 80),
                styles=levels(24, 20, colour=light),
            )
            + footer_shapes(4, light),
        ),
        (
            "Two Content",
            "twoObj",
            "",
            title
            + shape(3, "Left", 'sz="half" idx="1"', (MARGIN, 120, 420, 378))
            + shape(4, "Right", 'sz="half" idx="2"', (MARGIN + 444, 120, 420, 378))
            + footer_shapes(5),
        ),
        (
            "Agenda",
            "obj",
            "",
            title + shape(3, "Agenda", 'idx="1"', None, styles=levels(20, 18)) + footer_shapes(4),
        ),
        ("Title Only", "titleOnly", "", title + footer_shapes(3)),
        (
            "Big Number",
            "obj",
            "",
            title
            + shape(
                3,
                "Figures",
                'idx="1"',
                (MARGIN, 140, 864, 358),
                styles=level(1, 54, colour="tx2", bold=True, font="+mj-lt", align="ctr")
                + level(2, 20, before=8, align="ctr")
                + level(3, 13, colour="accent2", before=10, align="ctr"),
            )
            + footer_shapes(4),
        ),
        (
            "Chart",
            "obj",
            "",
            title
            + shape(3, "Chart", 'idx="1"', (MARGIN, 120, 864, 324))
            + shape(
                4,
                "Source",
                'type="body" sz="quarter" idx="2"',
                (MARGIN, 450, 864, 48),
                styles=levels(13, 12, colour="accent2"),
            )
            + footer_shapes(5),
        ),
        (
            "Closing",
            "obj",
            "",
            title
            + shape(3, "Content", 'idx="1"', (MARGIN, 120, 600, 378), styles=levels(22, 18))
            + shape(4, "QR code", 'type="pic" idx="2"', (684, 132, 228, 228))
            + shape(
                5,
                "Address",
                'type="body" sz="quarter" idx="3"',
                (660, 366, 276, 132),
                styles=levels(13, 12, colour="accent2"),
            )
            + footer_shapes(6),
        ),
        (
            "Question",
            "obj",
            "",
            title
            + shape(
                3,
                "Question",
                'type="body" idx="1"',
                (MARGIN, 116, 864, 112),
                styles=levels(26, 22, bold=True),
            )
            + shape(4, "Choices", 'idx="2"', (MARGIN, 232, 864, 266))
            + footer_shapes(5),
        ),
        (
            "Answer",
            "obj",
            "",
            title
            + shape(
                3,
                "Question",
                'type="body" sz="quarter" idx="1"',
                (MARGIN, 116, 864, 76),
                styles=levels(18, 16, colour="accent2"),
            )
            + shape(4, "Answer", 'idx="2"', (MARGIN, 196, 864, 302))
            + footer_shapes(5),
        ),
    ]


def master_xml() -> tuple[str, str]:
    """The master's shapes and its text styles."""
    shapes = (
        shape(
            2,
            "Title",
            'type="title"',
            TITLE,
            text="Click to edit Master title style",
            anchor="ctr",
        )
        + shape(3, "Text", 'type="body" idx="1"', BODY, text="Click to edit Master text styles")
        + shape(4, "Footer", 'type="ftr" sz="quarter" idx="11"', FOOTER)
        + shape(5, "Slide Number", 'type="sldNum" sz="quarter" idx="12"', NUMBER)
    )
    styles = (
        f"<p:txStyles {NS}>"
        f"<p:titleStyle>{level(1, 32, colour='tx2', bold=True, font='+mj-lt')}</p:titleStyle>"
        f"<p:bodyStyle>{levels(28, 24)}</p:bodyStyle>"
        f"<p:otherStyle>{level(1, 18)}{level(2, 18)}</p:otherStyle>"
        "</p:txStyles>"
    )
    return shapes, styles


def footer_styles() -> str:
    """The master's footer and number: small, muted."""
    return level(1, 12, colour="accent2")


def replace_tree(owner_element, shapes: str) -> None:  # noqa: ANN001
    """Replace a master's or layout's shapes (keeping the group properties)."""
    tree = owner_element.find(qn("p:cSld")).find(qn("p:spTree"))
    for child in list(tree):
        if child.tag in (qn("p:sp"), qn("p:pic"), qn("p:graphicFrame"), qn("p:grpSp")):
            tree.remove(child)
    for element in etree.fromstring(f"<root {NS}>{shapes}</root>"):
        tree.append(element)


def set_background(owner_element, background: str) -> None:  # noqa: ANN001
    """A layout's own background (a dark one), or the master's."""
    c_sld = owner_element.find(qn("p:cSld"))
    old = c_sld.find(qn("p:bg"))
    if old is not None:
        c_sld.remove(old)
    if background:
        c_sld.insert(0, etree.fromstring(background.replace("<p:bg>", f"<p:bg {NS}>", 1)))


def main() -> None:
    """Write the template with its master, theme and named layouts."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(SLIDE_WIDTH), Emu(SLIDE_HEIGHT)
    master = prs.slide_master._element  # noqa: SLF001
    shapes, styles = master_xml()
    replace_tree(master, shapes)
    old = master.find(qn("p:txStyles"))
    master.replace(old, etree.fromstring(styles))
    tree = master.find(qn("p:cSld")).find(qn("p:spTree"))
    for sp in tree.findall(qn("p:sp")):
        ph = sp.find(".//" + qn("p:ph"))
        if ph.get("type") in ("ftr", "sldNum"):
            lst = sp.find(".//" + qn("a:lstStyle"))
            align = "r" if ph.get("type") == "sldNum" else "l"
            lst.append(
                etree.fromstring(
                    level(1, 12, colour="accent2", align=align).replace(
                        "<a:lvl1pPr", f"<a:lvl1pPr {NS}", 1
                    )
                )
            )
    specs = layouts()
    existing = list(prs.slide_layouts)
    assert len(existing) == len(specs), "python-pptx's default template has eleven layouts"
    for layout, (name, kind, background, layout_shapes) in zip(existing, specs, strict=True):
        element = layout._element  # noqa: SLF001
        element.find(qn("p:cSld")).set("name", name)
        element.set("type", kind)
        set_background(element, background)
        replace_tree(element, layout_shapes)
    theme = Theme()
    colours = theme.colours
    apply_theme(
        prs,
        primary=colours.primary,
        on_primary=colours.on_primary,
        text=colours.text,
        background=colours.background,
        muted=colours.muted,
        heading_font=theme.heading_font,
        body_font=theme.body_font,
    )
    props = prs.core_properties
    props.title = "builder deck template"
    props.author = props.last_modified_by = "builder"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(deterministic_bytes(prs))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
