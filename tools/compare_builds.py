"""Build one course with the builder of another git revision and with this one; compare bytes.

    python tools/compare_builds.py [REV] [--root COURSE]

REV (default: HEAD) is the revision whose ``builder/`` package builds the course first; the
working tree's builds it second; both read the same course tree (default: this repository's
bundled course). Prints every file that differs, is missing or is new, and exits 1 if any does:
a refactoring must leave notebooks, decks and book byte-identical.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``, by relative path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def package_at(rev: str, into: Path) -> Path:
    """The ``builder`` package as it is at ``rev``, unpacked under ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", rev, "builder"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def build(code: Path, root: Path, out: Path) -> None:
    """Build ``root`` into ``out`` with the builder package found under ``code``."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = [sys.executable, "-m", "builder", "build", "-q", "--root", str(root), "--out"]
    subprocess.run([*command, str(out)], check=True, env=env, cwd=code)


def main() -> int:
    """Compare, print the differences, return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rev", nargs="?", default="HEAD")
    parser.add_argument("--root", type=Path, default=REPO)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        build(package_at(args.rev, work / "old"), args.root.resolve(), work / "old-out")
        build(REPO, args.root.resolve(), work / "new-out")
        old, new = digest(work / "old-out"), digest(work / "new-out")
    changed = sorted(name for name in old.keys() & new.keys() if old[name] != new[name])
    for name in changed:
        print(f"differs  {name}")
    for name in sorted(old.keys() - new.keys()):
        print(f"missing  {name}")
    for name in sorted(new.keys() - old.keys()):
        print(f"new      {name}")
    same = len(old.keys() & new.keys()) - len(changed)
    print(f"{same} of {len(old)} files identical to {args.rev}", file=sys.stderr)
    return 1 if changed or old.keys() != new.keys() else 0


if __name__ == "__main__":
    sys.exit(main())
