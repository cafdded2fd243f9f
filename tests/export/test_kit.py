"""The offline kit: what a training centre copies onto a USB stick, read back as its user does."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.checks.run import load_and_check
from builder.cli import main
from builder.export import kit
from tests.conftest import REPO
from tests.helpers import make_tree


@pytest.fixture(scope="module")
def course():
    found, _ = load_and_check(REPO)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def made(course, bundled: Path) -> kit.Kit:
    lms = kit.lms_files(course, bundled / "book")
    return kit.kit(course, bundled, lms)


def links(page: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', page)


def test_the_kit_holds_every_part_and_its_start_page_links_each(course, made, bundled) -> None:
    files = made.files
    book = sorted(
        p.relative_to(bundled / "book").as_posix()
        for p in (bundled / "book").rglob("*")
        if p.is_file()
    )
    assert {f"khoa-hoc/{p}" for p in book if not p.startswith(".")} <= set(files)
    lessons = course.ordered_lessons()
    assert {f"so-tay/{x.id}.ipynb" for x in lessons} <= set(files)
    for deck in course.decks:
        for suffix in (".pptx", ".plan.pdf", ".handout.pdf"):
            assert f"trinh-chieu/{deck}{suffix}" in files
    assert {f for f in files if f.startswith("lms/")} == {
        "lms/chuyen-doi-so-scorm12.zip",
        "lms/chuyen-doi-so-scorm2004.zip",
        "lms/chuyen-doi-so-questions.moodle.xml",
        "lms/chuyen-doi-so-questions.gift.txt",
    }
    assert not any("/.cache" in f or f.startswith(".") for f in files)
    page = files[kit.START].decode("utf-8")
    targets = links(page)
    assert "khoa-hoc/index.html" in targets
    # Every notebook, deck, paper and LMS file is linked from the start page, and nothing else
    # outside the book.
    assert sorted(t for t in targets if not t.startswith("khoa-hoc/")) == sorted(
        f for f in files if f.startswith(("so-tay/", "trinh-chieu/", "lms/"))
    )
    assert all(t in files for t in targets)
    assert f"{course.info.title}: bộ tài liệu dùng không cần mạng" in page
    for text in ("Khóa học, dành cho học viên", "Buổi tập huấn: ", "Gói SCORM 1.2 (Moodle"):
        assert text in page
    assert "<script" not in page


def test_the_zip_is_the_same_bytes_twice_and_unpacks_to_the_folder(made, tmp_path) -> None:
    data = made.zipped()
    assert made.zipped() == data
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert names == sorted(names) and all(n.startswith("chuyen-doi-so-kit/") for n in names)
    folder = made.write(tmp_path / "kit")
    unpacked = tmp_path / "unpacked"
    archive.extractall(unpacked)
    for path in folder.rglob("*"):
        if path.is_file():
            rel = path.relative_to(folder)
            assert (unpacked / "chuyen-doi-so-kit" / rel).read_bytes() == path.read_bytes()


def test_course_text_on_the_start_page_is_escaped(tmp_path: Path) -> None:
    hostile = 'Khóa <script>alert(1)</script> & "thử"'
    root = make_tree(tmp_path / "tree")
    course_yml = root / "course" / "course.yml"
    text = course_yml.read_text("utf-8").replace("title: Khóa thử nghiệm", f"title: '{hostile}'")
    course_yml.write_text(text, "utf-8")
    course, problems = load_and_check(root)
    assert course is not None and not problems.errors()
    page = kit.start_page(course, {}).decode("utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in page


def test_the_command_writes_the_kit_folder_and_zip(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "tree")
    out = tmp_path / "out"
    args = ["export", "kit", "--zip", "--root", str(root), "--out", str(out)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    folder = out / "exports" / "khoa-thu-nghiem-kit"
    assert (folder / "bat-dau.html").is_file() and (folder / "khoa-hoc" / "index.html").is_file()
    assert (folder / "trinh-chieu" / "buoi-mot.pptx").is_file()
    assert (folder / "lms" / "khoa-thu-nghiem-scorm12.zip").is_file()
    assert "open bat-dau.html in it first" in result.stdout
    zipped = (out / "exports" / "khoa-thu-nghiem-kit.zip").read_bytes()
    again = CliRunner().invoke(main, args, catch_exceptions=False)
    assert again.exit_code == 0
    assert (out / "exports" / "khoa-thu-nghiem-kit.zip").read_bytes() == zipped
