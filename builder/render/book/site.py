"""The book as one output: the project written in scratch around the notebooks, the Sphinx run,
its warnings located at the lesson lines they came from, and its requests checked to stay
inside the site."""

from __future__ import annotations

import functools
from pathlib import Path

from builder.course.model import Course
from builder.problems import Problems, Where
from builder.publish import Output, write
from builder.render import notebooks
from builder.render.book import jupyterbook, links, project
from builder.render.book.jupyterbook import BookWarning

FOLDER = "book"


def outputs(course: Course, notebooks_dir: Path, work: Path, problems: Problems) -> list[Output]:
    """The book, one output: the site folder, made from the notebooks in ``notebooks_dir``
    (written first) in the scratch folder ``work``."""
    return [Output(FOLDER, functools.partial(site, course, notebooks_dir, work, problems))]


def site(course: Course, notebooks_dir: Path, work: Path, problems: Problems) -> Path:
    """The site, built under ``work`` from the notebooks written in ``notebooks_dir`` (Jupyter
    Book writes jupyter_execute/ beside its output folder); problems go to ``problems``."""
    src = work / "book-src"
    write(project.sources(course, notebooks_dir), src)
    out = work / FOLDER
    ok, warnings = jupyterbook.build_html(src, out, work / "doctrees")
    _report(course, ok, warnings, problems, src)
    for page, url in links.outside_references(out) if ok else []:
        problems.error(
            Where(f"{FOLDER}/{page}", 1),
            "book.outside-request",
            f"the page refers to {url}, outside the site; the book must work offline",
        )
    out.mkdir(exist_ok=True)  # a failed run's error is reported: the build stops after it
    return out


def _report(
    course: Course, ok: bool, warnings: list[BookWarning], problems: Problems, src: Path
) -> None:
    """Turn Sphinx warnings into problems located at the lesson line they came from."""
    sources = {f"{lesson.id}.ipynb": lesson.path for lesson in course.lessons.values()}
    for warning in warnings:
        if warning.document in sources:
            line = notebooks.source_line(src / warning.document, warning.line)
            where = Where(sources[warning.document], line)
        else:
            document = f"{FOLDER}/{warning.document}" if warning.document else FOLDER
            where = Where(document, max(warning.line, 1))
        problems.warning(where, "book.sphinx", warning.message)
    if not ok:
        problems.error(Where(FOLDER, 1), "book.failed", "Jupyter Book could not build the site")
