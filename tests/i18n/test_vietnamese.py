"""The one accent folding, as the glossary anchors and the grader use it."""

from __future__ import annotations

import unicodedata

from builder.course.glossary import slug
from builder.i18n import vietnamese
from builder.quizzes.grading import normalize_text


def test_fold_drops_every_vietnamese_mark_and_reads_d_for_dd() -> None:
    assert vietnamese.fold("Chữ ký số Đồng Nai, đường") == "Chu ky so Dong Nai, duong"
    decomposed = unicodedata.normalize("NFD", "Quảng Trị")
    assert vietnamese.fold(decomposed) == "Quang Tri"


def test_anchors_and_answers_fold_the_same_way() -> None:
    assert slug("Chuyển đổi số") == "chuyen-doi-so"
    assert normalize_text("Chuyển  Đổi số", ignore_accents=True) == "chuyen doi so"
