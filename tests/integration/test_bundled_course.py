"""The bundled course built --strict, read back as a learner's browser and Jupyter would."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest
from bs4 import BeautifulSoup

from builder.checks.run import load_and_check
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


# Key figures of the five source articles, as the articles write them (Vietnamese format). A
# learner must meet each of them in a lesson, not only on the sources page.
KEY_FIGURES = [
    "98,72%", "2,8 triệu", "4.233", "14.478", "12/63",  # Thanh Hóa, 6/10/2022
    "16/9/2022", "80%", "89%", "43", "142", "520", "264", "51",  # Quảng Trị
    "1.208", "86,18%", "58%", "60%", "171", "491", "2.081", "577", "7.320",  # Trà Vinh
    "1.858", "571", "30,73%", "1.057", "56,89%", "30%", "85/85", "147", "150",
    "8/63", "2.255", "15.000", "7/63", "83,87/100",  # Thái Nguyên
    "16", "650", "1.648", "4.000", "99%",  # Hội Tin học Thanh Hóa
]  # fmt: skip


def lesson_text(bundled: Path) -> str:
    return "\n".join(
        soup(bundled / "book" / f"{lesson}.html").get_text() for lesson in course().lessons
    )


def test_key_figures_appear_in_lessons_in_vietnamese_format(bundled: Path) -> None:
    text = lesson_text(bundled)
    missing = [f for f in KEY_FIGURES if not re.search(rf"(?<![\d.,]){re.escape(f)}(?![\d])", text)]
    assert missing == []


def test_fact_links_lead_to_source_entries(bundled: Path) -> None:
    sources = soup(bundled / "book" / "sources.html")
    anchors = {tag["id"] for tag in sources.find_all(id=True)}
    for fact_id in course().facts:
        assert f"fact-{fact_id}" in anchors
    for lesson in course().lessons:
        links = soup(bundled / "book" / f"{lesson}.html").select('a[href^="sources.html#fact-"]')
        assert len(links) >= 5, lesson
        for link in links:
            assert link["href"].split("#")[1] in anchors


def test_term_links_lead_to_glossary_entries(bundled: Path) -> None:
    page = soup(bundled / "book" / "glossary.html")
    anchors = {tag["id"] for tag in page.find_all(id=True)}
    for lesson in course().lessons:
        links = soup(bundled / "book" / f"{lesson}.html").select('a[href^="glossary.html#term-"]')
        assert len(links) >= 5, lesson
        for link in links:
            assert link["href"].split("#")[1] in anchors, (lesson, link["href"])
            # The link sits in the note the term's button opens, after its definition.
            note = link.parent
            assert "note" in note.get("class", []) and note.get("popover") is not None, link
            button = note.find_previous_sibling("button")
            assert button["popovertarget"] == note["id"], link
            assert len(note.get_text()) > len(button.get_text()) + 20, note


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
    minutes = sum(lesson.meta.duration.total for lesson in model.lessons.values())
    hours, rest = divmod(minutes, 60)
    total = f"{hours} giờ {rest} phút" if rest else f"{hours} giờ"
    assert f"Tổng thời lượng: {total}." in front
    glossary = soup(bundled / "book" / "glossary.html")
    terms = [t.get_text() for t in glossary.select("dt strong")]
    assert len(terms) == len(model.glossary)
    # Vietnamese order: a < ă, 'ch' after 'c' + vowels, d < đ, i < u < ư.
    assert terms.index("Cáp quang băng rộng") < terms.index("Chỉ số chuyển đổi số")
    assert (
        terms.index("Chuyển đổi số")
        < terms.index("Chữ ký số")
        < terms.index("Cổng dịch vụ công quốc gia")
    )
    assert terms.index("Dịch vụ công trực tuyến") < terms.index("Đô thị thông minh")
    assert terms.index("Kinh tế số") < terms.index("Xã hội số")
    headings = [h.get_text().strip("#¶ \n") for h in glossary.select("main section h2")]
    assert headings[:5] == ["A", "B", "C", "D", "Đ"]


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
    files = {p.relative_to(tmp_path).as_posix() for p in (tmp_path / "notebooks").rglob("*")}
    assert files == {f"notebooks/{p.name}" for p in notebooks}, "pictures travel inside them"
    assert b"](data:image/svg+xml;base64," in again["chuyen-doi-so-la-gi.ipynb"]


def test_downloadable_notebook_is_linked_from_the_lesson(bundled: Path) -> None:
    for lesson in course().lessons:
        page = (bundled / "book" / f"{lesson}.html").read_text("utf-8")
        assert re.search(rf'href="notebooks/{lesson}\.ipynb" download', page)
        offered = (bundled / "book" / "notebooks" / f"{lesson}.ipynb").read_bytes()
        assert offered == (bundled / "notebooks" / f"{lesson}.ipynb").read_bytes()


def test_a_figure_keeps_the_punctuation_after_it_on_its_line(bundled: Path) -> None:
    """No line of a lesson starts with the comma after a figure or term."""
    loose, kept = [], 0
    for lesson in course().lessons:
        page = soup(bundled / "book" / f"{lesson}.html")
        for button in page.select("button.note-ref"):
            after = button.next_sibling
            if getattr(after, "get", lambda _: None)("id") == button["popovertarget"]:
                after = after.next_sibling  # the note written after the target's first button
            if (
                isinstance(after, str)
                and after[:1] in ",.;:"
                and "nobr" not in button.parent.get("class", [])
            ):
                loose.append((lesson, button.get_text()))
        kept += len(page.select(".nobr > button.note-ref"))
    assert loose == []
    assert kept >= 20


# What authors say about where a statement comes from; learners read sources named as sources.
AUTHORING_TALK = re.compile(
    r"bài báo|không có trong các bài báo|kiến thức chung|không ghi rõ nơi đăng", re.IGNORECASE
)


def _deck_texts(path: Path) -> list[str]:
    from pptx import Presentation  # noqa: PLC0415 - only this test reads decks

    texts = []
    for slide in Presentation(str(path)).slides:
        shapes = list(slide.shapes)
        if slide.has_notes_slide:
            shapes += list(slide.notes_slide.shapes)
        texts += [s.text_frame.text for s in shapes if s.has_text_frame]
    return texts


def test_no_learner_or_trainer_output_talks_about_the_articles(bundled: Path) -> None:
    """Pages, notebooks and decks (slides and speaker notes) name sources as sources: no
    "bài báo", no "Kiến thức chung (không có trong các bài báo nguồn)", no "Không ghi rõ nơi
    đăng"."""
    found = []
    for page in pages(bundled):
        text = soup(page).get_text(" ")
        found += [f"{page.name}: {m}" for m in AUTHORING_TALK.findall(text)]
    for notebook in sorted((bundled / "notebooks").glob("*.ipynb")):
        text = notebook.read_text("utf-8")
        found += [f"{notebook.name}: {m}" for m in AUTHORING_TALK.findall(text)]
    decks = sorted((bundled / "decks").glob("*.pptx"))
    assert len(decks) == 3
    for deck in decks:
        for text in _deck_texts(deck):
            found += [f"{deck.name}: {m}" for m in AUTHORING_TALK.findall(text)]
    assert found == []


def test_checklists_print_from_their_own_page_linked_from_the_lesson(bundled: Path) -> None:
    """Every lesson with a checklist box links a page that holds each checklist as one
    printable sheet: its title, every item with a box to tick, lines for a name and a date."""
    from builder.render import checklists  # noqa: PLC0415

    model = course()
    with_lists = 0
    for lesson in model.ordered_lessons():
        found = checklists.checklists(model, lesson)
        page = (bundled / "book" / f"{lesson.id}.html").read_text("utf-8")
        link = f'href="checklists/{lesson.id}.html"'
        assert (link in page) == bool(found), lesson.id
        if not found:
            continue
        with_lists += 1
        sheet = soup(bundled / "book" / "checklists" / f"{lesson.id}.html")
        sections = sheet.select("section.sheet")
        assert [s.h1.get_text() for s in sections] == [c.title for c in found]
        for section, checklist in zip(sections, found, strict=True):
            items = [li.get_text(" ", strip=True) for li in section.select("ul.items > li")]
            assert items == checklist.items and 3 <= len(items) <= 15, checklist.title
            assert "Họ và tên:" in section.get_text() and "Ngày:" in section.get_text()
        assert sheet.html["lang"] == "vi" and not sheet.find("script")
    assert with_lists >= 6
