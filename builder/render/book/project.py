"""The Jupyter Book project written around the notebooks: ``_config.yml``, ``_toc.yml``, the
front, sources and glossary pages, and the quiz front end beside them."""

from __future__ import annotations

import shutil
from pathlib import Path

from ruamel.yaml import YAML

from builder import i18n
from builder.course.model import Course
from builder.quizzes import client as quiz_client
from builder.quizzes.frontend import front_end
from builder.render.book import pages

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


def write_source(course: Course, notebooks: Path, src: Path) -> None:
    """A Jupyter Book project in ``src``: config, table of contents, pages and the notebooks."""
    src.mkdir(parents=True, exist_ok=True)
    shutil.copytree(notebooks, src, dirs_exist_ok=True)
    (src / "index.md").write_text(pages.front_page(course), encoding="utf-8")
    (src / f"{pages.SOURCES}.md").write_text(pages.sources_page(course), encoding="utf-8")
    (src / f"{pages.GLOSSARY}.md").write_text(pages.glossary_page(course), encoding="utf-8")
    assets = src / EXTRA / quiz_client.ASSET_DIR
    assets.mkdir(parents=True, exist_ok=True)
    for name, text in front_end().items():
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
