"""Requests a built site would make outside itself: every URL its pages and style sheets load,
read with the HTML parser and a CSS tokenizer, so that the book stays offline."""

from __future__ import annotations

import functools
import hashlib
import html
import re
from html.parser import HTMLParser
from pathlib import Path

from builder.cache import Kept

# Attributes whose value is one URL the browser may load (or, for <a>, follow).
# Elements whose href is a place to go, not something the page loads.
LINK_TAGS = {"a", "area"}
URL_ATTRIBUTES = {
    "action",
    "background",
    "codebase",
    "data",
    "formaction",
    "href",
    "icon",
    "longdesc",
    "manifest",
    "ping",
    "poster",
    "src",
    "xlink:href",
}
SRCSET_ATTRIBUTES = {"srcset", "imagesrcset"}
# CSS in attributes: style, and the SVG presentation attributes that take url().
CSS_ATTRIBUTES = {
    "style",
    "fill",
    "stroke",
    "filter",
    "mask",
    "clip-path",
    "cursor",
    "marker-start",
    "marker-mid",
    "marker-end",
}
CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(\n)|(.))", re.DOTALL)
# A style sheet read token by token, so a "/*" inside a string or url() starts no comment.
CSS_TOKEN = re.compile(
    r"""(?P<comment>/\*.*?(?:\*/|\Z))
    |(?P<function>(?:[\w-]|\\(?:[0-9a-fA-F]{1,6}\s?|.))+)\(
    |\\(?:[0-9a-fA-F]{1,6}\s?|.)
    |(?P<string>"(?:[^"\\\n]|\\.)*(?:"|$)|'(?:[^'\\\n]|\\.)*(?:'|$))""",
    re.DOTALL | re.VERBOSE | re.MULTILINE,
)
CSS_URL_ARGUMENT = re.compile(r"\s*((?:[^\s)\\\"']|\\(?:[0-9a-fA-F]{1,6}\s?|.))+)", re.DOTALL)
REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"\s;]+)", re.IGNORECASE)
PI_HREF = re.compile(r"href\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", re.IGNORECASE)
# Schemes that load nothing from another host.
STAYS = ("data", "mailto", "javascript", "blob")


def css_references(text: str) -> list[str]:
    """Every url() and quoted string of CSS (@import "x", image-set("x" 1x)), escapes decoded."""
    found = []
    pos = 0
    while (token := CSS_TOKEN.search(text, pos)) is not None:
        pos = token.end()
        if token["string"] is not None:
            found.append(_css_unescape(token["string"][1:].removesuffix(token["string"][0])))
        elif token["function"] is not None and _css_unescape(token["function"]).lower() == "url":
            argument = CSS_URL_ARGUMENT.match(text, pos)
            if argument is not None:
                found.append(_css_unescape(argument[1]))
                pos = argument.end()
    return found


def _css_unescape(text: str) -> str:
    """``text`` with CSS escapes (``\\75``, ``\\:``, an escaped newline) decoded."""

    def one(match: re.Match) -> str:
        if match[1] is None:
            return "" if match[2] else match[3]
        code = int(match[1], 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return CSS_ESCAPE.sub(one, text)


class _References(HTMLParser):
    """Collects every URL a page or SVG file may load, in attributes, CSS and instructions."""

    # URL attributes, srcset, meta refresh, <style> elements, CSS in style and SVG
    # presentation attributes, and <?xml-stylesheet href=...?>.

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self._style: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value}
        for name, value in values.items():
            if name == "href" and tag in LINK_TAGS:
                continue  # a link is followed only when a learner chooses to (link.external)
            if name in URL_ATTRIBUTES:
                self.urls.append(value)
            elif name in SRCSET_ATTRIBUTES:
                self.urls += [u for u in re.split(r"[\s,]+", value) if u]
            elif name in CSS_ATTRIBUTES:
                self.urls += css_references(value)
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.urls += REFRESH_URL.findall(values.get("content", ""))
        if tag == "style":
            self._flush_style()
            self._style = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # "<style/>" opens a style element in HTML, so what follows is read as CSS.
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._flush_style()

    def handle_data(self, data: str) -> None:
        if self._style is not None:
            self._style.append(data)

    def handle_pi(self, data: str) -> None:
        if data.lower().startswith("xml-stylesheet"):
            self.urls += [a or b for a, b in PI_HREF.findall(data)]

    def close(self) -> None:
        """Read what is left, including a <style> element that is never closed."""
        super().close()
        if self._style is not None and self.rawdata:  # HTMLParser keeps an open <style>'s text
            self._style.append(self.rawdata)
            self.rawdata = ""
        self._flush_style()

    def _flush_style(self) -> None:
        if self._style is not None:
            text = "".join(self._style)
            # Inside inline SVG, a browser decodes character references in <style>.
            self.urls += css_references(text) + css_references(html.unescape(text))
            self._style = None


def outside_references(site: Path) -> list[tuple[str, str]]:
    """(file, url) for every reference in the site's HTML, SVG and CSS that leaves the site."""
    found = []
    for page in sorted([*site.rglob("*.html"), *site.rglob("*.svg")]):
        rel = page.relative_to(site).as_posix()
        data = page.read_bytes()
        key = hashlib.sha256(data).digest()
        make = functools.partial(_page_references, data)
        found += [(rel, url) for url in _REFERENCES.get(key, make)]
    for sheet in sorted(site.rglob("*.css")):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        rel = sheet.relative_to(site).as_posix()
        urls = css_references(text)
        found += [(rel, url) for url in dict.fromkeys(urls) if _leaves_site(url)]
    return found


# A page's references, by the digest of its bytes: a build that writes a few pages again
# finds the others as they were.
_REFERENCES = Kept(1024)


def _page_references(data: bytes) -> tuple[str, ...]:
    """The references of one HTML or SVG file that leave the site, in order, each once."""
    parser = _References()
    parser.feed(data.decode("utf-8", errors="replace"))
    parser.close()
    return tuple(url for url in dict.fromkeys(parser.urls) if _leaves_site(url))


def _leaves_site(url: str) -> bool:
    """Whether a browser would go to another host (or scheme) to load ``url``."""
    # As a browser does: tabs and newlines dropped, ends trimmed, backslashes read as slashes.
    url = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(33)))).replace("\\", "/")
    if url.startswith("//"):
        return True
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return bool(scheme) and scheme.group(1).lower() not in STAYS
