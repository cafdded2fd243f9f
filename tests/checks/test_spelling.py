"""`builder spell`: hunspell with the Vietnamese dictionary and the course's word list."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.checks.spelling import HEADER, check_spelling, ranked, tone_variant
from builder.cli import main
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
    assert found[0] == (
        "course/lessons/bai-mot.md:16: [spell.unknown] unknown word 'chuyẻn' (did you mean "
        "'chuyển', 'chuyên' or 'chuyền'?); fix it, or add it to course/words.txt with "
        "'builder spell --add chuyẻn'"
    )
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


def test_an_unknown_word_is_reported_once_with_its_count_and_other_places(tmp_path: Path) -> None:
    lesson = BASE["course/lessons/bai-mot.md"].replace(
        "## Phần đầu",
        "## Phần đầu\n\nViettel giúp xã. Viettel và\nViettel.\n\nCòn Viettel nữa.",
    )
    bank = BASE["quizzes/bai-mot.yml"].replace(
        "  explanation: Hai trong ba trụ cột.",
        "  explanation: >-\n    Hai trong ba\n    trụ cột Viettel.",
    )
    root = make_tree(tmp_path, {"course/lessons/bai-mot.md": lesson, "quizzes/bai-mot.yml": bank})
    assert messages(root) == [
        "course/lessons/bai-mot.md:16: [spell.unknown] unknown word 'Viettel' (5 times; also "
        "lines 17, 19, quizzes/bai-mot.yml:25); fix it, or add it to course/words.txt with "
        "'builder spell --add Viettel'"
    ]


def test_glossary_terms_and_aliases_are_known_words(tmp_path: Path) -> None:
    lesson = BASE["course/lessons/bai-mot.md"].replace(
        "## Phần đầu", "## Phần đầu\n\nCài VNeID và Zalo, dùng Zalo OA."
    )
    root = make_tree(tmp_path, {"course/lessons/bai-mot.md": lesson})
    assert [m.split("'")[1] for m in messages(root)] == ["VNeID", "Zalo"]
    glossary = BASE["course/glossary.yml"] + (
        "- term: VNeID\n  definition: Ứng dụng định danh điện tử.\n"
        "- term: Tài khoản Zalo OA\n  aliases: [Zalo]\n  definition: Tài khoản của cơ quan.\n"
    )
    (root / "course" / "glossary.yml").write_text(glossary, encoding="utf-8")
    assert messages(root) == []


def test_suggestions_are_the_words_likely_meant() -> None:
    """Other diacritics or case first (closest in marks), one edit away, an abbreviation's
    letters reordered; never a split word, nor an abbreviation for another one."""
    hunspell = ["chuyên", "chuyền", "chuyển", "chuyến", "chuyện"]
    assert ranked("chuyẻn", hunspell) == ["chuyển", "chuyên", "chuyền"]
    assert ranked("đầuu", ["đầu", "đầu u", "đầy"]) == ["đầu"]
    assert ranked("thanhh", ["thanh", "than", "nhanh"]) == ["thanh"]
    assert ranked("UNBD", ["UBND"]) == ["UBND"]
    for word, offered in {
        "OTP": ["TP"],
        "QR": ["VIQR"],
        "VNPT": ["VN"],
        "COD": ["CO", "CON", "COI", "COM"],
        "PAPI": ["PA PI", "PA-PI", "PA"],
        "ICT": ["TIỆC"],
        "IoT": ["Toi"],
        "voso": ["vo so", "vo-so", "vo"],
        "Zalo": ["Loa"],
    }.items():
        assert ranked(word, offered) == [], word


def test_the_command_adds_words_to_the_list(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    words = root / "course" / "words.txt"

    def add(*new: str) -> str:
        result = CliRunner().invoke(main, ["spell", "--root", str(root), "--add", *new])
        assert result.exit_code == 0, result.output
        return result.output

    # A missing list is created with its header; words are NFC, once each, in Vietnamese order.
    decomposed = unicodedata.normalize("NFD", "Đắk")
    output = add("Viettel", decomposed, "Ăn", "Viettel", "Anh")
    assert output == "Added to course/words.txt: Viettel, Đắk, Ăn, Anh\n"
    assert words.read_text(encoding="utf-8") == HEADER + "Anh\nĂn\nĐắk\nViettel\n"
    # A sorted list stays sorted; what it already accepts (a lower-case entry: any case) is not
    # added again.
    words.write_text(HEADER + "anh\nĂn\nĐắk\nViettel\n", encoding="utf-8")
    output = add("Zalo", "ANH", "Bê", "viettel", "Viettel")
    assert output == (
        "Added to course/words.txt: Zalo, Bê, viettel\n"
        "Already accepted by course/words.txt: ANH, Viettel\n"
    )
    assert words.read_text(encoding="utf-8") == (
        HEADER + "anh\nĂn\nBê\nĐắk\nViettel\nviettel\nZalo\n"
    )
    # A list in an order of its own (grouped under comments) gets the words at its end.
    words.write_text("# Tên\nViettel\n# Viết tắt\nUBND\n", encoding="utf-8")
    add("Zalo", "CĐS")
    assert words.read_text(encoding="utf-8") == "# Tên\nViettel\n# Viết tắt\nUBND\nZalo\nCĐS\n"
    assert messages(root) == []


def test_adding_needs_words_of_letters(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    for args in (["--add", "e-mail"], ["--add", "4G"], ["--add"], ["Viettel"]):
        result = CliRunner().invoke(main, ["spell", "--root", str(root), *args])
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
    assert not (root / "course" / "words.txt").exists()
