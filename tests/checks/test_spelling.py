"""`builder spell`: hunspell with the Vietnamese dictionary and the course's word list."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from builder.checks.spelling import check_spelling, tone_variant
from tests.helpers import BASE, make_tree


def _has_vietnamese() -> bool:
    if shutil.which("hunspell") is None:
        return False
    listing = subprocess.run(["hunspell", "-D"], capture_output=True, text=True, input="")
    return "vi_VN" in listing.stdout + listing.stderr


if not _has_vietnamese():
    if os.environ.get("CI"):
        pytest.fail("CI must install hunspell and hunspell-vi (see .ci/run)", pytrace=False)
    pytest.skip("hunspell with the vi_VN dictionary is not installed", allow_module_level=True)


def messages(root: Path) -> list[str]:
    return [str(p) for p in check_spelling(root).sorted()]


def test_the_base_tree_spells_clean(tmp_path: Path) -> None:
    assert messages(make_tree(tmp_path)) == []


def test_misspelled_words_are_reported_at_their_line(tmp_path: Path) -> None:
    lesson = BASE["course/lessons/bai-mot.md"].replace(
        "## Phần đầu", "## Phần đầu\n\nĐây là chuyẻn đổi số ở {fact}`ty-le` xã, xem voso.vn."
    )
    bank = BASE["quizzes/bai-mot.yml"].replace(
        "  explanation: Hai trong ba trụ cột.",
        "  explanation: >-\n    Hai trong ba\n    trụ cộtt.",
    )
    facts = BASE["course/facts.yml"].replace("quote: đạt 98,72%", "quote: đạt 98,72% chuyên đổi")
    root = make_tree(
        tmp_path,
        {
            "course/lessons/bai-mot.md": lesson,
            "quizzes/bai-mot.yml": bank,
            "course/facts.yml": facts,
        },
    )
    found = messages(root)
    assert len(found) == 2, found
    assert found[0].startswith(
        "course/lessons/bai-mot.md:16: [spell.unknown] unknown word 'chuyẻn'"
    )
    assert found[0].endswith("fix it or add it to course/words.txt")
    # A folded answer explanation: the line of the word, not of the key.
    assert found[1].startswith("quizzes/bai-mot.yml:25: [spell.unknown] unknown word 'cộtt'")


def test_the_word_list_and_both_tone_placements_are_accepted(tmp_path: Path) -> None:
    lesson = BASE["course/lessons/bai-mot.md"].replace(
        "## Phần đầu",
        "## Phần đầu\n\nViettel và VNPT số hóa, số hoá; hòa hợp, hoà hợp; khỏe, khoẻ.",
    )
    root = make_tree(tmp_path, {"course/lessons/bai-mot.md": lesson})
    assert [m.split("]")[1].split("'")[1] for m in messages(root)] == ["Viettel", "VNPT"]
    (root / "course" / "words.txt").write_text("# names\nViettel\nvnpt\n", encoding="utf-8")
    assert messages(root) == []


def test_tone_variants() -> None:
    assert tone_variant("hóa") == "hoá"
    assert tone_variant("hoá") == "hóa"
    assert tone_variant("Thủy") == "Thuỷ"
    assert tone_variant("hoa") is None
    assert tone_variant("toàn") is None


def test_the_command_exits_2_on_unknown_words(tmp_path: Path) -> None:
    lesson = BASE["course/lessons/bai-mot.md"].replace("## Phần đầu", "## Phần đầuu")
    root = make_tree(tmp_path, {"course/lessons/bai-mot.md": lesson})
    result = subprocess.run(
        ["builder", "spell", "--root", str(root)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "course/lessons/bai-mot.md:14: [spell.unknown] unknown word 'đầuu'" in result.stdout
    assert "Traceback" not in result.stderr


def test_the_bundled_course_spells_clean() -> None:
    assert messages(Path(__file__).resolve().parents[2]) == []
