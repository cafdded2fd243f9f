"""The ``builder`` command, a thin layer over ``builder.commands`` and ``builder.checks``; user
mistakes show no traceback."""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from rich.console import Console

from builder import __version__, i18n
from builder.checks.sources import SOURCES_DIR, verified
from builder.checks.spelling import WORDS_FILE, add_words, check_spelling
from builder.codes import CODES
from builder.commands import options, warm
from builder.commands.build import BuildFailed, build
from builder.problems import Problems

USER_ERROR = 2


def _lang() -> str:
    """Interface language from the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return value.split(":")[0].split(".")[0].split("_")[0]
    return "en"


def _(message: str) -> str:
    lang = _lang()
    return i18n.gettext(lang, message) if lang != "en" else message


def _summary(problems: Problems, strict: bool) -> str:
    errors = len(problems.errors(strict))
    warnings = len(problems) - errors
    return _("{errors} error(s), {warnings} warning(s)").format(errors=errors, warnings=warnings)


def _print_problems(problems: Problems, err: bool) -> None:
    for problem in problems.sorted():
        click.echo(str(problem), err=err)


def _common(function):  # noqa: ANN001, ANN202 - decorator
    function = click.option(
        "-q", "--quiet", is_flag=True, help="Print only problems, no progress or summary."
    )(function)
    function = click.option(
        "--strict", is_flag=True, help="Treat warnings as errors (exit status 2)."
    )(function)
    function = options.root()(function)
    return function


class _Commands(click.Group):
    """The command group; the commands of their own modules load when they run (or when
    --help lists them), so that `builder build` with nothing to do starts quickly."""

    LAZY = {
        "export": "builder.commands.export:export",
        "new": "builder.commands.new:new",
        "serve": "builder.commands.serve:serve",
        "server": "builder.commands.server:server",
        "stats": "builder.commands.stats:stats",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.LAZY:
            module, attribute = self.LAZY[name].split(":")
            return getattr(importlib.import_module(module), attribute)
        return super().get_command(ctx, name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="builder")
def main() -> None:
    """Build digital-skills courses: MyST lessons, facts and quizzes to an offline Jupyter Book,
    lesson notebooks and trainer decks.

    \b
    Examples:
      builder new course khoa-hoc && cd khoa-hoc
      builder serve                 # preview at http://127.0.0.1:8000/, rebuilt at each save
      builder build --strict        # _build/book, _build/notebooks, _build/decks
    """


@main.command()
@_common
@click.option(
    "--sources",
    "sources_dir",
    is_flag=False,
    flag_value=SOURCES_DIR,
    default=None,
    metavar="[DIR]",
    help="Check every fact's quote and value against the source texts: those in "
    f"{SOURCES_DIR}/ of the course, or in the folder given (--sources DIR).",
)
@click.option(
    "--export",
    "exports",
    multiple=True,
    type=click.Choice(("moodle", "gift", "scorm")),
    metavar="FORMAT",
    help="Also say what exporting in FORMAT would lose (moodle, gift, scorm; repeatable): "
    "questions a format cannot hold, questions no SCORM package scores.",
)
@click.option(
    "--codes", is_flag=True, help="List every problem code with its severity and meaning, and exit."
)
def check(
    root: Path,
    strict: bool,
    quiet: bool,
    sources_dir: str | None,
    exports: tuple[str, ...],
    codes: bool,
) -> None:
    """Load and validate the course; print every problem as path:line: [code] message.

    \b
    Examples:
      builder check
      builder check --strict --sources      # also each fact against its source text
      builder check --export gift --export scorm
    """
    if codes:
        width = max(len(code) for code in CODES)
        for code, entry in CODES.items():
            click.echo(f"{code:<{width}}  {entry.severity.value:<7}  {entry.meaning}")
        return
    from builder.commands import check as checks  # noqa: PLC0415 - python-pptx: slow to load

    course, problems = checks.check(root)
    checked = None
    if course is not None and sources_dir is not None:
        folder = root / SOURCES_DIR if sources_dir == SOURCES_DIR else Path(sources_dir)
        if not folder.is_dir():
            raise click.BadParameter(f"no folder {folder}", param_hint="--sources")
        checked = verified(course, folder)
        problems.extend(checked.problems)
    if course is not None and exports and not problems.errors():
        from builder.checks.run import silence  # noqa: PLC0415
        from builder.export.losses import losses  # noqa: PLC0415

        problems.extend(losses(course, exports))
        silence(course, problems)
    _print_problems(problems, err=False)
    if not quiet or problems:
        click.echo(_summary(problems, strict), err=True)
    if checked is not None and (not quiet or problems):  # what was checked: '84 facts ...'
        counts = {"facts": checked.facts, "sources": checked.sources}
        if checked.not_found:
            line = _("{facts} fact(s) checked against {sources} source(s): {wrong} not found")
            line = line.format(wrong=checked.not_found, **counts)
        else:
            line = _("{facts} fact(s) checked against {sources} source(s): all found")
            line = line.format(**counts)
        if checked.unchecked:
            line += _("; {facts} fact(s) not checked, their source text is missing").format(
                facts=checked.unchecked
            )
        click.echo(line, err=True)
    if problems.errors(strict):
        sys.exit(USER_ERROR)


@main.command(name="build")
@_common
@options.out()
@click.option(
    "--deck",
    "deck",
    default=None,
    metavar="NAME",
    help="Build only the deck of slides/decks/NAME.yml (no notebooks, no book).",
)
@click.option(
    "--no-server",
    is_flag=True,
    help=f"Build in this process: neither use nor start the build server (also {warm.SWITCH}=off).",
)
def build_command(
    root: Path, strict: bool, quiet: bool, out: Path | None, deck: str | None, no_server: bool
) -> None:
    """Check the course, then write _build/notebooks/, the trainer decks in _build/decks/ and
    the offline book in _build/book/. Only what changed since the last build is made again.

    Builds after the first run in a build server that stays for 30 minutes without a build,
    with the libraries loaded and the course read: see 'builder server'.

    \b
    Examples:
      builder build
      builder build --deck quang-tri-2022-09-16 --out /tmp/tap-huan
    """
    # The launcher (``builder.__main__``) has handed the build to a build server when one was
    # running; here it runs in this process (a build server's too), which then starts one for
    # the builds that follow.
    out = out if out is not None else root / "_build"
    try:
        _build(root, out, strict, quiet, deck)
    finally:
        if not no_server and warm.enabled() and not warm.serving():
            warm.start(root, out)


def _build(root: Path, out: Path, strict: bool, quiet: bool, deck: str | None) -> None:
    console = Console(stderr=True, quiet=quiet, highlight=False)

    @contextlib.contextmanager
    def stage(name: str) -> Iterator[None]:
        with console.status(_(name) + "…"):
            yield
        console.print(f"[green]✓[/] {_(name)}")

    try:
        built = build(root, out, strict=strict, stage=stage, deck=deck)
    except BuildFailed as failed:
        _print_problems(failed.problems, err=True)
        click.echo(_summary(failed.problems, strict), err=True)
        click.echo(
            _("Build failed; nothing was written and {out} is as it was.").format(out=out),
            err=True,
        )
        sys.exit(USER_ERROR)
    except OSError as exc:  # the disk, not the sources: full, read-only, a mount point...
        click.echo(
            _("Could not write the output in {out}: {error}; {out} is as it was.").format(
                out=out, error=exc.strerror or exc
            ),
            err=True,
        )
        sys.exit(1)
    _print_problems(built.problems, err=True)
    if quiet:
        return
    if not built.made:
        click.echo(
            _("Nothing changed since the last build: {out} is up to date.").format(out=out),
            err=True,
        )
        return
    if deck is not None:
        click.echo(_("Built the deck {path}").format(path=built.decks[0]), err=True)
        for paper in built.papers:
            click.echo(_("Built {path}").format(path=paper), err=True)
        return
    click.echo(
        _(
            "Built {lessons} lesson notebook(s) in {notebooks}, {decks} deck(s) with their "
            "session plans and handouts in {folder} and the book in {book}"
        ).format(
            lessons=len(built.notebooks),
            notebooks=out / "notebooks",
            decks=len(built.decks),
            folder=out / "decks",
            book=out / "book" / "index.html",
        ),
        err=True,
    )
    if built.reused:
        click.echo(
            _("Made again: {made}; the rest is as the last build left it.").format(
                made=", ".join(built.made)
            ),
            err=True,
        )


@main.command()
@_common
@click.option(
    "--dictionary",
    default="vi_VN",
    show_default=True,
    help="hunspell dictionary to check against (Debian package hunspell-vi for vi_VN).",
)
@click.option(
    "--add",
    is_flag=True,
    help=f"Add the WORDS given to {WORDS_FILE} (NFC, once each, in Vietnamese order when the "
    "list is in that order, else at its end) instead of checking.",
)
@click.argument("words", nargs=-1)
def spell(
    root: Path, strict: bool, quiet: bool, dictionary: str, add: bool, words: tuple[str, ...]
) -> None:
    """Check the spelling of lessons, questions, glossary, facts and sessions with hunspell,
    the course's word list (course/words.txt) and the glossary's terms; each unknown word once,
    with its count and places. With --add WORD..., add words to the word list.

    \b
    Examples:
      builder spell
      builder spell --add Viettel VNeID
    """
    if words and not add:
        raise click.UsageError("words are given only with --add: builder spell --add WORD...")
    if add:
        if not words:
            raise click.UsageError("--add needs the words to add: builder spell --add WORD...")
        try:
            added, known = add_words(root, words)
        except ValueError as bad:
            raise click.BadParameter(
                f"'{bad}' is not one word of letters, which is what the check reads as a word "
                "(no spaces, digits or punctuation)",
                param_hint="WORDS",
            ) from None
        if not quiet and added:
            click.echo(
                _("Added to {path}: {words}").format(path=WORDS_FILE, words=", ".join(added))
            )
        if not quiet and known:
            click.echo(
                _("Already accepted by {path}: {words}").format(
                    path=WORDS_FILE, words=", ".join(known)
                )
            )
        return
    problems = check_spelling(root, dictionary)
    _print_problems(problems, err=False)
    if not quiet or problems:
        click.echo(_summary(problems, strict), err=True)
    if problems.errors(strict):
        sys.exit(USER_ERROR)
