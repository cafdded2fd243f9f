"""Lesson notebooks: valid nbformat v4, no trainer notes, facts in the edition's format."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat

from builder.checks.run import load_and_check
from tests.helpers import BASE, make_tree, write_notebooks

SVG = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 4 3'/>"


def written(root: Path, out: Path) -> nbformat.NotebookNode:
    course, problems = load_and_check(root)
    assert course is not None and not problems.errors(strict=True), problems.sorted()
    (path,) = write_notebooks(course, out)
    return nbformat.read(path, as_version=4)


def test_lesson_notebook_content(tmp_path: Path) -> None:
    notebook = written(make_tree(tmp_path / "src"), tmp_path / "out")
    nbformat.validate(notebook)
    assert notebook.nbformat == 4
    code = [cell.id for cell in notebook.cells if cell.cell_type == "code"]
    assert code == ["questions", "quiz-3", "quiz-4"]
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    assert notebook.cells[0].source.startswith("# Bài một")
    assert "45 phút (30 phút giảng, 15 phút thực hành)" in notebook.cells[0].source
    assert "{admonition} Mục tiêu" in notebook.cells[0].source
    assert "[98,72%](#fact-ty-le)" in text
    assert "[14.478](#fact-so-to)" in text
    assert "[6/10/2022](#fact-ngay)" in text
    assert "{fact}" not in text
    assert "GHI CHÚ BÍ MẬT" not in text and "notes" not in text
    assert '<svg class="builder-chart"' in text and 'role="img"' in text
    assert "{admonition} Ghi nhớ" in notebook.cells[-1].source
    assert notebook.metadata.kernelspec.name == "python3"


def test_notebooks_are_reproducible(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "src")
    course, _ = load_and_check(root)
    first = write_notebooks(course, tmp_path / "a")[0].read_bytes()
    second = write_notebooks(course, tmp_path / "b")[0].read_bytes()
    assert first == second
    assert "Bài một".encode() in first, "Vietnamese text is stored as UTF-8, not escaped"


def test_images_are_copied_and_relinked(tmp_path: Path) -> None:
    lesson = BASE["course/lessons/bai-mot.md"] + (
        "\n![Sơ đồ](../images/so-do.svg)\n\n```{figure} ../images/so-do.svg\n:alt: Sơ đồ\n```\n"
    )
    root = make_tree(
        tmp_path / "src",
        {"course/lessons/bai-mot.md": lesson, "course/images/so-do.svg": SVG},
    )
    notebook = written(root, tmp_path / "out")
    text = "\n".join(cell.source for cell in notebook.cells)
    assert "![Sơ đồ](media/images/so-do.svg)" in text
    assert "```{figure} media/images/so-do.svg" in text
    assert (tmp_path / "out" / "media" / "images" / "so-do.svg").read_text() == SVG


def test_code_blocks_keep_builder_syntax_literally(tmp_path: Path) -> None:
    lesson = (
        BASE["course/lessons/bai-mot.md"] + "\n```text\nGõ {fact}`ty-le` để chèn số liệu.\n```\n"
    )
    notebook = written(
        make_tree(tmp_path / "src", {"course/lessons/bai-mot.md": lesson}), tmp_path / "out"
    )
    assert "Gõ {fact}`ty-le` để chèn số liệu." in "\n".join(c.source for c in notebook.cells)


def test_quiz_cells_run_live_and_carry_the_static_quiz(tmp_path: Path) -> None:
    notebook = written(make_tree(tmp_path / "src"), tmp_path / "out")
    cells = {cell.id: cell for cell in notebook.cells}
    setup = cells["questions"]
    assert setup.metadata["tags"] == ["remove-cell"]
    assert "from builder.quiz import register" in setup.source
    named, drawn = cells["quiz-3"], cells["quiz-4"]
    assert named.source == (
        "from builder.quiz import show\n\n"
        'show("chon-mot", "chon-nhieu", "dung-sai", title="Ôn tập")'
    )
    assert named.metadata["tags"] == ["remove-input"]
    ids = re.findall(r'"([a-z-]+)"', drawn.source.split("show(", 1)[1])
    assert sorted(ids) == ["chu", "ghep", "so", "thu-tu"]  # all four questions tagged 'thu'
    (output,) = named.outputs
    page = output["data"]["text/html"]
    assert page.endswith(
        '<script src="quiz/bq.js"></script><script>window.builderQuiz && builderQuiz.mountAll();'
        "</script>"
    ), "a classic script: it runs from file:// too"
    payload = re.search(r'<script type="application/json">(.*?)</script>', page).group(1)
    data = json.loads(payload)
    assert [q["id"] for q in data["questions"]] == ["chon-mot", "chon-nhieu", "dung-sai"]
    assert data["strings"]["check"] == "Kiểm tra" and data["decimal"] == ","
    assert data["questions"][2]["prompt"] == "Tỷ lệ ký số đạt [98,72%](sources.html#fact-ty-le)."
    assert "1. Có mấy trụ cột?" in output["data"]["text/plain"]
    assert "<" not in payload and "'" not in payload  # inert inside HTML and a Python string


def test_question_text_cannot_break_out_of_the_cell_output(tmp_path: Path) -> None:
    attack = "</script><script>alert(1)</script>''' x"
    bank = BASE["quizzes/bai-mot.yml"].replace("prompt: Có mấy trụ cột?", f'prompt: "{attack}"')
    notebook = written(make_tree(tmp_path / "src", {"quizzes/bai-mot.yml": bank}), tmp_path / "o")
    cells = {cell.id: cell for cell in notebook.cells}
    page = cells["quiz-3"].outputs[0]["data"]["text/html"]
    assert page.count("<script") == 3 and "alert(1)" in page  # payload, script, its call
    payload = re.search(r'<script type="application/json">(.*?)</script>', page).group(1)
    assert json.loads(payload)["questions"][0]["prompt"] == attack
    found: dict = {}
    source = cells["questions"].source.replace("from builder.quiz import register", "")
    exec(source, {"register": lambda data: found.update(json.loads(data))})  # noqa: S102
    assert found["questions"][0]["prompt"] == attack


def test_roles_after_a_code_span_over_two_lines_are_rendered_where_written(
    tmp_path: Path,
) -> None:
    lesson = BASE["course/lessons/bai-mot.md"] + (
        "\n[a](<{fact}`>) ``x <b>hi</b>\ny`` {fact}`ngay`\n\nXem ``a\nb`` rồi {fact}`ty-le`.\n"
    )
    root = make_tree(tmp_path / "src", {"course/lessons/bai-mot.md": lesson})
    text = "\n".join(cell.source for cell in written(root, tmp_path / "out").cells)
    assert "[a](<{fact}`>) ``x <b>hi</b>\ny`` [" in text, "the link and code stay as written"
    assert "{fact}`ngay`" not in text and "{fact}`ty-le`" not in text
    assert "\nb`` rồi [98,72%](#fact-ty-le)." in text
