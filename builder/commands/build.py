"""The pipeline: load, check, then render notebooks, decks and the book; publish only on success."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from builder.checks.course import check_course
from builder.course import imaging
from builder.course.load import (
    DECKS_DIR,
    FACTS_FILE,
    GLOSSARY_FILE,
    LESSONS_DIR,
    QUIZZES_DIR,
    SOURCES_FILE,
    THEME_FILE,
    load_course,
)
from builder.course.model import Course
from builder.problems import UNREADABLE, Problems, Severity, Where, suggest
from builder.publish import staging
from builder.render import notebooks
from builder.render.book import jupyterbook, links, project
from builder.render.decks import deck as decks
from builder.render.decks import textfit

Stage = Callable[[str], contextlib.AbstractContextManager]


@contextlib.contextmanager
def _silent(_: str) -> Iterator[None]:
    yield


class BuildFailed(Exception):
    """The sources have errors (or warnings under ``strict``); nothing was published."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class Built:
    """What a successful build wrote, and the warnings it let through."""

    course: Course
    problems: Problems
    notebooks: list[Path] = field(default_factory=list)
    book: Path | None = None
    decks: list[Path] = field(default_factory=list)


# When one of these files cannot be read, references to its entries cannot be checked: the
# file's own error is reported, not one "unknown" per reference.
UNCHECKABLE = {
    FACTS_FILE: {"ref.unknown-fact", "quiz.unknown-source", "quiz.answer-not-fact"},
    SOURCES_FILE: {"fact.unknown-source", "quiz.unknown-source"},
    GLOSSARY_FILE: {"ref.unknown-term"},
    LESSONS_DIR: {"ref.unknown-lesson"},  # the folder itself could not be read
    QUIZZES_DIR: {"ref.unknown-question", "quiz.unknown-bank", "quiz.draw"},
}


def load_and_check(root: Path) -> tuple[Course | None, Problems]:
    """Load the course tree and run every check; problems from both, in one list."""
    course, problems = load_course(root)
    if course is not None:
        checked = check_course(course)
        broken = {p.where.path for p in problems.items if p.code in UNREADABLE}
        skip = set().union(*(codes for rel, codes in UNCHECKABLE.items() if rel in broken))
        problems.extend([p for p in checked.items if p.code not in skip])
        _silence(course, problems)
    return course, problems


def _silence(course: Course, problems: Problems) -> None:
    """Drop the warnings whose codes course.yml silences (errors always stay)."""
    silenced = set(course.info.silence)
    problems.items = [
        p for p in problems.items if p.severity is Severity.ERROR or p.code not in silenced
    ]


def build(
    root: Path,
    out: Path,
    *,
    strict: bool = False,
    stage: Stage = _silent,
    deck: str | None = None,
) -> Built:
    """Build notebooks, decks and the book from ``root`` into ``out``; raise ``BuildFailed`` on
    errors. With ``deck``, build only that session's deck (no notebooks, no book)."""
    with stage("Checking sources"):
        course, problems = load_and_check(root)
        if deck is not None and course is not None and deck not in course.decks:
            problems.error(
                Where(DECKS_DIR, 1),
                "deck.unknown",
                f"no session '{deck}' (no {DECKS_DIR}/{deck}.yml)" + suggest(deck, course.decks),
            )
        if course is None or problems.errors(strict):
            raise BuildFailed(problems)
    with staging(out) as scratch:
        if deck is not None:
            _write_decks(course, scratch.new / "decks", problems, deck)
            if problems.errors(strict):
                raise BuildFailed(problems)
            scratch.commit([f"decks/{deck}.pptx"])
            return Built(course=course, problems=problems, decks=[out / "decks" / f"{deck}.pptx"])
        with stage("Writing notebooks"):
            written = notebooks.write_notebooks(course, scratch.new / "notebooks")
        with stage("Writing decks"):
            slides = _write_decks(course, scratch.new / "decks", problems)
        if problems.errors(strict):
            raise BuildFailed(problems)
        with stage("Building the book"):
            project.write_source(course, scratch.new / "notebooks", scratch.work / "book-src")
            ok, warnings = jupyterbook.build_html(
                scratch.work / "book-src", scratch.work / "book", scratch.work / "doctrees"
            )
        _report_book(course, ok, warnings, problems, scratch.new / "notebooks")
        _silence(course, problems)
        for page, url in links.outside_references(scratch.work / "book") if ok else []:
            problems.error(
                Where(f"book/{page}", 1),
                "book.outside-request",
                f"the page refers to {url}, outside the site; the book must work offline",
            )
        if problems.errors(strict):
            raise BuildFailed(problems)
        # Built in work/: Jupyter Book writes jupyter_execute/ beside its output folder.
        (scratch.work / "book").rename(scratch.new / "book")
        scratch.commit(["notebooks", "decks", "book"])
    return Built(
        course=course,
        problems=problems,
        notebooks=[out / "notebooks" / p.name for p in written],
        book=out / "book",
        decks=[out / "decks" / p.name for p in slides],
    )


def _write_decks(
    course: Course, folder: Path, problems: Problems, only: str | None = None
) -> list[Path]:
    """The decks. Without the fonts that measure their text, a full build goes on without
    decks (a warning: the book and notebooks need no fonts), while ``--deck`` fails."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        return decks.write_decks(course, folder, only)
    except textfit.FontMissing as exc:
        if only is None:
            problems.warning(Where(THEME_FILE, 1), "deck.font", f"{exc}; no deck was written")
        else:
            problems.error(Where(THEME_FILE, 1), "deck.font", str(exc))
        return []
    except imaging.ImageProblem as exc:  # builder check reads every image first; a last guard
        problems.error(Where(DECKS_DIR, 1), "image.invalid", str(exc))
        return []


def _report_book(
    course: Course, ok: bool, warnings: list, problems: Problems, notebooks_dir: Path
) -> None:
    """Turn Sphinx warnings into problems located at the lesson line they came from."""
    sources = {f"{lesson.id}.ipynb": lesson.path for lesson in course.lessons.values()}
    for warning in warnings:
        if warning.document in sources:
            line = notebooks.source_line(notebooks_dir / warning.document, warning.line)
            where = Where(sources[warning.document], line)
        else:
            where = Where(
                f"book/{warning.document}" if warning.document else "book", max(warning.line, 1)
            )
        problems.warning(where, "book.sphinx", warning.message)
    if not ok:
        problems.error(Where("book", 1), "book.failed", "Jupyter Book could not build the site")
