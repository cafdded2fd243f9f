"""Atomic publish: the output is always one build's, whatever fails or is killed, and when."""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder import publish
from builder.cache import BOOK_STATE, MANIFEST
from builder.cli import main
from builder.commands.build import build
from tests.conftest import REPO
from tests.helpers import BASE, make_tree

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX locks and signals")

Snapshot = dict[str, str] | None

A = {
    "notebooks/a.ipynb": "A a",
    "notebooks/media/x.png": "A x",
    "book/index.html": "A index",
    "book/_static/s.css": "A css",
    "decks/one.pptx": "A one",
    "decks/two.pptx": "A two",
    "extra/keep.txt": "kept",
    "top.txt": "top",
}
FULL = {  # what a full build writes
    "notebooks/a.ipynb": "B a",
    "notebooks/b.ipynb": "B b",
    "book/index.html": "B index",
    "decks/one.pptx": "B one",
}
FULL_REPLACES = ["notebooks", "decks", "book"]
DECK = {"decks/one.pptx": "B one"}  # what ``builder build --deck one`` writes
DECK_REPLACES = ["decks/one.pptx"]


def snapshot(folder: Path) -> Snapshot:
    """Every entry under ``folder``: files by the sha256 of their bytes (the build's manifest by
    its records without the files' inodes and times, and without its seal, which covers them);
    None if it is missing. Not the book's
    Sphinx state (``.cache/book``), which a build updates in place: it is a
    cache at a fixed path, not part of the output swapped in whole."""
    if not os.path.lexists(folder):
        return None
    entries = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if rel == BOOK_STATE or rel.startswith(f"{BOOK_STATE}/"):
            continue
        if rel == MANIFEST:  # by what it says, not where the files it lists sit on the disk
            data = json.loads(path.read_bytes())
            for record in data["outputs"].values():
                record.pop("stats")
            data.pop("seal")  # a keyed digest of all of it, stats included
            entries[rel] = json.dumps(data, sort_keys=True)
            continue
        if path.is_symlink():
            entries[rel] = "link " + os.readlink(path)
        elif path.is_dir():
            entries[rel] = "folder"
        else:
            entries[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return entries


def write(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


def expected(files: dict[str, str]) -> Snapshot:
    """The snapshot of a folder holding just ``files``."""
    entries = {}
    for rel, text in files.items():
        parts = rel.split("/")
        entries.update({"/".join(parts[:n]): "folder" for n in range(1, len(parts))})
        entries[rel] = hashlib.sha256(text.encode()).hexdigest()
    return entries


def publish_once(out: Path, files: dict[str, str], replaces: list[str]) -> None:
    with publish.staging(out) as scratch:
        write(scratch.new, files)
        scratch.commit(replaces)


def beside(out: Path) -> list[str]:
    """What the output's parent folder holds: nothing but ``out`` once a build is over."""
    return sorted(os.listdir(out.parent))


# ---------------------------------------------------------------------------------------------
# Plain folders


def test_first_publish_is_the_new_tree(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "site"
    publish_once(out, FULL, FULL_REPLACES)
    assert snapshot(out) == expected(FULL)
    assert beside(out) == ["site"], "no stage and no lock file left"


def test_full_build_replaces_its_folders_and_keeps_other_entries(tmp_path: Path) -> None:
    out = write(tmp_path / "site", A)
    kept = os.stat(out / "extra/keep.txt").st_ino
    publish_once(out, FULL, FULL_REPLACES)
    new = {**FULL, "extra/keep.txt": "kept", "top.txt": "top"}
    assert snapshot(out) == expected(new)  # notebooks/a.ipynb and decks/two.pptx gone
    assert os.stat(out / "extra/keep.txt").st_ino == kept, "kept entries are hard links"
    assert beside(out) == ["site"]


def test_single_file_replacement_keeps_everything_else(tmp_path: Path) -> None:
    out = write(tmp_path / "site", A)
    (out / "book" / "link").symlink_to("index.html")
    os.chmod(out / "book", 0o750)
    before = snapshot(out)
    publish_once(out, DECK, DECK_REPLACES)
    after = snapshot(out)
    assert after == {**before, "decks/one.pptx": hashlib.sha256(b"B one").hexdigest()}
    assert os.readlink(out / "book" / "link") == "index.html"
    assert os.stat(out / "book").st_mode & 0o777 == 0o750


def test_failed_build_leaves_the_output_byte_for_byte(tmp_path: Path) -> None:
    out = write(tmp_path / "site", A)
    before = snapshot(out)
    with pytest.raises(RuntimeError), publish.staging(out) as scratch:
        write(scratch.new, FULL)
        raise RuntimeError("a stage failed")
    assert snapshot(out) == before
    assert beside(out) == ["site"]


def test_output_behind_a_symlink_is_replaced_in_its_real_folder(tmp_path: Path) -> None:
    real = write(tmp_path / "real" / "site", A)
    link = tmp_path / "link"
    link.symlink_to(real)
    publish_once(link, DECK, DECK_REPLACES)
    assert link.is_symlink() and (real / "decks/one.pptx").read_text() == "B one"
    assert beside(real) == ["site"]


def test_leftover_stages_are_removed_and_nothing_else(tmp_path: Path) -> None:
    out = write(tmp_path / "site", A)
    dead = [tmp_path / ".site.stage-dead0001", tmp_path / ".site.stage-dead0002"]
    write(dead[0], {"new/book/index.html": "half", "work/doctrees/x": "x"})
    dead[1].mkdir()  # killed right after it was made
    inside = write(out / ".stage-abcd1234", {"book/index.html": "old"})  # earlier versions'
    not_ours = {
        ".site.stage-file": "a file",
        ".site.stage-mine/notes.txt": "not a stage's content",
        ".other.stage-dead0003/new/x": "another output's",
        "site.stage-dead0004/new/x": "not hidden",
    }
    write(tmp_path, not_ours)
    (tmp_path / ".site.stage-link0005").symlink_to(dead[0].parent / ".other.stage-dead0003")
    publish_once(out, DECK, DECK_REPLACES)
    assert not any(p.exists() for p in dead) and not inside.exists()
    assert all((tmp_path / rel).read_text() == text for rel, text in not_ours.items())
    assert (tmp_path / ".site.stage-link0005").is_symlink()
    assert (tmp_path / ".other.stage-dead0003/new/x").exists()


def test_a_live_stage_is_not_removed(tmp_path: Path) -> None:
    out = write(tmp_path / "site", A)
    live = write(tmp_path / ".site.stage-live0001", {"new/x": "being built"})
    fd = os.open(live, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as the build that made it holds it
        publish.tidy(out)
        assert live.exists()
        with publish.staging(out) as scratch:
            publish.tidy(out)  # a build's own stage is live too
            assert scratch.new.is_dir() and live.exists()
    finally:
        os.close(fd)
    publish.tidy(out)
    assert not live.exists()
    assert beside(out) == ["site"]


def test_a_swap_killed_between_fallback_renames_is_repaired(tmp_path: Path) -> None:
    out = write(tmp_path / "site", A)
    before = snapshot(out)
    stage = write(tmp_path / ".site.stage-kill0001", {"new/book/index.html": "B", "work/x": "x"})
    out.rename(stage / "old")  # killed after ``out -> old``, before ``new -> out``
    publish.tidy(out)
    assert snapshot(out) == before
    assert beside(out) == ["site"]


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    if publish._renameat2() is None:
        pytest.skip("no renameat2 here")
    a, b = write(tmp_path / "a", {"x": "a"}), write(tmp_path / "b", {"x": "b"})
    assert publish._exchange(a, b)
    assert (a / "x").read_text() == "b" and (b / "x").read_text() == "a"


def test_file_system_without_exchange_falls_back_to_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def renameat2(*_: object) -> int:
        ctypes.set_errno(errno.EINVAL)  # what a file system without RENAME_EXCHANGE answers
        return -1

    monkeypatch.setattr(publish, "_renameat2", lambda: renameat2)
    assert not publish._exchange(tmp_path, tmp_path)
    out = write(tmp_path / "site", A)
    publish_once(out, DECK, DECK_REPLACES)
    assert (out / "decks/one.pptx").read_text() == "B one"
    assert beside(out) == ["site"]


def test_builds_into_one_folder_wait_for_each_other(tmp_path: Path) -> None:
    out = tmp_path / "site"
    events: list[str] = []
    inside = threading.Event()

    def first() -> None:
        with publish.staging(out) as scratch:
            inside.set()
            time.sleep(0.3)
            write(scratch.new, {"who": "first"})
            scratch.commit(["who"])
            events.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    inside.wait(5)
    with publish.staging(out) as scratch:
        events.append("second in")
        write(scratch.new, {"who": "second"})
        scratch.commit(["who"])
    thread.join()
    assert events == ["first done", "second in"]
    assert (out / "who").read_text() == "second"


# ---------------------------------------------------------------------------------------------
# Faults: every os-level operation of a publish fails in turn, once


OPERATIONS = [
    (os, "open"),
    (os, "mkdir"),
    (os, "scandir"),
    (os, "listdir"),
    (os, "link"),
    (os, "rename"),
    (os, "unlink"),
    (os, "rmdir"),
    (os, "chmod"),
    (os, "utime"),
    (fcntl, "flock"),
    (tempfile, "mkdtemp"),
    (shutil, "copy2"),
    (shutil, "copystat"),
    (shutil, "copymode"),
    (shutil, "rmtree"),
    (publish, "_exchange"),
]

SCENARIOS = {  # name: what ``out`` holds before, what the build writes, what it replaces
    "first": (None, FULL, FULL_REPLACES),
    "full": (A, FULL, FULL_REPLACES),
    "deck": (A, DECK, DECK_REPLACES),
}


def faulty_publish(
    monkeypatch: pytest.MonkeyPatch, out: Path, scenario: str, fail_at: int
) -> tuple[list[str], bool]:
    """Publish with an OSError at the ``fail_at``-th operation: the operations run, and whether
    the error escaped."""
    calls: list[str] = []

    def wrap(name: str, real: Callable) -> Callable:
        def operation(*args: object, **kwargs: object) -> object:
            calls.append(name)
            if len(calls) == fail_at:
                raise OSError(errno.EIO, f"injected fault in {name}")
            return real(*args, **kwargs)

        return operation

    _, files, replaces = SCENARIOS[scenario]
    with monkeypatch.context() as patch:
        for owner, name in OPERATIONS:
            patch.setattr(owner, name, wrap(name, getattr(owner, name)))
        try:
            publish_once(out, files, replaces)
        except OSError as error:
            assert "injected" in str(error)
            return calls, True
    return calls, False


@pytest.mark.parametrize("swap", ["exchange", "renames"])
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_a_fault_at_any_operation_leaves_one_build_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scenario: str, swap: str
) -> None:
    if swap == "renames":
        monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    before, files, replaces = SCENARIOS[scenario]

    def fresh(name: str) -> Path:
        out = tmp_path / name / "site"
        out.parent.mkdir()
        return write(out, before) if before is not None else out

    old = snapshot(fresh("before"))
    publish_once(fresh("after"), files, replaces)
    new = snapshot(tmp_path / "after" / "site")
    assert old != new
    operations, _ = faulty_publish(monkeypatch, fresh("count"), scenario, fail_at=0)
    swaps = {"exchange": ["_exchange"], "renames": ["_exchange", "rename", "rename"]}[swap]
    if before is None:
        swaps = ["rename"]
    assert [op for op in operations if op in ("_exchange", "rename")] == swaps, operations
    outcomes = set()
    for fail_at in range(1, len(operations) + 1):
        out = fresh(str(fail_at))
        _, raised = faulty_publish(monkeypatch, out, scenario, fail_at)
        where = f"fault at operation {fail_at}, {operations[fail_at - 1]}"
        assert snapshot(out) == (old if raised else new), where
        outcomes.add(raised)
        publish_once(out, files, replaces)  # the next build tidies up and succeeds
        assert snapshot(out) == new, where
        assert beside(out) == ["site"], where
    assert outcomes == {True, False}


# ---------------------------------------------------------------------------------------------
# Kills: a real build, SIGKILLed at each publish operation in turn


CHILD = """
import os, shutil, signal, sys, tempfile
import builder.publish as publish
from builder.cli import main
from builder.commands.build import build

kill_at, swap, log, *args = sys.argv[1:]
calls = []

def wrap(owner, name):
    real = getattr(owner, name)
    def operation(*a, **k):
        if sys._getframe(1).f_code.co_filename == publish.__file__:  # the publish's own calls
            calls.append(name)
            if kill_at in (str(len(calls)), f"{name}#{calls.count(name)}"):
                os.kill(os.getpid(), signal.SIGKILL)
        return real(*a, **k)
    setattr(owner, name, operation)

if swap == "renames":
    publish._exchange = lambda a, b: False
for owner, name in [(os, "open"), (os, "mkdir"), (os, "link"), (os, "rename"), (os, "unlink"),
                    (tempfile, "mkdtemp"), (shutil, "copystat"), (shutil, "copymode"),
                    (shutil, "rmtree"), (publish, "_exchange")]:
    wrap(owner, name)
try:
    main(args)
finally:
    with open(log, "w") as f:
        f.write(" ".join(calls))
"""


def child_build(kill_at: str, swap: str, out: Path, root: Path, *args: str) -> list[str]:
    """A build in a new Python, killed at the ``kill_at``-th publish operation (or 'name#k');
    the operations it ran."""
    log = out.parent / "calls.log"
    command = [sys.executable, "-c", CHILD, kill_at, swap, str(log), "build", "-q"]
    command += ["--root", str(root), "--out", str(out), *args]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    killed = result.returncode == -signal.SIGKILL
    assert killed == (kill_at != "0"), (result.returncode, result.stderr)
    assert killed or result.returncode == 0, result.stderr
    calls = log.read_text().split() if log.exists() else []
    log.unlink(missing_ok=True)
    return calls


def normal_build(root: Path, out: Path, *args: str) -> None:
    result = CliRunner().invoke(
        main, ["build", "-q", "--root", str(root), "--out", str(out), *args]
    )
    assert result.exit_code == 0, result.output


def kill_points(calls: list[str], swap: str) -> list[int]:
    """Where to kill: with the exchange, at every operation except inside the stage, where only
    the first and last folder and link are taken; with renames, at the swap and after it."""
    if swap == "renames":  # up to the swap, the same operations as with the exchange
        return list(range(calls.index("_exchange") + 1, len(calls) + 1))
    points = {n for n, name in enumerate(calls, 1) if name not in ("mkdir", "link", "copystat")}
    for name in ("mkdir", "link"):
        at = [n for n, call in enumerate(calls, 1) if call == name]
        points |= {at[0], at[-1]}
    return sorted(points)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A tiny course tree and a full build of it (snapshot A); the deck's title then changes."""
    tmp = tmp_path_factory.mktemp("kill")
    root = make_tree(tmp / "src")
    out = tmp / "base" / "site"
    normal_build(root, out)
    deck = root / "slides/decks/buoi-mot.yml"
    deck.write_text(BASE["slides/decks/buoi-mot.yml"].replace("Buổi", "Buổi mới"), "utf-8")
    return root, out


def copies(base: Path, tmp: Path, names: list[str]) -> dict[str, Path]:
    """A copy of the output ``base`` for each name, each alone in its folder."""
    return {name: Path(shutil.copytree(base, tmp / name / "site")) for name in names}


def in_parallel(runs: dict[str, Callable[[], object]]) -> None:
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for future in [pool.submit(run) for run in runs.values()]:
            future.result()


@pytest.mark.parametrize("swap", ["exchange", "renames"])
def test_a_deck_build_killed_at_any_publish_operation(
    built: tuple[Path, Path], tmp_path: Path, swap: str
) -> None:
    root, base = built
    before = snapshot(base)
    args = ("--deck", "buoi-mot")
    dry = copies(base, tmp_path, ["dry"])["dry"]
    calls = child_build("0", swap, dry, root, *args)
    after = snapshot(dry)
    assert after is not None and after != before
    book_files = sum(1 for path in (base / "book").rglob("*") if path.is_file())
    assert calls.count("link") >= book_files > 10, "the deck build carries the book over by links"
    points = [str(n) for n in kill_points(calls, swap)]
    outs = copies(base, tmp_path, points)
    in_parallel({n: functools.partial(child_build, n, swap, outs[n], root, *args) for n in outs})
    outcomes = []
    for n, out in outs.items():
        where = f"killed at operation {n}, {calls[int(n) - 1]}"
        now = snapshot(out)
        if now is None:  # only between the two renames of the fallback
            assert swap == "renames" and calls[int(n) - 1] == "rename", where
            publish.tidy(out)
            now = snapshot(out)
            outcomes.append("repaired")
        assert now in (before, after), where
        outcomes.append("before" if now == before else "after")
        normal_build(root, out, *args)  # the next build tidies up and succeeds
        assert snapshot(out) == after, where
        assert beside(out) == ["site"], where
    assert {"before", "after"} <= set(outcomes)
    assert ("repaired" in outcomes) == (swap == "renames")


def test_a_full_build_killed_around_the_swap(built: tuple[Path, Path], tmp_path: Path) -> None:
    root, base = built
    before = snapshot(base)
    lesson = root / "course/lessons/bai-mot.md"
    lesson.write_text(BASE["course/lessons/bai-mot.md"] + "\nĐoạn mới.\n", encoding="utf-8")
    points = ["0", "_exchange#1", "rmtree#1"]  # not killed, just before the swap, just after it
    outs = copies(base, tmp_path, points)
    in_parallel({p: functools.partial(child_build, p, "exchange", outs[p], root) for p in points})
    after = snapshot(outs["0"])
    assert after is not None and after != before
    assert snapshot(outs["_exchange#1"]) == before
    assert snapshot(outs["rmtree#1"]) == after
    # The next build (a quick --deck one) removes the stage the killed build left, and succeeds.
    session = ["decks/buoi-mot.pptx", "decks/buoi-mot.plan.pdf", "decks/buoi-mot.handout.pdf"]
    for point, expected_now in [
        ("_exchange#1", {**before, **{path: after[path] for path in session}}),
        ("rmtree#1", after),
    ]:
        out = outs[point]
        assert len(beside(out)) > 1, "the killed build left its stage"
        normal_build(root, out, "--deck", "buoi-mot")
        now = snapshot(out)
        assert now is not None
        if point == "_exchange#1":  # the new deck beside the old book: no full build's output
            manifest = json.loads(now.pop(MANIFEST))
            expected_now.pop(MANIFEST)
            assert manifest["build"] is None
        assert now == expected_now
        assert beside(out) == ["site"]


# ---------------------------------------------------------------------------------------------
# The one writer: outputs made only when selected; unchanged files kept as they were


def test_the_writer_makes_only_what_is_selected_and_keeps_unchanged_files(tmp_path: Path) -> None:
    made: list[str] = []

    def output(path: str, data: bytes) -> publish.Output:
        return publish.Output(path, lambda: made.append(path) or data)

    old, new = tmp_path / "old", tmp_path / "new"
    written, changed = publish.write([output("a/x.txt", b"1"), output("a/y.txt", b"2")], old)
    assert written == changed == ["a/x.txt", "a/y.txt"]
    made.clear()
    folder = tmp_path / "made"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "same.txt").write_bytes(b"1")
    outputs = [
        output("a/x.txt", b"1"),
        output("a/y.txt", b"3"),
        output("b.txt", b"never"),
        publish.Output("c", lambda: folder),
    ]
    select = {"a/x.txt", "a/y.txt", "c"}
    written, changed = publish.write(outputs, new, select=select, previous=old)
    assert made == ["a/x.txt", "a/y.txt"], "an output not selected is never made"
    assert written == ["a/x.txt", "a/y.txt", "c/sub/same.txt"]
    assert changed == ["a/y.txt", "c/sub/same.txt"]
    assert (new / "a/x.txt").samefile(old / "a/x.txt"), "unchanged: the old file, not a copy"
    assert (new / "a/y.txt").read_bytes() == b"3" and not (new / "b.txt").exists()
    assert not folder.exists(), "a made folder is moved in"
    assert sorted(p.name for p in (new / "a").iterdir()) == ["x.txt", "y.txt"]
    assert (old / "a/x.txt").read_bytes() == b"1" and (old / "a/y.txt").read_bytes() == b"2"


def test_the_writer_never_writes_into_a_path_twice_nor_outside_its_folder(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    publish.write([publish.Output("x.txt", lambda: b"1")], old)
    twice = [publish.Output("x.txt", lambda: b"1"), publish.Output("x.txt", lambda: b"2")]
    with pytest.raises(FileExistsError):  # the first is the old file's other link: keep it whole
        publish.write(twice, new, previous=old)
    assert (old / "x.txt").read_bytes() == b"1"
    for bad in ("../x", "/etc/x", "", ".", "a//b", "a\\b", "a/./b"):
        with pytest.raises(ValueError):
            publish.Output(bad, lambda: b"")
    assert not (tmp_path / "x").exists()


def test_an_output_named_like_a_temporary_file_is_kept_too(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    names = ["x.txt", "x.txt.made", ".x.txt.keep"]
    publish.write([publish.Output(n, lambda n=n: n.encode()) for n in names], old)
    written, changed = publish.write(
        [publish.Output(n, lambda n=n: n.encode()) for n in names], new, previous=old
    )
    assert written == names and changed == []
    assert sorted(p.name for p in new.iterdir()) == sorted(names)
    assert all((new / n).read_bytes() == n.encode() for n in names)


def test_a_rebuild_changes_only_the_files_whose_bytes_change(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "src")
    out = tmp_path / "site"
    first = build(root, out)
    assert "book/index.html" in first.changed and "decks/buoi-mot.pptx" in first.changed
    assert first.notebooks == [out / "notebooks/bai-mot.ipynb"], "lessons, not the book's copies"
    assert first.decks == [out / "decks/buoi-mot.pptx"]
    inodes = {p: (out / p).stat().st_ino for p in first.changed}
    again = build(root, out)
    assert again.changed == [], again.changed
    assert {p: (out / p).stat().st_ino for p in first.changed} == inodes
    deck = root / "slides/decks/buoi-mot.yml"
    deck.write_text(BASE["slides/decks/buoi-mot.yml"].replace("Buổi", "Buổi mới"), "utf-8")
    only = build(root, out, deck="buoi-mot")
    assert sorted(only.changed) == [
        "decks/buoi-mot.handout.pdf",
        "decks/buoi-mot.plan.pdf",
        "decks/buoi-mot.pptx",
    ]
    assert only.book is None
    assert (out / "book/index.html").stat().st_ino == inodes["book/index.html"]


def test_keeping_an_unchanged_file_falls_back_and_never_loses_the_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where a link cannot be made the old file is copied; where the copy cannot take the made
    file's place, the made file stays. Nothing is left beside it either way."""
    old = tmp_path / "old"
    publish.write([publish.Output("a.txt", lambda: b"1")], old)

    def no_link(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EXDEV, "cross-device link")

    with monkeypatch.context() as patch:
        patch.setattr(os, "link", no_link)
        _, changed = publish.write(
            [publish.Output("a.txt", lambda: b"1")], tmp_path / "copied", previous=old
        )
    copied = tmp_path / "copied" / "a.txt"
    assert changed == [] and copied.read_bytes() == b"1" and not copied.samefile(old / "a.txt")
    assert copied.stat().st_mtime_ns == (old / "a.txt").stat().st_mtime_ns, "copied with its times"

    def no_replace(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EIO, "injected")

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", no_replace)
        _, changed = publish.write(
            [publish.Output("a.txt", lambda: b"1")], tmp_path / "made", previous=old
        )
    assert changed == ["a.txt"], "not kept: counted as changed"
    assert [p.name for p in (tmp_path / "made").iterdir()] == ["a.txt"]
    assert (tmp_path / "made" / "a.txt").read_bytes() == b"1"
    assert (old / "a.txt").read_bytes() == b"1"
