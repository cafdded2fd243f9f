"""A lesson notebook as a learner meets it: downloaded from the built book, opened in a real
JupyterLab and Notebook 7 (a server of this environment, driven by Chromium), read before
anything runs, run, answered, restarted, reloaded; then a trainer reads the answers."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.checks.run import load_and_check
from builder.quizzes import client, placement
from tests.conftest import REPO

pytestmark = [pytest.mark.slow, pytest.mark.browser]

LESSON = "chuyen-doi-so-la-gi"
TOKEN = "builder-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyter(bundled: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Jupyter server (JupyterLab and Notebook 7) over a folder holding the notebook the book
    offers for download, with settings and workspaces of its own."""
    if importlib.util.find_spec("jupyterlab") is None:
        if os.environ.get("CI"):
            raise RuntimeError("CI must install JupyterLab (the test extras)")
        pytest.skip("JupyterLab is not installed (pip install -e '.[test]')")
    home = tmp_path_factory.mktemp("jupyter")
    root = home / "work"
    root.mkdir()
    shutil.copy(bundled / "book" / "notebooks" / f"{LESSON}.ipynb", root)
    # Every cell drawn at once (no windowing), so the page holds the whole notebook to read.
    tracker = (
        home / "settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    )
    tracker.parent.mkdir(parents=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}))
    port = _free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
    }
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
        f"--port={port}", "--ServerApp.port_retries=0", f"--ServerApp.token={TOKEN}",
        f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
        "--JupyterNotebookApp.expose_app_in_browser=True",
    ]  # fmt: skip
    log = (home / "server.log").open("wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=5)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((home / "server.log").read_text()) from None
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


# Run every cell once the kernel is ready: a run asked for while it is still starting can be
# dropped (seen in a busy fresh-clone run, the status bar still saying "Initializing").
RUN_ALL = """async () => {
  const context = window.jupyterapp.shell.currentWidget.sessionContext;
  await context.ready;
  const until = Date.now() + 120000;
  while (context.session?.kernel?.status !== "idle" && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await window.jupyterapp.commands.execute("notebook:run-all-cells");
}"""
PYTHON = """async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const future = kernel.requestExecute({ code });
  let out = "";
  future.onIOPub = (m) => { if (m.header.msg_type === "stream") out += m.content.text; };
  await future.done;
  return out;
}"""
RESTART = """async () => {
  const context = window.jupyterapp.shell.currentWidget.sessionContext;
  await context.session.kernel.restart();
}"""


def _quiz_state(page) -> str:  # noqa: ANN001
    return page.evaluate(
        "() => [...document.querySelectorAll('.bq-q')].map(f => f.className).join(' ')"
    )


def _open(page, url: str) -> None:  # noqa: ANN001
    page.goto(url)
    page.wait_for_selector(".jp-Notebook .jp-MarkdownCell .jp-RenderedMarkdown")
    page.wait_for_function("() => window.jupyterapp !== undefined")


@pytest.mark.parametrize("front_end", ["lab", "notebooks"])
def test_a_learner_reads_runs_answers_restarts_and_reloads(
    jupyter: str, browser, tmp_path: Path, front_end: str
) -> None:
    course, _ = load_and_check(REPO)
    assert course is not None
    placed = placement.placements(course, course.lessons[LESSON])
    first = course.questions[placed[0].ids[0]]
    assert first.type == "single"
    right = next(
        c
        for c in client.client_question(course, first)["choices"]
        if c["id"] == client.client_question(course, first)["key"]
    )

    page = browser.new_page(viewport={"width": 1000, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(e.stack or str(e)))
    prefix = "lab/tree" if front_end == "lab" else "notebooks"
    url = f"{jupyter}/{prefix}/{LESSON}.ipynb?token={TOKEN}&reset"
    _open(page, url)

    # Read before running: Jupyter's Markdown, no MyST, pictures shown, no answer on screen.
    notebook = page.locator(".jp-Notebook").first
    # Rendered: the header's objectives box, and every picture loaded (a long notebook takes
    # a while; an empty list of pictures is not "every picture loaded").
    page.wait_for_function(
        "() => { const imgs = [...document.querySelectorAll('.jp-RenderedMarkdown img')];"
        " const boxes = document.querySelectorAll('.jp-RenderedMarkdown blockquote > p > strong');"
        " return imgs.length >= 2 && imgs.every(i => i.complete && i.naturalWidth > 0)"
        " && [...boxes].some(b => b.textContent === 'Mục tiêu'); }",
        timeout=120_000,
    )
    shown = notebook.inner_text()
    for myst in ("{admonition}", ":class:", "{fact}", "{term}", "```"):
        assert myst not in shown, myst
    boxes = page.locator(".jp-RenderedMarkdown blockquote > p > strong")
    assert boxes.get_by_text("Mục tiêu", exact=True).count() == 1
    assert page.locator(".jp-RenderedMarkdown img").count() >= 2, "the drawing and a chart"
    assert "Nguồn:" in shown and "%pip install khoahocso" in shown
    assert "register(" not in shown and "show(" not in shown, "question code is collapsed"
    assert '"explanation"' not in shown and '"feedback"' not in shown, "the payload is collapsed"
    for question_id in (i for p in placed for i in p.ids):
        assert question_id not in shown, "the quiz cells' code is collapsed"
    page.screenshot(path=str(tmp_path / f"{front_end}-before.png"), full_page=False)

    # Run all; answer the first question right.
    page.evaluate(RUN_ALL)
    page.wait_for_function(f"() => document.querySelectorAll('.bq-quiz').length == {len(placed)}")
    question = page.locator(f'.bq-q[data-q="{first.id}"]')
    question.get_by_label(client.strip_markdown(right["text"])).check()
    question.get_by_role("button", name="Kiểm tra").click()
    question.get_by_text("Chính xác.").wait_for()
    said = json.loads(page.evaluate(PYTHON, "import json; print(json.dumps(quiz_1.answers))"))
    assert said[first.id]["response"] == right["id"] and said[first.id]["right"] is True

    # Restart the kernel and run again: the answer comes back, to the page and to Python.
    page.evaluate(RESTART)
    page.evaluate(RUN_ALL)
    page.wait_for_function(f"() => document.querySelectorAll('.bq-quiz').length == {len(placed)}")
    page.locator(f'.bq-q[data-q="{first.id}"]').get_by_text("Chính xác.").wait_for()
    script = "import json, builder.quiz; print(json.dumps(builder.quiz.answers()))"
    assert first.id in json.loads(page.evaluate(PYTHON, script))

    # Reload the page, then run all as the notebook says: the answer is there.
    page.reload()
    _open(page, page.url)
    page.evaluate(RUN_ALL)
    page.wait_for_function(f"() => document.querySelectorAll('.bq-quiz').length == {len(placed)}")
    page.locator(f'.bq-q[data-q="{first.id}"]').get_by_text("Chính xác.").wait_for()
    score = json.loads(
        page.evaluate(PYTHON, "import json, builder.quiz; print(json.dumps(builder.quiz.score()))")
    )
    assert score[0] >= 1 and score[1] == sum(len(p.ids) for p in placed)
    page.screenshot(path=str(tmp_path / f"{front_end}-after.png"), full_page=False)
    assert "bq-ok" in _quiz_state(page)
    # Notebook 7 itself throws two errors on load (its settings, a file browser command);
    # none may come from anything but Jupyter's own bundles.
    assert [e for e in errors if "/static/" not in e] == [], errors
    page.close()
