"""Benchmark: `builder serve` edit-to-reload on a copy of the bundled course: the seconds from
saving a lesson to the moment the pages are told to reload (the event stream announces the
new build), N edits in a row.

Run: python bench/serve.py [--edits N] [--lesson ID]. Starts `builder serve` on a free port,
listens to its event stream as a page does, appends a sentence to the lesson and times each
reload signal. Prints figures; asserts nothing (targets live here, not in timed tests).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--lesson", default="xa-hoi-so")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "tree"
        for folder in ("course", "quizzes", "slides"):
            shutil.copytree(ROOT / folder, root / folder)
        process = subprocess.Popen(
            [sys.executable, "-m", "builder", "serve", "--root", str(root), "--out",
             str(Path(tmp) / "out"), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        assert process.stdout is not None
        started = time.perf_counter()
        for line in process.stdout:
            if found := re.search(r"Serving (http://\S+)", line):
                url = found.group(1)
                break
        print(f"first build and serve: {time.perf_counter() - started:.1f} s")
        threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
        builds: list[tuple[float, int]] = []
        seen = threading.Condition()

        def listen() -> None:
            with urllib.request.urlopen(url + "__builder__/events", timeout=600) as stream:  # noqa: S310
                for raw in stream:
                    if raw.startswith(b"data: "):
                        with seen:
                            builds.append((time.perf_counter(), json.loads(raw[6:])["build"]))
                            seen.notify_all()

        threading.Thread(target=listen, daemon=True).start()
        with seen:
            seen.wait_for(lambda: builds, timeout=60)
        lesson = root / "course" / "lessons" / f"{args.lesson}.md"
        times = []
        for n in range(args.edits):
            time.sleep(3)  # the decks of the last edit are made after its reload
            before = builds[-1][1]
            saved = time.perf_counter()
            with lesson.open("a", encoding="utf-8") as file:
                file.write(f"\nMột câu thêm để đo, lần {n + 1}.\n")
            with seen:
                seen.wait_for(lambda b=before: builds[-1][1] > b, timeout=120)
            times.append(builds[-1][0] - saved)
        process.terminate()
        process.wait(timeout=60)
    print(f"edit-to-reload, {args.lesson}: " + ", ".join(f"{t:.2f}" for t in times) + " s")
    print(f"median {statistics.median(times):.2f} s, best {min(times):.2f} s")


if __name__ == "__main__":
    main()
