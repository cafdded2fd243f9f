"""Read a lesson file: YAML front matter, then its MyST body, parsed once into
``builder.course.tree`` nodes and split into blocks.

The builder's own syntax is read here from the tree: the ``{fact}`id``` (and
``{fact-value}`id```) and ``{term}`text <Term>``` roles and the ``notes``, ``slide``,
``chart`` and ``quiz`` directives. What MyST itself could do with the rest (raw HTML,
directives, roles, links, images) is checked by the scan in ``builder.course.myst`` of the
same tree; everything it allows passes through to the book.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from builder.course import facts as fact_text
from builder.course import myst, readers, schema, tree
from builder.course.model import (
    Chart,
    FactRef,
    FrontMatter,
    ImageRef,
    Lesson,
    Markdown,
    Notes,
    Quiz,
    Slide,
    TermRef,
)
from builder.course.tree import Doc, Node
from builder.problems import Problems, Where

BUILDER_DIRECTIVES = myst.BUILDER_DIRECTIVES
CHART_KINDS = ("bar", "column")
MAX_ACTIVITY_MINUTES = 240  # a trainer-notes activity's ':minutes:' at most


def resolve(lesson_path: str, target: str) -> str | None:
    """Path relative to the course root of a file a lesson refers to; ``None`` if it climbs out."""
    parts: list[str] = []
    for part in (*PurePosixPath(lesson_path).parent.parts, *PurePosixPath(target).parts):
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return "/".join(parts)


def split_front_matter(text: str, where: Where, problems: Problems) -> tuple[str, int, str] | None:
    """Return (front matter YAML, its first line, body) or ``None`` with a problem."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.error(
            where.at(1),
            "frontmatter.missing",
            "a lesson must start with YAML front matter between '---' lines",
        )
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), 2, "\n".join(lines[index + 1 :])
    problems.error(where.at(1), "frontmatter.syntax", "front matter is not closed by a '---' line")
    return None


def parse_lesson(
    lesson_id: str, text: str, where: Where, problems: Problems, *, trusted: bool = False
) -> Lesson | None:
    """Parse one lesson file's text; every problem is reported, ``None`` if it is unusable.
    Raw HTML is refused unless the course ``trusted`` its authors (course.yml)."""
    parts = split_front_matter(text, where, problems)
    if parts is None:
        return None
    yaml_text, yaml_line, body = parts
    node = readers.parse_yaml(yaml_text, where.at(yaml_line), problems)
    meta = None
    if node is not None:
        meta = schema.load(FrontMatter, node, where.at(yaml_line), problems)
    elif not yaml_text.strip():
        problems.error(where.at(1), "frontmatter.missing", "the front matter is empty")
    body_line = yaml_line + yaml_text.count("\n") + 2 if yaml_text else yaml_line + 1
    lesson = Lesson(id=lesson_id, path=where.path, meta=meta, blocks=[])  # type: ignore[arg-type]
    doc = myst.parsed(body, where.at(body_line), problems)
    found = myst.scan(doc, where.at(body_line), problems, trusted=trusted)
    _split(lesson, doc, where, problems)
    _references(lesson, doc, where, problems)
    _images(lesson, found, where, problems)
    for url, line in found.outside_links:
        problems.warning(
            where.at(line),
            "link.external",
            f"link to another site ({url}); the book must work without internet",
        )
    if meta is not None:
        lists = [(key, getattr(meta, key), meta.lines) for key in ("objectives", "keypoints")]
        lists += [
            (f"slides.{key}", getattr(meta.slides, key), meta.slides.lines)
            for key in ("objectives", "keypoints")
        ]
        for key, items, lines in lists:
            for index, item in enumerate(items):
                at = where.at(lines.get(f"{key.rpartition('.')[2]}[{index}]", yaml_line))
                found = myst.scan(item, at, problems, trusted=trusted)
                if found.images:
                    problems.error(
                        at, "markup.image", f"'{key}' hold text; put pictures in the lesson body"
                    )
    if not any(isinstance(b, Markdown) for b in lesson.blocks):
        problems.error(where.at(body_line), "lesson.empty", "the lesson has no content")
    return lesson if meta is not None else None


def _split(lesson: Lesson, doc: Doc, where: Where, problems: Problems) -> None:
    """Split the body into Markdown runs (a new one at each '##' heading), and the builder's
    Notes, Chart and Quiz directives."""
    start = doc.first
    nodes: list[Node] = []

    def flush(end: int) -> None:
        lines = doc.lines[start - doc.first : end - doc.first]
        text = "\n".join(lines).strip("\n")
        if text.strip():
            lead = next(i for i, line in enumerate(lines) if line.strip())
            lesson.blocks.append(Markdown(text=text, line=start + lead, nodes=nodes))

    for node in doc.nodes:
        if node.kind == "directive" and node.name in BUILDER_DIRECTIVES:
            flush(node.line)
            block = _builder_directive(node, where, problems)
            if block is not None:
                lesson.blocks.append(block)
            start, nodes = node.end, []
            continue
        if node.kind == "heading" and node.level == 2:
            flush(node.line)
            start, nodes = node.line, []
        elif node.kind == "heading" and node.level == 1:
            problems.warning(
                where.at(node.line),
                "lesson.heading",
                "the lesson title comes from the front matter; start headings in the body at '##'",
            )
        nodes.append(node)
    flush(doc.first + len(doc.lines))
    for node in doc.walk():
        if node.kind in ("fence", "directive") and not node.closed:
            problems.warning(
                where.at(node.line), "markup.unclosed-fence", "this fence is never closed"
            )
        if node.kind == "directive" and node.name in BUILDER_DIRECTIVES and node.depth > 0:
            problems.error(
                where.at(node.line),
                "markup.directive",
                f"the {{{node.name}}} directive must stand on its own, outside lists, quotes "
                "and other directives; move it to the start of a line between paragraphs",
            )


def _references(lesson: Lesson, doc: Doc, where: Where, problems: Problems) -> None:
    """Fact and term roles in the lesson's Markdown, and fact roles on its slides (trainer
    notes' roles are not shown; a slide's terms are linked in the prose)."""
    nodes = [n for b in lesson.blocks if isinstance(b, Markdown) for n in b.nodes]
    slides = [n for b in lesson.blocks if isinstance(b, Slide) for n in b.nodes]
    for name in (*fact_text.ROLES, "term"):
        for role in tree.roles(nodes, name):
            if role.span is None:
                problems.error(
                    where.at(role.line),
                    "markup.role",
                    f"the builder cannot tell where this {{{name}}} role is written on its line; "
                    "write it as {" + name + "}`...` with nothing of the same text (in a link "
                    "title or code) on that line, or move it to a line of its own",
                )
    for role in fact_text.roles(nodes + slides):
        fact = role.text.strip()
        if not fact:
            problems.error(
                where.at(role.line), "fact.empty", f"the {{{role.name}}} role needs a fact id"
            )
        else:
            lesson.fact_refs.append(FactRef(fact, role.line))
    for role in tree.roles(nodes, "term"):
        if not role.role_text or not role.role_target:
            problems.error(
                where.at(role.line), "term.empty", "the {term} role needs text, e.g. {term}`DTI`"
            )
        else:
            column = role.span[0] if role.span else 0
            lesson.term_refs.append(TermRef(role.role_text, role.role_target, role.line, column))


def _images(lesson: Lesson, found: myst.Found, where: Where, problems: Problems) -> None:
    """The pictures Markdown shows, as its parser finds them; each must be written in a form
    the notebooks can relink (``![alt](path)`` on one line, or a figure/image directive)."""
    for image in found.images:
        if image.span is None:
            problems.error(
                where.at(image.line),
                "markup.image",
                f"write this picture as ![alt text]({image.target}) on one line, and not also "
                "as a link's address on that line; reference-style images are not supported",
            )
            continue
        lesson.images.append(ImageRef(image.target, image.alt, image.line))


def _notes(
    options: dict[str, tuple[str, int]],
    content: str,
    line: int,
    nodes: list[Node],
    where: Where,
    problems: Problems,
) -> Notes | None:
    """Trainer notes, with the minutes of the activity they describe when given."""
    minutes = None
    for key, (value, at) in options.items():
        if key != "minutes":
            problems.error(
                where.at(at), "directive.option", f"notes take only ':minutes:', not ':{key}:'"
            )
        elif value.isdigit() and 0 < int(value) <= MAX_ACTIVITY_MINUTES:
            minutes = int(value)
        else:
            problems.error(
                where.at(at),
                "directive.option",
                f"':minutes:' of trainer notes is the activity's length in whole minutes, "
                f"1 to {MAX_ACTIVITY_MINUTES}, e.g. ':minutes: 10'; not '{value[:20]}'",
            )
    if not content:
        problems.warning(where.at(line), "notes.empty", "these trainer notes are empty")
        return None
    return Notes(text=content, line=line, nodes=nodes, minutes=minutes)


def _slide(
    node: Node, options: dict[str, tuple[str, int]], where: Where, problems: Problems
) -> Slide | None:
    """A slide's text, with its own title (the directive's argument), ':columns:' and
    ':place:' (places, comma-separated)."""
    columns = 1
    place, _ = options.get("place", ("", node.line))
    places = [p.strip() for p in place.split(",") if p.strip()]
    if not _unknown_options("slide", options, {"columns", "place"}, where, problems):
        value, at = options.get("columns", ("1", node.line))
        if value in ("1", "2"):
            columns = int(value)
        else:
            problems.error(
                where.at(at),
                "directive.option",
                f"':columns:' of a slide is 1 or 2 (two columns split at its second list), "
                f"not '{value[:20]}'",
            )
    if not node.text.strip():
        problems.warning(
            where.at(node.line),
            "slide.empty",
            "this slide has no text; write its key points as a short list, or remove it",
        )
        return None
    return Slide(
        title=node.arg, line=node.line, nodes=node.children, columns=columns, places=places
    )


def _builder_directive(
    node: Node, where: Where, problems: Problems
) -> Notes | Slide | Chart | Quiz | None:
    """Read a ``notes``, ``slide``, ``chart`` or ``quiz`` directive."""
    name, arg, line = node.name, node.arg, node.line
    options = dict(node.options)
    if node.bad_option is not None:
        shown = node.bad_option[:40]
        problems.error(
            where.at(line),
            "directive.option",
            f"write the option '{shown}' of {{{name}}} as ':key: value' on its own line "
            "(a colon, the name, a colon, a space, the value)",
        )
        return None
    content = node.text.strip()
    if name == "notes":
        return _notes(options, content, line, node.children, where, problems)
    if name == "slide":
        return _slide(node, options, where, problems)
    if name == "quiz":
        return _quiz(arg, options, content, line, where, problems)
    _unknown_options("chart", options, {"facts", "kind"}, where, problems)
    ok = True
    if not arg:
        problems.error(where.at(line), "chart.title", "a chart needs a title after {chart}")
        ok = False
    facts_text, facts_line = options.get("facts", ("", line))
    facts = [f for f in re.split(r"[,\s]+", facts_text) if f]
    if not facts:
        problems.error(where.at(facts_line), "chart.facts", "a chart needs ':facts:' with fact ids")
        ok = False
    kind, kind_line = options.get("kind", ("bar", line))
    if kind not in CHART_KINDS:
        problems.error(
            where.at(kind_line), "chart.kind", f"chart kind must be 'bar' or 'column', not '{kind}'"
        )
        ok = False
    if content:
        problems.warning(where.at(line), "chart.content", "a chart takes no content; it is ignored")
    chart = Chart(title=arg, facts=facts, kind=kind, line=facts_line, title_line=line)
    return chart if ok else None


QUIZ_OPTIONS = {"questions", "tags", "bank", "count"}


def _unknown_options(
    name: str,
    options: dict[str, tuple[str, int]],
    known: set[str],
    where: Where,
    problems: Problems,
) -> bool:
    """Report options a directive does not take; whether there were any."""
    found = False
    for key, (_, at) in options.items():
        if key not in known:
            problems.error(
                where.at(at),
                "directive.option",
                f"unknown {name} option ':{key}:' (known: {', '.join(sorted(known))})",
            )
            found = True
    return found


def _quiz(
    title: str,
    options: dict[str, tuple[str, int]],
    content: str,
    line: int,
    where: Where,
    problems: Problems,
) -> Quiz | None:
    """A quiz: ``:questions:`` ids, or ``:tags:``/``:bank:`` with ``:count:``."""
    ok = not _unknown_options("quiz", options, QUIZ_OPTIONS, where, problems)
    lines = [text for text in content.split("\n") if text.strip()]
    headings = [text for text in lines if re.match(r"#{1,6}\s", text)]
    if headings or len(lines) > 2:
        # A fence left open: the lesson's text down to the next ``` is the quiz's, unseen.
        problems.error(
            where.at(line),
            "quiz.swallows",
            f"this quiz's fence runs on over {len(lines)} line(s) of lesson text"
            + (f", {len(headings)} heading(s) included" if headings else "")
            + ", which learners would never see: close the quiz with a ``` line right after "
            "its options",
        )
    elif content:
        problems.warning(
            where.at(line), "quiz.content", "a quiz takes no content (use :questions:); ignored"
        )
    words = {key: re.split(r"[,\s]+", value.strip()) for key, (value, _) in options.items()}
    ids = [w for w in words.get("questions", []) if w]
    tags = [w for w in words.get("tags", []) if w]
    bank = options["bank"][0].strip() if "bank" in options else None
    count = 0
    if "count" in options:
        text, at = options["count"]
        if not re.fullmatch(r"[1-9][0-9]{0,3}", text.strip()):
            problems.error(
                where.at(at),
                "quiz.count",
                f"':count:' must be a whole number from 1 to 9999, not '{text[:20]}'",
            )
            ok = False
        else:
            count = int(text)
    drawn = bool(tags or bank)
    if ids and drawn:
        problems.error(
            where.at(line),
            "quiz.options",
            "give either ':questions:' or ':tags:'/':bank:', not both",
        )
        ok = False
    elif not ids and not drawn:
        problems.error(
            where.at(line),
            "quiz.options",
            "a quiz needs ':questions:' (question ids) or ':tags:'/':bank:' with ':count:'",
        )
        ok = False
    elif drawn and "count" not in options:
        problems.error(
            where.at(line), "quiz.count", "a quiz drawn by ':tags:' or ':bank:' needs ':count:'"
        )
        ok = False
    elif ids and "count" in options:
        problems.error(
            where.at(options["count"][1]), "quiz.count", "':count:' only applies to drawn quizzes"
        )
        ok = False
    if not ok:
        return None
    return Quiz(
        title=title,
        line=line,
        ids=ids,
        tags=tags,
        bank=bank,
        count=count,
        options={key: at for key, (_, at) in options.items()},
    )
