"""The pipeline: load and check, then render notebooks, decks and the book; publish only on
success. What the last build made from the same inputs is reused (``builder.cache``)."""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from builder import cache
from builder.cache import Inputs, Manifest, Record
from builder.course.load import COURSE_TEMPLATE, DECKS_DIR, LESSONS_DIR, THEME_FILE
from builder.course.model import Course
from builder.problems import Problems, Where, suggest
from builder.publish import Output, Scratch, staging

# The stages' modules (Sphinx, python-pptx, nbformat) are imported when a build has something
# to make: a build with nothing changed reads the tree and the manifest only.
NOTEBOOKS, DECKS, BOOK = "notebooks", "decks", "book"  # the output folders
PARTS = (NOTEBOOKS, DECKS, BOOK)

Stage = Callable[[str], contextlib.AbstractContextManager]


@contextlib.contextmanager
def _silent(_: str) -> Iterator[None]:
    yield


class BuildFailed(Exception):
    """The sources have errors (or warnings under ``strict``); nothing was published."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class Built:
    """What a successful build wrote, and the warnings it let through."""

    problems: Problems
    notebooks: list[Path] = field(default_factory=list)
    book: Path | None = None
    decks: list[Path] = field(default_factory=list)
    papers: list[Path] = field(default_factory=list)  # each session's plan and handout (PDF)
    changed: list[str] = field(default_factory=list)  # files whose bytes differ from before
    made: list[str] = field(default_factory=list)  # outputs made again
    reused: list[str] = field(default_factory=list)  # outputs kept as the last build left them

    @classmethod
    def of(cls, out: Path, problems: Problems, files: list[str], full: bool, **kw) -> Built:
        """The record of a build that left ``files`` (paths relative to ``out``)."""
        return cls(
            problems=problems,
            notebooks=[out / p for p in files if _inside(p, NOTEBOOKS, ".ipynb")],
            book=out / BOOK if full else None,
            decks=[out / p for p in files if _inside(p, DECKS, ".pptx")],
            papers=[out / p for p in files if _inside(p, DECKS, ".pdf")],
            **kw,
        )


def build(
    root: Path,
    out: Path,
    *,
    strict: bool = False,
    stage: Stage = _silent,
    deck: str | None = None,
    parts: Collection[str] = PARTS,
) -> Built:
    """Build notebooks, decks and the book from ``root`` into ``out``; raise ``BuildFailed`` on
    errors. With ``deck``, the output is that session's deck alone (no notebooks, no book).
    Outputs whose inputs did not change since the last build into ``out`` are kept as they
    are; when nothing changed, nothing is checked or written and the last build's problems
    are reported again."""
    inputs = Inputs.read(root, skip=[out])
    previous = Manifest.load(out)
    whole = inputs.everything("build", strict=strict)
    if deck is None and set(PARTS) <= set(parts) and previous.unchanged(out, whole):
        problems = Problems()
        problems.extend(previous.problems)
        files = [f for record in previous.outputs.values() for f in record.files]
        return Built.of(out, problems, files, full=True)

    from builder.checks.run import silence  # noqa: PLC0415 - see NOTEBOOKS
    from builder.commands import check as checks  # noqa: PLC0415
    from builder.course.imaging.drawing import keep_in, kept  # noqa: PLC0415
    from builder.render import notebooks  # noqa: PLC0415
    from builder.render.book import site  # noqa: PLC0415
    from builder.render.decks import deck as decks  # noqa: PLC0415

    with stage("Checking sources"):
        course, problems = checks.check(root)
        if deck is not None and course is not None and deck not in course.decks:
            problems.error(
                Where(DECKS_DIR, 1),
                "deck.unknown",
                f"no session '{deck}' (no {DECKS_DIR}/{deck}.yml)" + suggest(deck, course.decks),
            )
        if course is None or problems.errors(strict):
            raise BuildFailed(problems)
    # What this build makes: every part, some (``parts``), or one session's files.
    if BOOK in parts:
        parts = {*parts, NOTEBOOKS}  # the book offers the learners' notebooks for download
    owned = list(decks.paths(deck)) if deck is not None else [p for p in PARTS if p in parts]
    keys, contexts = _keys(course, inputs)

    def wanted(outputs: list[Output]) -> list[Output]:
        return [o for o in outputs if _owns(owned, o.path)]

    keep_in(out / cache.DRAWINGS)
    with staging(out) as scratch:
        maker = _Maker(scratch, previous, keys, problems)
        if outputs := wanted(notebooks.outputs(course)):
            with stage("Writing notebooks"):
                maker.write(outputs)
        if outputs := wanted(decks.outputs(course, contexts)):
            with stage("Writing decks"):
                _write_decks(maker, outputs, problems, every=deck is None)
        if problems.errors(strict):
            raise BuildFailed(problems)
        # Sphinx's state lives in the current output's cache, at a path that stays the same
        # from build to build (its environment records the source folder), and is carried
        # over into the new output like any file the build does not replace. A first build
        # makes the output folder for it, and removes it again if it fails.
        first = BOOK in owned and not out.exists()
        if first:
            out.mkdir()
        state = out / cache.BOOK_STATE if BOOK in owned else None
        try:
            pages = {  # a lesson's page is made from what its notebook is made from
                f"{lesson.id}.ipynb": keys[f"{NOTEBOOKS}/{lesson.id}.ipynb"]
                for lesson in course.lessons.values()
            }
            book = site.outputs(
                course, scratch.new / notebooks.FOLDER, scratch.work, problems, state, pages
            )
            if outputs := wanted(book):
                with stage("Building the book"):
                    maker.write(outputs)
                silence(course, problems)  # the book's own warnings
            if problems.errors(strict):
                raise BuildFailed(problems)
            decked = deck is not None or DECKS in owned  # else the drawings stay as they are
            manifest = _manifest(previous, maker, owned, whole, problems)
            _keep(scratch, manifest, set(maker.records), kept() if decked else None)
            scratch.commit([*owned, cache.MANIFEST, *([cache.DRAWINGS] if decked else [])])
        except BaseException:
            if first:
                shutil.rmtree(out, ignore_errors=True)
            raise
    return Built.of(
        out,
        problems,
        scratch.written,
        BOOK in owned,
        changed=scratch.changed,
        made=maker.made,
        reused=maker.reused,
    )


def warm_up(root: Path, out: Path) -> None:
    """Read the course at ``root`` as a build does, lay its decks out, run Sphinx once and
    read the book last built into ``out``, writing nothing in either: for a process that
    builds next (the build server). What a build reads and makes is kept in memory by its
    content (``cache.Kept``)."""
    from builder.commands import check as checks  # noqa: PLC0415 - see NOTEBOOKS
    from builder.render import notebooks  # noqa: F401, PLC0415
    from builder.render.book import links, site  # noqa: PLC0415
    from builder.render.decks import deck as decks  # noqa: PLC0415

    course, _ = checks.check(root)
    if course is None:
        return
    site.warm_up(course)
    if (out / BOOK).is_dir():  # its pages' references, kept by their bytes
        links.outside_references(out / BOOK)
    _, contexts = _keys(course, Inputs.read(root, skip=[out]))
    with contextlib.suppress(Exception):  # no fonts, a broken template: the build says so
        for output in decks.outputs(course, contexts):
            output.make()  # laid out: an edit to a deck's notes only writes them again


def _manifest(
    previous: Manifest, maker: _Maker, owned: list[str], whole: str, problems: Problems
) -> Manifest:
    """The record of this build for the next one. After part of a build, the other outputs
    stay as they are, and so do their records; the output is still a full build's of these
    inputs when the last full build read the same ones (a --deck build after a build with
    nothing changed)."""
    if owned == list(PARTS):
        return Manifest(build=whole, problems=list(problems.items), outputs=maker.records)
    others = {p: r for p, r in previous.outputs.items() if not _owns(owned, p)}
    still = previous.build == whole
    return Manifest(
        build=whole if still else None,
        problems=previous.problems if still else [],
        outputs=others | maker.records,
    )


def _keys(course: Course, inputs: Inputs) -> tuple[dict[str, str], dict[str, str]]:
    """The key of every output, a digest of the inputs it is made from; and each session's
    key of what its deck reads but its lessons' texts, which reach a deck through its plan
    only (``deck.deck_bytes`` keeps decks in memory by it and their plan). A lesson's notebook
    reads its lesson, every lesson's title (the prerequisites it links) and the course's
    files but the lesson texts and ``slides/`` (course.yml, facts, sources, glossary, banks,
    pictures wherever they are); the book reads all of those and every lesson; a session's
    deck and papers read what the notebooks read, the theme and template, the session's file
    and its lessons."""
    from builder.render.decks import deck as decks  # noqa: PLC0415 - see NOTEBOOKS

    lessons_dir = f"{LESSONS_DIR}/"
    # Every file but the lesson texts and the sessions' files: pictures kept beside the
    # lessons (course/lessons/hinh/x.png) too, which any lesson may show.
    course_wide = [
        p
        for p in inputs.files
        if not (p.startswith(lessons_dir) and p.endswith(".md")) and not p.startswith("slides/")
    ]
    for_decks = [
        p for p in inputs.files if p.startswith("slides/") and not p.startswith(f"{DECKS_DIR}/")
    ]
    titles = {lesson.id: lesson.meta.title for lesson in course.lessons.values()}
    keys, contexts = {}, {}
    for lesson in course.lessons.values():
        paths = [*course_wide, lesson.path]
        keys[f"{NOTEBOOKS}/{lesson.id}.ipynb"] = inputs.key("notebook", paths, titles=titles)
    for deck_id, deck in course.decks.items():
        taught = [course.lessons[p.lesson].path for p in deck.parts() if p.lesson in course.lessons]
        paths = [*course_wide, *for_decks, deck.where.path, *taught]
        for path in decks.paths(deck_id):
            keys[path] = inputs.key("deck", paths, titles=titles, output=path)
        context = [*course_wide, *for_decks, deck.where.path]
        contexts[deck_id] = inputs.key("deck-context", context, titles=titles)
    keys[BOOK] = inputs.key("book", [p for p in inputs.files if not p.startswith("slides/")])
    return keys, contexts


class _Maker:
    """Writes a stage's outputs into the stage: an output whose key the last build recorded,
    and whose files still hold what it wrote, is put back as it is; any other is made. Keeps
    the record of each for the next build."""

    def __init__(
        self, scratch: Scratch, previous: Manifest, keys: dict[str, str], problems: Problems
    ) -> None:
        self.scratch, self.previous, self.keys, self.problems = scratch, previous, keys, problems
        self.records: dict[str, Record] = {}
        self.made: list[str] = []
        self.reused: list[str] = []

    def write(self, outputs: list[Output]) -> None:
        """Write ``outputs``, reusing what can be: an output whose inputs are as before, or
        whose value (``Output.value``) is, the last build made already."""
        for output in outputs:
            key = self.keys.get(output.path)
            kept = value = None
            if key is not None:
                kept = self.previous.reusable(self.scratch.out, output.path, key)
                if kept is None and output.value is not None:
                    value = output.value()
                    kept = self.previous.reusable(self.scratch.out, output.path, value=value)
            if kept is not None:
                self.scratch.reuse(kept.files)
                self.problems.extend(kept.problems)
                self.records[output.path] = dataclasses.replace(
                    kept, key=key, value=value or kept.value
                )
                self.reused.append(output.path)
                continue
            before = len(self.problems.items)
            files = self.scratch.write([output])
            self.made.append(output.path)
            if key is not None:
                found = self.problems.items[before:]
                digests = {f: cache.digest((self.scratch.new / f).read_bytes()) for f in files}
                self.records[output.path] = Record(key, digests, problems=list(found), value=value)

    def discard(self, folder: str) -> None:
        """Forget what was written in ``folder`` (see ``Scratch.discard``)."""
        self.scratch.discard(folder)
        inside = f"{folder}/"
        self.records = {p: r for p, r in self.records.items() if not p.startswith(inside)}


def _keep(
    scratch: Scratch, manifest: Manifest, written: set[str], drawings: dict[str, bytes] | None
) -> None:
    """Write the cache folder into the stage: the rendered drawings this build used (None: it
    made no deck and keeps the last ones), and the manifest, with the state of each file this
    build wrote as the new output holds it (the others are carried over, linked: as they
    were)."""
    if drawings is not None:
        folder = scratch.new / cache.DRAWINGS
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in sorted(drawings.items()):
            (folder / name).write_bytes(data)
    for path, record in manifest.outputs.items():
        if path in written:
            record.stats = {f: cache.stat(scratch.new / f) for f in record.files}
    (scratch.new / cache.MANIFEST).parent.mkdir(parents=True, exist_ok=True)
    (scratch.new / cache.MANIFEST).write_bytes(manifest.dumps())


def _owns(owned: list[str], path: str) -> bool:
    """Whether an output path is one of ``owned`` (paths) or inside one (folders)."""
    return any(path == o or path.startswith(f"{o}/") for o in owned)


def _inside(path: str, folder: str, suffix: str) -> bool:
    """Whether an output path is a file of that kind directly in that output folder."""
    return path.startswith(f"{folder}/") and path.endswith(suffix) and path.count("/") == 1


def _write_decks(maker: _Maker, outputs: list[Output], problems: Problems, every: bool) -> None:
    """Without the fonts that measure their text, a full build goes on without decks (a
    warning: the book and notebooks need no fonts), while ``--deck`` fails."""
    from builder.course import imaging  # noqa: PLC0415 - see NOTEBOOKS
    from builder.render.decks import package, textfit  # noqa: PLC0415

    try:
        maker.write(outputs)
    except textfit.FontMissing as exc:
        if every:
            problems.warning(Where(THEME_FILE, 1), "deck.font", f"{exc}; no deck was written")
        else:
            problems.error(Where(THEME_FILE, 1), "deck.font", str(exc))
    except package.TemplateError as exc:  # builder check opens the template first; a last guard
        problems.error(Where(COURSE_TEMPLATE, 1), "deck.template", str(exc))
    except imaging.ImageProblem as exc:  # builder check reads every image first; a last guard
        problems.error(Where(DECKS_DIR, 1), "image.invalid", str(exc))
    else:
        return
    maker.discard(DECKS)
