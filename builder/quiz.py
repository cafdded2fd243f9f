"""The live quiz of a lesson notebook, under the name published notebooks import: the questions
cell calls ``register(...)`` with the lesson's questions, each quiz cell ``quiz_<n> = show(...)``.

For a trainer, after the learner has answered: ``quiz_1.answers``, ``quiz_1.score`` and
``quiz_1.results()`` for one quiz; ``answers()``, ``results()`` and ``score()`` for every quiz
shown in the kernel.

The widget itself is ``builder.quizzes.widget``; this name stays as notebooks already use it.
"""

from builder.quizzes.widget import Quiz, answers, register, results, score, show

__all__ = ["Quiz", "answers", "register", "results", "score", "show"]
