"""``builder spell``: the spelling of everything learners and trainers read, with hunspell.

This is the only module that runs hunspell. Words are checked against a hunspell dictionary
(Debian's ``hunspell-vi`` for Vietnamese) and the course's own word list, ``course/words.txt``
(proper names, abbreviations, platform names: one word per line, ``#`` for comments; a word in
lower case there is accepted in any case).

Checked: every text ``builder.course.texts`` walks (what learners and trainers read: lessons,
trainer notes, front matter, course.yml, sources, fact labels, the glossary, banks, sessions),
except fact quotes (the source's own words). Not checked: code, roles' ids, link targets, web
addresses.

Vietnamese writes the tone of ``oa``, ``oe``, ``uy`` on either vowel (``hóa`` and ``hoá``); the
dictionary knows one placement, so a word is also accepted when its other placement is known.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from builder.course import load, texts
from builder.problems import Problems, Where

WORDS_FILE = "course/words.txt"
# Read texts that are not ours to spell: a quote is the source's own words.
SKIPPED = {"fact:quote", "question:accept"}
WORD = re.compile(r"(?<!\d)[^\W\d_]+(?!\d)")  # "5G", "4GB" are not words
# Blanked before words are taken: web addresses and domain names.
NOT_WORDS = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:vn|com|org|net|gov)\b")
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}


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


def course_texts(root: Path, problems: Problems) -> Iterator[texts.Text]:
    """Every text a learner or trainer reads (``builder.course.texts``) except fact quotes; a course
    that cannot be loaded gives its loading errors instead."""
    course, loaded = load.load_course(root)
    if course is None:
        problems.extend(loaded.errors())
        return
    for text in texts.texts(course):
        if text.kind not in SKIPPED:
            yield text


def _prose(text: str) -> str:
    """The words of a read text: web and e-mail addresses are not words."""
    return NOT_WORDS.sub(" ", unicodedata.normalize("NFC", text))


def _file_lines(path: Path) -> list[str]:
    return unicodedata.normalize("NFC", path.read_text(encoding="utf-8")).split("\n")


def _line_of(word: str, lines: list[str], start: int) -> int:
    """The first line from ``start`` on where ``word`` stands as a whole word."""
    pattern = re.compile(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])")
    for number in range(start, len(lines) + 1):
        if pattern.search(lines[number - 1]):
            return number
    return start
