"""What a build read and what it made, kept under the output folder so that the next build
remakes only what its inputs changed, with the bytes a cold build would write.

A build reads the course tree (``course/``, ``quizzes/``, ``slides/``) and runs the builder's
own code; ``Inputs`` holds a SHA-256 digest of every file of both. An output's key is a digest
of the inputs it depends on (``Inputs.key``); the manifest (``.cache/manifest.json``) records,
for every output of the last build, its key, the digests of the files it made and the problems
its making reported (the book's Sphinx warnings). A later build reuses an output whose key is
the same and whose files still hold the recorded bytes (a trainer may have edited a deck in
place); the rest is made again. When every input is the same as the last full build's, and
its outputs are untouched, nothing is made at all: the build reports the problems it reported
then (``Manifest.unchanged``).

A course tree may come with an output folder in it (``_build/`` committed or zipped with the
sources), so nothing in a cache folder is trusted unless this machine's builder wrote it: the
manifest and the book's records carry a keyed digest (``seal``, HMAC-SHA256 with a key kept
in the user's cache folder, never in the tree), and a file without a valid one is ignored, as
is a manifest that does not parse or that another version wrote. Otherwise a shipped manifest
could have a build publish shipped pages as its own, or Sphinx unpickle a shipped environment.
"""

from __future__ import annotations

import collections
import hashlib
import hmac
import json
import os
import stat as stat_module
import sys
import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

from builder import __version__
from builder.problems import Problem, Severity, Where

CACHE = ".cache"  # inside the output folder
MANIFEST = f"{CACHE}/manifest.json"
DRAWINGS = f"{CACHE}/drawings"  # rendered SVG drawings, by the digest of what made them
BOOK_STATE = f"{CACHE}/book"  # the book's sources and Sphinx's environment, kept in place
FORMAT = 1
SOURCE_FOLDERS = ("course", "quizzes", "slides")
PACKAGE = Path(__file__).resolve().parent
# What the outputs' bytes depend on besides the sources and the builder's code.
DEPENDENCIES = (
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "myst-parser",
    "markdown-it-py",
    "docutils",
    "nbformat",
    "python-pptx",
    "fpdf2",
    "resvg-py",
    "pillow",
    "segno",
    "babel",
    "pygments",
    "lxml",
)


def digest(data: bytes) -> str:
    """The SHA-256 of ``data``, in hex."""
    return hashlib.sha256(data).hexdigest()


KEY_FILE = "khoahocso/cache-key"  # in the user's cache folder


def seal(data: bytes) -> str:
    """A digest of ``data`` keyed with this machine's key, in hex: only this machine's builder
    can make it, so a cache file that carries it was written here."""
    return hmac.new(_key(), data, hashlib.sha256).hexdigest()


def sealed_json(data: dict) -> bytes:
    """``data`` as a JSON file's bytes, with its seal."""
    body = dict(data, seal=seal(_canonical(data)))
    return (json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def read_sealed(path: Path) -> dict | None:
    """The mapping in a JSON file written by ``sealed_json`` on this machine, or ``None``
    (missing, unreadable, not sealed here)."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(mark := data.pop("seal", None), str):
        return None
    return data if hmac.compare_digest(seal(_canonical(data)), mark) else None


def _canonical(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")


@cache
def _key() -> bytes:
    """This machine's key for the caches: 32 random bytes made on first use, readable by the
    user only, in ``$XDG_CACHE_HOME`` (``~/.cache``). Where none can be kept, a key for this
    process: its caches are then never reused by another."""
    try:
        home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        path = Path(home) / KEY_FILE
        try:
            found = path.read_bytes()
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            spare = path.with_name(f".{path.name}.{os.getpid()}")
            fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as file:
                file.write(os.urandom(32))
            try:
                os.link(spare, path)  # fails if another build made one meanwhile: use that
            except FileExistsError:
                pass
            finally:
                spare.unlink()
            found = path.read_bytes()
        if len(found) >= 32:
            return found
    except (OSError, RuntimeError):  # RuntimeError: no home folder
        pass
    return os.urandom(32)


@dataclass
class Inputs:
    """The digest of every file of the course tree a build reads, by its path relative to the
    tree ('course/lessons/x.md'), and of the builder itself."""

    files: dict[str, str]
    tool: str = field(default_factory=lambda: tool())

    @classmethod
    def read(cls, root: Path, skip: Iterable[Path] = ()) -> Inputs:
        """Digest the tree at ``root``; folders in ``skip`` (the output, inside the tree) are
        left out. A file that cannot be read gets a digest of its error, so that it changes the
        key and the build that follows reports it."""
        skipped = {os.path.realpath(p) for p in skip}
        files: dict[str, str] = {}
        for folder in SOURCE_FOLDERS:
            for path in _walk(root / folder, skipped):
                files[path.relative_to(root).as_posix()] = _file_digest(path)
        return cls(files)

    def key(
        self, kind: str, paths: Iterable[str] = (), prefixes: Iterable[str] = (), **extra
    ) -> str:
        """A digest of the builder, ``kind``, the files named in ``paths`` (a missing one
        counts as missing), every file under one of ``prefixes`` and the ``extra`` values
        (JSON-serialisable)."""
        prefixes = tuple(prefixes)
        chosen = {p: self.files.get(p, "-") for p in paths}
        chosen |= (
            {p: d for p, d in self.files.items() if p.startswith(prefixes)} if prefixes else {}
        )
        text = json.dumps(
            [self.tool, kind, sorted(chosen.items()), extra],
            sort_keys=True,
            ensure_ascii=False,
            default=str,
        )
        return digest(text.encode("utf-8"))

    def everything(self, kind: str, **extra) -> str:
        """A key of every input."""
        return self.key(kind, prefixes=("",), **extra)


def _file_digest(path: Path) -> str:
    """The digest of a file's bytes, read in chunks. A link is its target's path (a link may
    lead anywhere; the loader reports one that leaves the tree), anything but a regular file
    (a pipe would block, a device never end) its kind, a file that cannot be read its error:
    each changes the key when it changes, and the build that follows reports it."""
    try:
        found = os.lstat(path)
        if stat_module.S_ISLNK(found.st_mode):
            return "link:" + os.readlink(path)
        if not stat_module.S_ISREG(found.st_mode):
            return f"special:{stat_module.S_IFMT(found.st_mode)}"
        found_digest = hashlib.sha256()
        with open(path, "rb") as file:
            while chunk := file.read(1 << 20):
                found_digest.update(chunk)
        return found_digest.hexdigest()
    except OSError as exc:
        return f"!{exc.__class__.__name__}:{exc.errno}"


def _walk(top: Path, skipped: set[str]) -> list[Path]:
    """The files under ``top`` in a stable order, not following links to folders."""
    found: list[Path] = []
    if not top.is_dir():
        return found
    for folder, dirs, names in os.walk(top):
        if os.path.realpath(folder) in skipped:
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        found += [Path(folder) / n for n in sorted(names) if not n.startswith(".")]
    return found


@cache
def tool() -> str:
    """A digest of the builder's own files (code, templates, translations, the quiz front end),
    the versions of the libraries that shape the outputs, and Python's."""
    parts = [__version__, sys.version]
    for name in DEPENDENCIES:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=-")
    for path in _walk(PACKAGE, set()):
        if path.suffix not in (".pyc", ".mo"):
            parts.append(f"{path.relative_to(PACKAGE).as_posix()}:{digest(path.read_bytes())}")
    return digest("\n".join(parts).encode("utf-8"))


@dataclass
class Record:
    """One output of a build: its key, the files it made with their digests and their
    ``os.stat`` (size, modification time, inode: a file that still has them is untouched), and
    the problems its making reported."""

    key: str
    files: dict[str, str]
    stats: dict[str, list[int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    value: str | None = None  # ``Output.value`` when it was made, if the output has one


@dataclass
class Manifest:
    """The last build's record of its outputs, and the key of its inputs when it was a full
    build (``None`` after a build of one deck)."""

    build: str | None = None
    problems: list[Problem] = field(default_factory=list)  # what the full build reported
    outputs: dict[str, Record] = field(default_factory=dict)

    @classmethod
    def load(cls, out: Path) -> Manifest:
        """The manifest of the output at ``out``, or an empty one."""
        try:
            data = read_sealed(out / MANIFEST)
            if data is None or data.get("format") != FORMAT or data.get("tool") != tool():
                return cls()
            return cls(
                build=data["build"],
                problems=[_problem(p) for p in data["problems"]],
                outputs={
                    path: Record(
                        key=r["key"],
                        files=dict(r["files"]),
                        stats={k: list(v) for k, v in r["stats"].items()},
                        problems=[_problem(p) for p in r["problems"]],
                        value=r.get("value"),
                    )
                    for path, r in data["outputs"].items()
                },
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()

    def dumps(self) -> bytes:
        """The manifest as a file's bytes."""
        data = {
            "format": FORMAT,
            "tool": tool(),
            "build": self.build,
            "problems": [_plain(p) for p in self.problems],
            "outputs": {
                path: {
                    "key": r.key,
                    "files": r.files,
                    "stats": r.stats,
                    "problems": [_plain(p) for p in r.problems],
                    **({"value": r.value} if r.value is not None else {}),
                }
                for path, r in sorted(self.outputs.items())
            },
        }
        return sealed_json(data)

    def unchanged(self, out: Path, key: str) -> bool:
        """Whether the last full build read exactly these inputs and every file it made is
        still there, untouched."""
        if self.build is None or self.build != key:
            return False
        return all(
            _stat(out / path) == stat
            for record in self.outputs.values()
            for path, stat in record.stats.items()
        )

    def reusable(
        self, out: Path, path: str, key: str | None = None, value: str | None = None
    ) -> Record | None:
        """The record of output ``path`` if its key is ``key`` (or its value is ``value``) and
        its files under ``out`` hold the recorded bytes."""
        record = self.outputs.get(path)
        if record is None or not record.files:
            return None
        if (key is None or record.key != key) and (value is None or record.value != value):
            return None
        for file, expected in record.files.items():
            if _file_digest(out / file) != expected:  # a link or a pipe put there is not reused
                return None
        return record


def stat(path: Path) -> list[int]:
    """What tells a file left alone from one rewritten: size, modification time, inode."""
    found = os.stat(path)
    return [found.st_size, found.st_mtime_ns, found.st_ino]


def _stat(path: Path) -> list[int] | None:
    try:
        return stat(path)
    except OSError:
        return None


def _plain(problem: Problem) -> list:
    return [
        problem.where.path,
        problem.where.line,
        problem.code,
        problem.message,
        problem.severity.value,
    ]


def _problem(data: list) -> Problem:
    path, line, code, message, severity = data
    return Problem(Where(str(path), int(line)), str(code), str(message), Severity(severity))


class Kept:
    """What this process made last, by key, for the next build in it (``builder serve``
    builds again at every save, and most of what a build makes, the last one made too): at
    most ``most`` values, whose sizes (``size`` of each, 1 unless given) add up to at most
    ``room``; the least recently used go first. Safe to share between threads."""

    def __init__(self, most: int, room: int = sys.maxsize) -> None:
        self.most, self.room, self.used = most, room, 0
        self._values: collections.OrderedDict[Hashable, tuple[object, int]] = (
            collections.OrderedDict()
        )
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], object], size: int = 1) -> object:
        """The value kept for ``key``, else ``make()``'s (kept unless it is larger than the
        room; an exception is not kept)."""
        with self._lock:
            found = self._values.get(key)
            if found is not None:
                self._values.move_to_end(key)
                return found[0]
        value = make()
        if size > self.room:
            return value
        with self._lock:
            if key not in self._values:
                self._values[key] = (value, size)
                self.used += size
            while len(self._values) > self.most or self.used > self.room:
                _, (_, dropped) = self._values.popitem(last=False)
                self.used -= dropped
        return value
