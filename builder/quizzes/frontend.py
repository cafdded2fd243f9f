"""The quiz front end as shipped: one place that reads builder/static, for the book and the widget.

Kept free of build-time libraries, so that ``builder.quiz`` (imported by every downloaded
notebook) stays light.
"""

from __future__ import annotations

import functools
import re
from importlib import resources


@functools.cache
def front_end() -> dict[str, str]:
    """The shipped quiz.js and quiz.css: the sources without their full-line comments."""
    static = resources.files("builder") / "static"
    js = (static / "quiz.js").read_text(encoding="utf-8")
    css = (static / "quiz.css").read_text(encoding="utf-8")
    return {
        "quiz.js": re.sub(r"^[ \t]*//.*\n", "", js, flags=re.M),
        "quiz.css": re.sub(r"/\*.*?\*/\n?", "", css, flags=re.S),
    }
