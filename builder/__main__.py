"""``python -m builder`` and the ``builder`` command: a build goes to the user's build server
when one is running (``builder.commands.warm``), before the command-line interface is even
loaded; anything else runs here. ``--serve-builds`` makes this process a build server."""

from __future__ import annotations

import sys


def run() -> None:
    """The ``builder`` command; Ctrl+C before a command has started says "Aborted!" as it
    does once one has (click), not a traceback."""
    try:
        _run()
    except KeyboardInterrupt:
        sys.stderr.write("\nAborted!\n")
        sys.exit(1)


def _run() -> None:
    from builder.commands import warm  # noqa: PLC0415 - the rest loads only when needed

    argv = sys.argv[1:]
    if argv[:1] == [warm.SERVE]:
        warm.serve(argv[1:], _build)
        return
    if warm.wanted(argv):
        status = warm.delegate(argv[1:])
        if status is not None:
            sys.exit(status)
    from builder.cli import main  # noqa: PLC0415

    main()


def _build(argv: list[str]) -> None:
    """``builder build ARGV`` in this process (the build server's builds)."""
    from builder.cli import main  # noqa: PLC0415

    main.main(["build", *argv], "builder")


if __name__ == "__main__":
    run()
