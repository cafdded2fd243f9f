"""The build server: ``builder build`` hands its work to a process that has built before.

A build in a new process spends most of a one-lesson rebuild before it reads a lesson:
importing Sphinx, Jupyter Book, nbformat and python-pptx, parsing every YAML and MyST file
again. After a build runs in its own process, it starts a server (this module, detached, at a
lower priority) that imports those libraries, reads the course once and waits on a Unix socket;
the next ``builder build`` of the same user, with the same builder and environment, sends it
its options, current folder and environment, and prints what the server's build prints, with
its exit status. The server runs one build at a time, exactly as the command would (the same
``builder build``, handed to it by ``builder.__main__``), and keeps between builds what
``builder serve`` keeps (``cache.Kept``).

It stops by itself after ``KHOAHOCSO_SERVER_IDLE`` seconds without a build (30 minutes), after
``MOST_BUILDS`` builds, or at ``builder server stop``. There is none when ``CI`` is set or
``KHOAHOCSO_SERVER=off`` (``on`` overrides ``CI``), nor where Unix sockets are not available.

Safety: the socket and its lock live in a folder only the user may enter
(``$XDG_RUNTIME_DIR/khoahocso``, else ``~/.cache/khoahocso/run``), the server answers only
its own user (``SO_PEERCRED``), and a socket's name is a digest of the builder's own files
(``cache.tool``), Python and the environment variables a build reads: a server never builds
with other code or settings than the command it stands in for.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import selectors
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

SWITCH = "KHOAHOCSO_SERVER"  # off: every build runs in its own process; on: even under CI
IDLE = "KHOAHOCSO_SERVER_IDLE"  # seconds a server waits for a build before it stops
IDLE_SECONDS = 30 * 60
MOST_BUILDS = 500  # then the server stops, and the next build starts a fresh one
REQUEST_BYTES = 1 << 20
# What a build reads from its environment (directly or through its libraries), by name or
# prefix: a server only serves a command whose values are its own. Not NO_COLOR,
# FORCE_COLOR or COLUMNS: each build reads those as the command has them.
READ = (
    "HOME",
    "PATH",
    "TZ",
    "TMPDIR",
    "SOURCE_DATE_EPOCH",
    "LANG",
    "LANGUAGE",
    "LC_",
    "XDG_",
    "PYTHON",
    "FONTCONFIG",
    "JUPYTER",
    "SPHINX",
    "KHOAHOCSO",
)  # fmt: skip
OUT, ERR, EXIT = 1, 2, 0  # frame channels: the command's stdout, its stderr, its exit status


_SERVING = threading.Event()  # set in a build server while it builds


def serving() -> bool:
    """Whether this process is a build server building for a command."""
    return _SERVING.is_set()


def wanted(argv: list[str]) -> bool:
    """Whether ``builder ARGV`` should run in a build server: a build, here, not refused."""
    return argv[:1] == ["build"] and "--no-server" not in argv and enabled()


def enabled(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether builds go through a build server here."""
    switch = environ.get(SWITCH, "").strip().lower()
    if switch in ("off", "0", "no", "false"):
        return False
    if not hasattr(socket, "AF_UNIX") or not hasattr(os, "getuid"):
        return False
    return switch in ("on", "1", "yes", "true") or not environ.get("CI")


def _folder(make: bool = True) -> Path | None:
    """The user's private folder for the servers' sockets, or None if it is not safe."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    try:
        base = Path(runtime) if runtime else Path.home() / ".cache"
        folder = base / "khoahocso" / ("run" if not runtime else "")
        if make:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        found = os.lstat(folder)
    except (OSError, RuntimeError):
        return None
    mine = found.st_uid == os.getuid() and not found.st_mode & 0o077
    return folder if mine and not os.path.islink(folder) else None


def tag(environ: Mapping[str, str] = os.environ) -> str:
    """The name of the server that may build for a command run with ``environ``."""
    from builder import cache  # noqa: PLC0415 - the client reads the builder's files only

    read = sorted((k, v) for k, v in environ.items() if k.startswith(READ))
    text = json.dumps([cache.tool(), sys.executable, read], ensure_ascii=False)
    return cache.digest(text.encode("utf-8"))[:20]


# --- the command's side ------------------------------------------------------------------------


def delegate(argv: list[str]) -> int | None:
    """Run ``builder build ARGV`` in this user's build server: its exit status, or None when
    no server could take it (the caller then builds itself)."""
    folder = _folder(make=False)
    if folder is None:
        return None
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(str(folder / f"{tag()}.sock"))
    except OSError:
        client.close()
        return None
    request = {
        "build": argv,
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "terminal": sys.stderr.isatty(),
        "columns": _columns(),
        "streams": [_encoding(sys.stdout), _encoding(sys.stderr)],
    }
    with client:
        try:
            client.sendall(json.dumps(request).encode("utf-8") + b"\n")
        except OSError:
            return None
        try:
            return _relay(client)
        except KeyboardInterrupt:  # closing the socket stops the server's build
            sys.stderr.write("\nAborted!\n")  # as the command says in its own process
            return 1


def _relay(client: socket.socket) -> int | None:
    """Print the frames the server sends until its exit status; None if it sent nothing (it
    stopped before building: the command builds itself)."""
    reader = client.makefile("rb")
    printed = False
    while True:
        try:
            head = reader.read(5)
            channel, size = struct.unpack(">BI", head)
            data = reader.read(size)
        except (OSError, struct.error):  # the server went away
            if printed:  # mid-build (killed): say so, fail
                sys.stderr.write("\nThe build server stopped during the build; run it again.\n")
                return 1
            return None
        if channel == EXIT:
            return int(data)
        stream = sys.stdout if channel == OUT else sys.stderr
        binary = getattr(stream, "buffer", None)
        if binary is None:
            stream.write(data.decode(_encoding(stream)[0], "replace"))
        else:
            stream.flush()
            binary.write(data)
            binary.flush()
        printed = True


def _columns() -> int | None:
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return None


def _encoding(stream: io.TextIOBase) -> list[str]:
    return [
        getattr(stream, "encoding", None) or "utf-8",
        getattr(stream, "errors", None) or "strict",
    ]


def start(root: Path, out: Path) -> None:
    """Start a build server for the commands that follow, unless one is running: detached,
    silent, in its own session, reading the course at ``root`` and the output ``out`` while
    it warms up."""
    folder = _folder()
    if folder is None:
        return
    name = tag()
    if _held(folder / f"{name}.lock"):
        return
    with contextlib.suppress(OSError):
        log = open(folder / f"{name}.log", "wb")  # noqa: SIM115 - handed to the child
        with log:
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "builder",
                    SERVE,
                    str(folder),
                    name,
                    str(root.resolve()),
                    str(out.resolve()),
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                cwd="/",  # holds no folder of the author's busy (a USB stick stays removable)
                start_new_session=True,
                close_fds=True,
            )


def _held(path: Path) -> bool:
    """Whether a server holds the lock at ``path`` (or it cannot be told: start none)."""
    lock = _lock(path)
    if lock is not None:
        lock.close()
    return lock is None


def _lock(path: Path) -> io.TextIOWrapper | None:
    """The lock file at ``path``, open and locked (``flock``: released when it is closed or
    its process ends), or None when another process holds it or it cannot be opened."""
    import fcntl  # noqa: PLC0415 - POSIX only, like the servers

    try:
        file = open(path, "a")  # noqa: SIM115 - the lock lives as long as the file is open
    except OSError:
        return None
    try:
        fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        file.close()
        return None
    return file


def servers() -> list[dict]:
    """What each running server of this user says of itself (``builder server status``)."""
    return [s for s in (_ask(p, {"status": True}) for p in _sockets()) if s is not None]


def stop() -> int:
    """Stop every running server of this user; how many there were."""
    return sum(_ask(path, {"stop": True}) is not None for path in _sockets())


def _sockets() -> list[Path]:
    folder = _folder(make=False)
    return sorted(folder.glob("*.sock")) if folder is not None else []


def _ask(path: Path, request: dict) -> dict | None:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(30)
            client.connect(str(path))
            client.sendall(json.dumps(request).encode("utf-8") + b"\n")
            return json.loads(client.makefile("rb").readline() or b"null")
    except (OSError, ValueError):
        return None


# --- the server's side -------------------------------------------------------------------------


Command = Callable[[list[str]], None]  # ``builder build ARGV`` in this process


class _Server:
    def __init__(self, folder: Path, name: str, command: Command) -> None:
        self.folder, self.name, self.command = folder, name, command
        self.path = folder / f"{name}.sock"
        self.builds = 0
        self.idle = _seconds(os.environ.get(IDLE), IDLE_SECONDS)
        self.last = time.monotonic()  # when the last build ended (a status asked is no build)
        self.stopping = False

    def run(self, root: Path, out: Path) -> None:
        lock = _lock(self.folder / f"{self.name}.lock")
        if lock is None:
            return  # another server of the same name is starting or serving
        with lock:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()  # one left by a server that was killed
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
                old = os.umask(0o177)
                try:
                    listener.bind(str(self.path))
                finally:
                    os.umask(old)
                listener.listen(8)
                try:
                    # Listening first: a command that comes meanwhile (a build, a stop)
                    # waits for the warm-up, a few seconds, rather than finding no server.
                    warm_up(root, out)
                    _settle()
                    self._serve(listener)
                finally:
                    with contextlib.suppress(OSError):
                        self.path.unlink()

    def _serve(self, listener: socket.socket) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(listener, selectors.EVENT_READ)
            self.last = time.monotonic()  # warmed up
            while not self.stopping and self.builds < MOST_BUILDS:
                left = self._left()
                if left <= 0:
                    return  # idle
                if not selector.select(timeout=left):
                    continue  # (asked again: the clock decides)
                connection, _ = listener.accept()
                with connection:
                    if _peer_uid(connection) != os.getuid():
                        continue
                    # KeyboardInterrupt: a command's Ctrl+C (``_build``) arriving late
                    with contextlib.suppress(OSError, ValueError, KeyboardInterrupt):
                        self._answer(connection)

    def _left(self) -> float:
        """Seconds until it stops for want of builds."""
        return self.last + self.idle - time.monotonic()

    def _answer(self, connection: socket.socket) -> None:
        connection.settimeout(30)
        line = connection.makefile("rb").readline(REQUEST_BYTES)
        request = json.loads(line)
        connection.settimeout(None)
        if request.get("stop"):
            self.stopping = True
            connection.sendall(json.dumps({"pid": os.getpid()}).encode() + b"\n")
        elif request.get("status"):
            status = {
                "pid": os.getpid(),
                "builds": self.builds,
                "left": max(0.0, self._left()),
            }
            connection.sendall(json.dumps(status).encode() + b"\n")
        elif isinstance(request.get("build"), list):
            self.builds += 1
            _build(connection, request, self.command)
            connection.close()  # the command has its exit status: the rest is the server's
            _settle()
            self.last = time.monotonic()


def _settle() -> None:
    """Collect what the last build left and freeze what stays (the libraries, what is kept
    for the next build) out of the collector's way: in a process this large, the collections
    a build triggers would otherwise walk it all again, a few tenths of a second per build."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _seconds(text: str | None, default: float) -> float:
    try:
        return max(0.1, float(text)) if text else default
    except ValueError:
        return default


def _peer_uid(connection: socket.socket) -> int | None:
    try:
        data = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except (OSError, AttributeError):
        return None
    return struct.unpack("3i", data)[1]


class _Channel(io.RawIOBase):
    """One of the command's output streams, sent as frames."""

    def __init__(self, connection: socket.socket, channel: int) -> None:
        self.connection, self.channel = connection, channel

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if data:
            with contextlib.suppress(OSError):  # the command went away: its build is stopped
                self.connection.sendall(_frame(self.channel, bytes(data)))
        return len(data)


def _frame(channel: int, data: bytes) -> bytes:
    """What the command reads (``_relay``): the channel, the length, the bytes."""
    return struct.pack(">BI", channel, len(data)) + data


@contextlib.contextmanager
def _as_command(request: dict, connection: socket.socket) -> Iterator[None]:
    """This process as the command that sent ``request``: its folder, its environment, its
    output streams; all put back afterwards."""
    environ, cwd = dict(os.environ), os.getcwd()
    streams = sys.stdout, sys.stderr
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in request["env"].items()})
    if request.get("terminal"):  # the command's progress shows as it would in its terminal
        os.environ.setdefault("FORCE_COLOR", "1")
        if request.get("columns"):
            os.environ.setdefault("COLUMNS", str(request["columns"]))
    (out_encoding, out_errors), (err_encoding, err_errors) = request["streams"]
    sys.stdout = io.TextIOWrapper(
        _Channel(connection, OUT), out_encoding, out_errors, line_buffering=True, write_through=True
    )
    sys.stderr = io.TextIOWrapper(
        _Channel(connection, ERR), err_encoding, err_errors, line_buffering=True, write_through=True
    )
    try:
        os.chdir(request["cwd"])
        yield
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        sys.stdout, sys.stderr = streams
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(environ)


def _build(connection: socket.socket, request: dict, command: Command) -> None:
    """Run the command's build and send its exit status; a command that goes away (Ctrl+C)
    interrupts it, as Ctrl+C would have in its own process."""
    done = threading.Event()
    interrupted = threading.Event()
    wake, woken = socket.socketpair()

    def watch() -> None:  # the command sends nothing more: readable means it closed
        with selectors.DefaultSelector() as selector, woken:
            selector.register(connection, selectors.EVENT_READ)
            selector.register(woken, selectors.EVENT_READ)
            ready = [key.fileobj for key, _ in selector.select()]
            if connection in ready and not done.is_set():
                interrupted.set()
                import _thread  # noqa: PLC0415

                _thread.interrupt_main()

    watcher = threading.Thread(target=watch, daemon=True)
    status = 1
    _SERVING.set()
    try:
        with _as_command(request, connection):
            watcher.start()
            try:
                command([str(arg) for arg in request["build"]])
                status = 0
            except SystemExit as exc:
                status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except KeyboardInterrupt:
                status = 130
            except Exception:  # noqa: BLE001 - as the command would have: a traceback, status 1
                traceback.print_exc()
            finally:
                done.set()
    except KeyboardInterrupt:  # arrived after the build: nothing to stop
        status = 130
    finally:
        _SERVING.clear()
        with wake:
            wake.send(b".")
    watcher.join()
    if not interrupted.is_set():
        with contextlib.suppress(OSError):
            connection.sendall(_frame(EXIT, str(status).encode()))


def warm_up(root: Path, out: Path) -> None:
    """Import what builds use and read the course at ``root`` and the output ``out`` once
    (what they hold stays in memory for the builds that follow); a course with errors is
    simply read."""
    from builder.commands import build  # noqa: PLC0415

    with contextlib.suppress(Exception):
        build.warm_up(root, out)


SERVE = "--serve-builds"  # ``python -m builder --serve-builds FOLDER NAME ROOT OUT``: ``start``


def serve(argv: list[str], command: Command) -> None:
    """Be the build server ``start`` started (``builder.__main__`` calls this, with the
    command it runs builds with)."""
    folder, name, root, out = Path(argv[0]), argv[1], Path(argv[2]), Path(argv[3])
    if _folder(make=False) != folder or tag() != name:
        return  # started with another environment or builder than its name says
    _Server(folder, name, command).run(root, out)
