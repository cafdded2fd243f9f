"""What an export would lose, said before anything is written: ``builder check --export`` and
the export commands, as ``path:line: [code]`` warnings at the questions."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from builder.checks.run import load_and_check
from builder.cli import main
from builder.export.losses import losses
from tests.helpers import BASE, make_tree

# An eleventh right choice (Moodle's grade list has no share of 1/11), and a question no
# lesson's quiz shows.
MANY = "\n".join(f"    - text: Lựa chọn {n}\n      correct: true" for n in range(11))
EXTRA = f"""
- id: nhieu-dung
  type: multiple
  prompt: Chọn tất cả.
  choices:
{MANY}
    - text: Sai
  explanation: Mười một lựa chọn đúng.
  source: nguon-a
"""


def tree(tmp_path: Path) -> Path:
    return make_tree(
        tmp_path / "tree", {"quizzes/bai-mot.yml": BASE["quizzes/bai-mot.yml"] + EXTRA}
    )


def line_of(root: Path, text: str) -> int:
    lines = (root / "quizzes" / "bai-mot.yml").read_text("utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_each_format_says_what_it_would_lose_at_the_question(tmp_path: Path) -> None:
    root = tree(tmp_path)
    course, problems = load_and_check(root)
    assert course is not None and not problems.errors()
    said = {form: losses(course, [form]).items for form in ("gift", "moodle", "scorm")}
    assert all(p.severity.value == "warning" for items in said.values() for p in items)
    found = {
        form: [(p.where.path, p.where.line, p.code) for p in items] for form, items in said.items()
    }
    bank = "quizzes/bai-mot.yml"
    assert found["gift"] == [(bank, line_of(root, "id: thu-tu"), "export.left-out")]
    assert found["moodle"] == [(bank, line_of(root, "id: nhieu-dung"), "export.moodle-grade")]
    unplaced = {q.id for q in course.questions.values()} - {"chon-mot", "chon-nhieu", "dung-sai"}
    # The bundled tree's second quiz draws four of the tagged questions; the rest are shown
    # nowhere: so, ghep... whichever the draw left, and the new one.
    scorm = said["scorm"]
    assert "nhieu-dung" in {p.message.split("'")[1] for p in scorm}
    assert all(p.code == "export.unscored" for p in scorm)
    assert {p.message.split("'")[1] for p in scorm} < unplaced | {"nhieu-dung"}


def test_check_export_reports_them_and_strict_fails_on_them(tmp_path: Path) -> None:
    root = tree(tmp_path)
    runner = CliRunner()
    plain = runner.invoke(main, ["check", "--root", str(root)])
    assert plain.exit_code == 0 and "[export." not in plain.output
    asked = runner.invoke(
        main, ["check", "--root", str(root), "--export", "gift", "--export", "moodle"]
    )
    assert asked.exit_code == 0, asked.output
    assert f"quizzes/bai-mot.yml:{line_of(root, 'id: thu-tu')}: [export.left-out]" in asked.output
    assert "[export.moodle-grade]" in asked.output and "nearest grade" in asked.output
    assert "[export.unscored]" not in asked.output
    strict = runner.invoke(main, ["check", "--strict", "--root", str(root), "--export", "scorm"])
    assert strict.exit_code == 2
    assert "[export.unscored]" in strict.output and "nhieu-dung" in strict.output


def test_an_export_says_its_losses_before_writing(tmp_path: Path) -> None:
    root = tree(tmp_path)
    result = CliRunner().invoke(main, ["export", "gift", "--root", str(root)])
    assert result.exit_code == 0, result.output
    warning = f"quizzes/bai-mot.yml:{line_of(root, 'id: thu-tu')}: [export.left-out]"
    assert warning in result.stderr
    assert "Skipped 1 question(s), each said above: thu-tu." in result.stdout


def test_a_course_silences_an_export_warning(tmp_path: Path) -> None:
    root = tree(tmp_path)
    course_yml = root / "course" / "course.yml"
    course_yml.write_text(course_yml.read_text("utf-8") + "silence: [export.left-out]\n", "utf-8")
    result = CliRunner().invoke(main, ["check", "--root", str(root), "--export", "gift"])
    assert result.exit_code == 0 and "[export.left-out]" not in result.output
