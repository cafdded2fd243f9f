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


QUIZ = {
    "decimal": ",",
    "questions": [
        {"id": "hai", "type": "single", "answer": ["b"], "choices": [{"id": "a"}, {"id": "b"}]},
        {"id": "so", "type": "numeric", "answer": {"min": "3", "max": "3", "text": "3"}},
    ],
}


def test_after_try_again_a_question_holds_only_its_tries_and_is_unanswered() -> None:
    from builder.quizzes.widget import Quiz

    quiz = Quiz(QUIZ, answers={"hai": {"response": "b", "tries": 1, "revealed": False}})
    assert quiz.score == 1
    quiz.answers = {"hai": {"tries": 1}}  # what the front end saves on "Try again"
    assert quiz.score == 0
    assert quiz.results() == {"hai": "unanswered", "so": "unanswered"}
    quiz.answer("hai", "a")
    assert quiz.answers["hai"] == {"response": "a", "tries": 2, "revealed": False, "right": False}


def test_the_score_is_graded_again_not_read_from_the_saved_verdict() -> None:
    from builder.quizzes.widget import Quiz

    forged = {"so": {"response": "4", "tries": 1, "revealed": False, "right": True}}
    quiz = Quiz(QUIZ, answers=forged)
    assert quiz.score == 0 and quiz.results()["so"] == "wrong"
    quiz.answer("so", "3")
    assert quiz.score == 1 and quiz.answers["so"]["right"] is True
    quiz.answers = {}  # "Start this quiz again"
    assert quiz.score == 0 and set(quiz.results().values()) == {"unanswered"}


def test_where_the_widget_cannot_show_it_says_so_in_the_course_language() -> None:
    """Front ends without the widget (or a page not reloaded since the package was installed)
    show the questions and what to do, never an object's repr, and no answer."""
    from builder.quizzes.widget import Quiz

    questions = [
        {**q, "prompt": f"Câu **{q['id']}** [98,72%](sources.html#x)?"} for q in QUIZ["questions"]
    ]
    quiz = Quiz({**QUIZ, "questions": questions, "lang": "vi", "title": "Ôn tập"})
    bundle = quiz._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].splitlines() == [
        "Ôn tập",
        "1. Câu hai 98,72%?",
        "2. Câu so 98,72%?",
        "Câu hỏi chưa hiện được: hãy tải lại trang (F5) rồi chạy lại ô này.",
    ]
    assert "<li>" in bundle["text/html"] and "object at 0x" not in str(bundle)
