"""Write one notebook per lesson (nbformat v4): never executed, byte-for-byte reproducible."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from builder import i18n
from builder.course import facts as fact_text
from builder.course import markup
from builder.course.model import Chart, Course, Lesson, Markdown, Notes, Quiz, Slide
from builder.course.myst import escape
from builder.course.resolve import cell_markdown, media_path
from builder.publish import Output
from builder.quizzes import client, placement, widget
from builder.render import charts, jupyter, notes


@contextlib.contextmanager
def _without(module: str) -> Iterator[None]:
    """Imports inside find ``module`` missing (unless it is already imported), as if it were
    not installed; imports after see it again."""
    absent = module not in sys.modules
    if absent:
        sys.modules[module] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        yield
    finally:
        if absent and sys.modules.get(module, 0) is None:
            del sys.modules[module]


# nbformat imports jsonschema, whose optional rfc3987_syntax compiles its grammars at import
# (0.8 s, more than writing every notebook). It adds checks of the "iri" formats, which no
# notebook schema asks for; jsonschema goes without them when the module is missing.
with _without("rfc3987_syntax"):
    import nbformat
    from nbformat import v4


FOLDER = "notebooks"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def outputs(course: Course) -> list[Output]:
    """The learners' notebooks, ``notebooks/<lesson>.ipynb`` in course order: Markdown that
    Jupyter front ends display, pictures attached, nothing needed beside them."""
    return [
        Output(f"{FOLDER}/{lesson.id}.ipynb", functools.partial(_learner_bytes, course, lesson))
        for lesson in course.ordered_lessons()
    ]


def book_sources(course: Course) -> list[Output]:
    """The book's sources: ``<lesson>.ipynb`` in MyST for Jupyter Book, and the pictures they
    show under ``media/``."""
    found: list[Output] = []
    media: dict[str, Path] = {}
    for lesson in course.ordered_lessons():
        found.append(Output(f"{lesson.id}.ipynb", functools.partial(_book_bytes, course, lesson)))
        for image in lesson.images:
            rel = markup.resolve(lesson.path, image.target)
            if rel is not None:
                media.setdefault(media_path(rel), Path(course.root) / rel)
    found += [Output(path, source.read_bytes) for path, source in media.items()]
    return found


def _bytes(notebook: nbformat.NotebookNode) -> bytes:
    nbformat.validate(notebook)
    return nbformat.writes(notebook, version=4).encode("utf-8")


def _book_bytes(course: Course, lesson: Lesson) -> bytes:
    return _bytes(book_notebook(course, lesson))


def _learner_bytes(course: Course, lesson: Lesson) -> bytes:
    return _bytes(lesson_notebook(course, lesson))


def source_line(path: Path, line: int) -> int:
    """The lesson line behind a notebook line Sphinx reports (myst-nb: (cell + 1) * 10000 + line).

    Content cells copy the lesson's lines one for one, so the mapping is exact there; in
    generated cells (header, charts, key points) it is the line the cell comes from.
    """
    block, in_cell = divmod(line, 10000)
    cell_index = block - 1
    notebook = nbformat.read(path, as_version=4)
    if not 0 <= cell_index < len(notebook.cells):
        return 1
    cell = notebook.cells[cell_index]
    start = cell.metadata.get("builder", {}).get("line", 1)
    if cell.get("id", "").startswith("part-") and in_cell >= 2:
        return start + in_cell - 2
    return start


def lesson_notebook(course: Course, lesson: Lesson) -> nbformat.NotebookNode:
    """The learner's notebook for one lesson: the header, how to answer (when it has quizzes),
    the questions' cell (source hidden), the lesson's text, charts and quizzes (each cell bound
    to ``quiz_1``, ``quiz_2``... and showing only its widget), the key points."""
    lang = course.info.language
    _ = i18n.translations(lang).gettext
    writer = jupyter.Writer(course, lesson)
    objectives = writer.box(_("Objectives"), lesson.meta.objectives)
    objectives.source = _learner_header(course, lesson) + "\n\n" + objectives.source
    cells = [_markdown(objectives, "header", lesson, 1)]
    placed = {id(p.quiz): p for p in placement.placements(course, lesson)}
    if placed:
        cells.append(_cell("how-to", client.how_to(course), lesson, 1))
        ids = placement.shown(list(placed.values()))
        cells.append(_hidden(_code_cell("questions", client.setup_source(course, ids), lesson, 1)))
    count = quizzes = 0
    for block in lesson.blocks:
        if isinstance(block, (Notes, Slide)):  # for the trainer's deck only
            continue
        count += 1
        if isinstance(block, Markdown):
            cells.append(_markdown(writer.markdown(block), f"part-{count}", lesson, block.line))
        elif isinstance(block, Chart):
            cells.append(
                _markdown(writer.chart(block, count), f"chart-{count}", lesson, block.line)
            )
        elif isinstance(block, Quiz) and id(block) in placed:
            quizzes += 1
            quiz = placed[id(block)]
            title = block.title or None
            cell = _code_cell(
                f"quiz-{count}",
                client.quiz_source(course, quiz.ids, title, quizzes),
                lesson,
                block.line,
            )
            page, text = widget.preview(client.payload(course, quiz.ids, title))
            cell.outputs = [
                v4.new_output("display_data", data={"text/html": page, "text/plain": text})
            ]
            cells.append(_hidden(cell))
    keypoints = writer.box(_("Key points"), lesson.meta.keypoints)
    cells.append(_markdown(keypoints, "keypoints", lesson, lesson.meta.lines.get("keypoints", 1)))
    return _notebook(cells, lesson, lang)


def _notebook(cells: list, lesson: Lesson, lang: str) -> nbformat.NotebookNode:
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": KERNELSPEC,
        "language_info": {"name": "python"},
        "builder": {"lesson": lesson.id, "source": lesson.path, "language": lang},
    }
    return notebook


def _markdown(cell: jupyter.Cell, cell_id: str, lesson: Lesson, line: int) -> nbformat.NotebookNode:
    made = _cell(cell_id, cell.source, lesson, line)
    if cell.attachments:
        made.attachments = cell.attachments
    return made


def _hidden(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A code cell whose source Jupyter (JupyterLab, Notebook 7, VS Code) and Colab collapse."""
    cell.metadata["jupyter"] = {"source_hidden": True}
    cell.metadata["cellView"] = "form"
    return cell


def _learner_header(course: Course, lesson: Lesson) -> str:
    """Title, duration, audience, what to learn before and the lesson online, in CommonMark."""
    lines = _heading(course, lesson, jupyter.escape, functools.partial(_lesson_address, course))
    if course.info.url:
        label = i18n.gettext(course.info.language, "This lesson online")
        lines += ["", f"**{label}:** <{_lesson_address(course, lesson.id)}>"]
    return "\n".join(lines)


def _heading(
    course: Course, lesson: Lesson, esc: Callable[[str], str], address: Callable[[str], str]
) -> list[str]:
    """A lesson's title, duration, audience and prerequisites (linked to ``address(id)``), as
    Markdown lines with text escaped by ``esc``."""
    lang = course.info.language
    meta = lesson.meta
    _ = i18n.translations(lang).gettext
    duration = _("{total} ({teaching} teaching, {exercises} exercises)").format(
        total=i18n.minutes(meta.duration.total, lang),
        teaching=i18n.minutes(meta.duration.teaching, lang),
        exercises=i18n.minutes(meta.duration.exercises, lang),
    )
    label_duration, label_audience = _("Duration"), _("Audience")
    label_before = _("Before this lesson")
    lines = [f"# {esc(meta.title)}", "", f"**{label_duration}:** {esc(duration)}"]
    audiences = {a.id: a.title for a in course.info.audiences}
    if meta.audience:
        names = "; ".join(esc(audiences.get(a, a)) for a in meta.audience)
        lines += ["", f"**{label_audience}:** {names}"]
    if meta.prerequisites:
        links = ", ".join(
            f"[{esc(course.lessons[p].meta.title)}]({address(p)})"
            for p in meta.prerequisites
            if p in course.lessons
        )
        lines += ["", f"**{label_before}:** {links}"]
    return lines


def _lesson_address(course: Course, lesson_id: str) -> str:
    """A lesson's page in the published book, or its notebook beside this one."""
    return course.address(lesson_id) or f"{lesson_id}.ipynb"


def book_notebook(course: Course, lesson: Lesson) -> nbformat.NotebookNode:
    """The book's source for one lesson, in MyST: header, content cells, charts, quizzes (their
    saved output is the book's quiz), key points; no trainer notes."""
    lang = course.info.language
    cells = [_cell("header", _header(course, lesson), lesson, 1)]
    placed = {id(p.quiz): p for p in placement.placements(course, lesson)}
    count = 0
    for block in lesson.blocks:
        if isinstance(block, (Notes, Slide)):  # for the trainer's deck only
            continue
        count += 1
        if isinstance(block, Markdown):
            cells.append(
                _cell(f"part-{count}", cell_markdown(course, lesson, block), lesson, block.line)
            )
        elif isinstance(block, Chart):
            source = _chart(course, lesson, block, f"{lesson.id}-chart-{count}")
            cells.append(_cell(f"chart-{count}", source, lesson, block.line))
        elif isinstance(block, Quiz) and id(block) in placed:
            cells.append(_quiz_cell(course, lesson, placed[id(block)], f"quiz-{count}"))
    points = _book_items(course, lesson, lesson.meta.keypoints)
    keypoints = _admonition(i18n.gettext(lang, "Key points"), "important", points)
    cells.append(_cell("keypoints", keypoints, lesson, lesson.meta.lines.get("keypoints", 1)))
    return _notebook(cells, lesson, lang)


def _book_items(course: Course, lesson: Lesson, items: list[str]) -> list[str]:
    """Front-matter items (objectives, key points) as the book reads MyST: their fact and
    term roles rendered as in the lesson's text."""
    return [cell_markdown(course, lesson, Markdown(text=item, line=1)) for item in items]


def _cell(cell_id: str, source: str, lesson: Lesson, line: int) -> nbformat.NotebookNode:
    """A Markdown cell with a stable id and the source line it came from."""
    cell = v4.new_markdown_cell(source=source)
    cell.id = cell_id
    cell.metadata = {"builder": {"source": lesson.path, "line": line}}
    return cell


def _code_cell(cell_id: str, source: str, lesson: Lesson, line: int) -> nbformat.NotebookNode:
    cell = v4.new_code_cell(source=source)
    cell.id = cell_id
    cell.metadata = {"builder": {"source": lesson.path, "line": line}}
    return cell


def _quiz_cell(
    course: Course, lesson: Lesson, placed: placement.Placed, cell_id: str
) -> nbformat.NotebookNode:
    """Code a learner runs for the live widget; its saved output is the quiz in the book."""
    quiz = placed.quiz
    cell = _code_cell(
        cell_id, client.show_source(placed.ids, quiz.title or None), lesson, quiz.line
    )
    cell.metadata["tags"] = ["remove-input"]
    data = client.payload(course, placed.ids, quiz.title or None)
    cell.outputs = [
        v4.new_output(
            "display_data",
            data={
                "text/html": client.static_html(course, data),
                "text/plain": client.plain_text(data),
            },
        )
    ]
    return cell


def _admonition(title: str, kind: str, items: list[str]) -> str:
    lines = [f"```{{admonition}} {title}", f":class: {kind}"]
    lines += [f"- {item}" for item in items]
    lines.append("```")
    return "\n".join(lines)


def _header(course: Course, lesson: Lesson) -> str:
    """Title, duration, audience, prerequisites and objectives, in MyST."""
    lines = _heading(course, lesson, escape, lambda p: f"{p}.ipynb")
    objectives = i18n.gettext(course.info.language, "Objectives")
    items = _book_items(course, lesson, lesson.meta.objectives)
    lines += ["", _admonition(objectives, "tip", items)]
    return "\n".join(lines)


def _chart(course: Course, lesson: Lesson, chart: Chart, uid: str) -> str:
    """Inline SVG (a raw HTML block: no blank lines inside) followed by a sourced caption."""
    lang = course.info.language
    facts = [course.facts[f] for f in chart.facts]
    drawing = charts.svg(chart, facts, lang, uid)
    figures = ", ".join(f"[{escape(f.label)}](#{fact_text.anchor(f.id)})" for f in facts)
    caption = notes.chart_caption(course, facts, figures, escape)
    return f"{drawing}\n\n**{escape(chart.title)}.** {caption}"
