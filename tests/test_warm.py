"""The build server: after a build in its own process, ``builder build`` runs in a warm process,
prints what the command would and leaves the same output; it serves only its own user, code
and environment, and stops when told, or idle."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from builder.commands import warm
from tests.helpers import make_tree
from tests.test_incremental import assert_same_as_cold, files_of

LESSON = "course/lessons/bai-mot.md"


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """The environment of commands that use build servers, in a folder of their own (short:
    a socket's path has at most 107 bytes); every server is stopped afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="kh-"))
    folder.chmod(0o700)
    env = {
        **os.environ,
        "XDG_RUNTIME_DIR": str(folder),
        warm.SWITCH: "on",
        warm.IDLE: "600",
    }
    for name in ("XDG_RUNTIME_DIR", warm.SWITCH, warm.IDLE):
        monkeypatch.setenv(name, env[name])
    yield env
    pids = [s["pid"] for s in warm.servers()]
    warm.stop()
    for pid in pids:
        _wait(lambda pid=pid: not _alive(pid), "a server to stop")
    shutil.rmtree(folder, ignore_errors=True)


def builder(args: list[str], env: dict[str, str], cwd: Path | None = None):  # noqa: ANN201
    return subprocess.run(
        [sys.executable, "-m", "builder", *map(str, args)],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip


def _wait(condition: Callable[[], bool], what: str, seconds: float = 180) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, f"still waiting for {what}"
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _builds() -> list[int]:
    return sorted(s["builds"] for s in warm.servers())


@pytest.mark.slow
def test_builds_after_the_first_run_in_the_build_server(
    runtime: dict[str, str], tmp_path: Path
) -> None:
    tree = make_tree(tmp_path / "tree")
    out = tree / "_build"
    first = builder(["build", "--root", tree], runtime)
    assert first.returncode == 0, first.stderr
    _wait(lambda: _builds() == [0], "the build server")  # started by the first build
    (sock,) = Path(runtime["XDG_RUNTIME_DIR"]).rglob("*.sock")
    assert stat.S_IMODE(sock.stat().st_mode) == 0o600  # the user's alone

    # An edit, built by the server: what the command prints, what a cold build leaves.
    lesson = tree / LESSON
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nMột câu mới.\n", encoding="utf-8")
    second = builder(["build", "--root", tree], runtime)
    assert second.returncode == 0, second.stderr
    assert "Made again: notebooks/bai-mot.ipynb" in second.stderr
    assert "Một câu mới." in (out / "notebooks" / "bai-mot.ipynb").read_text(encoding="utf-8")
    assert _builds() == [1]
    assert_same_as_cold(tree, out, tmp_path / "cold")

    # In the command's folder, with its relative paths.
    here = builder(["build"], runtime, cwd=tree)
    assert here.returncode == 0, here.stderr
    assert "Nothing changed since the last build: _build is up to date." in here.stderr
    assert _builds() == [2]

    # A broken edit: the command's messages and exit status; the output as it was.
    before = files_of(out)
    lesson.write_text(
        lesson.read_text(encoding="utf-8") + "\nCó {fact}`khong-co`.\n", encoding="utf-8"
    )
    broken = builder(["build", "--root", tree], runtime)
    assert broken.returncode == 2
    assert f"{LESSON}:" in broken.stderr and "[ref.unknown-fact]" in broken.stderr
    assert "Traceback" not in broken.stderr
    assert "nothing was written" in broken.stderr
    assert files_of(out) == before
    assert _builds() == [3]

    # A command with another environment (another date in its outputs) is not served by it.
    dated = builder(
        ["build", "--root", tree, "--out", tmp_path / "dated"],
        {**runtime, "SOURCE_DATE_EPOCH": "1663286400"},
    )
    assert dated.returncode == 2  # the same broken lesson, reported by the command itself
    _wait(lambda: _builds() == [0, 3], "a second server, for that environment")
    # --no-server: built here.
    alone = builder(["build", "--no-server", "--root", tree], runtime)
    assert alone.returncode == 2 and _builds() == [0, 3]

    stopped = builder(["server", "stop"], runtime)
    assert stopped.returncode == 0 and "Stopped 2 build server(s)." in stopped.stdout
    _wait(lambda: warm.servers() == [], "the servers to stop")
    assert not list(Path(runtime["XDG_RUNTIME_DIR"]).rglob("*.sock"))
    assert "No build server is running." in builder(["server", "status"], runtime).stdout


def test_no_build_server_under_ci_unless_asked(runtime: dict[str, str], tmp_path: Path) -> None:
    assert warm.enabled({"CI": "true"}) is False
    assert warm.enabled({"CI": "true", warm.SWITCH: "on"}) is True
    assert warm.enabled({warm.SWITCH: "off"}) is False
    assert warm.enabled({}) is True
    tree = make_tree(tmp_path / "tree")
    ci = {k: v for k, v in runtime.items() if k != warm.SWITCH} | {"CI": "true"}
    done = builder(["build", "-q", "--root", tree], ci)
    assert done.returncode == 0, done.stderr
    time.sleep(1)
    assert warm.servers() == []
    assert not list(Path(runtime["XDG_RUNTIME_DIR"]).rglob("*.lock"))


def test_a_server_serves_only_its_own_code_and_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"HOME": "/home/a", "LANG": "vi_VN.UTF-8", "SOURCE_DATE_EPOCH": "1"}
    assert warm.tag(env) == warm.tag({**env, "OLDPWD": "/tmp", "SHLVL": "2"})
    for name, value in [
        ("SOURCE_DATE_EPOCH", "2"),
        ("LANG", "en_US.UTF-8"),
        ("XDG_CACHE_HOME", "/x"),
    ]:
        assert warm.tag({**env, name: value}) != warm.tag(env), name
    tool = warm.tag(env)
    monkeypatch.setattr("builder.cache.tool", lambda: "another builder")
    assert warm.tag(env) != tool


def test_an_idle_server_stops_by_itself(runtime: dict[str, str], tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "tree")
    folder = Path(runtime["XDG_RUNTIME_DIR"]) / "khoahocso"
    folder.mkdir(mode=0o700)
    env = {**runtime, warm.IDLE: "2"}
    name = warm.tag(env)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "builder",
            warm.SERVE,
            str(folder),
            name,
            str(tree),
            str(tree / "_build"),
        ],
        env=env,
    )
    try:
        _wait(lambda: (folder / f"{name}.sock").exists(), "the socket")
        # Asking how it is is no build: it stops all the same.
        _wait(lambda: not warm.servers() and server.poll() is not None, "an idle stop")
        assert server.returncode == 0
        assert not (folder / f"{name}.sock").exists()
    finally:
        server.kill()


def test_the_servers_folder_is_private(runtime: dict[str, str], tmp_path: Path) -> None:
    """A folder others may write into is not used: no socket there could be trusted."""
    shared = tmp_path / "shared"
    (shared / "khoahocso").mkdir(parents=True)
    (shared / "khoahocso").chmod(0o777)
    os.environ["XDG_RUNTIME_DIR"] = str(shared)  # restored by the fixture's monkeypatch
    assert warm._folder() is None  # noqa: SLF001
    assert warm.delegate(["-q"]) is None  # the command builds itself
