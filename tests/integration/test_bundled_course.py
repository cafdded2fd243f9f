"""The bundled course built --strict, read back as a learner's browser and Jupyter would."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest
from bs4 import BeautifulSoup

from builder.build import load_and_check
from tests.conftest import REPO, build_bundled

pytestmark = pytest.mark.slow


def pages(out: Path) -> list[Path]:
    """The site's pages (the theme also copies Jinja macro files into _static/)."""
    book = out / "book"
    return sorted(p for p in book.rglob("*.html") if "_static" not in p.relative_to(book).parts)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def course():
    model, problems = load_and_check(REPO)
    assert model is not None
    return model


def test_every_page_is_vietnamese(bundled: Path) -> None:
    found = pages(bundled)
    assert (bundled / "book" / "index.html") in found
    for page in found:
        assert soup(page).html.get("lang") == "vi", page


def test_no_page_refers_outside_the_site(bundled: Path) -> None:
    for page in pages(bundled):
        for tag in soup(page).find_all(True):
            for attr in ("src", "href"):
                value = tag.get(attr)
                if value:
                    parsed = urlparse(value)
                    assert parsed.scheme in ("", "mailto", "data") and not parsed.netloc, (
                        f"{page.name}: <{tag.name} {attr}={value}>"
                    )


def test_facts_in_vietnamese_format_linked_to_sources(bundled: Path) -> None:
    pillars = soup(bundled / "book" / "ba-tru-cot.html").get_text()
    services = soup(bundled / "book" / "dich-vu-cong-truc-tuyen.html").get_text()
    for text in ("98,72%", "14.478", "4.233", "6/10/2022", "12/63", "2.255"):
        assert text in pillars, text
    for text in ("1.858", "1.057", "30,73%", "56,89%", "7/63", "83,87/100"):
        assert text in services, text
    sources = soup(bundled / "book" / "sources.html")
    anchors = {tag["id"] for tag in sources.find_all(id=True)}
    links = soup(bundled / "book" / "ba-tru-cot.html").select('a[href^="sources.html#fact-"]')
    assert len(links) >= 8
    for link in links:
        assert link["href"].split("#")[1] in anchors
    for fact_id in course().facts:
        assert f"fact-{fact_id}" in anchors


def test_trainer_notes_never_reach_learners(bundled: Path) -> None:
    model = course()
    notes = [n.text for lesson in model.lessons.values() for n in lesson.notes]
    assert len(notes) >= 4
    html = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (bundled / "book").rglob("*")
        if p.is_file() and p.suffix in (".html", ".js", ".ipynb", ".md", ".txt")
    )
    shipped = "\n".join(p.read_text("utf-8") for p in (bundled / "notebooks").glob("*.ipynb"))
    for text in notes:
        first_line = text.splitlines()[0][:40]
        assert first_line not in html
        assert first_line not in shipped


def test_front_page_sources_and_glossary(bundled: Path) -> None:
    model = course()
    front = soup(bundled / "book" / "index.html").get_text()
    assert model.info.title in front
    for audience in model.info.audiences:
        assert audience.title in front
    for module in model.info.modules:
        assert module.title in front
    assert "45 phút" in front and "Tổng thời lượng: 1 giờ 30 phút." in front
    glossary = soup(bundled / "book" / "glossary.html").select("dt")
    terms = [t.get_text().strip("#¶ \n") for t in glossary]
    # Vietnamese order: i < u < ư, and 'ch' before 'cô'.
    assert terms[:4] == [
        "Chính quyền số",
        "Chuyển đổi số",
        "Chữ ký số",
        "Cổng dịch vụ công quốc gia",
    ]
    assert (
        terms.index("Dịch vụ công trực tuyến")
        < terms.index("Kinh tế số")
        < terms.index("Xã hội số")
    )


def test_text_is_nfc_everywhere(bundled: Path) -> None:
    for path in [*pages(bundled), *(bundled / "notebooks").glob("*.ipynb")]:
        text = path.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), path


def test_notebooks_valid_one_per_lesson_and_reproducible(bundled: Path, tmp_path: Path) -> None:
    model = course()
    notebooks = sorted((bundled / "notebooks").glob("*.ipynb"))
    assert [p.stem for p in notebooks] == sorted(model.lessons)
    for path in notebooks:
        nbformat.validate(nbformat.read(path, as_version=4))
    build_bundled(tmp_path)
    again = {p.name: p.read_bytes() for p in (tmp_path / "notebooks").glob("*.ipynb")}
    assert again == {p.name: p.read_bytes() for p in notebooks}
    digest = {
        p.relative_to(tmp_path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (tmp_path / "notebooks").rglob("*")
        if p.is_file()
    }
    assert "notebooks/media/images/ba-tru-cot.svg" in digest


def test_downloadable_notebook_is_linked_from_the_lesson(bundled: Path) -> None:
    page = (bundled / "book" / "ba-tru-cot.html").read_text("utf-8")
    assert re.search(r'href="_sources/ba-tru-cot\.ipynb"', page)
    assert (bundled / "book" / "_sources" / "ba-tru-cot.ipynb").is_file()
