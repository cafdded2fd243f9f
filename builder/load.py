"""Load a course tree into one ``Course`` model, collecting every problem on the way."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from builder import markup, readers, schema
from builder.model import (
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
QUIZZES_DIR = "quizzes"

T = TypeVar("T")


def load_course(root: Path) -> tuple[Course | None, Problems]:
    """Read every source file under ``root``; the course is ``None`` if course.yml is unusable."""
    problems = Problems()
    info = _load_record(root, COURSE_FILE, CourseInfo, problems, required=True)
    facts = _load_list(root, FACTS_FILE, Fact, problems)
    sources = _load_list(root, SOURCES_FILE, Source, problems)
    glossary = _load_list(root, GLOSSARY_FILE, Term, problems)
    lessons = _load_lessons(root, problems)
    decks = _load_decks(root, problems)
    theme = _load_record(root, THEME_FILE, Theme, problems, required=False)
    questions: list[Question] = []
    invalid: set[str] = set()
    folder = root / QUIZZES_DIR
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        bank = _load_list(root, f"{QUIZZES_DIR}/{path.name}", Question, problems, invalid)
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
    )
    return course, problems


def _read_yaml(root: Path, rel: str, problems: Problems, *, required: bool) -> Any:
    """Parsed YAML of one file, or ``None`` when it is absent or broken (with a problem)."""
    path = root / rel
    where = Where(rel, 1)
    if not path.is_file():
        if required:
            problems.error(where, "file.missing", f"{rel} is required but does not exist")
        return None
    text = readers.read_text(path, where, problems)
    if text is None:
        return None
    return readers.parse_yaml(text, where, problems)


def _load_record(
    root: Path, rel: str, cls: type[T], problems: Problems, *, required: bool
) -> T | None:
    node = _read_yaml(root, rel, problems, required=required)
    if node is None:
        return None
    return schema.load(cls, node, Where(rel, 1), problems)


def _load_list(
    root: Path, rel: str, cls: type[T], problems: Problems, invalid: set[str] | None = None
) -> list[T]:
    """A file holding a YAML list of records; ids of unusable records go to ``invalid``."""
    node = _read_yaml(root, rel, problems, required=False)
    if node is None:
        return []
    where = Where(rel, 1)
    if not isinstance(node, list):
        problems.error(where, "schema.type", f"{rel} must be a list of entries, each starting '- '")
        return []
    records = []
    for index, item in enumerate(node):
        line = readers.item_line(node, index, 0)
        record = schema.load(cls, item, where, problems, label=f"[{index}]", line=line)
        if record is not None:
            records.append(record)
        elif invalid is not None and isinstance(item, dict) and isinstance(item.get("id"), str):
            invalid.add(item["id"])
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


def _load_lessons(root: Path, problems: Problems) -> dict[str, Lesson]:
    """Every ``course/lessons/*.md``, keyed by file name without extension."""
    lessons: dict[str, Lesson] = {}
    folder = root / LESSONS_DIR
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        rel = f"{LESSONS_DIR}/{path.name}"
        where = Where(rel, 1)
        lesson_id = path.stem
        message = schema.is_id(lesson_id)
        if message:
            problems.error(where, "lesson.id", f"the file name (lesson id) {message}")
            continue
        text = readers.read_text(path, where, problems)
        if text is None:
            continue
        lesson = markup.parse_lesson(lesson_id, text, where, problems)
        if lesson is not None:
            lessons[lesson_id] = lesson
    return lessons


def _load_decks(root: Path, problems: Problems) -> dict[str, Deck]:
    """Every ``slides/decks/*.yml``, keyed by file name without extension."""
    decks: dict[str, Deck] = {}
    folder = root / DECKS_DIR
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        rel = f"{DECKS_DIR}/{path.name}"
        deck = _load_record(root, rel, Deck, problems, required=True)
        if deck is not None:
            deck.id = path.stem
            decks[deck.id] = deck
    return decks
