"""The live quiz of a lesson notebook, under the name published notebooks import: the first
code cell calls ``register(...)`` with the lesson's questions, each quiz cell ``show("id", ...)``.

The widget itself is ``builder.quizzes.widget``; this name stays as notebooks already use it.
"""

from builder.quizzes.widget import Quiz, register, show

__all__ = ["Quiz", "register", "show"]
