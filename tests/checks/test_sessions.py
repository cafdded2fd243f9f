"""Session and theme checks: parts, lengths, sections, locales, places and the theme's values,
each reported at its line in the session or theme file."""

from __future__ import annotations

from pathlib import Path

from builder.checks.run import load_and_check
from tests.helpers import make_tree


def test_sessions_that_do_not_fit_are_reported(tmp_path: Path) -> None:
    deck = (
        "title: Buổi\nlength: 30\nlessons:\n  - bai-mot\n"
        "  - title: Giải lao\n    minutes: 10\n"
        "  - lesson: bai-mot\n    sections: [Không có]\n"
    )
    _, problems = load_and_check(make_tree(tmp_path, {"slides/decks/buoi-mot.yml": deck}))
    assert [str(p) for p in problems.sorted()] == [
        "slides/decks/buoi-mot.yml:2: [deck.length] the parts take 100 minutes (bai-mot 45,"
        " Giải lao 10, bai-mot 45) but the session is 30 minutes long; drop a lesson, teach"
        " some sections with 'minutes', or lengthen the session",
        "slides/decks/buoi-mot.yml:8: [deck.section] lesson 'bai-mot' has no section 'Không có'",
    ]


def test_parts_that_are_neither_lesson_nor_activity_are_reported(tmp_path: Path) -> None:
    deck = (
        "title: Buổi\n"
        "lessons:\n"
        "  - lesson: bai-mot\n"
        "    title: Giải lao\n"
        "  - minutes: 10\n"
        "  - title: Giải lao\n"
        "  - title: Thảo luận\n"
        "    minutes: 20\n"
        "    sections: [Phần đầu]\n"
        "    questions: 2\n"
    )
    _, problems = load_and_check(make_tree(tmp_path, {"slides/decks/buoi-mot.yml": deck}))
    assert [str(p) for p in problems.sorted()] == [
        "slides/decks/buoi-mot.yml:4: [deck.part] a part is a lesson or an activity: give"
        " 'lesson: bai-mot' or 'title: Giải lao', not both",
        "slides/decks/buoi-mot.yml:5: [deck.part] a part needs a 'lesson', or a 'title' and"
        " 'minutes' for an activity",
        "slides/decks/buoi-mot.yml:6: [deck.part] activity 'Giải lao' needs 'minutes' (how long"
        " it takes)",
        "slides/decks/buoi-mot.yml:9: [deck.part] activity 'Thảo luận' has no lesson to take"
        " 'sections' from",
        "slides/decks/buoi-mot.yml:10: [deck.part] activity 'Thảo luận' has no lesson to take"
        " 'questions' from",
    ]
    negative = "title: Buổi\nlessons:\n  - lesson: bai-mot\n    questions: -1\n"
    _, problems = load_and_check(make_tree(tmp_path, {"slides/decks/buoi-mot.yml": negative}))
    assert [str(p) for p in problems.sorted()] == [
        "slides/decks/buoi-mot.yml:4: [schema.value] part 1: 'questions' must not be negative",
    ]


def test_bad_session_and_theme_values_are_reported_at_their_line(tmp_path: Path) -> None:
    changes = {
        "slides/decks/buoi-mot.yml": (
            "title: Buổi\nmode: online-only\nstart: 8h\nlocale: xx-nope\nlessons: [bai-mot]\n"
        ),
        "slides/theme.yml": "heading_font: Comic Sans\ncolours:\n  primary: blue\n",
    }
    _, problems = load_and_check(make_tree(tmp_path, changes))
    assert [str(p) for p in problems.sorted()] == [
        "slides/decks/buoi-mot.yml:2: [schema.value] 'mode' must be one of: in-person, hybrid,"
        " online",
        "slides/decks/buoi-mot.yml:3: [schema.value] 'start' must be a time of day written HH:MM,"
        " e.g. '08:00' (in quotes)",
        "slides/theme.yml:1: [schema.value] 'heading_font' must be one of: Arial, Calibri",
        "slides/theme.yml:3: [schema.value] 'colours.primary' must be a colour written #RRGGBB,"
        " e.g. '#1F5F99' (in quotes)",
    ]


def test_theme_logo_and_locale_checks(tmp_path: Path) -> None:
    changes = {
        "slides/decks/buoi-mot.yml": (
            "title: Buổi\nlocale: xx\nprovince: Quảng Tri\nlessons: [bai-mot]\n"
        ),
        "slides/theme.yml": "logo: slides/khong-co.png\n",
    }
    _, problems = load_and_check(make_tree(tmp_path, changes))
    assert [str(p) for p in problems.sorted()] == [
        "slides/decks/buoi-mot.yml:2: [deck.locale] unknown locale 'xx' (e.g. 'vi' or 'en')",
        "slides/decks/buoi-mot.yml:3: [deck.province] no fact has place 'Quảng Tri' (warning)",
        "slides/theme.yml:1: [image.missing] logo 'slides/khong-co.png' does not exist",
        "slides/theme.yml:1: [image.alt] the logo has no 'logo_alt' text for screen readers"
        " (warning)",
    ]
