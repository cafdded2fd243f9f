"""Benchmark: CPU time per slide of our deck writer against pandoc's pptx writer, same content.

Run: python bench/decks.py [--repeat N] [--decks a,b] [--keep DIR]. For each deck of the bundled
course, times ``deck_bytes`` (CPU seconds, best of N: ``time.process_time``, plus the child
process it renders SVG drawings in, from ``resource.getrusage`` and the renderer's own count;
the first run too, which renders the drawings no deck before it showed) and counts its slides;
then, when pandoc is installed, gives pandoc the Markdown the deck covers (the title, an agenda,
and per part its activity, or its lesson's objectives, the sections the part names and its key
points) and times ``pandoc -f markdown -t pptx`` the same way (the child's user and system CPU).
MyST becomes plain pandoc Markdown: the front matter goes, ``{slide}`` and ``{admonition}``
become fenced divs, ``{notes}`` speaker notes, roles their text (a fact its value); charts and
quizzes, which pandoc cannot draw, are left out, and pandoc embeds the SVG drawings without
rendering them. Pandoc makes a slide per heading at ``--slide-level`` 2 or 3, whichever comes
nearer our count; both counts are printed. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pptx import Presentation

from builder.checks.run import load_and_check
from builder.course import facts, sessions
from builder.course.imaging.drawing import renderer_seconds
from builder.course.model import Course, Deck, Lesson
from builder.render.decks import deck as decks

ROOT = Path(__file__).resolve().parent.parent
LEVELS = (2, 3)

# A MyST directive's opening fence, e.g. ':::{slide} Title' or '```{notes}'; a plain code fence;
# a directive option line (':columns: 2'); an inline role, e.g. {term}`chữ ký số`.
DIRECTIVE = re.compile(r"^(?P<fence>`{3,}|:{3,})\s*\{(?P<name>[\w-]+)\}\s*(?P<arg>.*)$")
CODE = re.compile(r"^(?P<fence>`{3,}|~{3,})")
OPTION = re.compile(r"^:[\w-]+:")
ROLE = re.compile(r"\{(?P<name>[\w-]+)\}`(?P<text>[^`]*)`")
DROPPED = {"chart", "quiz"}  # pandoc has nothing to draw them with


def slide_count(data: bytes) -> int:
    """Slides of a .pptx."""
    return len(Presentation(io.BytesIO(data)).slides)


def best_cpu(
    run: Callable[[], object], repeat: int
) -> tuple[float, float, tuple[float, float], object]:
    """CPU seconds of the fastest of ``repeat`` runs in this process: its own, and its child
    process's (the deck writer renders SVG drawings in one); the first run's, both (the later
    ones reuse the drawings it rendered, as a build reuses those the last build kept); and
    the last result."""
    times, result = [], None
    for _ in range(repeat):
        start, children = time.process_time(), children_cpu()
        result = run()
        times.append((time.process_time() - start, children_cpu() - children))
    own, child = min(times, key=sum)
    return own, child, times[0], result


def children_cpu() -> float:
    """User and system CPU seconds of the child processes so far: the finished ones, and the
    drawing renderer's, which runs from drawing to drawing (the system counts a child only
    once it has ended)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime + renderer_seconds()


def plain(course: Course, text: str, lang: str) -> str:
    """Inline MyST as pandoc reads it: a role as its text, a fact role as the fact's value."""

    def role(match: re.Match[str]) -> str:
        name, text = match["name"], match["text"]
        if name == "fact" and text in course.facts:
            return facts.value_with_unit(course.facts[text], lang)
        return text

    return ROLE.sub(role, text)


def body(text: str) -> str:
    """A lesson file without its YAML front matter."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5 :]
    return text


def to_pandoc(course: Course, lesson: Lesson, lang: str) -> list[tuple[str | None, list[str]]]:
    """A lesson's body as pandoc Markdown, in pieces: what comes before its first '##' heading
    (titled None), then each '##' section under its plain title (as ``sessions`` reads it)."""
    text = body((Path(course.root) / lesson.path).read_text(encoding="utf-8"))
    titles = iter(sessions.section_titles(lesson))
    pieces: list[tuple[str | None, list[str]]] = [(None, [])]
    stack: list[tuple[str, str]] = []  # open fences, each with its kind: div, drop or code
    options = False  # just after a directive's opening fence, where its ':key: value' lines are
    for line in text.splitlines():
        out = pieces[-1][1]
        if options and OPTION.match(line):
            continue
        options = False
        kinds = {kind for _, kind in stack}
        if stack and line.strip() == stack[-1][0]:  # closes the innermost fence
            _, kind = stack.pop()
            if "drop" not in kinds:
                out.append(line if kind == "code" else ":::")
            continue
        if "drop" in kinds or "code" in kinds:
            if "drop" not in kinds:
                out.append(line)
            continue
        if directive := DIRECTIVE.match(line):
            name, arg = directive["name"], directive["arg"].strip()
            stack.append((directive["fence"], "drop" if name in DROPPED else "div"))
            options = True
            if name not in DROPPED:
                out.append("::: notes" if name == "notes" else f"::: {{.{name}}}")
                if arg:
                    out += [f"**{plain(course, arg, lang)}**", ""]
        elif code := CODE.match(line):
            stack.append((code["fence"], "code"))
            out.append(line)
        elif not stack and line.startswith("## "):
            pieces.append((next(titles, None), [plain(course, line, lang)]))
        else:
            out.append(plain(course, line, lang))
    return pieces


def markdown(course: Course, deck: Deck) -> str:
    """The deck's content as one pandoc Markdown document."""
    lang = sessions.language(course, deck)
    slots = sessions.schedule(course, deck)
    meta = {"title": deck.title, "subtitle": deck.subtitle, "date": str(deck.date or "")}
    lines = [
        "---",
        *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items() if v),
        "---",
        "",
    ]
    lines += ["## Agenda", "", *(f"- {slot.title}" for slot in slots), ""]
    for slot in slots:
        lines += [f"# {slot.title}", ""]
        if slot.lesson is None:
            continue
        front = slot.lesson.meta
        lines += ["## Objectives", "", *(f"- {plain(course, o, lang)}" for o in front.objectives)]
        lines.append("")
        only = slot.part.sections
        for title, piece in to_pandoc(course, slot.lesson, lang):
            if not only or title in only:
                lines += [*piece, ""]
        lines += ["## Key points", "", *(f"- {plain(course, k, lang)}" for k in front.keypoints)]
        lines.append("")
    return "\n".join(lines)


def pandoc_command(pandoc: str, source: Path, out: Path, level: int, resources: Path) -> list:
    """The command that writes the deck with pandoc."""
    command = [pandoc, "-f", "markdown", "-t", "pptx", f"--slide-level={level}"]
    return command + [f"--resource-path={resources}", "-o", str(out), str(source)]


def pandoc_best(command: list, out: Path, repeat: int) -> tuple[float, int]:
    """The least CPU seconds pandoc took over ``repeat`` runs, and the slides it made."""
    times = []
    for _ in range(repeat):
        before = children_cpu()
        subprocess.run(command, check=True, capture_output=True)
        times.append(children_cpu() - before)
    return min(times), slide_count(out.read_bytes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--root", type=Path, default=ROOT, help="course tree (holds course/)")
    parser.add_argument("--decks", default="", help="deck ids, comma-separated; default: all")
    parser.add_argument("--keep", type=Path, help="folder to keep pandoc's input and output in")
    args = parser.parse_args()
    course, _ = load_and_check(args.root)
    assert course is not None
    wanted = [d for d in args.decks.split(",") if d] or sorted(course.decks)
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        print("pandoc is not installed (apt-get install pandoc); timing our deck writer only")
    else:
        version = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout
        print(f"{version.splitlines()[0]}; CPU seconds, best of {args.repeat}")
    resources = args.root / "course" / "lessons"
    ours_total = theirs_total = ours_child = ours_first = first_drawings = 0.0
    ours_slides = theirs_slides = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for deck_id in wanted:
            deck = course.decks[deck_id]
            own, child, first, data = best_cpu(
                lambda deck=deck: decks.deck_bytes(course, deck), args.repeat
            )
            slides, seconds = slide_count(data), own + child
            ours_total, ours_slides = ours_total + seconds, ours_slides + slides
            ours_child += child
            ours_first += sum(first)
            first_drawings += first[1]
            per = seconds / slides * 1000
            print(
                f"deck {deck_id}: ours {slides} slides, {per:.1f} ms CPU/slide, {seconds:.2f} s"
                f" ({own / slides * 1000:.1f} ms/slide in this process,"
                f" {child / slides * 1000:.1f} in the drawing renderer's child process;"
                f" first run {sum(first) / slides * 1000:.1f} ms/slide)"
            )
            if pandoc is None:
                continue
            source, out = folder / f"{deck_id}.md", folder / f"{deck_id}.pptx"
            source.write_text(markdown(course, deck), encoding="utf-8")
            runs = {
                n: pandoc_best(pandoc_command(pandoc, source, out, n, resources), out, args.repeat)
                for n in LEVELS
            }
            counts = {n: count for n, (_, count) in runs.items()}
            level = min(LEVELS, key=lambda n: abs(counts[n] - slides))
            theirs = runs[level][0]
            theirs_total, theirs_slides = theirs_total + theirs, theirs_slides + counts[level]
            their_per = theirs / counts[level] * 1000
            levels = ", ".join(f"{counts[n]} at --slide-level={n}" for n in LEVELS)
            print(
                f"  pandoc {counts[level]} slides ({levels}), {their_per:.1f} ms CPU/slide,"
                f" {theirs:.2f} s; ours/pandoc per slide: {per / their_per:.1f}x"
            )
    per = ours_total / ours_slides * 1000
    print(
        f"all decks: ours {ours_slides} slides, {per:.1f} ms CPU/slide, {ours_total:.2f} s"
        f" (of which {ours_child:.2f} s in child processes); first runs"
        f" {ours_first / ours_slides * 1000:.1f} ms CPU/slide, {ours_first:.2f} s, of which"
        f" {first_drawings:.2f} s rendering drawings, which a build after the first takes from"
        f" its cache: {(ours_first - first_drawings) / ours_slides * 1000:.1f} ms CPU/slide"
    )
    if pandoc is not None:
        their_per = theirs_total / theirs_slides * 1000
        print(
            f"  pandoc {theirs_slides} slides, {their_per:.1f} ms CPU/slide, {theirs_total:.2f} s;"
            f" ours/pandoc per slide: {per / their_per:.1f}x"
        )


if __name__ == "__main__":
    main()
