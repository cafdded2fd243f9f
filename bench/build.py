"""Benchmark: time `builder build` on the bundled course (cold, then again with nothing changed)
and print output sizes and deck lengths.

Run: python bench/build.py [--repeat N]. Prints figures; asserts nothing (targets live here,
not in timed tests).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from pptx import Presentation

from builder.commands.build import build

ROOT = Path(__file__).resolve().parent.parent


def size(folder: Path) -> int:
    """Bytes of every file under a folder."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    timings, rebuilds, changed = [], [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            start = time.perf_counter()
            built = build(ROOT, out, strict=True)
            timings.append(time.perf_counter() - start)
            book_bytes, notebook_bytes = size(out / "book"), size(out / "notebooks")
            lessons = len(built.notebooks)
            decks = {
                p.stem: (len(Presentation(str(p)).slides), p.stat().st_size) for p in built.decks
            }
            start = time.perf_counter()  # again, nothing changed: every file is kept as it was
            changed.append(len(build(ROOT, out, strict=True).changed))
            rebuilds.append(time.perf_counter() - start)
    print(f"lessons: {lessons}")
    print(f"build seconds (median of {args.repeat}): {statistics.median(timings):.2f}")
    print(f"build seconds (min): {min(timings):.2f}")
    print(f"rebuild with no change, seconds (median): {statistics.median(rebuilds):.2f}")
    print(f"files changed by that rebuild: {max(changed)} of {len(built.changed)}")
    print(f"book size: {book_bytes / 1024:.0f} KiB")
    print(f"notebooks size: {notebook_bytes / 1024:.0f} KiB")
    for name, (slides, deck_bytes) in sorted(decks.items()):
        print(f"deck {name}: {slides} slides, {deck_bytes / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
