"""Incremental builds: a build remakes only the outputs whose inputs changed, and what it
leaves is byte for byte what a cold build of the same sources writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation

from builder import cache
from builder.commands import build as build_module
from builder.commands.build import build
from builder.render.decks import slides
from tests.helpers import BASE, make_tree

LESSON_TWO = BASE["course/lessons/bai-mot.md"].replace("title: Bài một", "title: Bài hai")
TREE = {
    "course/lessons/bai-hai.md": LESSON_TWO,
    "course/course.yml": BASE["course/course.yml"].replace(
        "      - bai-mot\n", "      - bai-mot\n      - bai-hai\n"
    ),
    "slides/decks/buoi-hai.yml": "title: Buổi hai\nlessons:\n  - bai-hai\n",
}
DECK_ONE = ["decks/buoi-mot.pptx", "decks/buoi-mot.plan.pdf", "decks/buoi-mot.handout.pdf"]
DECK_TWO = [p.replace("buoi-mot", "buoi-hai") for p in DECK_ONE]


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file of an output but its cache, by its path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.relative_to(folder).as_posix().startswith(cache.CACHE)
    }


def assert_same_as_cold(root: Path, out: Path, cold: Path) -> None:
    shutil.rmtree(cold, ignore_errors=True)
    build(root, cold)
    ours, theirs = files_of(out), files_of(cold)
    assert sorted(ours) == sorted(theirs)
    differ = [p for p in ours if ours[p] != theirs[p]]
    assert differ == []


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tree(tmp_path_factory.mktemp("incremental") / "tree", TREE)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.slow
def test_rebuilds_remake_what_changed_and_match_a_cold_build(tree: Path, tmp_path: Path) -> None:
    """After a lesson, a deck, a fact, a bank and the glossary are edited in turn, each build
    remakes the outputs that read the edited file, keeps the others as they were (same inode)
    and leaves what a cold build writes; a build with nothing changed makes nothing."""
    out, cold = tmp_path / "out", tmp_path / "cold"
    first = build(tree, out)
    assert "book" in first.made and len(first.made) == 2 + 6 + 1
    untouched = (out / "notebooks" / "bai-mot.ipynb").stat().st_ino

    again = build(tree, out)
    assert again.made == [] and again.changed == []
    assert [str(p) for p in again.problems.items] == [str(p) for p in first.problems.items]

    # A heading is on the deck's slides and in the session plan's running order, not in the
    # handout: its document is as before, so the handout is kept.
    edit(tree / "course/lessons/bai-hai.md", "## Phần đầu", "## Phần mở đầu")
    made = build(tree, out).made
    assert sorted(made) == sorted(["notebooks/bai-hai.ipynb", *DECK_TWO[:2], "book"])
    assert (out / "notebooks" / "bai-mot.ipynb").stat().st_ino == untouched
    assert_same_as_cold(tree, out, cold)

    # Prose only: Sphinx writes that lesson's page (and the start page that lists it) again,
    # not the other lesson's, into the site it kept.
    kept_page = out / cache.BOOK_STATE / "html" / "bai-mot.html"
    written = kept_page.stat().st_mtime_ns
    edit(tree / "course/lessons/bai-hai.md", "phải {term}", "cần {term}")
    # The sentence is in the deck's speaker notes, in neither paper: they are kept, by a build
    # in a new process too (which has no deck or PDF of the last build in memory).
    papers = {p: (out / p).stat().st_ino for p in DECK_TWO[1:]}
    subprocess.run(
        [sys.executable, "-m", "builder", "build", "-q", "--root", str(tree), "--out", str(out)],
        check=True,
        timeout=600,
    )  # fmt: skip
    assert {p: (out / p).stat().st_ino for p in DECK_TWO[1:]} == papers
    assert kept_page.stat().st_mtime_ns == written
    assert_same_as_cold(tree, out, cold)

    edit(tree / "slides/decks/buoi-mot.yml", "title: Buổi tập huấn", "title: Buổi tập huấn mới")
    assert sorted(build(tree, out).made) == sorted(DECK_ONE)
    assert_same_as_cold(tree, out, cold)

    edit(tree / "course/facts.yml", "label: Số tổ", "label: Số tổ công nghệ số")
    assert len(build(tree, out).made) == 9  # every output reads the facts
    assert_same_as_cold(tree, out, cold)

    edit(tree / "quizzes/bai-mot.yml", "prompt: Có mấy trụ cột?", "prompt: Có bao nhiêu trụ cột?")
    assert len(build(tree, out).made) == 9
    assert_same_as_cold(tree, out, cold)

    edit(tree / "course/glossary.yml", "Người dân dùng công nghệ số.", "Người dân dùng số.")
    assert len(build(tree, out).made) == 9
    assert_same_as_cold(tree, out, cold)
    assert build(tree, out).made == []


class Unpickled:
    """A pickle that leaves a file behind when it is loaded: code run from a cache."""

    def __init__(self, mark: Path) -> None:
        self.mark = mark

    def __reduce__(self) -> tuple:
        return (Path.touch, (self.mark,))


def test_an_output_folder_shipped_with_a_tree_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A course tree may come with someone's ``_build`` in it. Its manifest, made on another
    machine, does not have the build publish its pages (a script put into one), and Sphinx
    never unpickles its environment (a pickle that runs code); everything is made here."""
    root = make_tree(tmp_path / "tree")
    out = root / "_build"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "theirs"))
    cache._key.cache_clear()
    build(root, out)
    # Their edits, sealed with their key: a script in the page, code in the environment.
    page = out / "book" / "bai-mot.html"
    page.write_text(page.read_text("utf-8").replace("</body>", "<script>evil()</script></body>"))
    manifest = json.loads((out / cache.MANIFEST).read_bytes())
    del manifest["seal"]
    manifest["outputs"]["book"]["files"]["book/bai-mot.html"] = cache.digest(page.read_bytes())
    manifest["outputs"]["book"]["stats"] = {}
    (out / cache.MANIFEST).write_bytes(cache.sealed_json(manifest))
    mark = tmp_path / "code-ran"
    doctrees = out / cache.BOOK_STATE / "doctrees"
    import pickle  # noqa: PLC0415

    (doctrees / "environment.pickle").write_bytes(pickle.dumps(Unpickled(mark)))
    assert build(root, out).made == []  # their machine trusts its own cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ours"))
    cache._key.cache_clear()
    try:
        again = build(root, out)
    finally:
        cache._key.cache_clear()
    assert "book" in again.made and len(again.made) == 5
    assert "evil()" not in page.read_text("utf-8")
    assert not mark.exists()
    assert (tmp_path / "ours" / cache.KEY_FILE).stat().st_mode & 0o077 == 0


def test_an_output_edited_in_place_is_made_again(tmp_path: Path) -> None:
    """A trainer who edits a deck inside the output folder gets the built deck back at the
    next build; a manifest that does not parse is ignored (the build is cold)."""
    root = make_tree(tmp_path / "tree")
    out = tmp_path / "out"
    build(root, out, deck="buoi-mot")
    deck = out / "decks" / "buoi-mot.pptx"
    built = deck.read_bytes()
    os.unlink(deck)
    deck.write_bytes(b"edited")
    assert build(root, out, deck="buoi-mot").made == ["decks/buoi-mot.pptx"]
    assert deck.read_bytes() == built
    (out / cache.MANIFEST).write_text("{not json", encoding="utf-8")
    assert len(build(root, out, deck="buoi-mot").made) == 3
    manifest = json.loads((out / cache.MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["outputs"]) == sorted(DECK_ONE)
    assert manifest["build"] is None  # one deck is not the whole output


def test_the_output_folders_are_the_stages_own() -> None:
    from builder.render import notebooks  # noqa: PLC0415
    from builder.render.book import site  # noqa: PLC0415
    from builder.render.decks import deck  # noqa: PLC0415

    assert (build_module.NOTEBOOKS, build_module.DECKS, build_module.BOOK) == (
        notebooks.FOLDER,
        deck.FOLDER,
        site.FOLDER,
    )


def test_inputs_change_with_any_source_byte(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "tree")
    before = cache.Inputs.read(root)
    assert "course/lessons/bai-mot.md" in before.files
    (root / "course" / "words.txt").write_text("VNeID\n", encoding="utf-8")
    after = cache.Inputs.read(root)
    assert before.everything("build") != after.everything("build")
    assert before.key("x", ["course/facts.yml"]) == after.key("x", ["course/facts.yml"])


def test_inputs_read_no_pipe_device_or_link_target(tmp_path: Path) -> None:
    """A course tree may hold anything: a named pipe (reading it would wait for ever), a link
    to a device (reading it would never end) or outside the tree. Their digests are their
    kind or target, and the build that follows reports them."""
    root = make_tree(tmp_path / "tree")
    os.mkfifo(root / "course" / "pipe.yml")
    os.symlink("/dev/zero", root / "course" / "zero.yml")
    inputs = cache.Inputs.read(root)
    assert inputs.files["course/pipe.yml"].startswith("special:")
    assert inputs.files["course/zero.yml"] == "link:/dev/zero"


def test_a_picture_beside_the_lessons_is_an_input_of_what_shows_it(tmp_path: Path) -> None:
    """A picture kept under course/lessons/ (beside the lesson that shows it) is read by the
    lesson's notebook, its page and its session's deck: changing it remakes them, and the
    output is a cold build's."""
    import io  # noqa: PLC0415

    from PIL import Image  # noqa: PLC0415

    def png(colour: str) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (40, 30), colour).save(out, "PNG")
        return out.getvalue()

    lesson = BASE["course/lessons/bai-mot.md"].replace(
        "## Phần đầu\n", "## Phần đầu\n\n![Sơ đồ các bước](hinh/so-do.png)\n", 1
    )
    root = make_tree(
        tmp_path / "tree",
        {"course/lessons/bai-mot.md": lesson, "course/lessons/hinh/so-do.png": png("#1f5f99")},
    )
    out, cold = tmp_path / "out", tmp_path / "cold"
    build(root, out)
    (root / "course/lessons/hinh/so-do.png").write_bytes(png("#b03a2e"))
    made = build(root, out).made
    assert "notebooks/bai-mot.ipynb" in made and "book" in made
    assert_same_as_cold(root, out, cold)


def test_what_a_process_keeps_is_bounded_by_count_and_size() -> None:
    """``cache.Kept``, behind the in-memory reuse of parsed texts, PDFs and decks: the least
    recently used go first when the count or the total size is over; a value larger than the
    room is made and not kept; a failure is not kept."""
    kept = cache.Kept(3, room=10)
    made: list[str] = []

    def make(name: str, size: int = 1) -> str:
        return kept.get(name, lambda: made.append(name) or name.upper(), size)

    assert [make("a"), make("b"), make("c"), make("a")] == ["A", "B", "C", "A"]
    assert made == ["a", "b", "c"]  # "a" came from memory
    make("d")  # four: "b", the least recently used, goes
    make("b")
    assert made == ["a", "b", "c", "d", "b"]
    make("big", 11)
    make("big", 11)
    assert made.count("big") == 2 and kept.used <= 10
    make("e", 9)  # over the room: the oldest go until it fits
    assert kept.used <= 10 and made[-1] == "e"
    make("e", 9)
    assert made.count("e") == 1

    def fails() -> str:
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        kept.get("x", fails)
    assert kept.get("x", lambda: "made") == "made"


def test_a_deck_whose_slides_are_as_before_gets_only_its_notes_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sentence of a lesson's prose is in its session deck's speaker notes, on no slide: the
    deck laid out by the last build in this process gets its notes written again, without
    laying a slide out, and is the deck a cold build makes."""
    tree = make_tree(tmp_path / "tree", TREE)
    out = tmp_path / "out"
    build(tree, out)
    edit(tree / "course/lessons/bai-hai.md", "phải {term}", "cần {term}")
    laid = []
    lay_out = slides.lay_out
    monkeypatch.setattr(slides, "lay_out", lambda *a: laid.append(a) or lay_out(*a))
    assert "decks/buoi-hai.pptx" in build(tree, out).made
    assert laid == []
    said = [
        s.notes_slide.notes_text_frame.text
        for s in Presentation(str(out / "decks/buoi-hai.pptx")).slides
    ]
    assert any("cần" in text for text in said) and not any("phải" in text for text in said)
    monkeypatch.undo()
    assert_same_as_cold(tree, out, tmp_path / "cold")


def test_an_edit_that_changes_no_page_keeps_the_site_whole(tmp_path: Path) -> None:
    """A comment in the glossary changes what the book is made from but none of its pages:
    Sphinx finds nothing out of date, and the site still gets its static and extra files
    (a walkthrough's build failed here: myst-nb found no _static/ to put its stylesheet in)."""
    tree = make_tree(tmp_path / "tree", TREE)
    out = tmp_path / "out"
    build(tree, out)
    glossary = tree / "course/glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "# ghi chú\n", encoding="utf-8")
    assert "book" in build(tree, out).made
    assert_same_as_cold(tree, out, tmp_path / "cold")
