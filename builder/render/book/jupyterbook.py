"""The Sphinx run through Jupyter Book 1.x: the offline HTML site from the book project, every
warning with the document it concerns, and the escaping of course text in the theme's slots.

This is the only module that runs Jupyter Book and Sphinx.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.writers.html5_polyglot import HTMLTranslator
from markupsafe import Markup, escape
from sphinx.search import SearchLanguage
from sphinx.writers.html5 import HTML5Translator

from builder import i18n
from builder.course.myst import CHECKBOX
from builder.i18n.vietnamese import fold
from builder.render.book.project import DROPPED_EXTENSIONS, LOCALE_DIR, THEME

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
PLAIN_SEARCH_INDEX = "searchindex.plain.js"  # as Sphinx wrote it, titles not escaped
THEME_DIR = Path(__file__).parent / "theme"
SEARCH_PAGE = "search"
# Sphinx's own page scripts serve its search page only (the lessons need none of them).
SEARCH_SCRIPTS = ("documentation_options", "doctools", "translations")
# Not even there: it marks the typed words inside other words; search-summary.js marks words.
UNUSED_SCRIPTS = ("sphinx_highlight",)
# An extension's files load on the pages whose body uses them: (file name start, body marker).
USED_BY_BODY = {
    "pygments": re.compile(r'class="highlight'),
    "mystnb.": re.compile(r'class="cell'),
    "sphinx-design": re.compile(r'class="[^"]*\bsd-'),
    "design-tabs": re.compile(r'class="[^"]*\bsd-tab'),
    # sphinx-togglebutton's selector: ".toggle, .admonition.dropdown".
    "togglebutton": re.compile(r'class="(?:[^"]*\s)?(?:toggle|dropdown)[\s"]'),
}
WARNING_LINE = re.compile(
    r"^(?P<path>[^\s:][^:]*?)(?::(?P<line>\d+))?: (?:WARNING|ERROR|CRITICAL): (?P<msg>.*)$"
)


@dataclass(frozen=True)
class BookWarning:
    """A Sphinx warning, with the notebook or page it concerns when Sphinx names one."""

    document: str
    line: int
    message: str


def extensions() -> list[str]:
    """The Sphinx extensions the book is built with: Jupyter Book's but those we drop, and
    this module (its ``setup``: escaping for the theme's slots)."""
    from jupyter_book.config import get_default_sphinx_config

    found = [e for e in get_default_sphinx_config()["extensions"] if e not in DROPPED_EXTENSIONS]
    return [*found, __name__]


def build_html(
    src: Path, out: Path, doctrees: Path, fresh: bool = True
) -> tuple[bool, list[BookWarning]]:
    """Run Sphinx through Jupyter Book; returns success and every warning it printed. Not
    ``fresh``, Sphinx reuses the environment in ``doctrees`` and reads again only the sources
    modified since it was saved; it writes their pages, and those missing from ``out`` or older
    than their sources."""
    from jupyter_book.sphinx import build_sphinx

    captured = io.StringIO()
    with contextlib.redirect_stderr(captured), contextlib.redirect_stdout(io.StringIO()):
        result = build_sphinx(
            str(src),
            str(out),
            noconfig=True,
            path_config=str(src / "_config.yml"),
            confoverrides={
                "extensions": extensions(),
                "latex_individualpages": False,
                # No figure, table or listing is numbered (no caption a reference could
                # name): without numbers, Sphinx does not read every page's doctree again
                # after each edit to look for them.
                "numfig": False,
                # Absolute: Sphinx reads the .po files against the source folder but looks for
                # the search page's translations.js against the working folder.
                "locale_dirs": [str((src / LOCALE_DIR).resolve())],
            },
            doctreedir=str(doctrees),
            freshenv=fresh,
            quiet=True,
        )
    warnings = _parse_warnings(captured.getvalue(), src)
    if result != 0:  # what stopped it: the last lines Sphinx printed (an extension's error)
        text = re.sub(r"\x1b\[[0-9;]*m", "", captured.getvalue())
        last = " ".join(line.strip() for line in text.splitlines() if line.strip())[-400:]
        warnings.append(BookWarning("", 0, f"Sphinx stopped: {last or result}"))
    # Sphinx's record for its own incremental builds: a hash of the configuration objects,
    # which differs between processes for the same sources. Without it, Sphinx writes every
    # page again, as in a fresh build (``site.site`` gives it an empty ``out`` anyway).
    (out / ".buildinfo").unlink(missing_ok=True)
    return result == 0, warnings


def setup(app: Any) -> dict:
    """Sphinx extension: the course's theme and search language; course text reaches the
    theme's templates and the search index escaped; each page loads only what it uses."""
    app.add_html_theme(THEME, str(THEME_DIR))
    app.add_search_language(FoldedSearch)
    app.add_config_value("builder_notes", {}, "html", types=[dict])
    app.add_config_value("builder_checklists", [], "html", types=[list])
    app.connect("doctree-resolved", _notes_in_place)
    app.set_translator("html", NotesTranslator, override=True)
    # Late, after any other extension's handler that sets template values.
    app.connect("html-page-context", _escape_context, priority=900)
    app.connect("html-page-context", _page_context, priority=910)
    app.connect("build-finished", _escape_search_titles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


class FoldedSearch(SearchLanguage):
    """Search for Vietnamese: words indexed and looked up without their diacritics (đ read as
    d), so that "mat khau" finds "mật khẩu"; no stemming and no stop words ("an" of "an toàn"
    is a word). The page script folds as ``fold`` does; a query typed in decomposed form (as
    some phone keyboards send it) is composed before it is split."""

    lang = "vi"
    language_name = "Vietnamese"
    js_stemmer_code = """
var Stemmer = function () {
  this.stemWord = function (w) {
    return w.normalize("NFD").replace(/[\\u0300-\\u036f]/g, "")
      .replace(/\\u0111/g, "d").replace(/\\u0110/g, "D").normalize("NFC").toLowerCase();
  };
};
"""
    js_splitter_code = """
function splitQuery(query) {
  return query.normalize("NFC").split(/[^\\p{L}\\p{M}\\p{N}_]+/gu).filter((term) => term);
}
"""

    def stem(self, word: str) -> str:
        return fold(word).lower()


# The pages whose entries a tapped figure or term shows in place, and the punctuation kept on
# the line of the figure or term it follows.
NOTE_PAGES = ("sources.html", "glossary.html")
PUNCTUATION = ",.;:!?)”»%…"


def _notes_in_place(app: Any, doctree: Any, docname: str) -> None:
    """Keep a figure or term's button on one line with the punctuation after it (no line that
    starts with a comma): the link and that punctuation go into one unbreakable span."""
    notes = app.config.builder_notes
    if not notes or app.builder.format != "html":
        return
    for ref in [r for r in doctree.findall(nodes.reference) if _note_target(r, notes)]:
        parent = ref.parent
        index = parent.index(ref)
        after = parent[index + 1] if index + 1 < len(parent) else None
        if not isinstance(after, nodes.Text):
            continue
        text = str(after)
        stop = len(text) - len(text.lstrip(PUNCTUATION))
        if not stop:
            continue
        span = nodes.inline("", "", classes=["nobr"])
        parent.replace(ref, span)
        span += ref
        span += nodes.Text(text[:stop])
        if text[stop:]:
            parent.replace(after, nodes.Text(text[stop:]))
        else:
            parent.remove(after)


class NotesTranslator(HTML5Translator):
    """Sphinx's HTML writer, but a lesson's link to a fact's source or a term's entry becomes a
    button that opens the note in place (an HTML popover: no script), which links on to the
    entry. Written here, not in the doctree, so that the search index holds the link's text
    only, not every note. One note per target and page; browsers without popovers get the
    links back (layout.html)."""

    def visit_raw(self, node: Any) -> None:
        """A task list's box is drawn, not a form field: a disabled checkbox nobody can tick
        is announced as an unlabelled control (axe: label). Other raw HTML, which a course
        allows only by opting in, is Sphinx's to write."""
        box = CHECKBOX.match(node.astext().strip()) if "html" in node.get("format", "") else None
        if box is None:
            super().visit_raw(node)
            return
        ticked = " task-box-ticked" if box[1] else ""
        self.body.append(f'<span class="task-box{ticked}" aria-hidden="true"></span>')
        raise nodes.SkipNode

    def visit_reference(self, node: Any) -> None:
        notes = self.builder.config.builder_notes
        if not notes or not _note_target(node, notes):
            super().visit_reference(node)
            return
        _ = i18n.translations(self.builder.config.language or "en").gettext
        uri = node["refuri"]
        fragment = uri.partition("#")[2]
        shown = self.__dict__.setdefault("_notes_shown", {})
        new = fragment not in shown
        if new:  # an id no heading or label of the author's can take (those have no "_")
            number = len(shown) + 1
            while f"note_{number}" in self.document.ids:
                number += 1
            shown[fragment] = f"note_{number}"
        note_id = shown[fragment]
        self.body.append(
            f'<button type="button" class="note-ref" popovertarget="{note_id}">'
            f"{escape(node.astext())}</button>"
        )
        if new:
            more = _("See the source") if fragment.startswith("fact-") else _("See the glossary")
            close = _("Close")
            self.body.append(
                f'<span class="note" id="{note_id}" popover>{escape(notes[fragment])} '
                f'<a href="{escape(uri)}">{escape(more)}</a>'
                f'<button type="button" class="note-close" popovertarget="{note_id}" '
                f'popovertargetaction="hide">{escape(close)}</button></span>'
            )
        raise nodes.SkipNode


def _note_target(ref: Any, notes: dict) -> bool:
    page, _, fragment = str(ref.get("refuri", "")).partition("#")
    return page.rsplit("/", 1)[-1] in NOTE_PAGES and fragment in notes


def _escape_context(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Hand plain-text values to the templates as escaped Markup (never escaped twice)."""
    for key in PLAIN_TEXT_CONTEXT:
        value = context.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            context[key] = escape(value)


def _page_context(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The theme's strings from the builder's catalog (``t``, escaped), and only the files
    the page uses: Sphinx's scripts on the search page, an extension's where its markup is."""
    gettext = i18n.translations(app.config.language or "en").gettext
    context["t"] = lambda message: escape(gettext(message))
    context["checklists"] = pagename in app.config.builder_checklists
    body = context.get("body") or ""
    search_page = pagename == SEARCH_PAGE

    toggles = USED_BY_BODY["togglebutton"].search(body)

    def used(asset: Any) -> bool:
        name = Path(str(getattr(asset, "filename", "") or "")).name
        if not name:  # an inline script: an extension's settings, kept where its files are
            return "toggle" not in str(getattr(asset, "attributes", {}).get("body", "")) or bool(
                toggles
            )
        if name.startswith(UNUSED_SCRIPTS):
            return False
        if name.startswith(SEARCH_SCRIPTS):
            return search_page
        return all(
            marker.search(body) for start, marker in USED_BY_BODY.items() if name.startswith(start)
        )

    for key in ("css_files", "script_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if used(asset)]


def _escape_search_titles(app: Any, exception: Exception | None) -> None:
    """Escape the section titles in ``searchindex.js``, which searchtools.js shows as HTML."""
    # Sphinx 7.4 stores section titles ("alltitles") as plain text and sets a matching one as
    # a result's innerHTML. Escaped, a query typed with < & " no longer matches a title by
    # those characters (its words are still found in the text).
    index = Path(app.outdir) / SEARCH_INDEX
    if exception is not None or app.builder.format != "html" or not index.is_file():
        return
    text = index.read_text(encoding="utf-8")
    # Sphinx's own index, kept beside its environment for a run that writes some pages only:
    # Sphinx updates the index it finds in the output folder (``site._reuse``).
    (Path(app.doctreedir) / PLAIN_SEARCH_INDEX).write_text(text, encoding="utf-8")
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
