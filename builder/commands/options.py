"""Options that several commands share, one definition each: the course tree read and the
output folder written."""

from __future__ import annotations

from pathlib import Path

import click


def root(help: str = "Course tree to read (holds course/, quizzes/, slides/).") -> click.Option:  # noqa: A002
    """``--root DIR``: the course tree, the current folder by default."""
    return click.option(
        "--root",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help=help,
    )


def out() -> click.Option:
    """``--out DIR``: the output folder, ``ROOT/_build`` by default (None here)."""
    return click.option(
        "--out",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Output folder [default: ROOT/_build].",
    )
