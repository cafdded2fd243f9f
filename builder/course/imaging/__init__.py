"""Pixels and glyphs: the only user of Pillow (``raster``) and resvg (``drawing``).

Decks need three things from images and fonts: font faces to measure text with
(``render.decks.textfit``), a lesson's picture as something PowerPoint and LibreOffice both show
(``render.decks``), and a way to tell an author early that an image is unreadable, unsafe or
too large (``builder check``). SVG drawings are rendered to PNG by resvg with the same
metric-compatible fonts the decks are measured with, and only those, so the pixels do not
depend on which other fonts a machine has: the same sources give the same bytes.

A course tree is untrusted input. An image file is read only up to ``MAX_BYTES``; a raster's
size is read from its header before anything is decoded; an SVG is scanned with the standard
library's expat (which fetches nothing, and a DOCTYPE is refused before any entity is
declared) for scripts, event handlers and references outside the file, which would run or
load in a learner's browser. resvg runs in a child process with a memory and time limit:
some drawings make it abort the whole process (a huge pattern tile, an embedded picture that
claims billions of pixels, a Rust panic), and that must not take the builder with it (one
child renders drawing after drawing, and each drawing is rendered once per process for the
same bytes, fonts and width; ``svg`` scans, ``drawing`` renders; ``errors`` holds the error
every step raises).
"""

from __future__ import annotations

import io
from pathlib import Path

from builder.course.imaging import raster
from builder.course.imaging.drawing import Picture, drawing
from builder.course.imaging.errors import ImageProblem
from builder.course.imaging.raster import face

__all__ = ["ImageProblem", "Picture", "face", "outside", "picture", "problem"]

# What python-pptx embeds as it is; other formats Pillow reads are converted to PNG.
EMBEDDABLE = {"PNG", "JPEG", "GIF", "BMP"}
FORMATS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
MAX_BYTES = 20 * 1024 * 1024  # an image file


def problem(path: Path) -> ImageProblem | None:
    """Why ``path`` cannot be published or shown (a message after its name), or None."""
    if path.suffix.lower() not in FORMATS:
        return ImageProblem(f"'{path.name}' is not a PNG, JPEG, GIF, WebP or SVG image")
    try:
        data = _read(path)
        if path.suffix.lower() == ".svg":
            drawing(data, [], 16)  # a thumbnail: scans, parses and renders, or fails
        else:
            raster.check(data)
    except ImageProblem as exc:
        return ImageProblem(f"'{path.name}' {exc}", exc.code)
    return None


def picture(path: Path, fonts: list[Path], width: int) -> Picture:
    """``path`` as a slide picture; an SVG fits ``width`` × ``width`` pixels, in ``fonts``."""
    # The first font is the drawing's default and sans-serif family; no other font is used.
    try:
        data = _read(path)
        if path.suffix.lower() == ".svg":
            return drawing(data, fonts, width)
        with raster.pillow():
            image = raster.header(data)
            if image.format in EMBEDDABLE:
                return Picture(data, *image.size)
            out = io.BytesIO()
            image.save(out, "PNG", optimize=False)
            return Picture(out.getvalue(), *image.size)
    except ImageProblem as exc:
        raise ImageProblem(f"'{path.name}' {exc}", exc.code) from exc
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds on a broken file
        raise ImageProblem(f"'{path.name}' {raster.unreadable(exc)}") from exc


def outside(root: Path, path: Path) -> Path | None:
    """Where ``path`` really is if a symlink takes it outside the tree at ``root``, else None."""
    # A path that cannot be resolved (a symlink loop) is then reported as missing.
    try:
        real = path.resolve()
        return None if real.is_relative_to(root.resolve()) else real
    except (OSError, RuntimeError):  # a symlink loop
        return None


def _read(path: Path) -> bytes:
    """The bytes of an image file, refused when empty or over ``MAX_BYTES``."""
    try:
        size = path.stat().st_size
        if size == 0:
            raise ImageProblem("is empty (0 bytes); save or export the image again")
        if size > MAX_BYTES:
            raise ImageProblem(
                f"is {size / 2**20:.1f} MB, over the limit of {MAX_BYTES // 2**20} MB;"
                " save it smaller (2000 pixels across is plenty for a page or a slide)",
                "image.too-large",
            )
        with path.open("rb") as file:
            return file.read(MAX_BYTES + 1)[:MAX_BYTES]
    except OSError as exc:
        raise ImageProblem(f"cannot be read: {exc.strerror or exc}") from exc
