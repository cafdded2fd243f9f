"""The Jupyter Book 1.x stage: book source from notebooks and pages, then an offline HTML site.

This is the only module that knows Jupyter Book and Sphinx.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from docutils.writers.html5_polyglot import HTMLTranslator
from markupsafe import Markup, escape
from ruamel.yaml import YAML

from builder import i18n, pages, quizzes
from builder.course.model import Course

# sphinx_thebe hard-codes a CDN script; the other default extensions stay.
DROPPED_EXTENSIONS = {"sphinx_thebe"}
# Copied as is to the site root; quiz.js must not sit in _static/, whose scripts Jupyter Book
# adds to every page as classic scripts.
EXTRA = "_extra"
# No "substitution": it renders author text with Jinja, which runs code ({{ }} is kept as
# written); no "html_image"/"html_admonition": raw HTML is refused unless a course opts in.
MYST_EXTENSIONS = ["colon_fence", "deflist", "tasklist"]
# Links MyST turns into links; anything else is a cross-reference (builder check refuses other
# schemes, and warns about http(s) links: the book must read well offline).
URL_SCHEMES = ("http", "https", "mailto")
# Template values that hold course text as plain text (course title, publisher, page titles
# from ``astext()``), which the themes print raw; they are handed over escaped, as Markup, so
# raw prints and ``|e`` both give the text once escaped. ``title`` and the prev/next and TOC
# titles are HTML that Sphinx rendered from the doctree, escaped already.
PLAIN_TEXT_CONTEXT = (
    "docstitle",
    "shorttitle",
    "project",
    "copyright",
    "author",
    "pagetitle",
    "root_title",
)
SEARCH_INDEX = "searchindex.js"
WARNING_LINE = re.compile(
    r"^(?P<path>[^\s:][^:]*?)(?::(?P<line>\d+))?: (?:WARNING|ERROR|CRITICAL): (?P<msg>.*)$"
)


@dataclass(frozen=True)
class BookWarning:
    """A Sphinx warning, with the notebook or page it concerns when Sphinx names one."""

    document: str
    line: int
    message: str


def write_source(course: Course, notebooks: Path, src: Path) -> None:
    """A Jupyter Book project in ``src``: config, table of contents, pages and the notebooks."""
    src.mkdir(parents=True, exist_ok=True)
    shutil.copytree(notebooks, src, dirs_exist_ok=True)
    (src / "index.md").write_text(pages.front_page(course), encoding="utf-8")
    (src / f"{pages.SOURCES}.md").write_text(pages.sources_page(course), encoding="utf-8")
    (src / f"{pages.GLOSSARY}.md").write_text(pages.glossary_page(course), encoding="utf-8")
    assets = src / EXTRA / quizzes.ASSET_DIR
    assets.mkdir(parents=True, exist_ok=True)
    for name, text in quizzes.front_end().items():
        (assets / name).write_text(text, encoding="utf-8")
    _dump(src / "_config.yml", _config(course))
    _dump(src / "_toc.yml", _toc(course))


def _dump(path: Path, data: dict) -> None:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


def _config(course: Course) -> dict:
    """``_config.yml``: no execution, no launch or repository buttons, no CDN, our language."""
    info = course.info
    lang = info.language
    _ = i18n.translations(lang).gettext
    return {
        "title": info.title,
        "author": info.publisher or "",
        "copyright": info.publisher or info.title,
        "only_build_toc_files": True,
        "exclude_patterns": ["_build", "**.ipynb_checkpoints", EXTRA],
        "execute": {"execute_notebooks": "off"},
        "parse": {"myst_enable_extensions": MYST_EXTENSIONS, "myst_url_schemes": list(URL_SCHEMES)},
        "html": {
            "use_edit_page_button": False,
            "use_repository_button": False,
            "use_issues_button": False,
            "use_multitoc_numbering": False,
            "home_page_in_navbar": True,
            "comments": {"hypothesis": False, "utterances": False},
        },
        "launch_buttons": {
            "thebe": False,
            "binderhub_url": "",
            "jupyterhub_url": "",
            "colab_url": "",
            "deepnote_url": "",
        },
        "repository": {"url": "", "path_to_book": "", "branch": "main"},
        "sphinx": {
            "config": {
                "language": lang,
                "html_last_updated_fmt": None,
                "html_extra_path": [EXTRA],
                "html_show_sphinx": False,
                "html_theme_options": {
                    "search_bar_text": _("Search this course…"),
                    "use_download_button": True,
                    "use_fullscreen_button": False,
                    "use_repository_button": False,
                },
                # Widget state would pull require.js and the widget manager from a CDN.
                "nb_ipywidgets_js": {},
                "nb_mime_priority_overrides": [["html", "text/html", 0]],
                "myst_heading_anchors": 3,
                "suppress_warnings": ["myst.domains"],
            }
        },
    }


def _toc(course: Course) -> dict:
    """``_toc.yml``: the front page, one part per module, then sources and glossary."""
    _ = i18n.translations(course.info.language).gettext
    parts = []
    for module in course.info.modules:
        chapters = [{"file": lesson} for lesson in module.lessons if lesson in course.lessons]
        if chapters:
            parts.append({"caption": module.title, "chapters": chapters})
    parts.append(
        {"caption": _("Reference"), "chapters": [{"file": pages.SOURCES}, {"file": pages.GLOSSARY}]}
    )
    return {"format": "jb-book", "root": "index", "parts": parts}


def build_html(src: Path, out: Path, doctrees: Path) -> tuple[bool, list[BookWarning]]:
    """Run Sphinx through Jupyter Book; returns success and every warning it printed."""
    from jupyter_book.config import get_default_sphinx_config
    from jupyter_book.sphinx import build_sphinx

    extensions = [
        e for e in get_default_sphinx_config()["extensions"] if e not in DROPPED_EXTENSIONS
    ]
    extensions.append(__name__)  # setup() below: escaping for the theme's slots
    captured = io.StringIO()
    with contextlib.redirect_stderr(captured), contextlib.redirect_stdout(io.StringIO()):
        result = build_sphinx(
            str(src),
            str(out),
            noconfig=True,
            path_config=str(src / "_config.yml"),
            confoverrides={"extensions": extensions, "latex_individualpages": False},
            doctreedir=str(doctrees),
            freshenv=True,
            quiet=True,
        )
    warnings = _parse_warnings(captured.getvalue(), src)
    # Sphinx's record for its own incremental builds: a hash of the configuration objects,
    # which differs between processes for the same sources. The book is always built fresh.
    (out / ".buildinfo").unlink(missing_ok=True)
    return result == 0, warnings


def setup(app: Any) -> dict:
    """Sphinx extension: course text reaches the theme's templates and the search index escaped."""
    # After the book theme's own handler (priority 500), which sets pagetitle, root_title, author.
    app.connect("html-page-context", _escape_context, priority=900)
    app.connect("build-finished", _escape_search_titles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def _escape_context(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Hand plain-text values to the templates as escaped Markup (never escaped twice)."""
    for key in PLAIN_TEXT_CONTEXT:
        value = context.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            context[key] = escape(value)


def _escape_search_titles(app: Any, exception: Exception | None) -> None:
    """Escape the section titles in ``searchindex.js``, which searchtools.js shows as HTML."""
    # Sphinx 7.4 stores section titles ("alltitles") as plain text and sets a matching one as
    # a result's innerHTML. Escaped, a query typed with < & " no longer matches a title by
    # those characters (its words are still found in the text).
    index = Path(app.outdir) / SEARCH_INDEX
    if exception is not None or app.builder.format != "html" or not index.is_file():
        return
    text = index.read_text(encoding="utf-8")
    prefix, suffix = "Search.setIndex(", ")"
    if not (text.startswith(prefix) and text.rstrip().endswith(suffix)):
        raise RuntimeError(f"{SEARCH_INDEX} is not in the expected Search.setIndex(...) form")
    data = json.loads(text.strip()[len(prefix) : -len(suffix)])
    # Escaped as docutils escapes the page titles beside them, so equal titles still compare equal.
    table = HTMLTranslator.special_characters
    data["alltitles"] = {k.translate(table): v for k, v in data.get("alltitles", {}).items()}
    index.write_text(prefix + json.dumps(data, sort_keys=True) + suffix, encoding="utf-8")


def _parse_warnings(text: str, src: Path) -> list[BookWarning]:
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    found = []
    for line in text.splitlines():
        match = WARNING_LINE.match(line.strip())
        if match:
            path = match["path"]
            with contextlib.suppress(ValueError):
                path = str(Path(path).resolve().relative_to(src.resolve()))
            found.append(BookWarning(path, int(match["line"] or 0), match["msg"]))
        elif line.strip() and ("WARNING:" in line or "ERROR:" in line or "Exception" in line):
            found.append(BookWarning("", 0, line.strip()))
    return found


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
        parser = _References()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        parser.close()
        rel = page.relative_to(site).as_posix()
        found += [(rel, url) for url in dict.fromkeys(parser.urls) if _leaves_site(url)]
    for sheet in sorted(site.rglob("*.css")):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        rel = sheet.relative_to(site).as_posix()
        urls = css_references(text)
        found += [(rel, url) for url in dict.fromkeys(urls) if _leaves_site(url)]
    return found


def _leaves_site(url: str) -> bool:
    """Whether a browser would go to another host (or scheme) to load ``url``."""
    # As a browser does: tabs and newlines dropped, ends trimmed, backslashes read as slashes.
    url = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(33)))).replace("\\", "/")
    if url.startswith("//"):
        return True
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return bool(scheme) and scheme.group(1).lower() not in STAYS
