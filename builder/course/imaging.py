"""Pixels and glyphs: the only user of Pillow and resvg.

Decks need three things from images and fonts: font faces to measure text with
(``builder.textfit``), a lesson's picture as something PowerPoint and LibreOffice both show
(``builder.decks``), and a way to tell an author early that an image is unreadable, unsafe or
too large (``builder.check``). SVG drawings are rendered to PNG by resvg with the same
metric-compatible fonts the decks are measured with, and only those, so the pixels do not
depend on which other fonts a machine has: the same sources give the same bytes.

A course tree is untrusted input. An image file is read only up to ``MAX_BYTES``; a raster's
size is read from its header before anything is decoded; an SVG is scanned with the standard
library's expat (which fetches nothing, and a DOCTYPE is refused before any entity is
declared) for scripts, event handlers and references outside the file, which would run or
load in a learner's browser. resvg runs in a child process with a memory and time limit:
some drawings make it abort the whole process (a huge pattern tile, an embedded picture that
claims billions of pixels, a Rust panic), and that must not take the builder with it.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import json
import math
import re
import struct
import subprocess
import sys
import urllib.parse
import warnings
import xml.parsers.expat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import resvg_py
from PIL import Image, ImageFile, ImageFont

SVG_NS = "http://www.w3.org/2000/svg"
# What python-pptx embeds as it is; other formats Pillow reads are converted to PNG.
EMBEDDABLE = {"PNG", "JPEG", "GIF", "BMP"}
FORMATS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
RASTER = ("PNG", "JPEG", "GIF", "WEBP")  # the only formats Pillow is asked to read
MAX_BYTES = 20 * 1024 * 1024  # an image file
MAX_PIXELS = 40_000_000  # a raster, as its header claims (Pillow's own warning is at 89 M)
MAX_SIDE = 100_000  # an SVG's width or height in pixels
MAX_DEPTH = 100  # SVG elements inside elements
RENDER_SECONDS = 60
RENDER_MEMORY = 2 * 1024**3  # address space of the resvg child process, in bytes
PLAIN_SVG = "or export the drawing as plain SVG"

# resvg in a child process: options as JSON in argv, the SVG on stdin, the PNG on stdout; a
# ValueError (resvg's "cannot render") exits 3 with its message on stderr. Started with -S and
# its own sys.path, so that no file in the working directory (maybe the course tree) is imported.
_CHILD = """\
import sys
sys.path[0] = sys.argv[1]
import json
import resvg_py
try:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[3]), int(sys.argv[3])))
except (ImportError, OSError, ValueError):
    pass
options = json.loads(sys.argv[2])
try:
    png = resvg_py.svg_to_bytes(svg_string=sys.stdin.buffer.read().decode(), **options)
except ValueError as exc:
    sys.stderr.write(str(exc))
    sys.exit(3)
sys.stdout.buffer.write(bytes(png))
"""


class ImageProblem(Exception):
    """An image cannot be read, rendered or published; ``code`` is its problem code."""

    def __init__(self, message: str, code: str = "image.invalid") -> None:
        super().__init__(message)
        self.code = code


class _Unsafe(ImageProblem):
    """Something in an SVG that would run or load in a browser."""

    def __init__(self, message: str) -> None:
        super().__init__(f"is unsafe: {message}", "image.unsafe")


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


def problem(path: Path) -> ImageProblem | None:
    """Why ``path`` cannot be published or shown (a message after its name), or None."""
    if path.suffix.lower() not in FORMATS:
        return ImageProblem(f"'{path.name}' is not a PNG, JPEG, GIF, WebP or SVG image")
    try:
        data = _read(path)
        if path.suffix.lower() == ".svg":
            _drawing(data, [], 16)  # a thumbnail: scans, parses and renders, or fails
        else:
            _check_raster(data)
    except ImageProblem as exc:
        return ImageProblem(f"'{path.name}' {exc}", exc.code)
    return None


def picture(path: Path, fonts: list[Path], width: int) -> Picture:
    """``path`` as a slide picture; an SVG fits ``width`` × ``width`` pixels, in ``fonts``."""
    # The first font is the drawing's default and sans-serif family; no other font is used.
    try:
        data = _read(path)
        if path.suffix.lower() == ".svg":
            return _drawing(data, fonts, width)
        with _pillow():
            image = _header(data)
            if image.format in EMBEDDABLE:
                return Picture(data, *image.size)
            out = io.BytesIO()
            image.save(out, "PNG", optimize=False)
            return Picture(out.getvalue(), *image.size)
    except ImageProblem as exc:
        raise ImageProblem(f"'{path.name}' {exc}", exc.code) from exc
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds on a broken file
        raise ImageProblem(f"'{path.name}' {_unreadable(exc)}") from exc


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


# --- rasters -------------------------------------------------------------------------------


@contextlib.contextmanager
def _pillow() -> Iterator[None]:
    """Pillow's warnings silenced, its decompression-bomb warning among them."""
    # Our own limit is lower, and under ``-W error`` that warning would be raised.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@functools.cache
def _openers() -> list[tuple[Callable, Callable]]:
    Image.init()
    return [Image.OPEN[name] for name in RASTER]


def _header(data: bytes) -> ImageFile.ImageFile:
    """``data`` opened with only its header read; refused if it claims over ``MAX_PIXELS``."""
    # Pillow's plugins are called as Image.open calls them but without its decompression-bomb
    # check (which raises before the size is known), so the claimed size can be told.
    for factory, accept in _openers():
        if accept(data[:16]) is True:
            try:
                image = factory(io.BytesIO(data))
            except Exception as exc:  # noqa: BLE001 - SyntaxError, struct.error, OSError...
                raise ImageProblem(_unreadable(exc)) from exc
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


def _check_raster(data: bytes) -> None:
    """Raise ImageProblem unless ``data`` is a raster within the limits that decodes whole."""
    with _pillow():
        try:
            _header(data).verify()  # the chunks and their checksums
            _header(data).load()  # the pixels (verify leaves the image unusable)
        except ImageProblem:
            raise
        except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds on a broken file
            raise ImageProblem(_unreadable(exc)) from exc


def _unreadable(exc: Exception) -> str:
    if isinstance(exc, ImageProblem):
        return str(exc)
    if "truncated" in str(exc).lower():
        return "cannot be read: the file is cut short; copy or export it again"
    return f"cannot be read: {str(exc) or type(exc).__name__}"


# --- drawings ------------------------------------------------------------------------------


def _drawing(svg: bytes, fonts: list[Path], width: int) -> Picture:
    """``svg`` scanned, then rendered to fit ``width`` × ``width`` pixels."""
    _scan(svg)
    try:
        text = svg.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImageProblem("cannot be read: it is not saved as UTF-8 text") from exc
    family = face(fonts[0], 12).getname()[0] if fonts else None
    options = {
        "width": width,
        "height": width,  # fit in a square box: the canvas never exceeds width × width
        "dpi": 96.0,  # CSS pixels per inch; resvg_py's default (0) makes mm and pt sizes 0
        "skip_system_fonts": True,
        "font_files": [str(f) for f in fonts],
        "font_family": family,
        "sans_serif_family": family,
    }
    raster = _render(text, options)
    if raster[:8] != b"\x89PNG\r\n\x1a\n" or len(raster) < 24:
        raise ImageProblem("cannot be rendered: the renderer returned no PNG")
    return Picture(raster, *struct.unpack(">II", raster[16:24]), svg=svg)


def _render(text: str, options: dict) -> bytes:
    """PNG bytes from resvg, run in a child process that may abort or run out of memory."""
    command = [sys.executable, "-S", "-c", _CHILD]
    command += [str(Path(resvg_py.__file__).parent.parent), json.dumps(options)]
    command += [str(RENDER_MEMORY)]
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            command,
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=RENDER_SECONDS,
            cwd=Path(__file__).parent,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ImageProblem(
            f"cannot be rendered: it takes over {RENDER_SECONDS} s; simplify the drawing"
            " (large blurs and filters) or export it as PNG"
        ) from exc
    except OSError as exc:
        raise ImageProblem(f"cannot be rendered: {exc}") from exc
    if done.returncode == 3:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise ImageProblem(f"cannot be rendered: {message}")
    if done.returncode != 0:
        raise ImageProblem(
            "cannot be rendered: the renderer ran out of memory or crashed; simplify the"
            " drawing (huge patterns, filters or embedded pictures) or export it as PNG"
        )
    return done.stdout


_UNITS = {"px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}
_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_LENGTH = re.compile(rf"\s*({_NUMBER})\s*(px|pt|pc|mm|cm|in)?\s*")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\r\n\f]?|\\(.)", re.DOTALL)
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)
_CSS_FETCH = re.compile(r"(?<!\w)(url|src|image-set|image)\(\s*(['\"]?)\s*([^'\")\s]*)", re.I)
_CSS_IMPORT = re.compile(r"@import\b[^;]*", re.I)
_RASTER_DATA = re.compile(r"data:image/(png|jpeg|jpg|gif|webp)\s*(;[^,]*)?,", re.I)
_FORBIDDEN = {
    "script": "remove the <{name}> element",
    "foreignobject": "remove the <{name}> element (it holds web page content)",
    "handler": "remove the <{name}> element",
    "listener": "remove the <{name}> element",
    "iframe": "remove the <{name}> element",
    "embed": "remove the <{name}> element",
    "object": "remove the <{name}> element",
}
_ANIMATIONS = {"set", "animate", "animatemotion", "animatetransform", "animatecolor"}


def _scan(svg: bytes) -> None:
    """Raise ImageProblem unless ``svg`` is safe, well-formed SVG within the size limits."""
    scanner = _Scanner()
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.namespace_prefixes = True
    scanner.parser = parser
    parser.StartDoctypeDeclHandler = scanner.doctype
    parser.EntityDeclHandler = scanner.entity
    parser.ProcessingInstructionHandler = scanner.instruction
    parser.StartElementHandler = scanner.start
    parser.EndElementHandler = scanner.end
    parser.CharacterDataHandler = scanner.text
    try:
        parser.Parse(svg, True)
    except xml.parsers.expat.ExpatError as exc:
        raise ImageProblem(f"cannot be read: not well-formed XML ({exc})") from exc


class _Scanner:
    """Expat handlers that raise on the first unsafe or oversized thing in an SVG."""

    def __init__(self) -> None:
        self.parser: xml.parsers.expat.XMLParserType | None = None
        self.depth = 0
        self.style: list[str] | None = None  # the text of the <style> element being read

    @property
    def line(self) -> int:
        return self.parser.CurrentLineNumber if self.parser else 1

    def doctype(self, name: str, sysid: str | None, pubid: str | None, subset: int) -> None:
        if subset:
            raise _Unsafe(
                f"it has a <!DOCTYPE> with declarations (line {self.line}), whose entities can"
                " expand without limit; remove the <!DOCTYPE ...> and its <!ENTITY> lines,"
                f" {PLAIN_SVG}"
            )
        raise _Unsafe(
            f"it has a <!DOCTYPE> declaration (line {self.line}); remove the <!DOCTYPE ...>"
            f" line (a drawing does not need it), {PLAIN_SVG}"
        )

    def entity(self, name: str, *_: object) -> None:
        raise _Unsafe(
            f"it declares the entity '{name}' (line {self.line}), which can expand without"
            f" limit; remove the <!ENTITY> lines, {PLAIN_SVG}"
        )

    def instruction(self, target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            raise _Unsafe(
                f"it loads a style sheet with <?xml-stylesheet?> (line {self.line}); remove"
                f" that line, {PLAIN_SVG}"
            )

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        uri, local, name = _names(tag)
        self.depth += 1
        if self.depth == 1:
            if uri != SVG_NS or local != "svg":
                raise ImageProblem(
                    "cannot be read: its root element is not <svg> in the SVG namespace"
                )
            _check_size(attributes)
        if self.depth > MAX_DEPTH:
            raise ImageProblem(
                f"is nested over {MAX_DEPTH} elements deep (line {self.line}); ungroup the"
                f" drawing, {PLAIN_SVG}",
                "image.too-large",
            )
        if (fix := _FORBIDDEN.get(local.lower())) is not None:
            raise _Unsafe(
                f"it has a <{name}> element (line {self.line}); {fix.format(name=name)},"
                f" {PLAIN_SVG}"
            )
        animated = local.lower() in _ANIMATIONS
        for key, value in attributes.items():
            self.attribute(name, _names(key)[1:], value, animated)
        if local.lower() == "style":
            self.style = []

    def attribute(self, element: str, names: tuple[str, str], value: str, animated: bool) -> None:
        """Refuse an event handler, a script link, or a reference out of the drawing."""
        local, name = names
        where = f"<{element} {name}=...> on line {self.line}"
        compact = re.sub(r"[\x00-\x20]", "", value).lower()
        if local.lower().startswith("on"):
            raise _Unsafe(
                f'it has an event handler {name}="{_short(value)}" on <{element}>'
                f" (line {self.line}); remove the {name} attribute, {PLAIN_SVG}"
            )
        if "javascript:" in compact or "vbscript:" in compact:
            raise _Unsafe(f"{where} holds a script link; remove it, {PLAIN_SVG}")
        if (
            animated
            and local == "attributeName"
            and (compact.endswith("href") or compact.startswith("on"))
        ):
            raise _Unsafe(
                f"{where} animates the '{value.strip()}' attribute; remove it, {PLAIN_SVG}"
            )
        if local in ("href", "src"):
            self.reference(where, value)
        _check_css(value, where, whole=local == "style")

    def reference(self, where: str, value: str) -> None:
        """Allow an ``#id`` or an embedded PNG, JPEG, GIF or WebP within the limits only."""
        target = value.strip(" \t\r\n\f\x00")
        if not target or target.startswith("#"):  # the drawing itself
            return
        if target.lower().startswith("data:"):
            if (kind := _RASTER_DATA.match(target)) is None:
                what = target[5:].split(",", 1)[0].split(";", 1)[0] or "text/plain"
                raise _Unsafe(
                    f"{where} embeds data of type '{_short(what)}'; embed pictures as PNG or"
                    f" JPEG only, {PLAIN_SVG}"
                )
            payload = target[kind.end() :]
            try:
                if ";base64" in (kind[2] or "").lower():
                    data = base64.b64decode(re.sub(r"\s", "", payload), validate=True)
                else:
                    data = urllib.parse.unquote_to_bytes(payload)
                with _pillow():
                    _header(data)
            except ImageProblem as exc:
                raise ImageProblem(f"embeds a picture ({where}) that {exc}", exc.code) from exc
            except ValueError as exc:
                raise ImageProblem(
                    f"embeds a picture that cannot be read ({where}): bad base64; embed it again"
                ) from exc
            return
        if target.lower().startswith(("http://", "https://", "//")):
            raise _Unsafe(
                f"{where} refers to {_short(target)} on the internet; embed the picture in the"
                f" drawing (Inkscape: Extensions > Images > Embed Images), {PLAIN_SVG}"
            )
        raise _Unsafe(
            f"{where} refers to the file '{_short(target)}' outside the drawing; embed it in"
            f" the drawing (Inkscape: Extensions > Images > Embed Images), {PLAIN_SVG}"
        )

    def end(self, tag: str) -> None:
        self.depth -= 1
        if self.style is not None and _names(tag)[1].lower() == "style":
            _check_css("".join(self.style), f"<style> ending on line {self.line}", whole=True)
            self.style = None

    def text(self, data: str) -> None:
        if self.style is not None:
            self.style.append(data)


def _names(tag: str) -> tuple[str, str, str]:
    """(namespace, local name, name as written) of an expat ``uri local prefix`` name."""
    parts = tag.split(" ")
    if len(parts) == 1:
        return "", parts[0], parts[0]
    name = f"{parts[2]}:{parts[1]}" if len(parts) == 3 else parts[1]
    return parts[0], parts[1], name


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _check_css(css: str, where: str, *, whole: bool) -> None:
    """Refuse CSS loading anything but an ``#id``; ``@import`` too in a style sheet (``whole``)."""
    if "(" not in css and "@" not in css and "\\" not in css:
        return
    plain = _CSS_ESCAPE.sub(_css_char, _CSS_COMMENT.sub("", css))
    for match in _CSS_FETCH.finditer(plain):
        target = match[3]
        if not target.startswith("#"):
            raise _Unsafe(
                f"{where} loads {match[1]}({_short(target)}) from outside the drawing; remove"
                f" that style rule, {PLAIN_SVG}"
            )
    if whole and (found := _CSS_IMPORT.search(plain)):
        raise _Unsafe(
            f"{where} imports another style sheet ({_short(found[0].strip())}); remove the"
            f" @import, {PLAIN_SVG}"
        )


def _css_char(match: re.Match) -> str:
    if match[1] is None:
        return match[2]
    code = int(match[1], 16)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def _check_size(attributes: dict[str, str]) -> None:
    """Refuse an <svg> whose width or height (or viewBox, without them) is absurd."""
    sizes = [_length(attributes.get(key, "")) for key in ("width", "height")]
    box = re.split(r"[\s,]+", attributes.get("viewBox", "").strip())
    if len(box) == 4:
        for index, value in enumerate(box[2:]):
            if sizes[index] is None:
                sizes[index] = _length(value)
    if any(s is not None and not (math.isfinite(s) and abs(s) <= MAX_SIDE) for s in sizes):
        shown = "x".join(
            "?" if s is None else f"{s:.0f}" if abs(s) < 1e12 else f"{s:g}" for s in sizes
        )
        raise ImageProblem(
            f"claims to be {shown} pixels, over the limit of {MAX_SIDE} on a side; set the"
            " <svg> width, height and viewBox to the drawing's real size",
            "image.too-large",
        )


def _length(value: str) -> float | None:
    match = _LENGTH.fullmatch(value)
    if match is None:
        return None
    return float(match[1]) * _UNITS[match[2] or "px"]
