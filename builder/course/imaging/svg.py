"""What an SVG drawing may hold: read with the standard library's expat (which fetches nothing;
a DOCTYPE is refused before any entity is declared), refusing scripts, event handlers,
animations and references outside the file, which would run or load in a learner's browser,
and sizes or nesting a renderer could choke on."""

from __future__ import annotations

import base64
import math
import re
import urllib.parse
import xml.parsers.expat

from builder.course.imaging import raster
from builder.course.imaging.errors import ImageProblem, Unsafe

SVG_NS = "http://www.w3.org/2000/svg"
MAX_SIDE = 100_000  # an SVG's width or height in pixels
MAX_DEPTH = 100  # SVG elements inside elements
PLAIN_SVG = "or export the drawing as plain SVG"


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


def scan(svg: bytes) -> None:
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
            raise Unsafe(
                f"it has a <!DOCTYPE> with declarations (line {self.line}), whose entities can"
                " expand without limit; remove the <!DOCTYPE ...> and its <!ENTITY> lines,"
                f" {PLAIN_SVG}"
            )
        raise Unsafe(
            f"it has a <!DOCTYPE> declaration (line {self.line}); remove the <!DOCTYPE ...>"
            f" line (a drawing does not need it), {PLAIN_SVG}"
        )

    def entity(self, name: str, *_: object) -> None:
        raise Unsafe(
            f"it declares the entity '{name}' (line {self.line}), which can expand without"
            f" limit; remove the <!ENTITY> lines, {PLAIN_SVG}"
        )

    def instruction(self, target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            raise Unsafe(
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
            raise Unsafe(
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
            raise Unsafe(
                f'it has an event handler {name}="{_short(value)}" on <{element}>'
                f" (line {self.line}); remove the {name} attribute, {PLAIN_SVG}"
            )
        if "javascript:" in compact or "vbscript:" in compact:
            raise Unsafe(f"{where} holds a script link; remove it, {PLAIN_SVG}")
        if (
            animated
            and local == "attributeName"
            and (compact.endswith("href") or compact.startswith("on"))
        ):
            raise Unsafe(
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
                raise Unsafe(
                    f"{where} embeds data of type '{_short(what)}'; embed pictures as PNG or"
                    f" JPEG only, {PLAIN_SVG}"
                )
            payload = target[kind.end() :]
            try:
                if ";base64" in (kind[2] or "").lower():
                    data = base64.b64decode(re.sub(r"\s", "", payload), validate=True)
                else:
                    data = urllib.parse.unquote_to_bytes(payload)
                with raster.pillow():
                    raster.header(data)
            except ImageProblem as exc:
                raise ImageProblem(f"embeds a picture ({where}) that {exc}", exc.code) from exc
            except ValueError as exc:
                raise ImageProblem(
                    f"embeds a picture that cannot be read ({where}): bad base64; embed it again"
                ) from exc
            return
        if target.lower().startswith(("http://", "https://", "//")):
            raise Unsafe(
                f"{where} refers to {_short(target)} on the internet; embed the picture in the"
                f" drawing (Inkscape: Extensions > Images > Embed Images), {PLAIN_SVG}"
            )
        raise Unsafe(
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
            raise Unsafe(
                f"{where} loads {match[1]}({_short(target)}) from outside the drawing; remove"
                f" that style rule, {PLAIN_SVG}"
            )
    if whole and (found := _CSS_IMPORT.search(plain)):
        raise Unsafe(
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
