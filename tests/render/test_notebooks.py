"""Lesson notebooks: valid nbformat v4, no trainer notes, facts in the edition's format."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import re
import sys
from pathlib import Path

import nbformat

from builder.checks.run import load_and_check
from builder.render import notebooks
from tests.helpers import BASE, make_tree, write_notebooks

SVG = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 4 3'/>"
PNG = base64.b64decode(  # one transparent pixel
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def written(root: Path, out: Path) -> nbformat.NotebookNode:
    course, problems = load_and_check(root)
    assert course is not None and not problems.errors(strict=True), problems.sorted()
    (path,) = write_notebooks(course, out)
    return nbformat.read(path, as_version=4)


def markdown_text(notebook: nbformat.NotebookNode) -> str:
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def test_the_learners_notebook_reads_as_jupyter_shows_markdown(tmp_path: Path) -> None:
    """No MyST left: boxes are quotes with their title, a figure is its value with a note
    number and its source under the cell, a term's definition is under its first use."""
    notebook = written(make_tree(tmp_path / "src"), tmp_path / "out")
    nbformat.validate(notebook)
    assert notebook.nbformat == 4 and notebook.metadata.kernelspec.name == "python3"
    code = [cell.id for cell in notebook.cells if cell.cell_type == "code"]
    assert code == ["questions", "quiz-3", "quiz-4"]
    header = notebook.cells[0].source
    assert header.startswith("# Bài một\n\n**Thời lượng:** 45 phút (30 phút giảng, 15 phút")
    assert "> **Mục tiêu**\n>\n> - Hiểu ba trụ cột." in header
    text = markdown_text(notebook)
    for myst in ("{admonition}", "{fact}", "{term}", "```{", "#fact-", "#term-", "sources.html"):
        assert myst not in text, myst
    part = next(c.source for c in notebook.cells if "Phần đầu" in c.source)
    assert (
        "Tỷ lệ ký số đạt 98,72%<sup>1</sup>, có 14.478 tổ<sup>2</sup>, ngày 6/10/2022<sup>3" in part
    )
    assert (
        "> <sup>1</sup> Tỷ lệ ký số: 98,72%" in part
        and "Nguồn: Bài báo A, Báo A, 6/10/2022." in part
    )
    assert "> **Chính quyền số**: " in part and "> **Xã hội số**: " in part
    assert "GHI CHÚ BÍ MẬT" not in text and "notes" not in text
    assert notebook.cells[-1].source.startswith("> **Ghi nhớ**\n>\n> - Ghi nhớ một.")


def test_a_chart_is_a_picture_the_notebook_carries(tmp_path: Path) -> None:
    """An SVG as data (JupyterLab refuses SVG attachments), drawn on its own light card."""
    notebook = written(make_tree(tmp_path / "src"), tmp_path / "out")
    chart = next(cell for cell in notebook.cells if cell.id.startswith("chart-"))
    found = re.match(
        r"!\[Biểu đồ thử, 2022: Tỷ lệ ký số: 98,72%\]\(data:image/svg\+xml;base64,(.+?)\)",
        chart.source,
    )
    assert found, chart.source[:80]
    assert (
        "**Biểu đồ thử, 2022.** Nguồn: Báo A, 6/10/2022. Số liệu: Tỷ lệ ký số<sup>1</sup>."
        in chart.source
    )
    svg = base64.b64decode(found.group(1)).decode()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'fill="#ffffff"' in svg and "currentColor" not in svg and "<style" not in svg
    assert ">98,72%</text>" in svg


def test_the_book_keeps_its_myst_rendering(tmp_path: Path) -> None:
    course, _ = load_and_check(make_tree(tmp_path / "src"))
    notebook = notebooks.book_notebook(course, course.lessons["bai-mot"])
    text = markdown_text(notebook)
    assert "{admonition} Mục tiêu" in notebook.cells[0].source
    assert "[98,72%](#fact-ty-le)" in text and "[14.478 tổ](#fact-so-to)" in text
    assert "[6/10/2022](#fact-ngay)" in text and "{fact}" not in text
    assert '<svg class="builder-chart"' in text and 'role="img"' in text
    assert "{admonition} Ghi nhớ" in notebook.cells[-1].source
    assert [c.id for c in notebook.cells if c.cell_type == "code"] == ["quiz-3", "quiz-4"]


def test_roles_in_the_objectives_and_key_points_reach_the_book_rendered(tmp_path: Path) -> None:
    """The book reads the front matter's lists as MyST: a fact or term role there is a link,
    as in the lesson's text (Sphinx knows no 'fact' role, and would print nothing)."""
    lesson = (
        BASE["course/lessons/bai-mot.md"]
        .replace("  - Hiểu ba trụ cột.", "  - Hiểu ba trụ cột; năm 2022 đạt {fact}`ty-le`.")
        .replace("  - Ghi nhớ một.", "  - Ghi nhớ {term}`xã hội số`.")
    )
    course, problems = load_and_check(make_tree(tmp_path, {"course/lessons/bai-mot.md": lesson}))
    assert course is not None and not problems.errors(True), [str(p) for p in problems.items]
    notebook = notebooks.book_notebook(course, course.lessons["bai-mot"])
    header, keypoints = notebook.cells[0].source, notebook.cells[-1].source
    assert "- Hiểu ba trụ cột; năm 2022 đạt [98,72%](#fact-ty-le)." in header
    assert "{fact}" not in header and "{term}" not in keypoints
    assert "Ghi nhớ" in keypoints and "xã hội số" in keypoints


def test_notebooks_are_reproducible(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "src")
    course, _ = load_and_check(root)
    first = write_notebooks(course, tmp_path / "a")[0].read_bytes()
    second = write_notebooks(course, tmp_path / "b")[0].read_bytes()
    assert first == second
    assert "Bài một".encode() in first, "Vietnamese text is stored as UTF-8, not escaped"


def test_pictures_travel_inside_the_notebook(tmp_path: Path) -> None:
    """A PNG as a cell attachment; an SVG as data (JupyterLab refuses SVG attachments)."""
    lesson = BASE["course/lessons/bai-mot.md"] + (
        "\n![Ảnh](../images/anh.png)\n\n```{figure} ../images/so-do.svg\n:alt: Sơ đồ\n\n"
        "Hình {fact}`ty-le`, 2022\n```\n"
    )
    root = make_tree(
        tmp_path / "src",
        {"course/lessons/bai-mot.md": lesson, "course/images/so-do.svg": SVG},
    )
    (root / "course/images/anh.png").write_bytes(PNG)
    notebook = written(root, tmp_path / "out")
    cell = next(c for c in notebook.cells if "Sơ đồ" in c.source)
    assert "![Ảnh](attachment:anh.png)" in cell.source
    assert base64.b64decode(cell.attachments["anh.png"]["image/png"]) == PNG
    data = base64.b64encode(SVG.encode()).decode()
    picture = f"![Sơ đồ](data:image/svg+xml;base64,{data})"
    assert f"{picture}\n\n*Hình 98,72%<sup>1</sup>, 2022*" in cell.source
    assert "{figure}" not in cell.source
    assert not (tmp_path / "out" / "media").exists(), "nothing needed beside the notebook"


def test_myst_blocks_become_what_jupyter_shows(tmp_path: Path) -> None:
    lesson = BASE["course/lessons/bai-mot.md"] + (
        "\n(dich)=\n% ghi chú của tác giả\n\n```{tip}\nNhấn {kbd}`Ctrl` và *giữ*.\n```\n\n"
        ":::{admonition} Lưu ý {term}`OTP`\nKhông đưa mã cho ai.\n:::\n\n"
        "```{dropdown} Xem thêm\nNội dung ẩn.\n```\n\n"
        "```{list-table}\n:header-rows: 1\n\n* - Cột A\n  - Cột B\n"
        "* - {fact}`so-to`\n  - năm 2022\n```\n\n"
        "Mật khẩu\n: Chuỗi ký tự bí mật.\n"
    )
    glossary = BASE["course/glossary.yml"] + ("- term: OTP\n  definition: Mã dùng một lần.\n")
    root = make_tree(
        tmp_path / "src", {"course/lessons/bai-mot.md": lesson, "course/glossary.yml": glossary}
    )
    text = markdown_text(written(root, tmp_path / "out"))
    assert "(dich)=" not in text and "ghi chú của tác giả" not in text
    assert "> **Mẹo**\n>\n> Nhấn <kbd>Ctrl</kbd> và *giữ*." in text
    assert "> **Lưu ý OTP**\n>\n> Không đưa mã cho ai." in text
    assert "> **OTP**: Mã dùng một lần." in text
    assert "<details><summary>Xem thêm</summary>\n\nNội dung ẩn.\n\n</details>" in text
    assert "| Cột A | Cột B |\n|---|---|\n| 14.478 tổ<sup>" in text
    assert "**Mật khẩu**\\\nChuỗi ký tự bí mật." in text
    assert "```{" not in text and ":::" not in text


def test_prerequisites_link_to_the_published_book_when_the_course_has_an_address(
    tmp_path: Path,
) -> None:
    two = (
        BASE["course/lessons/bai-mot.md"]
        .replace("title: Bài một", "title: Bài hai")
        .replace("audience:", "prerequisites:\n  - bai-mot\naudience:")
    )
    course_yml = BASE["course/course.yml"].replace(
        "      - bai-mot", "      - bai-mot\n      - bai-hai"
    )
    files = {"course/lessons/bai-hai.md": two, "course/course.yml": course_yml}
    course, problems = load_and_check(make_tree(tmp_path / "a", files))
    assert course is not None and not problems.errors(), problems.sorted()
    header = notebooks.lesson_notebook(course, course.lessons["bai-hai"]).cells[0].source
    assert "**Cần học trước:** [Bài một](bai-mot.ipynb)" in header
    files["course/course.yml"] = course_yml + "url: https://daotao.example.vn/cds/\n"
    course, _ = load_and_check(make_tree(tmp_path / "b", files))
    header = notebooks.lesson_notebook(course, course.lessons["bai-hai"]).cells[0].source
    assert "[Bài một](https://daotao.example.vn/cds/bai-mot.html)" in header
    assert "<https://daotao.example.vn/cds/bai-hai.html>" in header


def test_code_blocks_keep_builder_syntax_literally(tmp_path: Path) -> None:
    lesson = (
        BASE["course/lessons/bai-mot.md"] + "\n```text\nGõ {fact}`ty-le` để chèn số liệu.\n```\n"
    )
    notebook = written(
        make_tree(tmp_path / "src", {"course/lessons/bai-mot.md": lesson}), tmp_path / "out"
    )
    assert "Gõ {fact}`ty-le` để chèn số liệu." in "\n".join(c.source for c in notebook.cells)


def test_quiz_cells_show_only_their_widget_and_no_answer(tmp_path: Path) -> None:
    notebook = written(make_tree(tmp_path / "src"), tmp_path / "out")
    cells = {cell.id: cell for cell in notebook.cells}
    assert "`%pip install khoahocso`" in cells["how-to"].source
    for cell in (cells["questions"], cells["quiz-3"], cells["quiz-4"]):
        assert cell.metadata["jupyter"] == {"source_hidden": True}, "JupyterLab, VS Code"
        assert cell.metadata["cellView"] == "form", "Colab"
    named = cells["quiz-3"]
    lines = named.source.splitlines()
    assert lines[0] == "#@title Ôn tập" and lines[2] == "quiz_1"
    assert lines[1].startswith(
        'quiz_1 = show("chon-mot", "chon-nhieu", "dung-sai", title="Ôn tập") if '
        'globals().get("show") else print('
    )
    assert cells["quiz-4"].source.splitlines()[-1] == "quiz_2"
    (output,) = named.outputs
    page, plain = output["data"]["text/html"], output["data"]["text/plain"]
    assert "<li>Có mấy trụ cột?</li>" in page and "1. Có mấy trụ cột?" in plain
    assert "Chạy ô này (hoặc Run ▸ Run All Cells) để trả lời." in plain
    bank = load_and_check(make_tree(tmp_path / "again"))[0].questions
    for question in bank.values():
        for secret in [question.explanation, *(c.feedback for c in question.choices or [])]:
            if secret:
                assert secret.split("{")[0][:30] not in page + plain


def test_without_the_package_the_cells_say_what_to_install(tmp_path: Path) -> None:
    notebook = written(make_tree(tmp_path / "src"), tmp_path / "out")
    cells = {cell.id: cell for cell in notebook.cells}
    said = io.StringIO()
    blocked = {"builder.quiz": None}  # import builder.quiz fails as if not installed
    scope: dict = {}
    with contextlib.redirect_stdout(said), _modules(blocked):
        exec(cells["questions"].source, scope)  # noqa: S102
        exec(cells["quiz-3"].source, scope)  # noqa: S102
    assert said.getvalue().splitlines() == [
        "Các câu hỏi cần gói khoahocso, mà Jupyter này chưa có. Hãy chạy  %pip install "
        "khoahocso  trong một ô mới, tải lại trang (F5), rồi chạy lại mọi ô.",
        "Câu hỏi chưa hiện được: máy chưa có gói khoahocso (xem hướng dẫn ở trên).",
    ]
    assert scope["quiz_1"] is None
    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        exec(cells["quiz-4"].source, {})  # noqa: S102 - a quiz cell run before the questions
    assert said.getvalue() == (
        "Câu hỏi chưa được nạp: hãy chạy mọi ô từ đầu bài (Run ▸ Run All Cells).\n"
    )


def test_figures_in_the_notebooks_questions_are_plain_values(tmp_path: Path) -> None:
    """A notebook has no sources page: a figure in a question is its value, not a link that
    would take the learner out of the notebook."""
    notebook = written(make_tree(tmp_path / "src"), tmp_path / "out")
    setup = next(c for c in notebook.cells if c.id == "questions").source
    assert "sources.html" not in setup
    assert '"prompt":"Tỷ lệ ký số đạt 98,72%."' in setup


@contextlib.contextmanager
def _modules(replaced: dict):
    saved = {name: sys.modules.get(name) for name in replaced}
    sys.modules.update(replaced)
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def test_book_quiz_cells_carry_the_static_quiz(tmp_path: Path) -> None:
    course, _ = load_and_check(make_tree(tmp_path / "src"))
    notebook = notebooks.book_notebook(course, course.lessons["bai-mot"])
    cells = {cell.id: cell for cell in notebook.cells}
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
    root = make_tree(tmp_path / "src", {"quizzes/bai-mot.yml": bank})
    course, _ = load_and_check(root)
    book = {c.id: c for c in notebooks.book_notebook(course, course.lessons["bai-mot"]).cells}
    page = book["quiz-3"].outputs[0]["data"]["text/html"]
    assert page.count("<script") == 3 and "alert(1)" in page  # payload, script, its call
    payload = re.search(r'<script type="application/json">(.*?)</script>', page).group(1)
    assert json.loads(payload)["questions"][0]["prompt"] == attack
    cells = {cell.id: cell for cell in written(root, tmp_path / "o").cells}
    assert "<script" not in cells["quiz-3"].outputs[0]["data"]["text/html"]
    found: dict = {}
    fake = type(sys)("builder.quiz")
    fake.register = lambda data: found.update(json.loads(data))
    fake.show = None
    with _modules({"builder.quiz": fake}):
        exec(cells["questions"].source, {})  # noqa: S102
    assert found["questions"][0]["prompt"] == attack


def test_roles_after_a_code_span_over_two_lines_are_rendered_where_written(
    tmp_path: Path,
) -> None:
    lesson = BASE["course/lessons/bai-mot.md"] + (
        "\n[a](<{fact}`>) ``x <b>hi</b>\ny`` {fact}`ngay`\n\n"
        "Xem ``a\nb`` rồi {fact}`ty-le` (2022).\n"
    )
    root = make_tree(tmp_path / "src", {"course/lessons/bai-mot.md": lesson})
    text = "\n".join(cell.source for cell in written(root, tmp_path / "out").cells)
    assert "[a](<{fact}`>) ``x <b>hi</b>\ny`` 6/10/2022<sup>" in text, "link, code as written"
    assert "{fact}`ngay`" not in text and "{fact}`ty-le`" not in text
    assert "\nb`` rồi 98,72%<sup>1</sup> (2022)." in text


def test_a_fact_role_shows_its_unit_and_the_value_role_only_the_value(tmp_path: Path) -> None:
    """{fact} writes the value with facts.yml's unit (a percentage's sign attached),
    {fact-value} the value alone, in every output that shows lesson or question text: the
    learner's notebook, the book's source (the unit inside the link, escaped as MyST), deck
    slides and notes, checklists and quiz texts."""
    from builder.quizzes import client
    from builder.render import checklists
    from builder.render.decks import outline

    facts = BASE["course/facts.yml"].replace("unit: tổ", "unit: tổ *mới*")
    lesson = BASE["course/lessons/bai-mot.md"].replace(
        "## Phần đầu\n",
        "## Phần đầu\n\nNăm 2022 có {fact-value}`so-to` tổ công nghệ số, đạt {fact-value}`ty-le`.\n"
        "\n```{admonition} Phiếu\n:class: checklist\n- [ ] Đếm {fact}`so-to` năm 2022\n```\n",
    )
    bank = BASE["quizzes/bai-mot.yml"].replace(
        "prompt: Tỷ lệ ký số đạt {fact}`ty-le`.",
        "prompt: Năm 2022 có {fact}`so-to`, tức {fact-value}`so-to` tổ.",
    )
    root = make_tree(
        tmp_path / "src",
        {
            "course/facts.yml": facts,
            "course/lessons/bai-mot.md": lesson,
            "quizzes/bai-mot.yml": bank,
        },
    )
    course, problems = load_and_check(root)
    assert course is not None and not problems.errors(strict=True), problems.sorted()
    text = markdown_text(written(root, tmp_path / "out"))
    assert "có 14.478 tổ \\*mới\\*<sup>1</sup>, ngày" in text
    assert "Năm 2022 có 14.478<sup>1</sup> tổ công nghệ số, đạt 98,72%<sup>2</sup>." in text
    book = markdown_text(notebooks.book_notebook(course, course.lessons["bai-mot"]))
    assert "[98,72%](#fact-ty-le), có [14.478 tổ \\*mới\\*](#fact-so-to), ngày" in book
    assert "Năm 2022 có [14.478](#fact-so-to) tổ công nghệ số, đạt [98,72%](#fact-ty-le)." in book
    said = " ".join(
        span.text
        for part in ("có {fact}`so-to` và {fact}`ty-le`", "có {fact-value}`so-to` tổ")
        for span in outline.spans(course, part, "vi")
    )
    assert said == "có 14.478 tổ *mới* và 98,72% có 14.478 tổ"
    (sheet,) = checklists.checklists(course, course.lessons["bai-mot"])
    assert sheet.items == ["Đếm 14.478 tổ *mới* năm 2022"]
    question = client.client_question(course, course.questions["dung-sai"])
    assert question["prompt"] == (
        "Năm 2022 có [14.478 tổ *mới*](sources.html#fact-so-to), tức "
        "[14.478](sources.html#fact-so-to) tổ."
    )
    plain = client.client_question(course, course.questions["dung-sai"], linked=False)
    assert plain["prompt"] == "Năm 2022 có 14.478 tổ *mới*, tức 14.478 tổ."
