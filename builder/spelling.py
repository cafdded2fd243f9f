"""``builder spell``: the spelling of everything learners and trainers read, with hunspell.

This is the only module that runs hunspell. Words are checked against a hunspell dictionary
(Debian's ``hunspell-vi`` for Vietnamese) and the course's own word list, ``course/words.txt``
(proper names, abbreviations, platform names: one word per line, ``#`` for comments; a word in
lower case there is accepted in any case).

Checked: lesson prose, front matter, chart and quiz titles and trainer notes; the text fields
of course.yml, facts.yml (labels, not quotes: a quote is the source's own words), glossary.yml,
question banks and sessions. Not checked: code, roles' ids, link targets, web addresses.

Vietnamese writes the tone of ``oa``, ``oe``, ``uy`` on either vowel (``hóa`` and ``hoá``); the
dictionary knows one placement, so a word is also accepted when its other placement is known.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from builder import markup, readers
from builder.problems import Problems, Where

WORDS_FILE = "course/words.txt"
YAML_FILES = ("course/course.yml", "course/facts.yml", "course/glossary.yml")
YAML_GLOBS = ("quizzes/*.yml", "slides/decks/*.yml")
# Keys whose values are text a person reads (everything else is an id, a number, a quote...).
TEXT_KEYS = {
    "title", "subtitle", "description", "publisher", "label", "place", "unit", "term",
    "aliases", "definition", "prompt", "text", "feedback", "right", "wrong", "explanation",
    "hint", "match", "steps", "objectives", "keypoints", "venue",
}  # fmt: skip
WORD = re.compile(r"(?<!\d)[^\W\d_]+(?!\d)")  # "5G", "4GB" are not words
# Blanked before words are taken: roles' ids, link targets, code, tags, addresses, options.
NOT_WORDS = re.compile(
    r"\{fact\}`[^`]*`"
    r"|\{[a-z-]+\}"
    r"|\]\([^)]*\)"
    r"|`[^`]*`"
    r"|<[^>\n]*>"
    r"|\b[a-z][a-z0-9+.-]*://\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:vn|com|org|net|gov)\b"
    r"|\(#[^)]*\)="
)
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}


@dataclass(frozen=True)
class Text:
    """A piece of text to check: its file and the line it starts on."""

    path: str
    line: int
    text: str


class SpellerMissing(Exception):
    """hunspell or the dictionary is not installed."""


def check_spelling(root: Path, dictionary: str = "vi_VN") -> Problems:
    """One problem per misspelled word per line, in every text of the course tree."""
    problems = Problems()
    texts = list(course_texts(root, problems))
    allowed = word_list(root / WORDS_FILE)
    tokens = {t for text in texts for t in WORD.findall(_prose(text.text))}
    unknown = {t for t in tokens if not _allowed(t, allowed)}
    try:
        wrong = misspelled(unknown, dictionary)
    except SpellerMissing as missing:
        problems.error(Where(WORDS_FILE, 1), "spell.setup", str(missing))
        return problems
    lines_of: dict[str, list[str]] = {}
    for text in texts:
        words = [w for w in WORD.findall(_prose(text.text)) if w in wrong]
        if not words:
            continue
        raw = lines_of.setdefault(text.path, _file_lines(root / text.path))
        reported: set[tuple[str, int]] = set()
        for word in words:
            line = _line_of(word, raw, text.line)
            if (word, line) in reported:
                continue
            reported.add((word, line))
            hint = f" (did you mean '{wrong[word]}'?)" if wrong[word] else ""
            problems.error(
                Where(text.path, line),
                "spell.unknown",
                f"unknown word '{word}'{hint}; fix it or add it to {WORDS_FILE}",
            )
    return problems


def word_list(path: Path) -> set[str]:
    """The course's accepted words."""
    if not path.is_file():
        return set()
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(unicodedata.normalize("NFC", word))
    return words


def _allowed(token: str, allowed: set[str]) -> bool:
    return token in allowed or token.lower() in allowed


def misspelled(words: Iterable[str], dictionary: str) -> dict[str, str]:
    """The words the dictionary does not know, each with hunspell's first suggestion."""
    words = sorted(set(words))
    first = _hunspell(words, dictionary)
    variants = {w: v for w in first if (v := tone_variant(w))}
    known_variants = set(variants.values()) - set(_hunspell(list(variants.values()), dictionary))
    return {w: s for w, s in first.items() if variants.get(w) not in known_variants}


def tone_variant(word: str) -> str | None:
    """The word with the tone of a final ``oa``/``oe``/``uy`` on the other vowel, if any."""
    clusters: list[list[str]] = []
    for char in unicodedata.normalize("NFD", word):
        if unicodedata.combining(char) and clusters:
            clusters[-1].append(char)
        else:
            clusters.append([char])
    if len(clusters) < 2:
        return None
    one, two = clusters[-2], clusters[-1]
    if (one[0].lower(), two[0].lower()) not in PAIRS:
        return None
    if any(m not in TONES for m in one[1:] + two[1:]) or len(one) + len(two) != 3:
        return None
    if len(one) == 2:
        one, two = [one[0]], [two[0], one[1]]
    else:
        one, two = [one[0], two[1]], [two[0]]
    clusters[-2:] = [one, two]
    return unicodedata.normalize("NFC", "".join("".join(c) for c in clusters))


def _hunspell(words: list[str], dictionary: str) -> dict[str, str]:
    """Words hunspell rejects, with its first suggestion ('' when it has none)."""
    if not words:
        return {}
    program = shutil.which("hunspell")
    if program is None:
        raise SpellerMissing(
            "hunspell is not installed; on Debian: apt-get install hunspell hunspell-vi"
        )
    result = subprocess.run(
        [program, "-a", "-i", "utf-8", "-d", dictionary],
        input="".join(f"^{w}\n" for w in words),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if result.returncode != 0 or "Can't open" in result.stderr:
        raise SpellerMissing(
            f"hunspell cannot open the '{dictionary}' dictionary; on Debian: "
            "apt-get install hunspell-vi"
        )
    wrong: dict[str, str] = {}
    for line in result.stdout.splitlines():
        if line.startswith("& "):
            head, _, suggestions = line.partition(": ")
            wrong[head.split()[1]] = suggestions.split(", ")[0]
        elif line.startswith("# "):
            wrong[line.split()[1]] = ""
    return wrong


# --- where the text is ---------------------------------------------------------------------


def course_texts(root: Path, problems: Problems) -> Iterator[Text]:
    """Every text a learner or trainer reads, with the file and line it starts on."""
    for path in sorted(root.glob("course/lessons/*.md")):
        yield from _lesson_texts(root, path, problems)
    paths = [root / name for name in YAML_FILES]
    paths += [p for pattern in YAML_GLOBS for p in sorted(root.glob(pattern))]
    for path in paths:
        if path.is_file():
            rel = path.relative_to(root).as_posix()
            text = readers.read_text(path, Where(rel), Problems())
            data = readers.parse_yaml(text or "", Where(rel), Problems())
            yield from _yaml_texts(data, rel, 1, None)


def _lesson_texts(root: Path, path: Path, problems: Problems) -> Iterator[Text]:
    rel = path.relative_to(root).as_posix()
    text = readers.read_text(path, Where(rel), Problems())
    parts = markup.split_front_matter(text or "", Where(rel), Problems())
    if parts is None:
        return
    front, front_line, body = parts
    data = readers.parse_yaml(front, Where(rel, front_line), Problems())
    yield from _yaml_texts(data, rel, front_line, None)
    body_line = front_line + front.count("\n") + 2
    literal: str | None = None  # the fence of the code block we are in
    opened: list[str] = []  # fences of the directives we are in
    for number, line in enumerate(body.split("\n"), start=body_line):
        fence = markup.FENCE.match(line)
        if literal is not None:
            if fence and not fence["info"].strip() and _closes(fence["fence"], literal):
                literal = None
            continue
        if fence:
            info = fence["info"].strip()
            directive = markup.DIRECTIVE.match(info)
            if not info and opened and _closes(fence["fence"], opened[-1]):
                opened.pop()
            elif directive is None or directive["name"] in markup.LITERAL_DIRECTIVES:
                literal = fence["fence"]
            else:
                opened.append(fence["fence"])
                yield Text(rel, number, directive["arg"])
            continue
        if not markup.OPTION.match(line):
            yield Text(rel, number, line)


def _closes(fence: str, opening: str) -> bool:
    return fence[0] == opening[0] and len(fence) >= len(opening)


def _yaml_texts(node: Any, path: str, first: int, key: str | None) -> Iterator[Text]:
    """Strings under text keys in a parsed YAML tree; ``first`` is the file line of its line 0."""
    if isinstance(node, CommentedMap):
        for name, value in node.items():
            line = first + readers.key_line(node, name, 0)
            if isinstance(value, str):
                if name in TEXT_KEYS:
                    yield Text(path, line, value)
            else:
                yield from _yaml_texts(value, path, first, name)
    elif isinstance(node, CommentedSeq):
        for index, value in enumerate(node):
            if isinstance(value, str):
                if key in TEXT_KEYS:
                    yield Text(path, first + readers.item_line(node, index, 0), value)
            else:
                yield from _yaml_texts(value, path, first, key)


def _prose(text: str) -> str:
    """The words of a text: a term role keeps its text, not its target (checked in the glossary)."""
    text = markup.TERM_ROLE.sub(lambda m: f" {m['text']} ", unicodedata.normalize("NFC", text))
    return NOT_WORDS.sub(" ", text)


def _file_lines(path: Path) -> list[str]:
    return unicodedata.normalize("NFC", path.read_text(encoding="utf-8")).split("\n")


def _line_of(word: str, lines: list[str], start: int) -> int:
    """The first line from ``start`` on where ``word`` stands as a whole word."""
    pattern = re.compile(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])")
    for number in range(start, len(lines) + 1):
        if pattern.search(_prose(lines[number - 1])):
            return number
    return start
