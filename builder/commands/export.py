"""``builder export``: the course for learning-management systems: its questions as Moodle XML
(``builder export moodle``, every type) and GIFT (``builder export gift``, every type GIFT can
hold; the others listed, never dropped silently), and the book as a SCORM 1.2 or 2004 package
that reports learners' scores (``builder export scorm``, which builds the book first).

Each command loads and checks the course as ``builder check`` does (a course with errors
prints them, ``path:line: [code] message``, and exits with status 2; warnings are printed and
do not stop it), makes its file with ``builder.export`` and publishes it into
``OUT/exports/`` with the build's writer (``publish``: the file appears whole or not at all,
and everything else in the output folder stays as it is), then says what it wrote, what it
left out and why.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from builder.checks.run import load_and_check, silence
from builder.commands import options
from builder.course.model import Course
from builder.export import gift as gift_format
from builder.export import kit as kit_format
from builder.export import moodle as moodle_format
from builder.export import scorm as scorm_format
from builder.export.losses import losses
from builder.export.questions import Export
from builder.problems import Problems
from builder.publish import Output, staging

USER_ERROR = 2


@click.group(name="export", context_settings={"help_option_names": ["-h", "--help"]})
def export() -> None:
    """Export the course for learning-management systems: its questions as Moodle XML or GIFT,
    the book as a SCORM package, or everything as an offline kit for a USB stick, written to
    OUT/exports/ (OUT is ROOT/_build unless --out says otherwise).

    \b
    Example:
      builder export moodle
      builder export gift --root my-course --out dist
      builder export scorm --version 2004 --per module
      builder export kit --zip
    """


@export.command(name="moodle")
@options.root()
@options.out()
def moodle(root: Path, out: Path | None) -> None:
    """Every question of the banks as Moodle XML (OUT/exports/<course>-questions.moodle.xml):
    a question category per lesson, every type, per-answer and general feedback, hints, tags.
    Import it in Moodle's question bank (Import, format "Moodle XML"). Ordering questions use
    Moodle's ordering type: built in from Moodle 4.4, the qtype_ordering plugin before.

    \b
    Example:
      builder export moodle
      builder export moodle --root my-course --out dist
    """
    _run(root, out, moodle_format.export, "moodle")


@export.command(name="gift")
@options.root()
@options.out()
def gift(root: Path, out: Path | None) -> None:
    """The questions as GIFT, Moodle's text format that people can read and other systems
    import (OUT/exports/<course>-questions.gift.txt): a category per lesson, ids and tags in
    comments. Types GIFT cannot hold (ordering) are skipped and listed, with what else GIFT
    leaves out (hints, units...); the Moodle XML export carries everything.

    \b
    Example:
      builder export gift
      builder export gift --root my-course --out dist
    """
    _run(root, out, gift_format.export, "gift")


@export.command(name="scorm")
@options.root()
@options.out()
@click.option(
    "--version",
    "version",
    type=click.Choice(scorm_format.VERSIONS),
    default="1.2",
    show_default=True,
    help="SCORM 1.2 (Moodle plays this one) or SCORM 2004 4th edition.",
)
@click.option(
    "--per",
    "per",
    type=click.Choice(scorm_format.PER),
    default="lesson",
    show_default=True,
    help="What the LMS tracks as one: each lesson, or each module's lessons together.",
)
def scorm(root: Path, out: Path | None, version: str, per: str) -> None:
    """The book as a SCORM package (OUT/exports/<course>-scorm12.zip or -scorm2004.zip) for a
    learning-management system: every page and file inside, one tracked unit (SCO) per
    lesson or module. Its quizzes report to the LMS: the score, passed or failed against
    quiz.mastery in course.yml (80 unless set), each answer, and where the learner stopped.
    Builds the book first (only what changed).

    \b
    Example:
      builder export scorm
      builder export scorm --version 2004 --per module --out dist
    """
    from builder.commands.build import BOOK  # noqa: PLC0415 - heavy

    folder = out if out is not None else root / "_build"
    course = _built(root, folder, "scorm", parts=(BOOK,))
    made = scorm_format.package(course, folder / "book", version, per)
    with staging(folder) as scratch:
        scratch.write([Output(made.path, lambda: made.data)])
        scratch.commit([made.path])
    quizzed = [s for s in made.scos if s.questions]
    click.echo(
        f"Wrote {folder / made.path}: SCORM {scorm_format.SCHEMA_VERSION[version]}, "
        f"{len(made.scos)} SCO(s) (one per {per}), {made.files} file(s) of the book, "
        f"{made.questions} question(s) in {len(quizzed)} SCO(s) reporting a score "
        f"(mastery {course.info.quiz.mastery}%)."
    )
    if version == "2004":
        click.echo("Note: Moodle plays SCORM 1.2 packages only; use --version 1.2 for Moodle.")


def _checked(root: Path, *forms: str) -> tuple[Course | None, Problems]:
    """The course loaded and checked, with what the exports in ``forms`` would lose."""
    course, problems = load_and_check(root)
    if course is not None and not problems.errors():
        problems.extend(losses(course, forms).items)
        silence(course, problems)
    return course, problems


def _built(root: Path, folder: Path, *forms: str, parts: tuple[str, ...] | None = None) -> Course:
    """The course checked (with what ``forms`` lose) and built into ``folder`` (only what
    changed; ``parts`` of it); problems printed; exits with status 2 on errors."""
    from builder.commands.build import PARTS, BuildFailed, build  # noqa: PLC0415 - heavy

    course, problems = _checked(root, *forms)
    if course is None or problems.errors():
        for problem in problems.sorted():
            click.echo(str(problem), err=True)
        click.echo("The course has errors; nothing was written.", err=True)
        sys.exit(USER_ERROR)
    try:
        built = build(root, folder, parts=parts or PARTS)
    except BuildFailed as failed:
        for problem in failed.problems.sorted():
            click.echo(str(problem), err=True)
        click.echo("The build failed; nothing was written.", err=True)
        sys.exit(USER_ERROR)
    problems.extend([p for p in built.problems.items if p not in problems.items])
    for problem in problems.sorted():
        click.echo(str(problem), err=True)
    return course


@export.command(name="kit")
@options.root()
@options.out()
@click.option("--zip", "as_zip", is_flag=True, help="Also write the kit as one zip file.")
def kit(root: Path, out: Path | None, as_zip: bool) -> None:
    """Everything for a training centre without internet, in one folder to copy onto a USB
    stick (OUT/exports/<course>-kit/, and <course>-kit.zip with --zip): a start page in the
    course's language (bat-dau.html), the book (it works opened from the stick), the
    notebooks, each session's deck, plan and handout, the SCORM 1.2 and 2004 packages and
    the Moodle XML and GIFT questions. Builds what changed first.

    \b
    Example:
      builder export kit
      builder export kit --zip --out /media/usb
    """
    folder = out if out is not None else root / "_build"
    course = _built(root, folder, "moodle", "gift", "scorm")
    made = kit_format.kit(course, folder, kit_format.lms_files(course, folder / "book"))
    where = f"exports/{made.name}"
    with staging(folder) as scratch:
        outputs = [Output(where, lambda: made.write(scratch.work / made.name))]
        if as_zip:
            outputs.append(Output(f"{where}.zip", made.zipped))
        scratch.write(outputs)
        scratch.commit([o.path for o in outputs])
    size = made.size() / 1024 / 1024
    click.echo(
        f"Wrote {folder / where}/ ({len(made.files)} files, {size:.1f} MB): open "
        f"{kit_format.START} in it first."
    )
    if as_zip:
        click.echo(f"Wrote {folder / where}.zip")


def _run(root: Path, out: Path | None, make: Callable[[Course], Export], form: str) -> None:
    """Load and check the course (and what the format would lose), make the export, publish
    it, and report."""
    course, problems = _checked(root, form)
    for problem in problems.sorted():
        click.echo(str(problem), err=True)
    if course is None or problems.errors():
        sys.exit(USER_ERROR)
    made = make(course)
    folder = out if out is not None else root / "_build"
    with staging(folder) as scratch:
        scratch.write([Output(made.path, lambda: made.data)])
        scratch.commit([made.path])
    click.echo(
        f"Wrote {folder / made.path}: {made.total} question(s) in {made.categories} "
        f"categories ({made.per_type() or 'none'})."
    )
    if made.skipped:
        ids = ", ".join(skip.question.id for skip in made.skipped)
        click.echo(f"Skipped {len(made.skipped)} question(s), each said above: {ids}.")
    for note in made.notes:
        click.echo(f"Note: {note}")
