"""Parse a lesson file: YAML front matter, then MyST body split into blocks.

The builder's own syntax is found here: the ``{fact}`id``` and ``{term}`text <Term>``` roles
and the ``notes``, ``chart`` and ``quiz`` directives. What MyST itself could do with the rest
(raw HTML, directives, roles, links, images) is found by ``builder.myst``'s scan with the
book's own parser; everything it allows passes through to the book untouched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from builder import myst, readers, schema
from builder.model import (
    Chart,
    FactRef,
    FrontMatter,
    ImageRef,
    Lesson,
    Markdown,
    Notes,
    Quiz,
    TermRef,
)
from builder.problems import Problems, Where

FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,}|:{3,})\s*(?P<info>.*)$")
DIRECTIVE = re.compile(r"^\{(?P<name>[A-Za-z][\w:-]*)\}\s*(?P<arg>.*)$")
OPTION = re.compile(r"^\s*:(?P<key>[\w-]+):\s*(?P<value>.*)$")
FACT_ROLE = re.compile(r"\{fact\}`(?P<id>[^`]*)`")
# {term}`chữ ký số` or {term}`ký số văn bản <Chữ ký số>`: the text shown, then the glossary term.
TERM_ROLE = re.compile(r"\{term\}`(?P<text>[^`<]*?)\s*(?:<(?P<target>[^`>]*)>\s*)?`")
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<target><[^>]*>|[^)\s]+)(?P<title>\s+\"[^\"]*\")?\)")
H2 = re.compile(r"^##\s")
H1 = re.compile(r"^#\s")
LITERAL_DIRECTIVES = {"code", "code-block", "code-cell", "sourcecode", "raw", "math", "csv-table"}
IMAGE_DIRECTIVES = {"figure", "image"}
IMAGE_FENCE = re.compile(
    r"^(?P<head> {0,3}(?:`{3,}|~{3,}|:{3,})\s*\{(?:figure|image)\}\s+)(?P<target>\S+)"
)
BUILDER_DIRECTIVES = {"notes", "chart", "quiz"}
CHART_KINDS = ("bar", "column")


@dataclass
class _Section:
    """Markdown lines being gathered, with which of them sit inside literal code."""

    start: int
    lines: list[str] = field(default_factory=list)
    literal: list[bool] = field(default_factory=list)

    def block(self) -> Markdown | None:
        text = "\n".join(self.lines).strip("\n")
        if not text.strip():
            return None
        lead = next(i for i, line in enumerate(self.lines) if line.strip())
        literal = {i - lead for i, flag in enumerate(self.literal) if flag and i >= lead}
        return Markdown(text=text, line=self.start + lead, literal=frozenset(literal))


def transform(block: Markdown, edit: Callable[[str], str]) -> str:
    """Apply ``edit`` to every line of a Markdown block that is not literal code."""
    lines = block.text.split("\n")
    return "\n".join(
        line if index in block.literal else edit(line) for index, line in enumerate(lines)
    )


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
    _parse_body(lesson, body, body_line, where, problems)
    found = myst.scan(body, where.at(body_line), problems, trusted=trusted)
    _images(lesson, found, body.split("\n"), body_line, where, problems)
    for url, line in found.outside_links:
        problems.warning(
            where.at(line),
            "link.external",
            f"link to another site ({url}); the book must work without internet",
        )
    if meta is not None:
        for key in ("objectives", "keypoints"):
            for index, item in enumerate(getattr(meta, key)):
                at = where.at(meta.lines.get(f"{key}[{index}]", yaml_line))
                found = myst.scan(item, at, problems, trusted=trusted)
                if found.images:
                    problems.error(
                        at, "markup.image", f"'{key}' hold text; put pictures in the lesson body"
                    )
    if not any(isinstance(b, Markdown) for b in lesson.blocks):
        problems.error(where.at(body_line), "lesson.empty", "the lesson has no content")
    return lesson if meta is not None else None


def _parse_body(lesson: Lesson, body: str, first: int, where: Where, problems: Problems) -> None:
    """Split the body into Markdown, Notes and Chart blocks and collect references."""
    lines = body.split("\n")
    section = _Section(first)
    index = 0

    def flush(next_line: int) -> None:
        nonlocal section
        block = section.block()
        if block is not None:
            lesson.blocks.append(block)
        section = _Section(next_line)

    while index < len(lines):
        number = first + index
        line = lines[index]
        match = FENCE.match(line)
        if match:
            info = match["info"].strip()
            directive = DIRECTIVE.match(info)
            name = directive["name"] if directive else None
            end = _fence_end(lines, index, match["fence"])
            if end is None:
                problems.warning(
                    where.at(number), "markup.unclosed-fence", "this fence is never closed"
                )
                end = len(lines)
            inner = lines[index + 1 : end]
            if name in BUILDER_DIRECTIVES:
                flush(first + end + 1)
                block = _builder_directive(
                    name, directive["arg"].strip(), inner, number, where, problems
                )
                if block is not None:
                    lesson.blocks.append(block)
                index = end + 1
                continue
            literal = name is None and not info.startswith("{") or name in LITERAL_DIRECTIVES
            section.lines.append(line)
            section.literal.append(False)
            for offset, inner_line in enumerate(inner, start=index + 1):
                section.lines.append(inner_line)
                section.literal.append(literal)
                if not literal:
                    _scan_line(lesson, inner_line, first + offset, where, problems)
            if end < len(lines):
                section.lines.append(lines[end])
                section.literal.append(False)
            index = end + 1
            continue
        if H2.match(line):
            flush(number)
        elif H1.match(line):
            problems.warning(
                where.at(number),
                "lesson.heading",
                "the lesson title comes from the front matter; start headings in the body at '##'",
            )
        section.lines.append(line)
        section.literal.append(False)
        _scan_line(lesson, line, number, where, problems)
        index += 1
    flush(first + len(lines))


def _images(
    lesson: Lesson,
    found: myst.Found,
    lines: list[str],
    first: int,
    where: Where,
    problems: Problems,
) -> None:
    """The pictures Markdown shows, as its parser finds them; each must be written in a form
    the notebooks can relink (``![alt](path)`` on one line, or a figure/image directive)."""
    for image in found.images:
        text = lines[image.line - first] if 0 <= image.line - first < len(lines) else ""
        written = [m["target"].strip("<>") for m in IMAGE.finditer(text)]
        written += [m["target"] for m in IMAGE_FENCE.finditer(text)]
        if image.target not in written:
            problems.error(
                where.at(image.line),
                "markup.image",
                f"write this picture as ![alt text]({image.target}) on one line; "
                "reference-style images are not supported",
            )
            continue
        lesson.images.append(ImageRef(image.target, image.alt, image.line))


def _fence_end(lines: list[str], start: int, fence: str) -> int | None:
    """Index of the line closing the fence opened at ``start``."""
    closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    for index in range(start + 1, len(lines)):
        if closing.match(lines[index]):
            return index
    return None


def _scan_line(lesson: Lesson, line: str, number: int, where: Where, problems: Problems) -> None:
    """Collect fact and term roles, images and outside links on one line of Markdown."""
    for match in FACT_ROLE.finditer(line):
        fact = match["id"].strip()
        if not fact:
            problems.error(where.at(number), "fact.empty", "the {fact} role needs a fact id")
        else:
            lesson.fact_refs.append(FactRef(fact, number))
    for match in TERM_ROLE.finditer(line):
        text = match["text"].strip()
        target = (match["target"] or text).strip()
        if not text or not target:
            problems.error(
                where.at(number), "term.empty", "the {term} role needs text, e.g. {term}`DTI`"
            )
        else:
            lesson.term_refs.append(TermRef(text, target, number, match.start()))


def _builder_directive(
    name: str, arg: str, inner: list[str], line: int, where: Where, problems: Problems
) -> Notes | Chart | Quiz | None:
    """Parse a ``notes``, ``chart`` or ``quiz`` directive."""
    options: dict[str, tuple[str, int]] = {}
    body_start = 0
    for offset, text in enumerate(inner):
        match = OPTION.match(text)
        if not match:
            break
        options[match["key"]] = (match["value"].strip(), line + 1 + offset)
        body_start = offset + 1
    content = "\n".join(inner[body_start:]).strip()
    if name == "notes":
        for key, (_, at) in options.items():
            problems.error(where.at(at), "directive.option", f"notes take no option ':{key}:'")
        if not content:
            problems.warning(where.at(line), "notes.empty", "these trainer notes are empty")
            return None
        return Notes(text=content, line=line)
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
    return Chart(title=arg, facts=facts, kind=kind, line=facts_line) if ok else None


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
    if content:
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
