"""The CLI driven in-process, as a user would run it."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder import __version__
from builder.cli import main
from tests.helpers import BASE, make_tree

UNKNOWN_FACT = BASE["course/lessons/bai-mot.md"].replace("{fact}`so-to`", "{fact}`so-to-sai`")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under a folder with the hash of its bytes; not the build's cache, which
    records when and where it wrote each file."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.relative_to(folder).as_posix().startswith(".cache/")
    }


def test_version_and_help() -> None:
    assert run("--version").output.strip() == f"builder, version {__version__}"
    result = run("--help")
    assert result.exit_code == 0
    assert "build" in result.output and "check" in result.output
    assert "--strict" in run("build", "--help").output
    assert "--quiet" in run("check", "--help").output


def test_check_clean_tree_exits_zero(tmp_path: Path) -> None:
    result = run("check", "--root", str(make_tree(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


def test_check_reports_every_problem_and_exits_two(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "course/lessons/bai-mot.md": UNKNOWN_FACT,
            "slides/decks/buoi-mot.yml": "title: X\nlessons: [khong-co]\n",
        },
    )
    result = run("check", "--root", str(root))
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        "course/lessons/bai-mot.md:16: [ref.unknown-fact] unknown fact 'so-to-sai'"
        " (did you mean 'so-to'?)",
        "slides/decks/buoi-mot.yml:2: [ref.unknown-lesson] deck 'buoi-mot' lists unknown"
        " lesson 'khong-co'",
    ]
    assert "Traceback" not in result.output


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    lesson = BASE["course/lessons/bai-mot.md"] + "\n[xem](https://example.org)\n"
    root = make_tree(tmp_path, {"course/lessons/bai-mot.md": lesson})
    assert run("check", "--root", str(root)).exit_code == 0
    strict = run("check", "--strict", "--root", str(root))
    assert strict.exit_code == 2
    assert "[link.external]" in strict.stdout


def test_quiet_prints_nothing_when_clean(tmp_path: Path) -> None:
    result = run("check", "-q", "--root", str(make_tree(tmp_path)))
    assert result.exit_code == 0
    assert result.output == ""


def test_build_writes_book_and_notebooks_to_out(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "src")
    out = tmp_path / "site"
    result = run("build", "-q", "--root", str(root), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "book" / "index.html").is_file()
    assert sorted(p.name for p in (out / "notebooks").glob("*.ipynb")) == ["bai-mot.ipynb"]
    assert sorted(p.name for p in out.iterdir()) == [".cache", "book", "decks", "notebooks"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "src"], "stage or lock left"
    told = run("build", "--root", str(root), "--out", str(out))
    assert told.output == f"Nothing changed since the last build: {out} is up to date.\n"
    lesson = root / "course" / "lessons" / "bai-mot.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nMột câu nữa.\n", encoding="utf-8")
    told = run("build", "--root", str(root), "--out", str(out))
    assert "Built 1 lesson notebook(s)" in told.output and ", 1 deck(s) with their" in told.output


def test_failed_build_leaves_previous_output_untouched(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "src")
    out = tmp_path / "site"
    assert run("build", "-q", "--root", str(root), "--out", str(out)).exit_code == 0
    before = tree_digest(out)
    (root / "course/lessons/bai-mot.md").write_text(UNKNOWN_FACT, encoding="utf-8")
    result = run("build", "--root", str(root), "--out", str(out))
    assert result.exit_code == 2
    assert (
        "course/lessons/bai-mot.md:16: [ref.unknown-fact] unknown fact 'so-to-sai'" in result.output
    )
    assert "Traceback" not in result.output
    assert tree_digest(out) == before


def test_build_default_out_is_build_under_root(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    assert run("build", "-q", "--root", str(root)).exit_code == 0
    assert (root / "_build" / "book" / "index.html").is_file()


def test_missing_root_is_a_clean_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--root", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_sphinx_problems_point_at_the_lesson_line(tmp_path: Path) -> None:
    lesson = BASE["course/lessons/bai-mot.md"] + (
        "\n## Thêm\n\nXem {ref}`muc-khong-co`.\n\nXem {doc}`khong-ton-tai`.\n"
    )
    root = make_tree(tmp_path, {"course/lessons/bai-mot.md": lesson})
    lines = lesson.splitlines()
    label = lines.index("Xem {ref}`muc-khong-co`.") + 1
    reference = lines.index("Xem {doc}`khong-ton-tai`.") + 1
    result = run("build", "--strict", "-q", "--root", str(root))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[:2] == [
        f"course/lessons/bai-mot.md:{label}: [book.sphinx] undefined label:"
        " 'muc-khong-co' (warning)",
        f"course/lessons/bai-mot.md:{reference}: [book.sphinx] unknown document:"
        " 'khong-ton-tai' (warning)",
    ]
    assert not (root / "_build").exists() or not (root / "_build" / "book").exists()


def test_a_disk_error_while_publishing_is_a_clean_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_tree(tmp_path / "tree")
    out = tmp_path / "out"

    def full(*_: object, **__: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("builder.publish.Scratch.commit", full)
    result = run("build", "-q", "--deck", "buoi-mot", "--root", str(root), "--out", str(out))
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.output
    assert not (out / "decks").exists()


def test_a_link_to_another_site_is_a_warning_and_builds(tmp_path: Path) -> None:
    lesson = (
        BASE["course/lessons/bai-mot.md"]
        + "\nXem [Cổng dịch vụ công](https://dichvucong.gov.vn/).\n"
    )
    root = make_tree(tmp_path, {"course/lessons/bai-mot.md": lesson})
    result = run("build", "-q", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "[link.external]" in result.stderr
    page = (root / "_build" / "book" / "bai-mot.html").read_text("utf-8")
    assert 'href="https://dichvucong.gov.vn/"' in page


def test_the_same_sources_give_the_same_bytes_in_another_process(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "tree")
    assert run("build", "-q", "--root", str(root), "--out", str(tmp_path / "a")).exit_code == 0
    subprocess.run(
        [sys.executable, "-m", "builder", "build", "-q", "--root", str(root), "--out",
         str(tmp_path / "b")],
        check=True,
        timeout=600,
    )  # fmt: skip
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
