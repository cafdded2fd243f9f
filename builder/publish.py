"""Stage outputs beside their destination and swap them in only when everything succeeded."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def staging(out: Path) -> Iterator[Path]:
    """Scratch folder inside ``out`` (same file system: publishing is a rename); always removed."""
    out.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".stage-", dir=out))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def publish(stage: Path, out: Path, names: list[str]) -> None:
    """Replace ``out/<name>`` with ``stage/<name>`` for each name; old copies go to the stage."""
    retired = stage / ".retired"
    retired.mkdir()
    for name in names:  # a name may be a path inside ``out``, such as 'decks/x.pptx'
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            (retired / name).parent.mkdir(parents=True, exist_ok=True)
            target.rename(retired / name)
        (stage / name).rename(target)
