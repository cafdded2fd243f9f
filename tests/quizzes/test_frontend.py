"""The quiz front end as the book ships it: a classic script that runs from file:// too."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from builder.quizzes.frontend import front_end, page_script

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
