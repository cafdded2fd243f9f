"""Quizzes: what a bank's questions mean, where lessons place them, the client form both the
book and the live widget read, grading, and the widget itself.

Kept light: ``builder.quiz`` (imported by every downloaded notebook) loads this package, so
nothing here imports at package level.
"""
