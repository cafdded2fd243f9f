"""The book as one output: the project written in scratch around the notebooks, the Sphinx run,
its warnings located at the lesson lines they came from, and its requests checked to stay
inside the site."""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
from pathlib import Path

from builder.cache import digest, read_sealed, sealed_json, tool
from builder.course.model import Course
from builder.problems import Problems, Where
from builder.publish import Output, write
from builder.render import notebooks
from builder.render.book import jupyterbook, links, project
from builder.render.book.jupyterbook import BookWarning

FOLDER = "book"
# What builds keep for the next one's Sphinx run, in the output's cache: the book's sources,
# Sphinx's environment and doctrees, what they were made for, and the warnings per document.
FRAME = "frame.json"
WARNINGS = "warnings.json"
KEYS = "keys.json"  # the keys of the sources written last (see ``_sync``)


def warm_up(course: Course) -> None:
    """Run Sphinx once, with the course's configuration, on a book of one page in a folder of
    its own, and forget it: a process that builds next (the build server) then has Sphinx's
    extensions, theme and templates loaded, most of a first Sphinx run."""
    with tempfile.TemporaryDirectory(prefix="khoahocso-") as folder:
        src = Path(folder) / "src"
        src.mkdir()
        (src / "_config.yml").write_bytes(project.config_bytes(course))
        (src / "_toc.yml").write_bytes(b"format: jb-book\nroot: index\n")
        (src / "index.md").write_text(f"# {course.info.title}\n", encoding="utf-8")
        jupyterbook.build_html(src, Path(folder) / "html", Path(folder) / "doctrees")


def outputs(
    course: Course,
    notebooks_dir: Path,
    work: Path,
    problems: Problems,
    state: Path | None = None,
    keys: dict[str, str] | None = None,
) -> list[Output]:
    """The book, one output: the site folder, made from the notebooks in ``notebooks_dir``
    (written first) in the scratch folder ``work``, with Sphinx's ``state`` and the keys of
    the book's sources (see ``site``)."""
    make = functools.partial(site, course, notebooks_dir, work, problems, state, keys)
    return [Output(FOLDER, make)]


def site(
    course: Course,
    notebooks_dir: Path,
    work: Path,
    problems: Problems,
    state: Path | None = None,
    keys: dict[str, str] | None = None,
) -> Path:
    """The site, built under ``work`` from the notebooks written in ``notebooks_dir`` (Jupyter
    Book writes jupyter_execute/ beside its output folder); problems go to ``problems``.

    ``state`` is a folder that outlives the build (in the current output's cache, at a path
    that stays the same: Sphinx's environment holds its source folder's path) where the book's
    sources are kept in step with this build's, a file rewritten only when its bytes change.
    When the last run there made the same pages (the same documents, titles, table of contents
    and configuration: ``_frame``), Sphinx starts from its environment and reads again only
    the changed sources. When the headings of every document are also the same (``_outline``:
    what other pages link to by name), Sphinx writes again only the pages of the changed
    sources, and the pages that list them, into the site it wrote last (kept in ``state``,
    copied into ``work``); otherwise every page, into an empty folder. Either way the site is
    byte for byte a fresh build's. The warnings of the documents not read again are the ones
    the last run reported. A run that fails leaves no state. ``keys`` are digests of what some
    sources are made from (a lesson's page, as its notebook's key): one whose key is the one
    kept is not even made again."""
    sources = project.sources(course, notebooks_dir)
    frame = _frame(course, sources)
    out = work / FOLDER
    if state is None:
        src, doctrees, usable, changed = work / "book-src", work / "doctrees", False, set()
        write(sources, src)
        html = out
    else:
        src, doctrees, html = state / "src", state / "doctrees", state / "html"
        last = _reads(state / FRAME)
        usable = last.get("frame") == frame and doctrees.is_dir()
        (state / FRAME).unlink(missing_ok=True)  # valid again only once Sphinx succeeded
        if not usable:
            shutil.rmtree(doctrees, ignore_errors=True)
        known = _reads(state / KEYS) if usable else {}
        (state / KEYS).unlink(missing_ok=True)
        changed = _sync(sources, src, {p: k for p, k in (keys or {}).items() if known.get(p) == k})
        outline = _outline(src)
        frame_outline = {"frame": frame, "outline": outline}
        if not usable or last.get("outline") != outline:
            shutil.rmtree(html, ignore_errors=True)
        else:
            _reuse(html, doctrees, src, changed)
    kept = _reads(state / WARNINGS) if usable and state is not None else {}
    kept = {doc: found for doc, found in kept.items() if doc not in changed}
    ok, warnings = jupyterbook.build_html(src, html, doctrees, fresh=not usable)
    if html != out:
        if ok:
            shutil.copytree(html, out)
        else:
            shutil.rmtree(html, ignore_errors=True)
    warnings = _merged(kept, warnings)
    _report(course, ok, warnings, problems, src)
    for page, url in links.outside_references(out) if ok else []:
        problems.error(
            Where(f"{FOLDER}/{page}", 1),
            "book.outside-request",
            f"the page refers to {url}, outside the site; the book must work offline",
        )
    if state is not None:
        if ok:
            _save(state, frame_outline, warnings)
            (state / KEYS).write_bytes(sealed_json(keys or {}))
        else:
            shutil.rmtree(state, ignore_errors=True)
    out.mkdir(exist_ok=True)  # a failed run's error is reported: the build stops after it
    return out


def _sync(sources: list[Output], folder: Path, same: dict[str, str]) -> set[str]:
    """Make ``folder`` hold exactly the ``sources``: a file whose bytes are already there is
    left as it is (with its time, which tells Sphinx it has not changed), another is written
    under a new name and renamed into place; files of no source go. A source in ``same``
    (made from the same inputs as the file there) is not made at all. Returns the paths
    written."""
    changed: set[str] = set()
    wanted: set[str] = set()
    for output in sources:
        if output.path in same and (folder / output.path).is_file():
            wanted.add(output.path)
            continue
        made = output.make()
        data = made if isinstance(made, bytes) else Path(made).read_bytes()
        path = folder / output.path
        wanted.add(output.path)
        try:
            if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
                continue
        except OSError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        spare = path.with_name(f".{path.name}.new")
        spare.write_bytes(data)
        os.replace(spare, path)
        changed.add(output.path)
    for path in sorted(folder.rglob("*"), reverse=True):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changed


def _frame(course: Course, sources: list[Output]) -> dict:
    """What the pages are, beyond their text: the documents, their titles, and the table of
    contents and configuration (whose bytes Jupyter Book turns into Sphinx's)."""
    frame_files = {"_toc.yml", "_config.yml"}
    return {
        "documents": sorted(o.path for o in sources),
        "titles": {lesson.id: lesson.meta.title for lesson in course.lessons.values()},
        "frame": {o.path: digest(_bytes(o)) for o in sources if o.path in frame_files},
        "tool": tool(),
    }


def _reuse(html: Path, doctrees: Path, src: Path, changed: set[str]) -> None:
    """Make the last site what Sphinx left before the course's changes to it: the static files
    go (Sphinx copies them again before it writes the pages, and a page links to a static file
    it finds already there with a checksum that a fresh build's page does not carry: myst-nb
    writes its stylesheet after the pages), and the search index Sphinx updates is its own,
    with the titles not escaped. The pages not written again and their pictures stay. When no
    page source is among the ``changed`` files of ``src``, Sphinx would find no page out of
    date and stop before it copies the static and extra files: the start page is touched, so
    that it is read and written again and the site finished."""
    if not any(path.endswith((".md", ".ipynb")) for path in changed):
        for page in src.glob("index.*"):
            os.utime(page)
    shutil.rmtree(html / "_static", ignore_errors=True)
    plain = doctrees / jupyterbook.PLAIN_SEARCH_INDEX
    if plain.is_file():
        shutil.copyfile(plain, html / jupyterbook.SEARCH_INDEX)
    else:
        shutil.rmtree(html, ignore_errors=True)


def _outline(src: Path) -> list[str]:
    """Every file of the book's sources, and every heading of every document, in order: the
    text other pages show when they link to a section. When a file comes or goes or a heading
    changes, Sphinx writes every page again into an empty folder, not only the changed ones
    (headings: lines in a notebook's cells or a Markdown page that start with '#', some inside
    code, counted all the same)."""
    found = [f"file: {p.relative_to(src).as_posix()}" for p in sorted(src.rglob("*"))]
    for path in sorted(src.rglob("*")):
        if path.suffix == ".md":
            texts = [path.read_text(encoding="utf-8")]
        elif path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
            texts = ["".join(c.get("source", "")) for c in cells if c["cell_type"] == "markdown"]
        else:
            continue
        name = path.relative_to(src).as_posix()
        lines = [line for text in texts for line in text.split("\n")]
        found += [f"{name}: {line}" for line in lines if line.startswith("#")]
    return found


def _bytes(output: Output) -> bytes:
    made = output.make()
    return made if isinstance(made, bytes) else Path(made).read_bytes()


def _reads(path: Path) -> dict:
    """A mapping the last build on this machine kept (sealed), or an empty one: the state
    decides whether Sphinx unpickles its environment, so none that came with a course tree
    is used."""
    return read_sealed(path) or {}


def _merged(kept: dict[str, list], warnings: list[BookWarning]) -> list[BookWarning]:
    """This run's warnings, and the kept ones of the documents it did not read again."""
    merged = list(warnings)
    for document, found in sorted(kept.items()):
        for line, message in found:
            warning = BookWarning(document, int(line), str(message))
            if warning not in merged:
                merged.append(warning)
    return merged


def _save(state: Path, frame: dict, warnings: list[BookWarning]) -> None:
    """Record what the state's environment was made for, and its warnings per document."""
    by_document: dict[str, list] = {}
    for warning in warnings:
        by_document.setdefault(warning.document, []).append([warning.line, warning.message])
    (state / WARNINGS).write_bytes(sealed_json(by_document))
    (state / FRAME).write_bytes(sealed_json(frame))


def _report(
    course: Course, ok: bool, warnings: list[BookWarning], problems: Problems, src: Path
) -> None:
    """Turn Sphinx warnings into problems located at the lesson line they came from."""
    sources = {f"{lesson.id}.ipynb": lesson.path for lesson in course.lessons.values()}
    for warning in warnings:
        if warning.document in sources:
            line = notebooks.source_line(src / warning.document, warning.line)
            where = Where(sources[warning.document], line)
        else:
            document = f"{FOLDER}/{warning.document}" if warning.document else FOLDER
            where = Where(document, max(warning.line, 1))
        problems.warning(where, "book.sphinx", warning.message)
    if not ok:
        problems.error(
            Where(FOLDER, 1),
            "book.failed",
            "Jupyter Book could not build the site (what Sphinx said last is in the "
            "book.sphinx warning at the same place); if your sources look right, build again "
            "with an empty output folder and report the message",
        )
