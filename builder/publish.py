"""Build the whole new output beside the output folder, then swap it in with one atomic step.

Every stage hands over what it makes as ``Output`` entries (a path and how to make its bytes);
``write`` is the one writer that puts them in a folder, made only when selected, and keeps a
previous output's file as it is (linked, not rewritten) when its bytes have not changed.
"""

# Layout, for an output folder ``site``:
#   .site.lock               held (flock) while a build runs into ``site``; removed on release
#   .site.stage-XXXXXXXX/    one build's stage, held (flock on the folder) while the build lives
#       new/                 the complete future ``site``: this build's files, plus every entry of
#                            the current ``site`` it does not replace (hard links, else copies)
#       work/                scratch (book source, doctrees); never published
#       old/                 only in the fallback swap, for an instant (see ``Scratch.commit``)
#
# On Linux, ``new`` and ``site`` trade places in one renameat2(RENAME_EXCHANGE): at every instant
# ``site`` is the complete output of one build. The old tree, left at the stage, is then removed;
# the stages of builds killed before removing theirs are removed at the start of the next build.

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

try:
    import fcntl
except ImportError:  # not POSIX: builds into one folder are not serialised
    fcntl = None  # type: ignore[assignment]

STAGE_PARTS = {"new", "work", "old"}
# Scratch folders that earlier versions made inside the output folder: never carried over.
INSIDE_STAGE = re.compile(r"\.stage-[a-z0-9_]{8}")
AT_FDCWD = -100
RENAME_EXCHANGE = 2
UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


@dataclass(frozen=True)
class Output:
    """One file, or one folder, a stage makes: where it goes (a POSIX path relative to the
    folder written) and how to make it, called only if the output is selected."""

    path: str
    make: Callable[[], bytes | Path]  # the bytes, or a file or folder the stage made in scratch
    # A digest of everything the bytes are made from once the sources are read (a deck's
    # plan, a PDF's document), cheaper to know than the bytes: an output whose sources
    # changed in a way that changes none of that is still the one the last build made.
    value: Callable[[], str] | None = None

    def __post_init__(self) -> None:
        parts = self.path.split("/")
        if "\\" in self.path or any(part in ("", ".", "..") for part in parts):
            raise ValueError(f"an output's path is relative, in '/'-separated names: {self.path!r}")


def write(
    outputs: Iterable[Output],
    folder: Path,
    *,
    select: Collection[str] | None = None,
    previous: Path | None = None,
) -> tuple[list[str], list[str]]:
    """Write the outputs (those in ``select``, if given) under ``folder``, in order.

    A made file or folder is moved in. A file whose bytes equal the one at the same place under
    ``previous`` is that file, hard-linked (else copied with its times): unchanged outputs keep
    their identity, so a watcher or a copy to a USB stick sees only what changed. Returns the
    files written and, among them, those that changed.
    """
    written: list[str] = []
    changed: list[str] = []
    for output in outputs:
        if select is not None and output.path not in select:
            continue
        target = folder / output.path
        if os.path.lexists(target):  # never written into: it may be a kept file's other link
            raise FileExistsError(errno.EEXIST, "two outputs at one path", str(target))
        target.parent.mkdir(parents=True, exist_ok=True)
        made = output.make()
        if isinstance(made, Path):
            shutil.move(made, target)
            files = (
                sorted(p for p in target.rglob("*") if p.is_file()) if target.is_dir() else [target]
            )
            for path in files:
                rel = path.relative_to(folder).as_posix()
                written.append(rel)
                old = None if previous is None else previous / rel
                if old is None or not (_same(old, path.read_bytes()) and _put(old, path)):
                    changed.append(rel)
            continue
        written.append(output.path)
        old = None if previous is None else previous / output.path
        if old is None or not (_same(old, made) and _put(old, target)):
            target.write_bytes(made)
            changed.append(output.path)
    return written, changed


def _same(old: Path, data: bytes) -> bool:
    """Whether the previous output's file holds exactly ``data``."""
    try:
        if old.is_symlink() or not old.is_file() or old.stat().st_size != len(data):
            return False
        return old.read_bytes() == data
    except OSError:
        return False


def _put(old: Path, target: Path) -> bool:
    """Place the previous output's file at ``target`` (replacing what is there): a hard link,
    else a copy with its times, made under a name of its own first; False if neither can."""
    spare = target.with_name(f".{target.name}.{secrets.token_hex(8)}.keep")  # never an output's
    if os.path.lexists(spare):
        return False
    try:
        try:
            os.link(old, spare)
        except FileExistsError:
            return False
        except OSError:  # another file system, permissions, link count
            shutil.copy2(old, spare)
        os.replace(spare, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(spare)
        return False
    return True


class Scratch:
    """One build's stage: write the output into ``new`` and scratch into ``work``, then commit."""

    def __init__(self, out: Path, path: Path) -> None:
        self.out = out
        self.path = path
        self.new = path / "new"
        self.work = path / "work"
        self.committed = False
        self.written: list[str] = []
        self.changed: list[str] = []

    def write(self, outputs: Iterable[Output], select: Collection[str] | None = None) -> list[str]:
        """Write outputs into ``new`` (see ``write``); returns the files written."""
        written, changed = write(outputs, self.new, select=select, previous=self.out)
        self.written += written
        self.changed += changed
        return written

    def reuse(self, files: Iterable[str]) -> None:
        """Put the current output's ``files`` (paths relative to it) into ``new`` as they are:
        outputs a build did not need to make again. Raises ``OSError`` if one cannot be."""
        for rel in files:
            target = self.new / rel
            if os.path.lexists(target):
                raise FileExistsError(errno.EEXIST, "two outputs at one path", str(target))
            target.parent.mkdir(parents=True, exist_ok=True)
            if not _put(self.out / rel, target):
                raise OSError(errno.EIO, "cannot link or copy the previous output", str(target))
            self.written.append(rel)

    def discard(self, folder: str) -> None:
        """Empty ``folder``: what was written there is not published (nor are the old files
        left as if they were current)."""
        shutil.rmtree(self.new / folder, ignore_errors=True)
        os.mkdir(self.new / folder)
        inside = f"{folder}/"
        self.written = [p for p in self.written if not p.startswith(inside)]
        self.changed = [p for p in self.changed if not p.startswith(inside)]

    def commit(self, replaces: Iterable[str]) -> None:
        """Make ``new``, completed with what ``out`` holds outside ``replaces``, the new ``out``."""
        # ``replaces`` names the paths this build owns, such as 'book' or 'decks/x.pptx': the old
        # copies go; every other entry of ``out`` is carried over unless ``new`` already has it.
        if self.committed:
            raise RuntimeError("this stage was already published")
        replaced = {PurePosixPath(name).as_posix() for name in replaces}
        if not os.path.lexists(self.out):
            os.rename(self.new, self.out)
        else:
            _carry(self.out, self.new, "", replaced)
            shutil.copymode(self.out, self.new)
            if not _exchange(self.new, self.out):
                self._swap_by_renames()
        # ``new`` now holds the previous output (or nothing): removed with the stage.
        self.committed = True

    def _swap_by_renames(self) -> None:
        """The fallback where the file system cannot exchange: two renames."""
        old = self.path / "old"
        os.rename(self.out, old)
        # Until the next rename, ``out`` is missing. An error puts it back at once; a kill
        # leaves it at ``old``, and the next build's ``tidy`` renames it back before anything.
        try:
            os.rename(self.new, self.out)
        except BaseException:
            os.rename(old, self.out)
            raise


@contextlib.contextmanager
def staging(out: Path) -> Iterator[Scratch]:
    """Lock ``out``, tidy after dead builds, and yield a new stage beside it; always removed."""
    out = Path(out).resolve()  # beside the real folder, on its file system, if ``out`` is a link
    if not out.name:
        raise ValueError(f"cannot publish to {out}: the output must be a folder with a parent")
    if os.path.lexists(out) and not out.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "the output is not a folder", str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    with _locked(out.parent / f".{out.name}.lock"):
        tidy(out)
        path = Path(tempfile.mkdtemp(prefix=f".{out.name}.stage-", dir=out.parent))
        try:
            with _holding(path, wait=True):
                os.mkdir(path / "new")
                os.mkdir(path / "work")
                yield Scratch(out, path)
        finally:
            _remove(path)  # still under the lock of ``out``: no other build is tidying


def tidy(out: Path) -> None:
    """Remove the stages of dead builds beside ``out``, first putting back an output left aside."""
    out = Path(out).resolve()
    ours = re.compile(re.escape(f".{out.name}.stage-") + r"[a-z0-9_]+")
    try:
        with os.scandir(out.parent) as entries:
            stages = [
                e for e in entries if ours.fullmatch(e.name) and e.is_dir(follow_symlinks=False)
            ]
        # If a fallback swap was killed between its renames, the newest stage holds the output.
        stages.sort(key=lambda entry: entry.stat(follow_symlinks=False).st_mtime_ns, reverse=True)
    except OSError:
        return
    for entry in stages:
        path = Path(entry.path)
        with contextlib.suppress(OSError):
            if not set(os.listdir(path)) <= STAGE_PARTS:
                continue  # not a stage of ours, whatever its name
            with _holding(path, wait=False) as dead:
                if not dead:
                    continue  # a live build's
                if not os.path.lexists(out) and (path / "old").is_dir():
                    os.rename(path / "old", out)
                _remove(path)


def _carry(src: Path, dst: Path, rel: str, replaced: set[str]) -> None:
    """Hard-link (or copy) into ``dst`` what ``src`` holds outside ``replaced`` and ``dst``."""
    with os.scandir(src) as scan:
        entries = list(scan)
    for entry in entries:
        name = f"{rel}/{entry.name}" if rel else entry.name
        is_dir = entry.is_dir(follow_symlinks=False)
        if name in replaced or (not rel and is_dir and INSIDE_STAGE.fullmatch(entry.name)):
            continue
        target = dst / entry.name
        if is_dir:
            if not os.path.lexists(target):
                os.mkdir(target)
                _carry(Path(entry.path), target, name, replaced)
                shutil.copystat(entry.path, target, follow_symlinks=False)
            elif target.is_dir() and not target.is_symlink():
                _carry(Path(entry.path), target, name, replaced)
        elif not os.path.lexists(target):
            try:
                os.link(entry.path, target, follow_symlinks=False)
            except (OSError, NotImplementedError):  # file system, permissions, link count
                shutil.copy2(entry.path, target, follow_symlinks=False)


@cache
def _renameat2() -> Callable[..., int] | None:
    """glibc's renameat2 (2.28 and later) on Linux; None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step; False where the system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in UNSUPPORTED:  # an old kernel, or a file system without RENAME_EXCHANGE
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _remove(path: Path) -> None:
    """Remove a stage, as far as possible: what is left is removed by the next build."""
    with contextlib.suppress(OSError):
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _locked(lock: Path) -> Iterator[None]:
    """Hold the lock file ``lock``, waiting for any other holder; the file is removed on release."""
    if fcntl is None:
        yield
        return
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if _same_file(fd, lock):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # its holder removed that file while we waited: lock the current one
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)


@contextlib.contextmanager
def _holding(folder: Path, wait: bool) -> Iterator[bool]:
    """Hold a lock on ``folder``; yield False (not waiting) if a live process holds it."""
    if fcntl is None:
        yield True  # no way to tell a live build's stage from a dead one's
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            held = True
        except BlockingIOError:
            held = False
        yield held
    finally:
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open as ``fd``."""
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return False
    then = os.fstat(fd)
    return (now.st_dev, now.st_ino) == (then.st_dev, then.st_ino)
