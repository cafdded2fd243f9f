"""The offline course kit: everything a training centre without internet needs, in one folder
(or zip) to copy onto a USB stick or a closed network's share, with a start page in the
course's language that says what each part is, for whom, and how to open it.

    bat-dau.html        the start page (no script: it opens from the stick in any browser)
    khoa-hoc/           the book, which works opened as a file (file://)
    so-tay/             the lessons' notebooks, for Jupyter
    trinh-chieu/        each session's deck, plan and handout
    lms/                the SCORM 1.2 and 2004 packages, the Moodle XML and GIFT questions

The parts are the build's own files, copied as they are; the start page is written here,
every course text escaped. The zip's entries are sorted and dated 1980-01-01: the same
outputs give the same bytes.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from pathlib import Path
from urllib.parse import quote

from builder import i18n
from builder.course.model import Course
from builder.export import gift, moodle, scorm
from builder.export import questions as common

START = "bat-dau.html"
BOOK, NOTEBOOKS, DECKS, LMS = "khoa-hoc", "so-tay", "trinh-chieu", "lms"


@dataclass
class Kit:
    """The kit's files (path in the kit -> a file to copy, or bytes) and its name."""

    name: str
    files: dict[str, Path | bytes]

    def size(self) -> int:
        return sum(_size(v) for v in self.files.values())

    def write(self, folder: Path) -> Path:
        """Write the kit into ``folder`` (made); returns it."""
        for rel, source in sorted(self.files.items()):
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(source, Path):
                shutil.copyfile(source, target)
            else:
                target.write_bytes(source)
        return folder

    def zipped(self) -> bytes:
        """The kit as a zip whose entries sit in one folder named after it."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for rel, source in sorted(self.files.items()):
                info = zipfile.ZipInfo(f"{self.name}/{rel}", date_time=scorm.DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 3
                data = source.read_bytes() if isinstance(source, Path) else source
                archive.writestr(info, data, compresslevel=9)
        return buffer.getvalue()


def name(course: Course) -> str:
    """The kit's folder name: '<course>-kit'."""
    return f"{common.file_stem(course)}-kit"


def lms_files(course: Course, book: Path) -> dict[str, bytes]:
    """The kit's files for a learning-management system, by file name: the SCORM 1.2 and 2004
    packages (one SCO per lesson) of the book built in ``book``, the Moodle XML and GIFT
    questions."""
    made = [
        (scorm.path(course, "1.2"), scorm.package(course, book, "1.2").data),
        (scorm.path(course, "2004"), scorm.package(course, book, "2004").data),
        *((e.path, e.data) for e in (moodle.export(course), gift.export(course))),
    ]
    return {Path(path).name: data for path, data in made}


def kit(course: Course, out: Path, lms: dict[str, bytes]) -> Kit:
    """The kit of a course built into ``out`` (book/, notebooks/, decks/), with the LMS files
    made for it (file name -> bytes)."""
    files: dict[str, Path | bytes] = {}
    for folder, part in (("book", BOOK), ("notebooks", NOTEBOOKS), ("decks", DECKS)):
        root = out / folder
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            rel = path.relative_to(root)
            if path.is_file() and not any(p.startswith(".") for p in rel.parts):
                files[f"{part}/{rel.as_posix()}"] = path
    for file_name, data in sorted(lms.items()):
        files[f"{LMS}/{file_name}"] = data
    files[START] = start_page(course, files)
    return Kit(name(course), files)


def _size(source: Path | bytes) -> int:
    return source.stat().st_size if isinstance(source, Path) else len(source)


# --- the start page -----------------------------------------------------------------------------


def start_page(course: Course, files: dict[str, Path | bytes]) -> bytes:
    """The kit's start page: what each part is, for whom, how to open it, with links."""
    lang = course.info.language
    _ = i18n.translations(lang).gettext
    e = escape

    def link(rel: str, label: str, size_of: str | None = None) -> str:
        """A link to a file of the kit with its size (of the folder ``size_of``, if given)."""
        inside = f"{size_of}/"
        total = (
            sum(_size(v) for k, v in files.items() if k.startswith(inside))
            if size_of
            else _size(files[rel])
        )
        size = _human(total, lang)
        return f'<a href="{e(quote(rel))}">{e(label)}</a> <span class="size">({e(size)})</span>'

    lessons = course.ordered_lessons()
    sections = []
    book = f"{BOOK}/index.html"
    if book in files:
        sections.append(
            _section(
                _("The course, for learners"),
                _(
                    "Open it in a web browser (Chrome, Edge, Firefox, Cốc Cốc): {count} "
                    "lessons with review questions that check each answer, the glossary and "
                    "the sources of every figure. It needs no internet; each learner's answers "
                    "stay in the browser of the computer they use."
                ).format(count=len(lessons)),
                [link(book, _("Open the course"), size_of=BOOK)],
            )
        )
    notebooks = [
        (f"{NOTEBOOKS}/{lesson.id}.ipynb", lesson.meta.title)
        for lesson in lessons
        if f"{NOTEBOOKS}/{lesson.id}.ipynb" in files
    ]
    if notebooks:
        sections.append(
            _section(
                _("Notebooks, for learners who use Jupyter"),
                _(
                    "Open them in JupyterLab or Jupyter Notebook; run a question's cell to "
                    "answer it there. The same lessons as the course."
                ),
                [link(rel, title) for rel, title in notebooks],
            )
        )
    for deck_id, deck in sorted(course.decks.items()):
        rel = f"{DECKS}/{deck_id}.pptx"
        if rel not in files:
            continue
        items = [link(rel, _("Slides (PowerPoint, LibreOffice Impress)"))]
        for suffix, label in ((".plan.pdf", _("Session plan")), (".handout.pdf", _("Handout"))):
            paper = f"{DECKS}/{deck_id}{suffix}"
            if paper in files:
                items.append(link(paper, label))
        when = f" · {i18n.date(deck.date, lang)}" if deck.date else ""
        sections.append(
            _section(
                _("Training session: {title}").format(title=deck.title) + when,
                _(
                    "For the trainer: the slides carry speaker notes and timings; print the "
                    "plan for yourself and the handout for each participant."
                ),
                items,
            )
        )
    stem = common.file_stem(course)
    offered = {
        Path(scorm.path(course, "1.2")).name: _(
            "SCORM 1.2 package (Moodle: Add an activity, SCORM package)"
        ),
        Path(scorm.path(course, "2004")).name: _("SCORM 2004 package (other learning systems)"),
        f"{stem}-questions.moodle.xml": _("Questions, Moodle XML (Question bank, Import)"),
        f"{stem}-questions.gift.txt": _("Questions, GIFT (readable text)"),
    }
    lms_items = [
        link(f"{LMS}/{file_name}", label)
        for file_name, label in offered.items()
        if f"{LMS}/{file_name}" in files
    ]
    if lms_items:
        text = _(
            "Upload a SCORM package to follow learners: each lesson reports its score and "
            "whether the learner passed. The question files fill a question bank."
        )
        left_out = sum(1 for q in course.questions.values() if gift.cannot(course, q))
        if left_out:
            text += " " + _(
                "The GIFT file leaves out {count} question(s) GIFT cannot hold (ordering "
                "questions); the Moodle XML file holds every question (ordering questions "
                "need Moodle 4.4 or later, or the qtype_ordering plugin)."
            ).format(count=left_out)
        sections.append(
            _section(_("For a learning-management system, for its administrator"), text, lms_items)
        )
    title = _("{course}: the offline kit").format(course=course.info.title)
    intro = _(
        "Everything here works without internet: copy the whole folder to a USB stick or a "
        "computer, then open this page."
    )
    body = "\n".join(sections)
    page = f"""<!DOCTYPE html>
<html lang="{e(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{e(title)}</title>
<style>
body {{ font: 17px/1.55 system-ui, "Segoe UI", Roboto, Arial, sans-serif; margin: 0 auto;
  max-width: 46rem; padding: 1rem; color: #1b1b1b; background: #fff; }}
h1 {{ font-size: 1.5rem; line-height: 1.3; color: #17486f; }}
h2 {{ font-size: 1.15rem; margin: 1.6rem 0 .3rem; color: #17486f; }}
ul {{ padding-left: 1.2rem; }} li {{ margin: .35rem 0; overflow-wrap: anywhere; }}
a {{ color: #0b57a4; }} .size {{ color: #555; font-size: .9em; white-space: nowrap; }}
section {{ border-top: 1px solid #ccd; }}
@media (prefers-color-scheme: dark) {{
  body {{ color: #e8e8e8; background: #16181d; }} h1, h2 {{ color: #9cc8f0; }}
  a {{ color: #8fc3ff; }} .size {{ color: #b4b4b4; }} section {{ border-color: #3a3f4a; }}
}}
</style>
</head>
<body>
<main>
<h1>{e(title)}</h1>
<p>{e(intro)}</p>
{body}
</main>
</body>
</html>
"""
    return page.encode("utf-8")


def _section(heading: str, text: str, items: list[str]) -> str:
    """A part of the kit: its heading, what it is, its links (``items``: HTML already made)."""
    entries = "\n".join(f"<li>{item}</li>" for item in items)
    return (
        f"<section>\n<h2>{escape(heading)}</h2>\n<p>{escape(text)}</p>\n"
        f"<ul>\n{entries}\n</ul>\n</section>"
    )


def _human(size: int, lang: str) -> str:
    """'716 KB', '2,8 MB' in the course's number format."""
    if size < 1024 * 1024:
        return f"{i18n.number(Decimal(max(1, round(size / 1024))), lang)} KB"
    tenths = Decimal(round(size * 10 / 1024 / 1024)) / 10
    return f"{i18n.number(tenths, lang)} MB"
