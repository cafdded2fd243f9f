"""The pipeline: load and check, then render notebooks, decks and the book; publish only on
success."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from builder.checks.run import silence
from builder.commands import check as checks
from builder.course import imaging
from builder.course.load import COURSE_TEMPLATE, DECKS_DIR, THEME_FILE
from builder.course.model import Course
from builder.problems import Problems, Where, suggest
from builder.publish import Output, Scratch, staging
from builder.render import notebooks
from builder.render.book import site
from builder.render.decks import deck as decks
from builder.render.decks import package, textfit

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
    papers: list[Path] = field(default_factory=list)  # each session's plan and handout (PDF)
    changed: list[str] = field(default_factory=list)  # files whose bytes differ from before


def build(
    root: Path,
    out: Path,
    *,
    strict: bool = False,
    stage: Stage = _silent,
    deck: str | None = None,
) -> Built:
    """Build notebooks, decks and the book from ``root`` into ``out``; raise ``BuildFailed`` on
    errors. With ``deck``, the output is that session's deck alone (no notebooks, no book)."""
    with stage("Checking sources"):
        course, problems = checks.check(root)
        if deck is not None and course is not None and deck not in course.decks:
            problems.error(
                Where(DECKS_DIR, 1),
                "deck.unknown",
                f"no session '{deck}' (no {DECKS_DIR}/{deck}.yml)" + suggest(deck, course.decks),
            )
        if course is None or problems.errors(strict):
            raise BuildFailed(problems)
    select = None if deck is None else list(decks.paths(deck))

    def wanted(outputs: list[Output]) -> list[Output]:
        return [o for o in outputs if select is None or o.path in select]

    with staging(out) as scratch:
        if outputs := wanted(notebooks.outputs(course)):
            with stage("Writing notebooks"):
                scratch.write(outputs)
        if outputs := wanted(decks.outputs(course)):
            with stage("Writing decks"):
                _write_decks(scratch, outputs, problems, every=select is None)
        if problems.errors(strict):
            raise BuildFailed(problems)
        book = site.outputs(course, scratch.new / notebooks.FOLDER, scratch.work, problems)
        if outputs := wanted(book):
            with stage("Building the book"):
                scratch.write(outputs)
            silence(course, problems)  # the book's own warnings
        if problems.errors(strict):
            raise BuildFailed(problems)
        scratch.commit(select or [notebooks.FOLDER, decks.FOLDER, site.FOLDER])
    return Built(
        course=course,
        problems=problems,
        notebooks=[out / p for p in scratch.written if _inside(p, notebooks.FOLDER, ".ipynb")],
        book=out / site.FOLDER if select is None else None,
        decks=[out / p for p in scratch.written if _inside(p, decks.FOLDER, ".pptx")],
        papers=[out / p for p in scratch.written if _inside(p, decks.FOLDER, ".pdf")],
        changed=scratch.changed,
    )


def _inside(path: str, folder: str, suffix: str) -> bool:
    """Whether an output path is a file of that kind directly in that output folder."""
    return path.startswith(f"{folder}/") and path.endswith(suffix) and path.count("/") == 1


def _write_decks(scratch: Scratch, outputs: list[Output], problems: Problems, every: bool) -> None:
    """Without the fonts that measure their text, a full build goes on without decks (a
    warning: the book and notebooks need no fonts), while ``--deck`` fails."""
    try:
        scratch.write(outputs)
    except textfit.FontMissing as exc:
        if every:
            problems.warning(Where(THEME_FILE, 1), "deck.font", f"{exc}; no deck was written")
        else:
            problems.error(Where(THEME_FILE, 1), "deck.font", str(exc))
    except package.TemplateError as exc:  # builder check opens the template first; a last guard
        problems.error(Where(COURSE_TEMPLATE, 1), "deck.template", str(exc))
    except imaging.ImageProblem as exc:  # builder check reads every image first; a last guard
        problems.error(Where(DECKS_DIR, 1), "image.invalid", str(exc))
    else:
        return
    scratch.discard(decks.FOLDER)
