"""The quiz front end as shipped: one place that reads builder/static, for the book and the widget.

Kept free of build-time libraries, so that ``builder.quiz`` (imported by every downloaded
notebook) stays light.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

PAGE_SCRIPT = "bq.js"  # the book's copy: a classic script, so that it runs from file:// too
PROGRESS_SCRIPT = "progress.js"  # the front page's: each lesson's progress, and a reset
SCORM_SCRIPT = "scorm.js"  # a SCORM package's launch pages' (builder.export.scorm)


@functools.cache
def front_end() -> dict[str, str]:
    """The shipped quiz.js and quiz.css: the sources without their full-line comments."""
    static = resources.files("builder") / "static"
    js = (static / "quiz.js").read_text(encoding="utf-8")
    css = (static / "quiz.css").read_text(encoding="utf-8")
    return {
        "quiz.js": _js(js),
        "quiz.css": re.sub(r"/\*.*?\*/\n?", "", css, flags=re.S),
    }


def _js(source: str) -> str:
    """A script without its full-line comments."""
    return re.sub(r"^[ \t]*//.*\n", "", source, flags=re.M)


@functools.cache
def progress_script() -> str:
    """The book's front page script (``builder/static/progress.js``): each lesson's progress
    from the answers quiz.js keeps in the learner's browser, and the button that clears them.
    A classic script, kept apart from quiz.js: only the front page loads it."""
    static = resources.files("builder") / "static"
    return _js((static / PROGRESS_SCRIPT).read_text(encoding="utf-8"))


@functools.cache
def page_script() -> str:
    """quiz.js as a classic script for the book's pages: browsers refuse to import an ES module
    from a page opened as a file, and a classic script placed after a quiz runs as soon as it
    arrives, before the theme's deferred scripts. It defines ``window.builderQuiz`` once
    (``render`` and ``mountAll``), however many quizzes load it."""
    module = front_end()["quiz.js"]
    body = re.sub(r"^export default .*\n?", "", module, flags=re.M)
    body = re.sub(r"^export ", "", body, flags=re.M)
    return (
        '(function () {\n"use strict";\nif (window.builderQuiz) return;\n'
        + body
        + "window.builderQuiz = { render, mountAll };\n})();\n"
    )


@functools.cache
def scorm_script() -> str:
    """The launch script of a SCORM package's SCOs (``builder/static/scorm.js``): it reports
    what quiz.js keeps to the LMS. A classic script, apart from quiz.js: only a package's
    launch pages load it."""
    static = resources.files("builder") / "static"
    return _js((static / SCORM_SCRIPT).read_text(encoding="utf-8"))
