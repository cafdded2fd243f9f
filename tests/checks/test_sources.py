"""`builder check --sources DIR`: quotes and values of facts checked against the source texts."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from click.testing import CliRunner

from builder.checks.run import load_and_check
from builder.checks.sources import SOURCES_DIR, verify_sources
from builder.cli import main
from tests.conftest import REPO
from tests.helpers import BASE, make_tree

SEEDS = REPO.parent / "shared" / "seeds"
SOURCE_TEXT = (
    "Ngày 6/10/2022, tỉnh tổng kết. Tỷ lệ ký số đạt 98,72%; có 14.478 thành viên tổ công nghệ số"
    " và trên 2,8 triệu lượt văn bản.\n"
)


def run(tmp_path: Path, changes: dict | None = None, text: str = SOURCE_TEXT) -> list[str]:
    root = make_tree(tmp_path / "src", changes)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(text, encoding="utf-8")
    course, problems = load_and_check(root)
    assert course is not None and not problems.errors(), problems.sorted()
    return [str(p) for p in verify_sources(course, seeds).sorted()]


def test_quotes_and_values_found_in_the_source(tmp_path: Path) -> None:
    assert run(tmp_path) == []


def test_source_saved_with_decomposed_diacritics_still_matches(tmp_path: Path) -> None:
    assert run(tmp_path, text=unicodedata.normalize("NFD", SOURCE_TEXT)) == []


def test_a_quote_not_in_the_source_and_a_value_not_in_the_quote(tmp_path: Path) -> None:
    facts = BASE["course/facts.yml"].replace("value: 98.72", "value: 98.7")
    facts = facts.replace("quote: 14.478 thành viên", "quote: 14.487 thành viên")
    facts += (
        "- id: van-ban\n  label: Văn bản\n  value: 2800000\n  source: nguon-a\n"
        "  quote: trên 2,8 triệu lượt văn bản\n"
        "- id: sai-ngay\n  label: Ngày\n  value: 2022-10-07\n  source: nguon-a\n"
        "  quote: Ngày 6/10/2022\n"
    )
    assert run(tmp_path, {"course/facts.yml": facts}) == [
        "course/facts.yml:3: [fact.value] the value 98.7 of fact 'ty-le' is not stated in its "
        "quote 'đạt 98,72%'",
        "course/facts.yml:9: [fact.value] the value 14478 of fact 'so-to' is not stated in its "
        "quote '14.487 thành viên'",
        "course/facts.yml:12: [fact.quote] the quote of fact 'so-to' is not in a.txt: "
        "'14.487 thành viên'",
        "course/facts.yml:25: [fact.value] the value 2022-10-07 of fact 'sai-ngay' is not stated "
        "in its quote 'Ngày 6/10/2022'",
    ]


def test_a_missing_source_file(tmp_path: Path) -> None:
    sources = BASE["course/sources.yml"].replace("file: a.txt", "file: b.txt")
    assert run(tmp_path, {"course/sources.yml": sources}) == [
        f"course/sources.yml:5: [source.file] source file 'b.txt' is not in {tmp_path / 'seeds'}"
    ]


def test_the_bundled_course_matches_the_texts_it_ships() -> None:
    """`builder check --sources` reads course/sources/ by default; the texts there are the
    articles as saved (../shared/seeds, when it is beside the repository)."""
    result = CliRunner().invoke(main, ["check", "--strict", "--root", str(REPO), "--sources"])
    assert result.exit_code == 0, result.output
    assert result.output.endswith(
        "0 error(s), 0 warning(s)\n84 fact(s) checked against 5 source(s): all found\n"
    )
    shipped = {p.name: p.read_bytes() for p in (REPO / SOURCES_DIR).glob("*.txt")}
    assert len(shipped) == 5
    if SEEDS.is_dir():
        assert sorted(shipped.values()) == sorted(p.read_bytes() for p in SEEDS.glob("*.txt"))


def test_a_missing_sources_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["check", "--root", str(make_tree(tmp_path / "src")), "--sources"]
    )
    assert result.exit_code == 2 and "no folder" in result.output
    assert "Traceback" not in result.output


def test_the_command_ends_with_what_it_checked(tmp_path: Path) -> None:
    """A summary line after the problems: facts checked, sources read, how many not found;
    facts whose source text is missing are counted apart. In Vietnamese too."""
    root = make_tree(tmp_path / "src")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(SOURCE_TEXT, encoding="utf-8")

    def check(env: dict | None = None) -> list[str]:
        args = ["check", "--root", str(root), "--sources", str(seeds)]
        return CliRunner().invoke(main, args, env=env).output.splitlines()

    assert check()[-1] == "3 fact(s) checked against 1 source(s): all found"
    facts = BASE["course/facts.yml"].replace("value: 98.72", "value: 98.7")
    facts = facts.replace("quote: 14.478 thành viên", "quote: 14.487 thành viên")
    (root / "course" / "facts.yml").write_text(facts, encoding="utf-8")
    lines = check()
    assert [line.split(" [")[1].split("]")[0] for line in lines[:-2]] == [
        "fact.value",
        "fact.value",
        "fact.quote",
    ]
    assert lines[-2:] == [
        "3 error(s), 0 warning(s)",
        "3 fact(s) checked against 1 source(s): 2 not found",
    ]
    assert check({"LANGUAGE": "vi"})[-1] == (
        "Đã đối chiếu 3 số liệu với 1 nguồn: 2 số liệu không tìm thấy"
    )
    sources = BASE["course/sources.yml"] + ("- id: nguon-b\n  title: Bài báo B\n  file: b.txt\n")
    (root / "course" / "sources.yml").write_text(sources, encoding="utf-8")
    (root / "course" / "facts.yml").write_text(
        BASE["course/facts.yml"]
        + "- id: tu-b\n  label: Từ B\n  value: 5\n  source: nguon-b\n  quote: 5 xã\n",
        encoding="utf-8",
    )
    assert check()[-1] == (
        "3 fact(s) checked against 1 source(s): all found; 1 fact(s) not checked, their source "
        "text is missing"
    )
