"""Course builder: MyST lessons, facts and quizzes to an offline book, notebooks and decks."""

from __future__ import annotations

__version__ = "0.1.0"
# The name on the package index (the import name stays ``builder``, which is taken there):
# what a lesson notebook tells learners to install.
DISTRIBUTION = "khoahocso"
