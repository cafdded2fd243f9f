"""The live quiz module every downloaded notebook imports."""

from __future__ import annotations

import subprocess
import sys


def loaded_by(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    return set(
        subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=120
        ).stdout.split()
    )


def test_the_widget_module_a_notebook_imports_is_light() -> None:
    loaded = loaded_by("import builder.quiz")
    heavy = {"sphinx", "docutils", "pptx", "ruamel", "myst_parser", "markdown_it", "PIL", "lxml"}
    heavy |= {"nbformat", "jupyter_book", "myst_nb", "resvg_py", "click", "rich"}
    assert heavy & {m.split(".")[0] for m in loaded} == set()
    ours = {m for m in loaded if m.startswith("builder")}
    assert ours == {
        "builder",
        "builder.quiz",
        "builder.quizzes",
        "builder.quizzes.widget",
        "builder.quizzes.grading",
        "builder.quizzes.frontend",
        "builder.i18n",
        "builder.i18n.vietnamese",
    }, "the widget loads nothing of the build"
