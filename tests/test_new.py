"""``builder new``: the example course checks and builds clean, lessons get Vietnamese-safe ids
and join a module without losing course.yml's comments, and nothing is ever overwritten."""

from __future__ import annotations

import unicodedata
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from builder.checks.sources import SOURCES_DIR, verify_sources
from builder.cli import main
from builder.commands import check as checks
from builder.commands import new as new_module
from builder.commands.new import NewError, add_lesson, new, slug
from tests.helpers import BASE, make_tree

TEMPLATES = Path(str(resources.files("builder") / "templates"))


def run(*args: str, input: str | None = None):  # noqa: A002 - click's name
    return CliRunner().invoke(new, list(args), input=input, catch_exceptions=False)


def check(root: Path):
    """Every problem ``builder check`` reports for the tree."""
    course, problems = checks.check(root)
    assert course is not None
    return course, problems


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def scaffold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course written by ``builder new course``, left as written (tests copy it)."""
    root = tmp_path_factory.mktemp("new") / "khoa-hoc"
    result = run("course", str(root))
    assert result.exit_code == 0, result.output
    return root


def copy(scaffold: Path, tmp_path: Path) -> Path:
    root = tmp_path / "khoa"
    for rel, data in snapshot(scaffold).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


# --- new course -----------------------------------------------------------------------------


def test_the_example_course_checks_strict_and_builds(scaffold: Path, tmp_path: Path) -> None:
    root = copy(scaffold, tmp_path)
    cli = CliRunner()
    strict = cli.invoke(main, ["check", "--strict", "--root", str(root)], catch_exceptions=False)
    assert strict.exit_code == 0, strict.output
    assert "0 error(s), 0 warning(s)" in strict.output
    sources = cli.invoke(main, ["check", "--sources", "--root", str(root)])
    assert sources.exit_code == 0, sources.output
    assert "0 error(s), 0 warning(s)" in sources.output
    out = root / "_build"
    built = cli.invoke(
        main,
        ["build", "--strict", "-q", "--root", str(root), "--out", str(out)],
        catch_exceptions=False,
    )
    assert built.exit_code == 0, built.output
    assert {p.name for p in (out / "notebooks").glob("*.ipynb")} == {
        "dich-vu-cong-truc-tuyen-la-gi.ipynb",
        "nop-ho-so-truc-tuyen.ipynb",
    }
    assert (out / "decks" / "buoi-tap-huan.pptx").is_file()
    assert (out / "book" / "index.html").is_file()


def test_the_example_course_shows_every_feature(scaffold: Path) -> None:
    course, _ = check(scaffold)
    assert {q.type for q in course.questions.values()} == {
        "single", "multiple", "true-false", "numeric", "text", "matching", "ordering"
    }  # fmt: skip
    assert len(course.lessons) == 2 and len(course.decks) == 1
    deck = next(iter(course.decks.values()))
    assert deck.start and deck.date
    lessons = course.lessons.values()
    assert all(lesson.meta.slides.objectives and lesson.meta.slides.keypoints for lesson in lessons)
    text = "".join(
        (scaffold / "course" / "lessons" / f"{lesson.id}.md").read_text(encoding="utf-8")
        for lesson in lessons
    )
    for feature in ("{fact}`", "{term}`", "{slide}", "{notes}", ":minutes:", "{quiz}", "{chart}"):
        assert feature in text, feature
    assert "\n% " in text  # MyST comments teach the author
    assert (scaffold / SOURCES_DIR / "ban-tin-mau.txt").is_file()
    assert not verify_sources(course, scaffold / SOURCES_DIR)


def test_every_template_is_nfc_utf8() -> None:
    files = [p for p in TEMPLATES.rglob("*") if p.is_file() and p.suffix in (".md", ".yml", ".txt")]
    assert len(files) >= 13
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), path


def test_a_title_is_quoted_into_course_yml(tmp_path: Path) -> None:
    title = 'Kỹ năng số: "cơ bản" # cho người dân \\ 2025'
    result = run("course", str(tmp_path / "k"), "--title", unicodedata.normalize("NFD", title))
    assert result.exit_code == 0, result.output
    course, problems = check(tmp_path / "k")
    assert course.info.title == title
    assert not problems.errors(strict=True), problems.sorted()
    written = (tmp_path / "k" / "course" / "course.yml").read_text(encoding="utf-8")
    template = (TEMPLATES / "new_course" / "course" / "course.yml").read_text(encoding="utf-8")
    assert len(written.splitlines()) == len(template.splitlines())


def test_new_course_never_writes_into_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("của tôi", encoding="utf-8")
    result = run("course", str(tmp_path))
    assert result.exit_code == 2
    assert result.output.startswith(f"{tmp_path}: the folder is not empty")
    assert snapshot(tmp_path) == {"notes.txt": "của tôi".encode()}
    assert run("course", str(tmp_path / "notes.txt")).exit_code == 2
    bad = run("course", str(tmp_path / "x"), "--title", "  ")
    assert bad.exit_code == 2 and "title is empty" in bad.output
    assert not (tmp_path / "x").exists()


def test_new_course_into_an_empty_folder(tmp_path: Path) -> None:
    result = run("course", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "course/course.yml" in result.output and "builder build" in result.output


# --- new lesson -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Kỹ năng số cho người cao tuổi", "ky-nang-so-cho-nguoi-cao-tuoi"),
        ("Đường dây nóng ở Đà Nẵng", "duong-day-nong-o-da-nang"),
        ("  An toàn   thông tin -- cơ bản!  ", "an-toan-thong-tin-co-ban"),
        ("Bài 2.1: (nâng cao) & ôn tập?", "bai-2-1-nang-cao-on-tap"),
        ("Ứng dụng “VNeID”", "ung-dung-vneid"),
        (unicodedata.normalize("NFD", "Thương mại điện tử"), "thuong-mai-dien-tu"),
        ("???", ""),
        ("Σ 中文", ""),
    ],
)
def test_slug(title: str, expected: str) -> None:
    assert slug(title) == expected


def test_new_lesson_joins_its_module_and_checks_clean(scaffold: Path, tmp_path: Path) -> None:
    root = copy(scaffold, tmp_path)
    before = (root / "course" / "course.yml").read_text(encoding="utf-8")
    result = run("lesson", "Kỹ năng số cho người cao tuổi", "--root", str(root))
    assert result.exit_code == 0, result.output
    path = root / "course" / "lessons" / "ky-nang-so-cho-nguoi-cao-tuoi.md"
    assert str(path) in result.output and "builder check" in result.output
    after = (root / "course" / "course.yml").read_text(encoding="utf-8")
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added == ["      - ky-nang-so-cho-nguoi-cao-tuoi"]
    assert [line for line in after.splitlines() if line not in added] == before.splitlines()
    course, problems = check(root)
    assert course.lessons["ky-nang-so-cho-nguoi-cao-tuoi"].meta.title == (
        "Kỹ năng số cho người cao tuổi"
    )
    assert course.info.modules[0].lessons[-1] == "ky-nang-so-cho-nguoi-cao-tuoi"
    assert not problems, problems.sorted()


def test_new_lesson_never_overwrites(scaffold: Path, tmp_path: Path) -> None:
    root = copy(scaffold, tmp_path)
    files = snapshot(root)
    result = run("lesson", "Nộp hồ sơ -- trực tuyến!", "--root", str(root))
    assert result.exit_code == 2
    existing = root / "course" / "lessons" / "nop-ho-so-truc-tuyen.md"
    assert result.output.startswith(f"{existing}: a lesson with the id 'nop-ho-so-truc-tuyen'")
    empty = run("lesson", "?!", "--root", str(root))
    assert empty.exit_code == 2 and "gives no lesson id" in empty.output
    assert snapshot(root) == files


def test_new_lesson_needs_a_course(tmp_path: Path) -> None:
    result = run("lesson", "Bài mới", "--root", str(tmp_path))
    assert result.exit_code == 2
    assert result.output.startswith(f"{tmp_path / 'course' / 'course.yml'}: no course here")
    assert snapshot(tmp_path) == {}


TWO_MODULES = BASE["course/course.yml"] + (
    "  # the second module: exercises\n  - id: hai\n    title: Học phần hai\n"
    "    lessons: [bai-mot-b]   # one so far\n"
)


def two_modules(tmp_path: Path) -> Path:
    root = make_tree(tmp_path, {"course/course.yml": TWO_MODULES})
    lesson = BASE["course/lessons/bai-mot.md"].split("\n## ")[0] + "\n## Phần\n\nNội dung.\n"
    (root / "course" / "lessons" / "bai-mot-b.md").write_text(lesson, encoding="utf-8")
    return root


def test_several_modules_without_a_terminal_need_module(tmp_path: Path) -> None:
    root = two_modules(tmp_path)
    files = snapshot(root)
    result = run("lesson", "Bài mới", "--root", str(root))
    assert result.exit_code == 2
    assert "choose one with --module: mot, hai" in result.output
    assert snapshot(root) == files
    unknown = run("lesson", "Bài mới", "--module", "ha", "--root", str(root))
    assert unknown.exit_code == 2 and "no module 'ha' (did you mean 'hai'?)" in unknown.output
    assert snapshot(root) == files
    chosen = run("lesson", "Bài mới", "--module", "hai", "--root", str(root))
    assert chosen.exit_code == 0, chosen.output
    text = (root / "course" / "course.yml").read_text(encoding="utf-8")
    assert text == TWO_MODULES.replace("[bai-mot-b]", "[bai-mot-b, bai-moi]")
    quoted = run("lesson", 'Bài 2: "Mật khẩu" #1', "--module", "mot", "--root", str(root))
    assert quoted.exit_code == 0, quoted.output
    course, problems = check(root)
    assert course.lessons["bai-2-mat-khau-1"].meta.title == 'Bài 2: "Mật khẩu" #1'
    assert course.info.modules[0].lessons == ["bai-mot", "bai-2-mat-khau-1"]
    assert not problems.errors(), problems.sorted()


def test_several_modules_at_a_terminal_ask_which(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = two_modules(tmp_path)
    monkeypatch.setattr(new_module, "_interactive", lambda: True)
    result = run("lesson", "Bài mới", "--root", str(root), input="3\n2\n")
    assert result.exit_code == 0, result.output
    assert "1. mot: Học phần một" in result.output and "2. hai: Học phần hai" in result.output
    course, problems = check(root)
    assert course.info.modules[1].lessons == ["bai-mot-b", "bai-moi"]
    assert not problems.errors(), problems.sorted()


LAYOUTS = {
    "block, comments": (
        "# the course\ntitle: T  # title\nmodules:\n  # first\n  - id: m\n    title: M\n"
        "    lessons:\n      - a   # first lesson\n      # - b (not yet)\n\n  - id: n\n"
        "    title: N\n    lessons:\n    - c\n",
        "      - a   # first lesson\n      - new\n      # - b (not yet)\n",
    ),
    "flow": ("modules:\n- id: m\n  title: M\n  lessons: [a,  b ]  # x\n", "[a,  b, new ]  # x"),
    "empty flow": ("modules:\n  - {id: m, title: M, lessons: []}\n", "lessons: [new]}"),
    "null": ("modules:\n  - id: m\n    title: M\n    lessons:\n", "    lessons:\n      - new\n"),
    "crlf": ("modules:\r\n  - id: m\r\n    lessons:\r\n      - a\r\n", "  - a\r\n      - new\r\n"),
    "unended": ("modules:\n  - id: m\n    lessons:\n      - a", "      - a\n      - new\n"),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_add_lesson_keeps_every_line(layout: str) -> None:
    text, expected = LAYOUTS[layout]
    edited = add_lesson(text, "m", "new")
    assert expected in edited
    yaml = YAML(typ="safe")
    assert yaml.load(edited)["modules"][0]["lessons"] == [
        *(yaml.load(text)["modules"][0]["lessons"] or []),
        "new",
    ]
    before, after = text.splitlines(keepends=True), edited.splitlines(keepends=True)
    if "[" in text:  # one line changed
        assert [a for a, b in zip(before, after, strict=True) if a != b] == [
            next(line for line in before if "[" in line)
        ]
    else:  # one line added
        kept = [line for line in edited.splitlines() if "- new" not in line]
        assert kept == text.splitlines()


def test_add_lesson_refuses_a_layout_it_cannot_edit() -> None:
    text = "modules:\n  - id: m\n    title: M\n    lessons: [a,\n      b]\n"
    with pytest.raises(NewError, match="add 'new' under its 'lessons:' by hand"):
        add_lesson(text, "m", "new")


def test_the_bundled_course_yml_keeps_its_comments() -> None:
    path = Path(__file__).resolve().parent.parent / "course" / "course.yml"
    text = path.read_text(encoding="utf-8")
    edited = add_lesson(text, "chinh-quyen-so", "bai-moi")
    lines, before = edited.splitlines(), text.splitlines()
    at = lines.index("      - bai-moi")
    assert lines[:at] + lines[at + 1 :] == before
    assert lines[at - 1] == "      - dich-vu-cong-truc-tuyen"


# --- new quiz and new deck ------------------------------------------------------------------


def test_new_quiz_writes_one_question_of_each_type(scaffold: Path, tmp_path: Path) -> None:
    root = copy(scaffold, tmp_path)
    result = run("quiz", "nop-ho-so-truc-tuyen", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "```{quiz}" in result.output and ":tags: nop-ho-so-truc-tuyen" in result.output
    course, problems = check(root)
    assert not problems, problems.sorted()
    bank = [q for q in course.questions.values() if q.bank == "nop-ho-so-truc-tuyen"]
    assert len({q.type for q in bank}) == 7
    assert all(q.id.startswith("nop-ho-so-truc-tuyen-") for q in bank)
    # placed as the command says, they check clean
    lesson = root / "course" / "lessons" / "nop-ho-so-truc-tuyen.md"
    ids = " ".join(q.id for q in bank)
    lesson.write_text(
        lesson.read_text(encoding="utf-8") + f"\n```{{quiz}}\n:questions: {ids}\n```\n",
        encoding="utf-8",
    )
    _, problems = check(root)
    assert not problems.errors(), problems.sorted()
    files = snapshot(root)
    again = run("quiz", "nop-ho-so-truc-tuyen", "--root", str(root))
    assert again.exit_code == 2 and "already exists" in again.output
    assert snapshot(root) == files


def test_new_quiz_suggests_lessons(scaffold: Path, tmp_path: Path) -> None:
    root = copy(scaffold, tmp_path)
    files = snapshot(root)
    near = run("quiz", "nop-ho-so", "--root", str(root))
    assert near.exit_code == 2
    assert "no such lesson (did you mean 'nop-ho-so-truc-tuyen'?)" in near.output
    title = run("quiz", "Nộp hồ sơ trực tuyến", "--root", str(root))
    assert title.exit_code == 2 and "'nop-ho-so-truc-tuyen'" in title.output
    assert snapshot(root) == files


def test_new_deck_teaches_the_first_module(scaffold: Path, tmp_path: Path) -> None:
    root = copy(scaffold, tmp_path)
    result = run("deck", "tap-huan-2", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "builder build --deck tap-huan-2" in result.output
    course, problems = check(root)
    assert not problems, problems.sorted()
    deck = course.decks["tap-huan-2"]
    assert deck.lessons == ["dich-vu-cong-truc-tuyen-la-gi", "nop-ho-so-truc-tuyen"]
    assert deck.title == course.info.title
    files = snapshot(root)
    assert run("deck", "tap-huan-2", "--root", str(root)).exit_code == 2
    bad = run("deck", "Tập huấn 2", "--root", str(root))
    assert bad.exit_code == 2 and "(e.g. 'tap-huan-2')" in bad.output
    assert snapshot(root) == files


def test_every_subcommand_has_an_example_in_its_help() -> None:
    for name in ("course", "lesson", "quiz", "deck"):
        result = run(name, "--help")
        assert result.exit_code == 0
        assert f"builder new {name} " in result.output.split("Example:")[1]
