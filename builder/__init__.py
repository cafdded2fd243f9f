"""Course builder: MyST lessons, facts and quizzes to an offline book, notebooks and decks."""

from __future__ import annotations

__version__ = "0.1.0"
