"""What a lesson part has time for: the questions its slides ask."""

from __future__ import annotations

from builder.render.decks import outline, selection


def test_questions_are_chosen_in_turn_from_each_quiz() -> None:
    quiz_a, quiz_b, quiz_c = object(), object(), object()
    sections = [
        outline.Section("A", 1, "A", quizzes=[quiz_a, quiz_b]),
        outline.Section("B", 5, "B", quizzes=[quiz_c]),
    ]
    placed = {id(quiz_a): ["a1", "a2", "a3"], id(quiz_b): ["b1"], id(quiz_c): ["c1", "c2"]}
    chosen = selection.chosen_questions(placed, sections, 5)
    assert chosen == {id(quiz_a): ["a1", "a2"], id(quiz_b): ["b1"], id(quiz_c): ["c1", "c2"]}
    assert selection.chosen_questions(placed, sections, 2) == {
        id(quiz_a): ["a1"],
        id(quiz_b): ["b1"],
        id(quiz_c): [],
    }
    assert sum(map(len, selection.chosen_questions(placed, sections, 99).values())) == 6
    assert sum(map(len, selection.chosen_questions(placed, sections, 0).values())) == 0
