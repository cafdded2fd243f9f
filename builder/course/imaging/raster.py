"""Raster pictures (PNG, JPEG, GIF, WebP) read by Pillow: their size from the header before
anything is decoded, then every chunk and pixel."""

from __future__ import annotations

import contextlib
import functools
import io
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

from PIL import Image, ImageFile, ImageFont

from builder.course.imaging.errors import ImageProblem

RASTER = ("PNG", "JPEG", "GIF", "WEBP")  # the only formats Pillow is asked to read
MAX_PIXELS = 40_000_000  # a raster, as its header claims (Pillow's own warning is at 89 M)


@contextlib.contextmanager
def pillow() -> Iterator[None]:
    """Pillow's warnings silenced, its decompression-bomb warning among them."""
    # Our own limit is lower, and under ``-W error`` that warning would be raised.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@functools.cache
def _openers() -> list[tuple[Callable, Callable]]:
    Image.init()
    return [Image.OPEN[name] for name in RASTER]


def header(data: bytes) -> ImageFile.ImageFile:
    """``data`` opened with only its header read; refused if it claims over ``MAX_PIXELS``."""
    # Pillow's plugins are called as Image.open calls them but without its decompression-bomb
    # check (which raises before the size is known), so the claimed size can be told.
    for factory, accept in _openers():
        if accept(data[:16]) is True:
            try:
                image = factory(io.BytesIO(data))
            except Exception as exc:  # noqa: BLE001 - SyntaxError, struct.error, OSError...
                raise ImageProblem(unreadable(exc)) from exc
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageProblem(
                    f"claims {width}x{height} pixels, over the limit of"
                    f" {MAX_PIXELS // 1_000_000} megapixels; scale it down"
                    " (2000 pixels across is plenty for a page or a slide)",
                    "image.too-large",
                )
            return image
    raise ImageProblem("cannot be read: its bytes are not a PNG, JPEG, GIF or WebP image")


def check(data: bytes) -> None:
    """Raise ImageProblem unless ``data`` is a raster within the limits that decodes whole."""
    with pillow():
        try:
            header(data).verify()  # the chunks and their checksums
            header(data).load()  # the pixels (verify leaves the image unusable)
        except ImageProblem:
            raise
        except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds on a broken file
            raise ImageProblem(unreadable(exc)) from exc


def unreadable(exc: Exception) -> str:
    if isinstance(exc, ImageProblem):
        return str(exc)
    if "truncated" in str(exc).lower():
        return "cannot be read: the file is cut short; copy or export it again"
    return f"cannot be read: {str(exc) or type(exc).__name__}"


@functools.cache
def face(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """A font face loaded from ``path`` at ``size`` pixels, for measuring text."""
    return ImageFont.truetype(str(path), size)
