"""``builder new``: start a course, a lesson, a question bank or a training session from the
commented examples shipped in ``builder/templates/``; never overwrite a file.

The templates are copied as they are: no template engine runs over their text. The only
changes are literal ones: a title (the course's, a new lesson's, a session's) put in place of
the template's own as a double-quoted YAML string, a lesson id (checked to be an id) in place
of ``LESSON_ID`` in a question bank, and lesson ids appended to a session's ``lessons:``.
``course/course.yml`` is edited line by line (a new lesson id under its module's ``lessons:``),
so its comments and layout stay as the author wrote them; the edit is checked by parsing the
result before anything is written.
"""

from __future__ import annotations

import difflib
import json
import re
import shlex
import sys
import unicodedata
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from builder.commands import options
from builder.course import readers, schema
from builder.course.load import COURSE_FILE, DECKS_DIR, LESSONS_DIR, QUIZZES_DIR, load_course
from builder.course.model import Course

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

USER_ERROR = 2  # the exit status of a user's mistake, as in builder.cli
TITLE_LIMIT = 200  # characters, as course files allow a title (text.too-long)
COURSE_TITLE_LINE = 'title: "Dùng dịch vụ công trực tuyến"\n'  # in new_course/course/course.yml
LESSON_TITLE_LINE = 'title: "Tên bài học"\n'  # in new_lesson.md
DECK_TITLE_LINE = 'title: "Buổi tập huấn"\n'  # in new_deck.yml
LESSON_TOKEN = "LESSON_ID"  # in new_quiz.yml


class NewError(click.ClickException):
    """A user's mistake, printed as ``path: message`` with exit status 2 and no traceback."""

    exit_code = USER_ERROR

    def __init__(self, path: Path | str | None, message: str) -> None:
        super().__init__(f"{path}: {message}" if path is not None else message)

    def show(self, file: Any = None) -> None:  # noqa: ANN401 - click's signature
        click.echo(self.format_message(), err=True)


# --- the command group ----------------------------------------------------------------------

ROOT = options.root("Course tree to add to (holds course/, quizzes/, slides/).")


@click.group(name="new", context_settings={"help_option_names": ["-h", "--help"]})
def new() -> None:
    """Start a course, or add a lesson, a question bank or a training session to one, from
    commented examples. Never overwrites a file.

    \b
    Example:
      builder new course khoa-hoc-moi --title "Kỹ năng số cho người dân"
    """


@new.command(name="course", short_help="Start a course from a small, complete example.")
@click.argument("folder", type=click.Path(path_type=Path), metavar="DIR")
@click.option("--title", default=None, help="The course's title (default: the example's).")
def new_course(folder: Path, title: str | None) -> None:
    """Write a small, complete example course into DIR, a new or empty folder: two lessons, a
    question bank with every question type, a training session, facts quoted from a source
    text, a glossary. Every file is commented to show how it works; edit them into your
    course.

    \b
    Example:
      builder new course khoa-hoc-moi --title "Kỹ năng số cho người dân"
    """
    title = _title(title, "--title") if title is not None else None
    created = write_course(folder, title)
    click.echo(f"Created a course in {folder}:")
    for path in created:
        click.echo(f"  {path.relative_to(folder).as_posix()}")
    _next(
        [f"cd {shlex.quote(str(folder))}", "builder check", "builder build"],
        "then open _build/book/index.html in a browser; the notebooks and the decks are "
        "beside it in _build/",
    )


@new.command(name="lesson", short_help="Add a lesson and list it in a module.")
@click.argument("title")
@click.option(
    "--module",
    "module",
    default=None,
    metavar="ID",
    help="The module (an id from course/course.yml) to add the lesson to; asked when the "
    "course has several.",
)
@ROOT
def new_lesson(title: str, module: str | None, root: Path) -> None:
    """Write course/lessons/<id>.md, a lesson to fill in, and add it to a module in
    course/course.yml. The id is the title without accents, in lowercase with hyphens.

    \b
    Example:
      builder new lesson "Kỹ năng số cho người cao tuổi" --module nhap-mon
    """
    title = _title(title, "TITLE")
    lesson_id = slug(title)
    if not lesson_id:
        raise NewError(
            None, f"the title {title!r} gives no lesson id: it needs letters (a-z) or digits"
        )
    course = _course(root)
    path = root / LESSONS_DIR / f"{lesson_id}.md"
    if path.exists() or path.is_symlink():
        raise NewError(
            path,
            f"a lesson with the id '{lesson_id}' already exists; edit it, or give the new "
            "lesson another title",
        )
    listed = [m.id for m in course.info.modules if lesson_id in m.lessons]
    course_yml = root / COURSE_FILE
    chosen = None if listed else _module(course, module, course_yml)
    edited = None
    if chosen is not None:
        data = course_yml.read_bytes()
        edited = add_lesson(_decode(data, course_yml), chosen, lesson_id, course_yml)
        edited = _encode(edited, data)
    text = _template("new_lesson.md")
    lesson = _replace_once(text, LESSON_TITLE_LINE, f"title: {yaml_string(title)}\n")
    _create(path, lesson.encode("utf-8"))
    click.echo(f"Created {path.as_posix()}")
    if edited is not None:
        course_yml.write_bytes(edited)
        click.echo(f"Added '{lesson_id}' to the module '{chosen}' in {course_yml.as_posix()}")
    else:
        click.echo(f"'{lesson_id}' is already listed in the module '{listed[0]}'")
    _next(
        ["builder check" + _root_option(root), "builder build" + _root_option(root)],
        "write the lesson, then check it and build the course",
    )


@new.command(name="quiz", short_help="Add a bank of example questions for a lesson.")
@click.argument("lesson", metavar="LESSON")
@ROOT
def new_quiz(lesson: str, root: Path) -> None:
    """Write quizzes/LESSON.yml, a question bank for the lesson LESSON (its id, the lesson's
    file name without .md) with an example of each of the seven question types, and show
    how to place them in the lesson.

    \b
    Example:
      builder new quiz ky-nang-so-cho-nguoi-cao-tuoi
    """
    course = _course(root)
    lesson_path = root / LESSONS_DIR / f"{lesson}.md"
    if schema.is_id(lesson) is not None or not lesson_path.is_file():
        known = sorted(course.lessons)
        raise NewError(lesson_path, "no such lesson" + _did_you_mean(lesson, known))
    path = root / QUIZZES_DIR / f"{lesson}.yml"
    if path.exists() or path.is_symlink():
        raise NewError(path, "the question bank already exists; add questions to it there")
    text = _template("new_quiz.yml").replace(LESSON_TOKEN, lesson)
    ids = re.findall(r"^- id: (\S+)$", text, flags=re.MULTILINE)
    for question_id in ids:
        taken = course.questions.get(question_id)
        if taken is not None:
            raise NewError(
                root / QUIZZES_DIR / f"{taken.bank}.yml",
                f"a question with the id '{question_id}' already exists there; rename it, "
                "then run this again",
            )
    _create(path, text.encode("utf-8"))
    click.echo(f"Created {path.as_posix()} with {len(ids)} example questions, one of each type.")
    click.echo(
        f"Replace them with questions about the lesson, then place them in "
        f"{lesson_path.as_posix()} with a {{quiz}} directive, by id:"
    )
    click.echo("")
    click.echo("```{quiz} Ôn tập")
    click.echo(":questions: " + " ".join(ids[:3]))
    click.echo("```")
    click.echo("")
    click.echo("or drawn by the lesson's tag (the same questions at every build):")
    click.echo("")
    click.echo("```{quiz}")
    click.echo(f":tags: {lesson}")
    click.echo(":count: 3")
    click.echo("```")
    click.echo("")
    click.echo("Count a minute per question in the lesson's 'duration: exercises'.")
    _next(["builder check" + _root_option(root)], "then build the course")


@new.command(name="deck", short_help="Add a training session (a trainer's deck).")
@click.argument("name", metavar="NAME")
@ROOT
def new_deck(name: str, root: Path) -> None:
    """Write slides/decks/NAME.yml, a training session teaching the lessons of the course's
    first module, with every setting a session takes explained. NAME is the session's id:
    lowercase letters, digits and hyphens.

    \b
    Example:
      builder new deck tap-huan-thang-9
    """
    if schema.is_id(name) is not None:
        hint = slug(name)
        raise NewError(
            None,
            f"{name!r} is not a session id: use lowercase letters a-z, digits and hyphens"
            + (f" (e.g. '{hint}')" if hint else ""),
        )
    course = _course(root)
    path = root / DECKS_DIR / f"{name}.yml"
    if path.exists() or path.is_symlink():
        raise NewError(path, "the session already exists; edit it, or choose another name")
    modules = [
        (m, [lesson for lesson in m.lessons if lesson in course.lessons])
        for m in course.info.modules
    ]
    module, lessons = next(((m, ls) for m, ls in modules if ls), (None, []))
    if module is None:
        raise NewError(
            root / COURSE_FILE,
            "no module lists a lesson yet; add one first (builder new lesson TITLE)",
        )
    text = _template("new_deck.yml")
    text = _replace_once(text, DECK_TITLE_LINE, f"title: {yaml_string(course.info.title)}\n")
    text += "".join(f"  - {lesson}\n" for lesson in lessons)
    _create(path, text.encode("utf-8"))
    click.echo(
        f"Created {path.as_posix()}: a session of the {len(lessons)} lesson(s) of the module "
        f"'{module.id}'"
    )
    _next(
        [
            "builder check" + _root_option(root),
            f"builder build --deck {name}" + _root_option(root),
        ],
        "then open the deck, its session plan and handout in "
        + (root / "_build" / "decks").as_posix(),
    )


# --- the course ----------------------------------------------------------------------------


def write_course(folder: Path, title: str | None = None) -> list[Path]:
    """Copy the example course into ``folder`` (new or empty), with ``title`` as the course's
    title when given; return the files written, in order."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise NewError(folder, "is not a folder; give a new folder for the course")
    if folder.is_dir() and any(folder.iterdir()):
        raise NewError(
            folder,
            "the folder is not empty; give a new or empty folder for the course "
            "(nothing was written)",
        )
    files = sorted(_walk(resources.files("builder") / "templates" / "new_course"))
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for rel, source in files:
        data = source.read_bytes()
        if rel == COURSE_FILE and title is not None:
            text = _replace_once(
                data.decode("utf-8"), COURSE_TITLE_LINE, f"title: {yaml_string(title)}\n"
            )
            data = text.encode("utf-8")
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        _create(path, data)
        written.append(path)
    return written


def _walk(folder: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    """Every file under a template folder, with its path relative to it."""
    for entry in folder.iterdir():
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        rel = f"{prefix}{entry.name}"
        if entry.is_dir():
            yield from _walk(entry, rel + "/")
        else:
            yield rel, entry


# --- lesson ids and titles -----------------------------------------------------------------


def slug(title: str) -> str:
    """The id a title gives: accents dropped (đ as d), lowercase ASCII letters and digits,
    anything else one hyphen; '' when nothing is left."""
    text = title.replace("đ", "d").replace("Đ", "D").lower()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def yaml_string(text: str) -> str:
    """``text`` as a double-quoted YAML scalar (JSON's string escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _title(title: str, name: str) -> str:
    """A title as a course file holds it: NFC, one line, no control characters, not empty."""
    title = unicodedata.normalize("NFC", title).strip()
    bad = next((c for c in title if unicodedata.category(c)[0] == "C" or c in "\u2028\u2029"), "")
    if bad:
        raise NewError(None, f"{name}: the title holds a control character (U+{ord(bad):04X})")
    if not title:
        raise NewError(None, f"{name}: the title is empty")
    if len(title) > TITLE_LIMIT:
        raise NewError(
            None, f"{name}: the title is {len(title)} characters; keep it to {TITLE_LIMIT}"
        )
    return title


def _did_you_mean(name: str, known: list[str], kind: str = "lessons") -> str:
    """' (did you mean ...?)' with the closest ids, the one a title gives first; else the
    ids there are."""
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    if slug(name) in known and slug(name) not in close:
        close.insert(0, slug(name))
    if close:
        return " (did you mean " + " or ".join(f"'{c}'" for c in close) + "?)"
    if known:
        return f"; the {kind} are " + ", ".join(known)
    return f"; the course has no {kind} yet"


# --- course.yml ----------------------------------------------------------------------------


def _course(root: Path) -> Course:
    """The course under ``root``; a user error when course.yml cannot be used."""
    path = root / COURSE_FILE
    if not path.is_file():
        raise NewError(
            path,
            "no course here; run this in the folder that holds course/, or pass --root DIR "
            "(builder new course DIR starts a course)",
        )
    course, problems = load_course(root)
    if course is None:
        first = next(iter(problems.sorted()), None)
        detail = f" ({first})" if first is not None else ""
        raise NewError(path, "cannot read the course; fix it first (builder check)" + detail)
    return course


def _module(course: Course, wanted: str | None, where: Path) -> str:
    """The id of the module to add a lesson to: ``wanted``, the only one, or the author's
    choice when they can be asked."""
    modules = course.info.modules
    ids = [m.id for m in modules]
    if wanted is not None:
        if wanted not in ids:
            raise NewError(where, f"no module '{wanted}'" + _did_you_mean(wanted, ids, "modules"))
        return wanted
    if not modules:
        raise NewError(where, "the course has no module yet; add one under 'modules:'")
    if len(modules) == 1:
        return ids[0]
    if not _interactive():
        raise NewError(
            where,
            "the course has several modules; choose one with --module: " + ", ".join(ids),
        )
    for number, module in enumerate(modules, 1):
        click.echo(f"  {number}. {module.id}: {module.title}")
    choice = click.prompt(
        "Add the lesson to which module? (number)", type=click.IntRange(1, len(ids))
    )
    return ids[choice - 1]


def _interactive() -> bool:
    """Whether the author can be asked (standard input is a terminal)."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except ValueError:  # closed
        return False


def add_lesson(text: str, module: str, lesson: str, where: Path | str = COURSE_FILE) -> str:
    """``text`` (course.yml) with ``lesson`` appended to ``module``'s lessons, every other line
    as it was; a ``NewError`` when the file is written in a form this cannot edit safely."""
    try:
        edited = readers.append_to_list(text, ("modules", ("id", module), "lessons"), lesson)
    except readers.ListNotFound:
        raise NewError(where, f"no module '{module}'") from None
    except ValueError as exc:
        raise NewError(where, f"cannot read the file ({exc}); fix it first") from exc
    if edited is None:
        raise NewError(
            where,
            f"cannot add the lesson to the module '{module}' safely in this file's layout; add "
            f"'{lesson}' under its 'lessons:' by hand (nothing was written)",
        )
    return edited


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NewError(path, "not UTF-8; save it as UTF-8 first") from exc


def _encode(text: str, original: bytes) -> bytes:
    """``text`` as UTF-8, with the byte order mark the original had."""
    bom = b"\xef\xbb\xbf" if original.startswith(b"\xef\xbb\xbf") else b""
    return bom + text.encode("utf-8")


# --- files ---------------------------------------------------------------------------------


def _template(name: str) -> str:
    return (resources.files("builder") / "templates" / name).read_text(encoding="utf-8")


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the template lost its line {old!r}"
    return text.replace(old, new)


def _create(path: Path, data: bytes) -> None:
    """Write a new file; never replace one (the check and the creation are one step)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("xb") as handle:
            handle.write(data)
    except FileExistsError as exc:
        raise NewError(path, "already exists; nothing was overwritten") from exc


def _root_option(root: Path) -> str:
    return "" if root == Path(".") else f" --root {shlex.quote(root.as_posix())}"


def _next(commands: list[str], then: str) -> None:
    click.echo("Next:")
    for command in commands:
        click.echo(f"  {command}")
    click.echo(f"  ({then})")
