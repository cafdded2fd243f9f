"""``builder serve``: build, serve the book on the loopback address, rebuild on every saved
change and reload the open pages.

The server serves ``<out>/book`` and looks each file up again at each request, so a build that
swaps a new output in (``builder.publish``) is served from its first request on, and a failed
build leaves the last good site served. HTML pages get one script more as they are sent (the
built files stay as built): it listens to ``/__builder__/events`` (Server-Sent Events) and
reloads the page when a build succeeds, or shows the failed build's problems over the page.
Rebuilds are incremental (``builder.cache``) and run in this process, which keeps the
libraries and the rendered drawings loaded between them.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import http.server
import json
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import click

from builder.commands import options
from builder.commands.build import BOOK, DECKS, NOTEBOOKS, BuildFailed, build
from builder.course.load import DECKS_DIR, LESSONS_DIR
from builder.problems import Problems

EVENTS = "/__builder__/events"
SCRIPT = "/__builder__/serve.js"
WATCHED = ("course", "quizzes", "slides")
DEBOUNCE_MS = 100  # a save often writes a file in several steps
WAITING = b"""<!doctype html><html><head><meta charset="utf-8"><title>builder serve</title>
</head><body><p>Waiting for a build that succeeds&hellip;</p></body></html>"""
KEEPALIVE = 15.0  # seconds between comments on an idle event stream (proxies close silent ones)


@dataclass
class State:
    """The last build, as the pages hear of it: its number (a page reloads when it changes),
    whether it succeeded, and the problems to show when it did not."""

    build: int = 0
    ok: bool = True
    problems: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, ok: bool, problems: Problems) -> None:
        """A build ended: pages reload after a success, show the problems after a failure."""
        with self.changed:
            if ok:
                self.build += 1
            self.ok = ok
            self.problems = [str(p) for p in problems.sorted()]
            self.changed.notify_all()

    def message(self) -> bytes:
        """The state as one event of the stream."""
        data = json.dumps({"build": self.build, "ok": self.ok, "problems": self.problems})
        return f"data: {data}\n\n".encode()


class Handler(http.server.SimpleHTTPRequestHandler):
    """Files of the book, HTML with the reload script, and the event stream."""

    state: State
    script: bytes

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path.split("?", 1)[0]
        if path == EVENTS:
            self._events()
        elif path == SCRIPT:
            self._send(self.script, "text/javascript; charset=utf-8")
        else:
            super().do_GET()

    def send_head(self):  # noqa: ANN201 - http.server's contract: a file object or None
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not Path(self.directory).is_dir() and self.path.split("?", 1)[0] in ("/", "/index.html"):
            path = None  # no good build yet: a page that waits for one
        if path is None:
            page = WAITING
        elif path.suffix != ".html" or not path.is_file():
            return super().send_head()
        elif not self.path.split("?", 1)[0].endswith((".html", "/")):
            return super().send_head()  # lets http.server redirect 'folder' to 'folder/'
        else:
            try:
                page = path.read_bytes()
            except OSError:
                return super().send_head()
        tag = f'<script src="{SCRIPT}"></script>'.encode()
        at = page.rfind(b"</body>")
        page = page[:at] + tag + page[at:] if at >= 0 else page + tag
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        return _Bytes(page)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a reload gets the rebuilt file
        super().end_headers()

    def _send(self, data: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        state = self.state
        try:  # written outside the lock: a slow page must not hold up the next build
            with state.changed:
                sent, data = (state.build, state.ok, state.problems), state.message()
            self.wfile.write(data)
            self.wfile.flush()
            while not getattr(self.server, "closing", False):
                with state.changed:
                    state.changed.wait(KEEPALIVE)
                    now = (state.build, state.ok, state.problems)
                    data = state.message() if now != sent else b": still here\n\n"
                    sent = now
                self.wfile.write(data)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's
        pass  # the terminal shows builds, not requests


class _Bytes:
    """A page in memory, read as http.server reads a file."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = (self.data, b"") if size < 0 else (self.data[:size], self.data[size:])
        return data

    def close(self) -> None:
        self.data = b""


class Server(http.server.ThreadingHTTPServer):
    """A threading server whose open event streams end when it closes."""

    daemon_threads = True
    closing = False

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        """A browser that went away mid-answer (a reload, a closed tab) is not an error to
        print; anything else is, as http.server prints it."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def server(out: Path, state: State, port: int) -> Server:
    """A server of ``out/book`` on 127.0.0.1:``port`` (0: any free port); raises ``OSError``
    when the port is taken."""
    script = resources.files("builder").joinpath("templates/serve.js").read_bytes()
    handler = type("BookHandler", (Handler,), {"state": state, "script": script})
    return Server(("127.0.0.1", port), functools.partial(handler, directory=str(out / "book")))


def watched(root: Path) -> list[Path]:
    """The folders of the course tree a build reads."""
    return [root / name for name in WATCHED if (root / name).is_dir()]


def rebuild(
    root: Path,
    out: Path,
    strict: bool,
    state: State,
    report: Callable[[str], None],
    whole: bool = False,
) -> bool:
    """Build the site (the notebooks and the book) and tell the pages, then the decks (or,
    ``whole``, everything at once: at start, when the output may be up to date already);
    False when a build failed (its problems are printed and shown on the pages)."""
    start = time.perf_counter()
    made: list[str] = []
    for parts in ((NOTEBOOKS, BOOK, DECKS),) if whole else ((NOTEBOOKS, BOOK), (DECKS,)):
        try:
            built = build(root, out, strict=strict, parts=parts)
        except BuildFailed as failed:
            for problem in failed.problems.sorted():
                report(str(problem))
            report(f"The build failed; {out} still holds the last good build. Fix and save.")
            state.publish(False, failed.problems)
            return False
        made += built.made
        if BOOK in parts:
            for problem in built.problems.sorted():
                report(str(problem))
            state.publish(True, built.problems)  # the pages reload while the decks are made
    made_text = ", ".join(made) if made else "nothing (no change)"
    report(f"Built in {time.perf_counter() - start:.1f} s: made {made_text}")
    return True


def changes(root: Path, stop: threading.Event) -> Iterator[set[str]]:
    """The paths (relative to ``root``) of each burst of saved changes, until ``stop``."""
    import watchfiles  # noqa: PLC0415 - only serve watches

    for batch in watchfiles.watch(
        *watched(root), debounce=DEBOUNCE_MS, step=50, stop_event=stop, raise_interrupt=False
    ):
        yield {_relative(root, path) for _, path in batch}


def _relative(root: Path, path: str) -> str:
    with contextlib.suppress(ValueError):
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    return path


def kinds(paths: set[str], root: Path) -> str:
    """A few words on what was saved, for the terminal: lessons and sessions first, and only
    files that are there (an editor's temporary file, written and renamed over the lesson
    within the burst, is not named) unless none is (a file deleted)."""
    paths = {p for p in paths if (root / p).exists()} or paths
    lessons = sorted(p for p in paths if p.startswith(f"{LESSONS_DIR}/"))
    decks = sorted(p for p in paths if p.startswith(f"{DECKS_DIR}/"))
    named = [*lessons, *decks] or sorted(paths)
    return ", ".join(named[:3]) + (f" and {len(named) - 3} more" if len(named) > 3 else "")


def run(root: Path, out: Path, port: int, strict: bool, report: Callable[[str], None]) -> None:
    """Build, serve, and rebuild on each saved change until interrupted (Ctrl+C); raises
    ``OSError`` when the port is taken. A first Ctrl+C lets a build under way finish (so it
    leaves no half-written stage beside the output) and stops; a second stops at once."""
    state = State()
    httpd = server(out, state, port)
    thread = threading.Thread(target=httpd.serve_forever, name="builder-serve", daemon=True)
    thread.start()
    stop = threading.Event()

    def interrupt(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        report("Stopping… (Ctrl+C again to stop at once)")

    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, interrupt) if main else None
    try:
        rebuild(root, out, strict, state, report, whole=True)
        if not stop.is_set():
            report(f"Serving http://127.0.0.1:{httpd.server_address[1]}/ (Ctrl+C to stop)")
        for paths in changes(root, stop) if not stop.is_set() else ():
            report(f"Saved: {kinds(paths, root)}")
            rebuild(root, out, strict, state, report)
            if stop.is_set():
                break
    except KeyboardInterrupt:
        pass
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)
        stop.set()
        httpd.closing = True
        with state.changed:
            state.changed.notify_all()
        httpd.shutdown()
        httpd.server_close()


@click.command(name="serve")
@options.root()
@options.out()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def serve(root: Path, out: Path | None, port: int, strict: bool) -> None:
    """Build the course, serve the book at http://127.0.0.1:PORT/ and rebuild when a file of
    course/, quizzes/ or slides/ is saved: the open pages reload, or show the problems of a
    broken edit over the last good page (the terminal prints them too). Only what the change
    touches is made again; the decks follow the pages. Ctrl+C stops.

    \b
    Example:
      builder serve --port 8001
    """
    out = out if out is not None else root / "_build"

    def report(line: str) -> None:
        click.echo(line)

    try:
        run(root, out, port, strict, report)
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            message = f"127.0.0.1:{port}: {exc.strerror}; choose another port: --port {port + 1}"
        else:
            message = f"Could not write the output in {out}: {exc.strerror or exc}"
        click.echo(message, err=True)
        sys.exit(2)
