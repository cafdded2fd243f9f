"""The Jupyter Book project written around the notebooks: ``_config.yml``, ``_toc.yml``, the
front, sources and glossary pages, and the quiz front end beside them."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from pathlib import Path

from ruamel.yaml import YAML

from builder import i18n
from builder.cache import Kept
from builder.course import tree
from builder.course.model import Course
from builder.publish import Output
from builder.quizzes import client as quiz_client
from builder.quizzes.frontend import (
    PAGE_SCRIPT,
    PROGRESS_SCRIPT,
    front_end,
    page_script,
    progress_script,
)
from builder.render import checklists, notebooks, notes
from builder.render.book import pages

# sphinx_thebe hard-codes a CDN script; the book's own theme replaces sphinx_book_theme (which
# loads 860 KiB for a first visit and labels its controls in English); learners do not copy
# code. The other default extensions stay: lessons may use dropdowns and toggles.
DROPPED_EXTENSIONS = {"sphinx_thebe", "sphinx_book_theme", "sphinx_copybutton"}
THEME = "builder"  # builder/render/book/theme/
# Our translations of Sphinx's own messages, with the search page's translations.js.
LOCALE_DIR = "_locale"
# Copied as is to the site root; the quiz script must not sit in _static/, whose scripts
# Jupyter Book adds to every page: it loads only where a quiz is, right after the quiz.
EXTRA = "_extra"
# The learners' notebooks in the site, one beside each lesson's page to download.
DOWNLOADS = "notebooks"
# Links MyST turns into links; anything else is a cross-reference (builder check refuses other
# schemes, and warns about http(s) links: the book must read well offline).
URL_SCHEMES = ("http", "https", "mailto")


def sources(course: Course, notebooks_dir: Path) -> list[Output]:
    """The Jupyter Book project: the lessons' MyST notebooks, the front, sources and glossary
    pages, the quiz front end, ``_config.yml`` and ``_toc.yml``; and, for download beside each
    lesson, the learners' notebooks written in ``notebooks_dir`` (``notebooks/<lesson>.ipynb``
    in the site)."""
    found = notebooks.book_sources(course)
    found += [
        Output(f"{EXTRA}/{DOWNLOADS}/{path.name}", path.read_bytes)
        for path in sorted(notebooks_dir.glob("*.ipynb"))
    ]
    made = {
        "index.md": pages.front_page,
        f"{pages.SOURCES}.md": pages.sources_page,
        f"{pages.GLOSSARY}.md": pages.glossary_page,
    }
    found += [Output(name, functools.partial(_page, make, course)) for name, make in made.items()]
    found += [
        Output(f"{EXTRA}/{checklists.FOLDER}/{lesson.id}.html", functools.partial(str.encode, page))
        for lesson in course.ordered_lessons()
        if (page := checklists.page(course, lesson)) is not None
    ]
    found += [
        Output(f"{EXTRA}/{quiz_client.ASSET_DIR}/{name}", functools.partial(str.encode, text))
        for name, text in (
            ("quiz.css", front_end()["quiz.css"]),
            (PAGE_SCRIPT, page_script()),
            (PROGRESS_SCRIPT, progress_script()),
        )
    ]
    found += _sphinx_catalog(course.info.language)
    found.append(Output("_config.yml", functools.partial(config_bytes, course)))
    found.append(Output("_toc.yml", lambda: _yaml(_toc(course))))
    return found


def _sphinx_catalog(lang: str) -> list[Output]:
    """Sphinx's messages in our words: the ``.po`` (Sphinx compiles it) and the page scripts'
    ``sphinx.js``, where the course's language has them."""
    catalog = i18n.catalog_file(lang, i18n.SPHINX_DOMAIN)
    script = i18n.js_catalog(lang, i18n.SPHINX_DOMAIN)
    if script is None:
        return []
    folder = f"{LOCALE_DIR}/{lang}/LC_MESSAGES"
    return [
        Output(f"{folder}/{i18n.SPHINX_DOMAIN}.po", catalog.read_bytes),
        Output(f"{folder}/{i18n.SPHINX_DOMAIN}.js", functools.partial(str.encode, script)),
    ]


def _page(make: Callable[[Course], str], course: Course) -> bytes:
    return make(course).encode("utf-8")


def _yaml(data: dict) -> bytes:
    """``data`` as YAML; the same data (by its repr: keys in order) is dumped once per process
    (ruamel's pure-Python dumper takes a tenth of a second for the book's configuration)."""
    return _DUMPED.get(repr(data), lambda: _dump(data))


_DUMPED = Kept(8)  # the book's _config.yml and _toc.yml


def _dump(data: dict) -> bytes:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    text = io.StringIO()
    yaml.dump(data, text)
    return text.getvalue().encode("utf-8")


def config_bytes(course: Course) -> bytes:
    """The book's ``_config.yml``."""
    return _yaml(_config(course))


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
        "exclude_patterns": ["_build", "**.ipynb_checkpoints", EXTRA, LOCALE_DIR],
        "execute": {"execute_notebooks": "off"},
        "parse": {
            "myst_enable_extensions": list(tree.EXTENSIONS),
            "myst_url_schemes": list(URL_SCHEMES),
        },
        "html": {
            "use_multitoc_numbering": False,
            "comments": {"hypothesis": False, "utterances": False},
        },
        "sphinx": {
            "config": {
                "language": lang,
                "html_last_updated_fmt": None,
                "html_extra_path": [EXTRA],
                "html_show_sphinx": False,
                "html_theme": THEME,
                "html_theme_options": {},
                "html_use_index": False,
                "html_show_sourcelink": False,
                "html_copy_source": True,  # Sphinx's search shows excerpts only with sources
                "togglebutton_hint": _("Show"),
                "togglebutton_hint_hide": _("Hide"),
                # Widget state would pull require.js and the widget manager from a CDN.
                "nb_ipywidgets_js": {},
                # What a tapped figure or term shows in place (see jupyterbook.py).
                "builder_notes": notes.in_place(course),
                # The lessons with a printable checklists page (the theme links it).
                "builder_checklists": sorted(
                    lesson.id
                    for lesson in course.lessons.values()
                    if checklists.checklists(course, lesson)
                ),
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
