"""The Jupyter Book 1.x stage: book source from notebooks and pages, then an offline HTML site.

This is the only module that knows Jupyter Book and Sphinx.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ruamel.yaml import YAML

from builder import i18n, pages, quizzes
from builder.model import Course

# sphinx_thebe hard-codes a CDN script; the other default extensions stay.
DROPPED_EXTENSIONS = {"sphinx_thebe"}
# Copied as is to the site root; quiz.js must not sit in _static/, whose scripts Jupyter Book
# adds to every page as classic scripts.
EXTRA = "_extra"
# No "substitution": it renders author text with Jinja, which runs code ({{ }} is kept as
# written); no "html_image"/"html_admonition": raw HTML is refused unless a course opts in.
MYST_EXTENSIONS = ["colon_fence", "deflist", "tasklist"]
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
        "parse": {"myst_enable_extensions": MYST_EXTENSIONS, "myst_url_schemes": ["mailto"]},
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
    return result == 0, warnings


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


class _References(HTMLParser):
    """Collects every src/href and inline CSS url() of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in ("src", "href", "srcset", "poster", "data", "action"):
                self.urls.append(value)
            if value and name == "style":
                self.urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", value)


def outside_references(site: Path) -> list[tuple[str, str]]:
    """(page, url) for every reference in the site's HTML and CSS that leaves the site."""
    found = []
    for page in sorted(site.rglob("*.html")):
        parser = _References()
        parser.feed(page.read_text(encoding="utf-8"))
        rel = page.relative_to(site).as_posix()
        found += [(rel, url) for url in parser.urls if _leaves_site(url)]
    for sheet in sorted(site.rglob("*.css")):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        rel = sheet.relative_to(site).as_posix()
        urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", text)
        urls += re.findall(r"@import\s+['\"]([^'\"]+)", text)
        found += [(rel, url) for url in urls if _leaves_site(url)]
    return found


def _leaves_site(url: str) -> bool:
    url = url.strip()
    if url.startswith("//"):
        return True
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return bool(scheme) and scheme.group(1).lower() not in ("data", "mailto", "javascript", "blob")
