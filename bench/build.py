"""Benchmark: `builder build` on a copy of the bundled course, cold (an empty output folder),
again with nothing changed, and after a one-lesson edit; and the output's sizes.

Run: python bench/build.py [--repeat N] [--lesson ID]. Each figure is the median of N runs,
wall seconds: of the command in a new process with no build server (``--no-server``: imports
included); of the command handing the build to the build server a first build started (as an
author's second and later builds run); and of ``build()`` called again in one process that has
built before, as ``builder serve`` rebuilds. The edit adds a sentence to the lesson's first
paragraph (a new one each time). Prints figures; asserts nothing (targets live here, not in
timed tests).
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pptx import Presentation

from builder.commands import warm
from builder.commands.build import build

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = iter(f" Người học đọc lại phần này sau buổi học thứ {n}." for n in itertools.count(1))


def size(folder: Path) -> int:
    """Bytes of every file under a folder."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def command(root: Path, out: Path, env: dict[str, str] | None = None) -> float:
    """Wall seconds of `builder build`: in a new process, or with ``env`` in the build server
    of that environment if one runs."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "builder", "build", "-q", "--strict", "--root", str(root),
         "--out", str(out), *([] if env else ["--no-server"])],
        check=True,
        timeout=900,
        env=env,
    )  # fmt: skip
    return time.perf_counter() - start


def server_env(folder: Path) -> dict[str, str]:
    """The environment of commands whose build server lives in ``folder``."""
    folder.mkdir(mode=0o700)
    return {**os.environ, "XDG_RUNTIME_DIR": str(folder), warm.SWITCH: "on"}


def wait_for_server(env: dict[str, str]) -> None:
    """Until the build server the last command started answers."""
    end = time.monotonic() + 300
    while time.monotonic() < end:
        status = subprocess.run(
            [sys.executable, "-m", "builder", "server", "status"],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        if "Build server" in status.stdout:
            return
        time.sleep(0.2)
    raise SystemExit("the build server did not start")


def in_process(root: Path, out: Path) -> tuple[float, list[str]]:
    """Wall seconds of ``build()`` in this process, and the outputs it made."""
    start = time.perf_counter()
    made = build(root, out, strict=True).made
    return time.perf_counter() - start, made


def edit(root: Path, lesson: str) -> None:
    """One sentence more at the end of the lesson's first paragraph after its first heading."""
    path = root / "course" / "lessons" / f"{lesson}.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    heading = next(i for i, line in enumerate(lines) if line.startswith("## "))
    end = next(
        i
        for i in range(heading + 2, len(lines))
        if lines[i].strip() == "" and lines[i - 1].strip() and not lines[i - 1].startswith(":")
    )
    lines[end - 1] += next(SENTENCES)
    path.write_text("\n".join(lines), encoding="utf-8")


def copy(tmp: Path) -> Path:
    """A copy of the bundled course's sources."""
    root = tmp / "course-tree"
    for folder in ("course", "quizzes", "slides"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lesson", default="xa-hoi-so", help="the lesson to edit")
    args = parser.parse_args()
    runs: dict[str, list[float]] = {}
    made: list[str] = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            root, out = copy(Path(tmp)), Path(tmp) / "out"
            runs.setdefault("cold", []).append(command(root, out))
            runs.setdefault("nothing changed", []).append(command(root, out))
            edit(root, args.lesson)
            runs.setdefault("one lesson edited", []).append(command(root, out))
            env = server_env(Path(tmp) / "run")
            command(root, out, env)  # nothing to do: it starts the server
            wait_for_server(env)
            for name in ("server: one lesson edited", "server: another edit"):
                edit(root, args.lesson)
                runs.setdefault(name, []).append(command(root, out, env))
            runs.setdefault("server: nothing changed", []).append(command(root, out, env))
            subprocess.run([sys.executable, "-m", "builder", "server", "stop"], env=env, check=True)
            kept = Path(tmp) / "warm"
            in_process(root, kept)
            runs.setdefault("in process: nothing changed", []).append(in_process(root, kept)[0])
            edit(root, args.lesson)
            seconds, made = in_process(root, kept)
            runs.setdefault("in process: one lesson edited", []).append(seconds)
            built = build(root, out, strict=True)
            book_bytes, notebook_bytes = size(out / "book"), size(out / "notebooks")
            lessons = len(built.notebooks)
            decks = {
                p.stem: (len(Presentation(str(p)).slides), p.stat().st_size) for p in built.decks
            }
    cold = statistics.median(runs["cold"])
    print(f"lessons: {lessons}; edited: {args.lesson}; median of {args.repeat}, wall seconds")
    for name, times in runs.items():
        median = statistics.median(times)
        print(f"  {name:<32} {median:6.2f} s  {median / cold:6.1%} of cold")
    print(f"  the edit remade: {', '.join(made)}")
    print(f"book size: {book_bytes / 1024:.0f} KiB")
    print(f"notebooks size: {notebook_bytes / 1024:.0f} KiB")
    for name, (slides, deck_bytes) in sorted(decks.items()):
        print(f"deck {name}: {slides} slides, {deck_bytes / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
