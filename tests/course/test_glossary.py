"""Glossary: term roles become links with the definition as tooltip; the page is in
Vietnamese order under letter headings, with anchors and the lessons that use each term."""

from __future__ import annotations

import re
from pathlib import Path

from builder.checks.run import load_and_check
from builder.course import glossary
from builder.render import notebooks
from builder.render.book import pages
from tests.helpers import make_tree


def loaded(root: Path):  # noqa: ANN201
    course, problems = load_and_check(root)
    assert course is not None and not problems.errors(strict=True), problems.sorted()
    return course


def test_term_roles_render_as_links_to_the_glossary(tmp_path: Path) -> None:
    """In the book's source, a plain link (the book shows the definition in place); the
    learner's notebook writes definitions out (test_notebooks)."""
    course = loaded(make_tree(tmp_path / "src"))
    notebook = notebooks.book_notebook(course, course.lessons["bai-mot"])
    text = "\n".join(cell.source for cell in notebook.cells)
    assert "{term}" not in text and "<span" not in text
    assert "[Chính quyền số](#term-chinh-quyen-so)" in text
    assert "[xã hội số](#term-xa-hoi-so)" in text
    assert "[ăn khớp](#term-an-khop)" in text


def test_anchor_slugs_fold_vietnamese_letters() -> None:
    assert glossary.slug("Đô thị thông minh") == "do-thi-thong-minh"
    assert glossary.slug("Trung tâm giám sát, điều hành thông minh") == (
        "trung-tam-giam-sat-dieu-hanh-thong-minh"
    )
    assert glossary.slug("Chỉ số PAR INDEX") == "chi-so-par-index"


def test_glossary_page_order_letters_anchors_and_lessons(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "course/glossary.yml": """\
- term: Xã hội số
  definition: Người dân dùng công nghệ số.
- term: Đô thị thông minh
  definition: Đô thị dùng dữ liệu.
- term: Ăn khớp
  definition: Mục để thử thứ tự chữ cái.
- term: Chính quyền số
  aliases: [CQS]
  definition: Chính quyền làm việc trên môi trường số.
- term: Dữ liệu
  definition: Thông tin số.
- term: An toàn
  definition: Không bị hại.
- term: Ảnh số
  definition: Ảnh chụp bằng máy số.
"""
        },
    )
    page = pages.glossary_page(loaded(root))
    terms = re.findall(r"^\*\*(.+?)\*\*", page, flags=re.M)
    assert terms == [
        "An toàn",
        "Ảnh số",
        "Ăn khớp",
        "Chính quyền số",
        "Dữ liệu",
        "Đô thị thông minh",
        "Xã hội số",
    ]
    assert re.findall(r"^## (.+)$", page, flags=re.M) == ["A", "Ă", "C", "D", "Đ", "X"]
    assert "(term-chinh-quyen-so)=\n**Chính quyền số** (CQS)\n: Chính quyền làm việc" in page
    # The lesson that links the term is listed under it; unlinked terms list none.
    assert "Có trong bài: [Bài một](bai-mot.ipynb)" in page.split("**Chính quyền số**")[1]
    assert "Có trong bài" not in page.split("**Dữ liệu**")[1].split("**")[0]
