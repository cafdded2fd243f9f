"""Shared fixtures: the bundled course built once, strict, into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main

REPO = Path(__file__).resolve().parent.parent


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
