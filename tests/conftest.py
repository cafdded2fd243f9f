"""Shared fixtures: the bundled course built once, strict, into a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main

REPO = Path(__file__).resolve().parent.parent
# Builds in the tests, in subprocesses too, run in their own process and start no build
# server (tests/test_warm.py starts its own, in a folder of its own).
os.environ["KHOAHOCSO_SERVER"] = "off"


def build_bundled(out: Path) -> None:
    """Build the repository's own course with --strict into ``out``; fail the test on errors."""
    result = CliRunner().invoke(
        main,
        ["build", "--strict", "-q", "--root", str(REPO), "--out", str(out)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Output folder of a strict build of the bundled course (book/ and notebooks/)."""
    out = tmp_path_factory.mktemp("bundled")
    build_bundled(out)
    return out


@pytest.fixture(autouse=True)
def registered_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every problem any test produces has a code from builder/codes.py; a warning-only code
    is never reported as an error, nor the reverse (deck.font is both, by design)."""
    from builder.codes import CODES
    from builder.problems import Problems

    add = Problems.add

    def checked(self: Problems, problem) -> None:  # noqa: ANN001
        entry = CODES.get(problem.code)
        assert entry is not None, f"unregistered problem code {problem.code!r}"
        assert problem.code in BOTH or problem.severity is entry.severity, problem
        add(self, problem)

    monkeypatch.setattr(Problems, "add", checked)


BOTH = {"deck.font"}  # a warning in a full build, an error with --deck
