"""Cross-reference checks on a loaded course: everything a single file cannot tell by itself."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from builder.checks import curriculum, questions, sessions
from builder.checks import glossary as glossary_checks
from builder.codes import CODES
from builder.course import facts as fact_text
from builder.course import glossary, imaging, markup, myst, resolve, texts, tree
from builder.course.model import Course, Lesson, Markdown
from builder.course.tree import Inline
from builder.problems import Problems, Severity, Where, suggest
from builder.quizzes import placement


def check_course(course: Course) -> Problems:
    """Every problem found across files, each located at the reference at fault."""
    problems = Problems()
    _check_info(course, problems)
    _check_facts(course, problems)
    _check_units(course, problems)
    _check_glossary(course, problems)
    for lesson in course.lessons.values():
        _check_lesson(course, lesson, problems)
        _check_cells(course, lesson, problems)
        placement.placements(course, lesson, problems)
    questions.check_questions(course, problems)
    glossary_checks.check(course, problems)
    _check_prerequisite_cycles(course, problems)
    _check_decks(course, problems)
    sessions.check_sessions(course, problems)
    curriculum.check_curriculum(course, problems)
    _check_theme(course, problems)
    return problems


def _check_info(course: Course, problems: Problems) -> None:
    info = course.info
    path = info.where.path
    for index, code in enumerate(info.silence):
        at = Where(path, info.lines.get(f"silence[{index}]", info.where.line))
        if code not in CODES:
            problems.error(
                at, "schema.value", f"no problem code '{code}'" + suggest(code, list(CODES))
            )
        elif CODES[code].severity is not Severity.WARNING:
            problems.error(
                at,
                "schema.value",
                f"'{code}' is an error; only warnings can be silenced (builder check --codes "
                "lists them)",
            )
    if info.description:  # Markdown on the front page: checked like a lesson
        line = info.lines.get("description:text", info.lines.get("description", 1))
        found = myst.scan(
            info.description, Where(path, line), problems, trusted=info.allow_raw_html
        )
        for image in found.images:
            problems.error(
                Where(path, line),
                "markup.image",
                f"the description cannot show pictures ({image.target}); put them in a lesson",
            )
        for url, _ in found.outside_links:
            problems.warning(
                Where(path, line),
                "link.external",
                f"link to another site ({url}); the book must work without internet",
            )
    seen: dict[str, int] = {}
    for kind, records in (("audience", info.audiences), ("module", info.modules)):
        ids: dict[str, int] = {}
        for record in records:
            if record.id in ids:
                problems.error(
                    record.where,
                    "id.duplicate",
                    f"duplicate {kind} id '{record.id}' (first defined at line {ids[record.id]})",
                )
            ids.setdefault(record.id, record.where.line)
    for module in info.modules:
        for index, lesson_id in enumerate(module.lessons):
            line = module.lines.get(f"lessons[{index}]", module.where.line)
            if lesson_id in course.broken_lessons:
                continue  # the lesson file's own error says why
            if lesson_id not in course.lessons:
                problems.error(
                    Where(path, line),
                    "ref.unknown-lesson",
                    f"module '{module.id}' lists unknown lesson '{lesson_id}'"
                    + suggest(lesson_id, course.lessons),
                )
            elif lesson_id in seen:
                problems.error(
                    Where(path, line),
                    "lesson.duplicate-module",
                    f"lesson '{lesson_id}' is already listed at line {seen[lesson_id]}",
                )
            else:
                seen[lesson_id] = line
    for lesson in course.lessons.values():
        if lesson.id not in seen:
            problems.error(
                Where(lesson.path, 1),
                "lesson.orphan",
                f"lesson '{lesson.id}' is in no module of {path}, so no page of the course "
                f"leads to it; add '{lesson.id}' to a module's lessons: in {path}"
                + _where_to_add(course, lesson),
            )


def _where_to_add(course: Course, lesson: Lesson) -> str:
    """Where a lesson in no module could go: the module of its last prerequisite that has one,
    else the last module (its 'lessons:' line)."""
    modules = course.info.modules
    if not modules:
        return " (it has no module yet: add one under 'modules:')"
    home = {lesson_id: m for m in modules for lesson_id in m.lessons}
    prerequisites = [home[p] for p in lesson.meta.prerequisites if p in home]
    module = prerequisites[-1] if prerequisites else modules[-1]
    line = module.lines.get("lessons", module.where.line)
    return f", e.g. under module '{module.id}' (line {line})"


def _check_prerequisite_cycles(course: Course, problems: Problems) -> None:
    """Lessons that require each other, directly or through others, can never be started."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    reported: set[frozenset[str]] = set()

    def visit(lesson_id: str, path: list[str]) -> None:
        state[lesson_id] = 1
        path.append(lesson_id)
        for other in course.lessons[lesson_id].meta.prerequisites:
            if other not in course.lessons or other == lesson_id:
                continue
            if state.get(other) == 1:
                cycle = path[path.index(other) :]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    first = course.lessons[cycle[0]]
                    index = first.meta.prerequisites.index(cycle[1] if len(cycle) > 1 else other)
                    chain = " -> ".join([*cycle, other])
                    problems.error(
                        Where(first.path, first.meta.lines.get(f"prerequisites[{index}]", 1)),
                        "lesson.prerequisite",
                        f"lessons require each other in a circle ({chain}), so none can be "
                        "taken first; remove one of these prerequisites",
                    )
            elif other not in state:
                visit(other, path)
        path.pop()
        state[lesson_id] = 2

    for lesson_id in sorted(course.lessons):
        if lesson_id not in state:
            visit(lesson_id, [])


def _check_facts(course: Course, problems: Problems) -> None:
    for fact in course.facts.values():
        line = fact.lines.get("source", fact.where.line)
        if fact.source not in course.sources and fact.source not in course.invalid_records:
            problems.error(
                fact.where.at(line),
                "fact.unknown-source",
                f"fact '{fact.id}' cites unknown source '{fact.source}'"
                + suggest(fact.source, course.sources),
            )
        if not isinstance(fact.value, Decimal) and (fact.unit or fact.total is not None):
            problems.error(
                fact.where.at(fact.lines.get("value", fact.where.line)),
                "fact.date-unit",
                f"fact '{fact.id}' is a date, so it takes no 'unit' or 'total'",
            )


def _check_units(course: Course, problems: Problems) -> None:
    """A ``{fact}`` role shows its unit: text after it that writes the unit again reads twice
    ('14.478 tổ tổ'), as in lessons written before the role showed it."""
    files: dict[str, list[str]] = {}
    for text in texts.texts(course):
        leaves = [i for i in tree.walk_inlines(list(text.inlines)) if not i.children]
        seen: dict[str, int] = {}  # how many times each role was written in this text so far
        for index, role in enumerate(leaves):
            if not (role.kind == "role" and role.name == fact_text.ROLE):
                continue
            written = f"{{{role.name}}}`{role.text}`"
            seen[written] = seen.get(written, 0) + 1
            fact = course.facts.get(role.text.strip())
            if fact is None or not fact_text.unit_after(fact, _text_after(leaves[index + 1 :])):
                continue
            if text.path not in files:
                files[text.path] = _lines(Path(course.root) / text.path)
            line = _written_at(files[text.path], role.line, written, seen[written])
            problems.warning(
                Where(text.path, line),
                "fact.unit-twice",
                f"{{fact}}`{fact.id}` shows its unit, '{fact.unit}', and the text after it "
                f"writes it again; remove the '{fact.unit}' after the role, or write "
                f"{{fact-value}}`{fact.id}` to show the value alone",
            )


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):  # reported when the file was loaded
        return []


def _written_at(lines: list[str], start: int, written: str, nth: int) -> int:
    """The file line of the ``nth`` time ``written`` stands from line ``start`` on: a YAML
    text's nodes count lines from its key, not as the file folds them. ``start`` if not found."""
    for number in range(start, len(lines) + 1):
        nth -= lines[number - 1].count(written)
        if nth <= 0:
            return number
    return start


def _text_after(leaves: list[Inline]) -> str:
    """The plain text that follows, up to the next role, code, picture or HTML."""
    out = []
    for leaf in leaves:
        if leaf.kind == "text":
            out.append(leaf.text)
        elif leaf.kind in ("softbreak", "hardbreak"):
            out.append(" ")
        else:
            break
    return "".join(out)


def _check_glossary(course: Course, problems: Problems) -> None:
    seen: dict[str, int] = {}
    for term in course.glossary:
        for form in glossary.forms(term):
            key = form.casefold()
            if key in seen:
                problems.error(
                    term.where,
                    "id.duplicate",
                    f"glossary term or alias '{form}' is already defined at line {seen[key]}",
                )
            seen.setdefault(key, term.where.line)


def _check_cells(course: Course, lesson: Lesson, problems: Problems) -> None:
    """Scan each lesson cell as the book will read it, after roles and picture paths are
    rewritten: an unbalanced fence or code span can make a line read as code to the checker
    and as Markdown in the notebook."""
    found_here = Problems()
    for block in lesson.blocks:
        if not isinstance(block, Markdown):
            continue
        try:
            text = resolve.cell_markdown(course, lesson, block)
        except KeyError:  # an unknown fact: reported already, and nothing to render
            continue
        found = myst.scan(
            text,
            Where(lesson.path, block.line),
            found_here,
            trusted=course.info.allow_raw_html,
        )
        checked = {image.target for image in lesson.images}  # reported by _check_lesson
        checked |= {
            resolve.media_path(rel)
            for image in lesson.images
            if (rel := markup.resolve(lesson.path, image.target)) is not None
        }
        for image in found.images:
            if image.target not in checked:
                found_here.error(
                    Where(lesson.path, image.line),
                    "markup.image",
                    f"the picture '{image.target}' is hidden from the check by an unbalanced "
                    "fence or code span above it; check the backticks and ``` lines here",
                )
    # Errors only: the lesson's own scan gave the warnings. An error both scans find is the
    # same Problem, printed once (Problems.sorted).
    problems.extend(found_here.errors())


def _check_lesson(course: Course, lesson: Lesson, problems: Problems) -> None:
    meta = lesson.meta
    where = Where(lesson.path, 1)
    audiences = {a.id for a in course.info.audiences}
    for index, audience in enumerate(meta.audience):
        if audience not in audiences:
            problems.error(
                where.at(meta.lines.get(f"audience[{index}]", 1)),
                "ref.unknown-audience",
                f"unknown audience '{audience}'" + suggest(audience, audiences),
            )
    for index, other in enumerate(meta.prerequisites):
        at = where.at(meta.lines.get(f"prerequisites[{index}]", 1))
        if other == lesson.id:
            problems.error(
                at,
                "lesson.prerequisite",
                f"lesson '{other}' lists itself as a prerequisite; remove it from 'prerequisites'",
            )
        elif other not in course.lessons and other not in course.broken_lessons:
            problems.error(
                at,
                "ref.unknown-lesson",
                f"unknown prerequisite lesson '{other}'" + suggest(other, course.lessons),
            )
    for ref in lesson.fact_refs:
        if ref.fact not in course.facts and ref.fact not in course.invalid_records:
            problems.error(
                where.at(ref.line),
                "ref.unknown-fact",
                f"unknown fact '{ref.fact}'" + suggest(ref.fact, course.facts),
            )
    for chart in lesson.charts:
        kinds = set()
        for fact_id in chart.facts:
            fact = course.facts.get(fact_id)
            if fact is None and fact_id in course.invalid_records:
                continue
            if fact is None:
                problems.error(
                    where.at(chart.line),
                    "ref.unknown-fact",
                    f"chart '{chart.title}' uses unknown fact '{fact_id}'"
                    + suggest(fact_id, course.facts),
                )
            elif not isinstance(fact.value, Decimal):
                problems.error(
                    where.at(chart.line),
                    "chart.not-a-number",
                    f"chart '{chart.title}' cannot draw fact '{fact_id}': its value is a date",
                )
            else:
                kinds.add(fact.unit or "")
        if len(kinds) > 1:
            units = ", ".join(f"'{k}'" if k else "none" for k in sorted(kinds))
            problems.error(
                where.at(chart.line),
                "chart.units",
                f"chart '{chart.title}' mixes units ({units}); draw like with like",
            )
    root = Path(course.root)
    for image in lesson.images:
        target = image.target
        if "://" in target or target.startswith("//"):
            problems.error(
                where.at(image.line),
                "image.external",
                f"image '{target}' is not a local file; the book must work without internet",
            )
            continue
        rel = markup.resolve(lesson.path, target)
        if rel is None or not rel.startswith("course/"):
            problems.error(
                where.at(image.line),
                "image.outside",
                f"image '{target}' must be a file inside course/",
            )
        elif (real := imaging.outside(root, root / rel)) is not None:
            problems.error(
                where.at(image.line),
                "path.outside",
                f"image '{target}' resolves outside the course tree (symlink to {real});"
                " copy the file into course/images/",
            )
        elif not _is_file(root / rel):
            problems.error(
                where.at(image.line), "image.missing", f"image '{target}' does not exist"
            )
        elif (why := imaging.problem(root / rel)) is not None:
            problems.error(where.at(image.line), why.code, f"image {why}")
        if not image.alt.strip():
            problems.warning(
                where.at(image.line),
                "image.alt",
                f"image '{target}' has no alt text for screen readers",
            )


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; False for a name the file system cannot even look up."""
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long, a NUL byte
        return False


def _check_decks(course: Course, problems: Problems) -> None:
    audiences = {a.id for a in course.info.audiences}
    for deck in course.decks.values():
        for part in deck.parts():
            lesson_id = part.lesson
            if (
                lesson_id is not None
                and lesson_id not in course.lessons
                and lesson_id not in course.broken_lessons
            ):
                problems.error(
                    deck.where.at(part.lines.get("lesson", part.where.line)),
                    "ref.unknown-lesson",
                    f"deck '{deck.id}' lists unknown lesson '{lesson_id}'"
                    + suggest(lesson_id, course.lessons),
                )
        if deck.audience and deck.audience not in audiences:
            problems.error(
                deck.where.at(deck.lines.get("audience", deck.where.line)),
                "ref.unknown-audience",
                f"unknown audience '{deck.audience}'" + suggest(deck.audience, audiences),
            )


RASTER_LOGO = (".png", ".jpg", ".jpeg")


def _check_theme(course: Course, problems: Problems) -> None:
    theme = course.theme
    if not theme.logo:
        return
    where = theme.where.at(theme.lines.get("logo", theme.where.line))
    rel = markup.resolve("slides/theme.yml", theme.logo.removeprefix("slides/"))
    path = Path(course.root) / theme.logo
    if rel is None or not theme.logo.startswith("slides/") or ".." in Path(theme.logo).parts:
        problems.error(where, "image.outside", f"logo '{theme.logo}' must be a file under slides/")
    elif (real := imaging.outside(Path(course.root), path)) is not None:
        problems.error(
            where,
            "path.outside",
            f"logo '{theme.logo}' resolves outside the course tree (symlink to {real});"
            " copy the file into slides/",
        )
    elif not _is_file(path):
        problems.error(where, "image.missing", f"logo '{theme.logo}' does not exist")
    elif path.suffix.lower() not in RASTER_LOGO:
        problems.error(where, "theme.logo", f"logo '{theme.logo}' must be a PNG or JPEG file")
    elif (why := imaging.problem(path)) is not None:
        problems.error(where, why.code, f"logo {why}")
    if not theme.logo_alt:
        problems.warning(where, "image.alt", "the logo has no 'logo_alt' text for screen readers")
