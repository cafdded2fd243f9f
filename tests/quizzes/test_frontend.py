"""The quiz front end as the book ships it: a classic script that runs from file:// too."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess

import pytest

from builder.quizzes.frontend import front_end, page_script, progress_script

PROBE = """
const vm = require("vm");
const source = require("fs").readFileSync(0, "utf8");
const window = {};
const context = vm.createContext({ window });
vm.runInContext(source, context);
const first = window.builderQuiz;
vm.runInContext(source, context);  // a second quiz on the page loads it again
console.log(JSON.stringify({
  names: Object.keys(first).sort(),
  kinds: Object.values(first).map((f) => typeof f),
  same: window.builderQuiz === first,
}));
"""


def test_the_page_script_is_the_module_as_a_classic_script() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    script = page_script()
    assert "export " not in script and "import " not in script
    assert front_end()["quiz.js"].replace("export ", "").replace("default { render };", "") in (
        script.replace("window.builderQuiz = { render, mountAll };", "")
    ), "the same code, only its exports dropped"
    done = subprocess.run(
        [node, "-e", PROBE], input=script, capture_output=True, text=True, timeout=60, check=True
    )
    found = json.loads(done.stdout)
    assert found == {"names": ["mountAll", "render"], "kinds": ["function"] * 2, "same": True}


FRONT_PAGE_PROBE = """
const vm = require("vm");
const source = require("fs").readFileSync(0, "utf8");
const context = vm.createContext({ document: { getElementById: () => null } });
vm.runInContext(source, context);
console.log("ran");
"""


def test_the_front_page_script_is_a_classic_script_apart_from_quiz_js() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    script = progress_script()
    assert "export " not in script and "import " not in script and "//" not in script
    assert 'getElementById("bq-home")' not in page_script(), "quiz pages do not carry it"
    assert len(gzip.compress(script.encode(), 9)) < 1024, "tiny"
    done = subprocess.run(
        [node, "-e", FRONT_PAGE_PROBE],
        input=script,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "ran", "a page without the progress block: nothing to do"
