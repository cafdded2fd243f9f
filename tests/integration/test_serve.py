"""`builder serve` as an author uses it: the page served on loopback, reloaded after a saved
edit, the problems of a broken edit over the last good page, and Ctrl+C."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from builder.commands.serve import kinds
from tests.helpers import make_tree
from tests.integration.conftest import WAIT_MS

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SERVING = re.compile(r"Serving (http://127\.0\.0\.1:\d+/)")


class Served:
    """A `builder serve` process and the lines it prints."""

    def __init__(self, root: Path, out: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "builder", "serve", "--root", str(root), "--out", str(out),
             "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "LANG": "C.UTF-8"},
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def stop(self) -> int:
        """Ctrl+C, as in the terminal; the exit status."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=60)
        self.reader.join(timeout=60)
        assert self.process.stdout is not None
        self.process.stdout.close()
        return code

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, seconds: float = WAIT_MS / 1000) -> re.Match[str]:
        """The first line from now on that matches ``pattern``."""
        while True:
            try:
                line = self.lines.get(timeout=seconds)
            except queue.Empty:
                raise AssertionError(f"no line matched {pattern!r}; printed: {self.seen}") from None
            self.seen.append(line)
            if found := re.search(pattern, line):
                return found


def test_serve_reloads_after_an_edit_and_shows_a_broken_edit(tmp_path: Path, browser) -> None:  # noqa: ANN001
    root = make_tree(tmp_path / "tree")
    lesson = root / "course" / "lessons" / "bai-mot.md"
    served = Served(root, tmp_path / "out")
    try:
        url = served.wait_for(SERVING.pattern).group(1)
        with urllib.request.urlopen(url + "bai-mot.html", timeout=60) as response:  # noqa: S310
            html = response.read().decode()
        assert '<script src="/__builder__/serve.js"></script>' in html
        assert "serve.js" not in (tmp_path / "out" / "book" / "bai-mot.html").read_text()

        page = browser.new_page()
        page.goto(url + "bai-mot.html")
        page.wait_for_function("() => typeof EventSource === 'function'")
        text = lesson.read_text(encoding="utf-8")
        lesson.write_text(text.replace("## Phần đầu", "## Phần mở đầu đã sửa"), encoding="utf-8")
        served.wait_for(r"Built in [\d.]+ s: made .*bai-mot")
        page.wait_for_function("() => document.body.innerText.includes('Phần mở đầu đã sửa')")

        broken = lesson.read_text(encoding="utf-8").replace(
            "## Phần mở đầu đã sửa", "## Phần mở đầu đã sửa\n\nCó {fact}`khong-co` tổ."
        )
        lesson.write_text(broken, encoding="utf-8")
        served.wait_for(r"course/lessons/bai-mot\.md:\d+: \[ref\.unknown-fact\]")
        served.wait_for("The build failed")
        overlay = page.locator("#builder-serve-problems")
        overlay.wait_for(state="visible")
        assert "course/lessons/bai-mot.md:" in overlay.inner_text()
        assert "[ref.unknown-fact]" in overlay.inner_text()
        assert "Phần mở đầu đã sửa" in page.inner_text("main")  # the last good page stays

        lesson.write_text(text.replace("## Phần đầu", "## Phần đầu đã sửa lại"), encoding="utf-8")
        page.wait_for_function("() => document.body.innerText.includes('Phần đầu đã sửa lại')")
        assert page.locator("#builder-serve-problems").count() == 0
        page.close()
        # Ctrl+C while a build runs: the build finishes, then the server stops.
        lesson.write_text(text + "\nMột câu cuối.\n", encoding="utf-8")
        served.wait_for(r"^Saved: course/lessons/bai-mot\.md")
    finally:
        code = served.stop()
    while not served.lines.empty():
        served.seen.append(served.lines.get())
    assert code == 0, served.seen
    assert served.seen[-1] != "", served.seen
    assert "Traceback" not in "\n".join(served.seen), "\n".join(served.seen)
    said = "\n".join(served.seen)
    assert "Stopping… (Ctrl+C again to stop at once)" in said
    assert said.rindex("Built in") > said.rindex("Saved:")  # the build under way finished
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")]
    assert leftovers == []


def test_a_taken_port_is_a_clear_message(tmp_path: Path) -> None:
    import socket  # noqa: PLC0415

    from click.testing import CliRunner  # noqa: PLC0415

    from builder.cli import main  # noqa: PLC0415

    root = make_tree(tmp_path / "tree")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            main, ["serve", "--root", str(root), "--port", str(port)], catch_exceptions=False
        )
    assert result.exit_code == 2
    assert f"127.0.0.1:{port}: " in result.output and f"--port {port + 1}" in result.output
    assert not (root / "_build").exists()  # nothing built for a server that cannot start


def test_a_browser_gone_mid_answer_prints_no_traceback(capsys: pytest.CaptureFixture) -> None:
    """A reload or a closed tab while a page is sent breaks the pipe: nothing for the author
    to read; any other error in a request is still printed."""
    from builder.commands import serve  # noqa: PLC0415

    server = serve.Server.__new__(serve.Server)  # no socket needed
    for gone in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset")):
        try:
            raise gone
        except ConnectionError:
            server.handle_error(None, ("127.0.0.1", 50000))
    assert capsys.readouterr().err == ""
    try:
        raise ValueError("something else")
    except ValueError:
        server.handle_error(None, ("127.0.0.1", 50000))
    assert "ValueError: something else" in capsys.readouterr().err


def test_the_terminal_names_the_files_saved_not_an_editors_temporary_ones(tmp_path: Path) -> None:
    lesson = tmp_path / "course/lessons/bai-mot.md"
    lesson.parent.mkdir(parents=True)
    lesson.write_text("x", encoding="utf-8")
    # sed -i writes course/lessons/sedbOhgIB and renames it over the lesson
    saved = {"course/lessons/bai-mot.md", "course/lessons/sedbOhgIB"}
    assert kinds(saved, tmp_path) == "course/lessons/bai-mot.md"
    lesson.unlink()  # a lesson deleted is still named
    assert kinds({"course/lessons/bai-mot.md"}, tmp_path) == "course/lessons/bai-mot.md"
