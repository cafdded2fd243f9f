"""Pixels and glyphs: the only user of Pillow and resvg.

Decks need three things from images and fonts: font faces to measure text with
(``builder.textfit``), a lesson's picture as something PowerPoint and LibreOffice both show
(``builder.decks``), and a way to tell an author early that an image is unreadable
(``builder.check``). SVG drawings are rendered to PNG by resvg with the same metric-compatible
fonts the decks are measured with, and only those, so the pixels do not depend on which other
fonts a machine has: the same sources give the same bytes.
"""

from __future__ import annotations

import functools
import io
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

import resvg_py
from PIL import Image, ImageFont, UnidentifiedImageError

SVG_NS = "http://www.w3.org/2000/svg"
# What python-pptx embeds as it is; other formats Pillow reads are converted to PNG.
EMBEDDABLE = {"PNG", "JPEG", "GIF", "BMP"}
FORMATS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")


class ImageProblem(Exception):
    """An image cannot be read or rendered."""


@functools.cache
def face(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """A font face loaded from ``path`` at ``size`` pixels, for measuring text."""
    return ImageFont.truetype(str(path), size)


@dataclass(frozen=True)
class Picture:
    """An image ready for a slide: raster bytes and their size in pixels; for a drawing, its
    SVG too (PowerPoint 2016 and later show the vector; others show the raster)."""

    raster: bytes
    width: int
    height: int
    svg: bytes | None = None


def problem(path: Path) -> str | None:
    """Why ``path`` cannot be shown, or None when it can."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        return f"'{path.name}' is not a PNG, JPEG, GIF, WebP or SVG image"
    try:
        if suffix == ".svg":
            _drawing(path.read_bytes(), [], 16)  # a thumbnail: parses and renders, or fails
        else:
            with Image.open(path) as image:
                image.verify()
    except UnidentifiedImageError:
        return f"'{path.name}' cannot be read: its bytes are not a PNG, JPEG, GIF or WebP image"
    except (ImageProblem, OSError, SyntaxError) as exc:
        return f"'{path.name}' cannot be read: {exc}"
    return None


def picture(path: Path, fonts: list[Path], width: int) -> Picture:
    """``path`` as a slide picture. An SVG is rendered ``width`` pixels wide with ``fonts``
    as its only fonts (the first is the default and sans-serif family)."""
    if path.suffix.lower() == ".svg":
        return _drawing(path.read_bytes(), fonts, width)
    try:
        with Image.open(path) as image:
            if image.format in EMBEDDABLE:
                return Picture(path.read_bytes(), *image.size)
            out = io.BytesIO()
            image.save(out, "PNG", optimize=False)
            return Picture(out.getvalue(), *image.size)
    except (OSError, UnidentifiedImageError) as exc:
        raise ImageProblem(f"{path}: cannot be read: {exc}") from exc


def _drawing(svg: bytes, fonts: list[Path], width: int) -> Picture:
    _svg_root(svg)
    family = face(fonts[0], 12).getname()[0] if fonts else None
    try:
        png = resvg_py.svg_to_bytes(
            svg_string=svg.decode("utf-8"),
            width=width,
            skip_system_fonts=True,
            font_files=[str(f) for f in fonts],
            font_family=family,
            sans_serif_family=family,
        )
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImageProblem(f"cannot render the drawing: {exc}") from exc
    raster = bytes(png)
    with Image.open(io.BytesIO(raster)) as image:
        size = image.size
    return Picture(raster, *size, svg=svg)


def _svg_root(svg: bytes) -> None:
    """Raise ImageProblem unless ``svg`` is well-formed XML whose root is an SVG element.
    The standard library's parser fetches nothing: no network, no external entities."""
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError as exc:
        raise ImageProblem(f"not well-formed XML ({exc})") from exc
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ImageProblem("its root element is not <svg> in the SVG namespace")
