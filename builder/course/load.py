"""Load a course tree into one ``Course`` model, collecting every problem on the way."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from builder.course import markup, readers, schema
from builder.course.model import (
    Course,
    CourseInfo,
    Deck,
    Fact,
    Lesson,
    Question,
    Source,
    Term,
    Theme,
)
from builder.problems import Problems, Where

COURSE_FILE = "course/course.yml"
FACTS_FILE = "course/facts.yml"
SOURCES_FILE = "course/sources.yml"
GLOSSARY_FILE = "course/glossary.yml"
LESSONS_DIR = "course/lessons"
DECKS_DIR = "slides/decks"
THEME_FILE = "slides/theme.yml"
COURSE_TEMPLATE = "slides/template.pptx"  # a course's own deck template
QUIZZES_DIR = "quizzes"

T = TypeVar("T")
# The word for one entry of each list file, in messages: 'question 3, choice 2: ...'.
NOUNS = {"Fact": "fact", "Source": "source", "Term": "term", "Question": "question"}


def load_course(root: Path) -> tuple[Course | None, Problems]:
    """Read every source file under ``root``; the course is ``None`` if course.yml is unusable."""
    problems = Problems()
    info = _load_record(root, COURSE_FILE, CourseInfo, problems, required=True)
    invalid_records: set[str] = set()
    facts = _load_list(root, FACTS_FILE, Fact, problems, invalid_records)
    sources = _load_list(root, SOURCES_FILE, Source, problems, invalid_records)
    glossary = _load_list(root, GLOSSARY_FILE, Term, problems, invalid_records)
    trusted = info.allow_raw_html if info is not None else False
    lessons, broken_lessons = _load_lessons(root, problems, trusted)
    decks = _load_decks(root, problems)
    theme = _load_record(root, THEME_FILE, Theme, problems, required=False)
    questions: list[Question] = []
    invalid: set[str] = set()
    broken_banks: set[str] = set()
    for path in _files(root, QUIZZES_DIR, ".yml", problems):
        before = len(problems.errors())
        bank = _load_list(root, f"{QUIZZES_DIR}/{path.name}", Question, problems, invalid)
        if not bank and len(problems.errors()) > before:
            broken_banks.add(path.stem)
        for question in bank:
            question.bank = path.stem
        questions += bank
    if info is None:
        return None, problems
    course = Course(
        root=str(root),
        info=info,
        lessons=lessons,
        facts=_by_id(facts, FACTS_FILE, "fact", problems),
        sources=_by_id(sources, SOURCES_FILE, "source", problems),
        glossary=glossary,
        decks=decks,
        theme=theme if theme is not None else Theme(),
        questions=_by_id(questions, QUIZZES_DIR, "question", problems),
        invalid_questions=invalid,
        broken_lessons=broken_lessons,
        broken_banks=broken_banks,
        invalid_records=invalid_records,
    )
    return course, problems


# What an empty file should hold instead, by kind.
EMPTY_HINTS = {
    COURSE_FILE: "it needs at least 'title', 'audiences' and 'modules'",
    THEME_FILE: "delete it to use the default theme, or set 'colours' or the fonts",
}


def _read_yaml(root: Path, rel: str, problems: Problems, *, required: bool) -> Any:
    """Parsed YAML of one file, or ``None`` when it is absent, empty or broken (with a problem)."""
    path = root / rel
    where = Where(rel, 1)
    if not path.is_file() and not path.is_symlink():
        if required:
            problems.error(where, "file.missing", f"{rel} is required but does not exist")
        return None
    if not inside(root, path, where, problems):
        return None
    text = readers.read_text(path, where, problems)
    if text is None:
        return None
    node = readers.parse_yaml(text, where, problems)
    if node is None and not problems.at(rel):
        hint = EMPTY_HINTS.get(rel, "list its entries, each starting '- ', or delete the file")
        if rel.startswith(DECKS_DIR):
            hint = "a session needs at least 'title' and 'lessons', or delete the file"
        problems.error(where, "file.empty", f"{rel} is empty; {hint}")
    return node


def inside(root: Path, path: Path, where: Where, problems: Problems) -> bool:
    """Whether ``path`` (after symlinks) lies inside the course tree; a problem if not."""
    try:
        real = path.resolve()
        real.relative_to(root.resolve())
    except ValueError:
        problems.error(
            where,
            "path.outside",
            f"{where.path} resolves outside the course tree (to {real}); copy it into the "
            "tree instead of linking to it",
        )
        return False
    except (OSError, RuntimeError) as exc:  # a symlink loop
        problems.error(where, "path.outside", f"{where.path} cannot be followed: {exc}")
        return False
    return True


def _files(root: Path, folder: str, suffix: str, problems: Problems) -> list[Path]:
    """The files of one source folder, sorted; the folder itself must lie inside the tree."""
    path = root / folder
    if not path.is_dir() or not inside(root, path, Where(folder, 1), problems):
        return []
    return sorted(p for p in path.iterdir() if p.name.endswith(suffix) and not p.is_dir())


def _load_record(
    root: Path, rel: str, cls: type[T], problems: Problems, *, required: bool
) -> T | None:
    node = _read_yaml(root, rel, problems, required=required)
    if node is None:
        return None
    return schema.load(cls, node, Where(rel, 1), problems)


def _load_list(
    root: Path,
    rel: str,
    cls: type[T],
    problems: Problems,
    invalid: set[str] | None = None,
) -> list[T]:
    """A file holding a YAML list of records; ids of unusable records go to ``invalid``."""
    node = _read_yaml(root, rel, problems, required=False)
    if node is None:
        return []
    where = Where(rel, 1)
    if not isinstance(node, list):
        problems.error(where, "file.shape", f"{rel} must be a list of entries, each starting '- '")
        return []
    records = []
    for index, item in enumerate(node):
        line = readers.item_line(node, index, 0)
        name = schema.Name().item(index, NOUNS[cls.__name__])
        record = schema.load(cls, item, where, problems, label=name, line=line)
        if record is not None:
            records.append(record)
        elif invalid is not None and isinstance(item, dict):
            # remembered so that references to it are not also reported as unknown
            name = item.get("id", item.get("term"))
            if isinstance(name, str):
                invalid.add(name if "id" in item else name.casefold())
    return records


def _by_id(records: list[T], rel: str, kind: str, problems: Problems) -> dict[str, T]:
    """Index records by id, reporting duplicates at the second definition."""
    out: dict[str, T] = {}
    for record in records:
        rid = record.id  # type: ignore[attr-defined]
        if rid in out:
            earlier = out[rid].where  # type: ignore[attr-defined]
            here = record.where  # type: ignore[attr-defined]
            first = (
                f"line {earlier.line}"
                if earlier.path == here.path
                else f"{earlier.path}:{earlier.line}"
            )
            problems.error(
                record.where,  # type: ignore[attr-defined]
                "id.duplicate",
                f"duplicate {kind} id '{rid}' (first defined at {first})",
            )
            continue
        out[rid] = record
    return out


def _load_lessons(
    root: Path, problems: Problems, trusted: bool
) -> tuple[dict[str, Lesson], set[str]]:
    """Every ``course/lessons/*.md``, keyed by file name without extension; and the ids of
    lesson files that could not be read."""
    lessons: dict[str, Lesson] = {}
    broken: set[str] = set()
    for path in _files(root, LESSONS_DIR, ".md", problems):
        rel = f"{LESSONS_DIR}/{path.name}"
        where = Where(rel, 1)
        lesson_id = path.stem
        message = schema.is_id(lesson_id)
        if message:
            problems.error(where, "lesson.id", f"the file name (lesson id) {message}")
            continue
        broken.add(lesson_id)
        if not inside(root, path, where, problems):
            continue
        text = readers.read_text(path, where, problems)
        if text is None:
            continue
        lesson = markup.parse_lesson(lesson_id, text, where, problems, trusted=trusted)
        if lesson is not None:
            lessons[lesson_id] = lesson
            broken.discard(lesson_id)
    return lessons, broken


def _load_decks(root: Path, problems: Problems) -> dict[str, Deck]:
    """Every ``slides/decks/*.yml``, keyed by file name without extension."""
    decks: dict[str, Deck] = {}
    for path in _files(root, DECKS_DIR, ".yml", problems):
        rel = f"{DECKS_DIR}/{path.name}"
        deck = _load_record(root, rel, Deck, problems, required=True)
        if deck is not None:
            deck.id = path.stem
            decks[deck.id] = deck
    return decks
