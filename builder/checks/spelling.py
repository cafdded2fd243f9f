"""``builder spell``: the spelling of everything learners and trainers read, with hunspell.

This is the only module that runs hunspell. Words are checked against a hunspell dictionary
(Debian's ``hunspell-vi`` for Vietnamese), the course's own word list, ``course/words.txt``
(proper names, abbreviations, platform names: one word per line, ``#`` for comments; a word in
lower case there is accepted in any case), and the words of the glossary's terms and aliases
(as written there).

Checked: every text ``builder.course.texts`` walks (what learners and trainers read: lessons,
trainer notes, front matter, course.yml, sources, fact labels, the glossary, banks, sessions),
except fact quotes (the source's own words). Not checked: code, roles' ids, link targets, web
addresses.

Vietnamese writes the tone of ``oa``, ``oe``, ``uy`` on either vowel (``hóa`` and ``hoá``); the
dictionary knows one placement, so a word is also accepted when its other placement is known.

Each unknown word is reported once, at its first place, with how many times it is used and
where else. hunspell's suggestions are shown only when they are likely the word meant
(``useful``): the same letters with other diacritics or case ('chuyẻn': 'chuyển' first, the
one closest in marks), one letter added, dropped, changed or swapped ('thanhh': 'thanh'), or,
for an abbreviation, its letters in another order ('UNBD': 'UBND'). Never a split word
('voso': 'vo so') or another abbreviation for an abbreviation ('OTP': 'TP', 'QR': 'VIQR'),
which the Vietnamese dictionary offers for any short word in capitals.

``builder spell --add WORD...`` (``add_words``) writes words to ``course/words.txt``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from builder import i18n
from builder.course import load, texts
from builder.course.model import Course
from builder.i18n import vietnamese
from builder.problems import Problems, Where

WORDS_FILE = "course/words.txt"
# Read texts that are not ours to spell: a quote is the source's own words.
SKIPPED = {"fact:quote", "question:accept"}
WORD = re.compile(r"(?<!\d)[^\W\d_]+(?!\d)")  # "5G", "4GB" are not words
# Blanked before words are taken: web addresses and domain names.
NOT_WORDS = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:vn|com|org|net|gov)\b")
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}
SUGGESTIONS = 3  # at most, per word
ALSO = 3  # other places named per word
HEADER = """\
# Words the spelling dictionary does not know but the course uses correctly: names,
# abbreviations, platforms. One per line; a lower-case entry is accepted in any case.
# `builder spell --add WORD...` adds words here.
"""


class SpellerMissing(Exception):
    """hunspell or the dictionary is not installed."""


@dataclass
class Unknown:
    """An unknown word: every place it is used (file and line), and how many times."""

    places: list[Where] = field(default_factory=list)
    count: int = 0


def check_spelling(root: Path, dictionary: str = "vi_VN") -> Problems:
    """One problem per unknown word, at its first place, with its count and other places."""
    problems = Problems()
    course, loaded = load.load_course(root)
    if course is None:  # a course that cannot be loaded gives its loading errors instead
        problems.extend(loaded.errors())
        return problems
    read = [t for t in texts.texts(course) if t.kind not in SKIPPED]
    allowed = word_list(root / WORDS_FILE) | glossary_words(course)
    tokens = {t for text in read for t in WORD.findall(_prose(text.text))}
    unknown = {t for t in tokens if not _allowed(t, allowed)}
    try:
        wrong = misspelled(unknown, dictionary)
    except SpellerMissing as missing:
        problems.error(Where(WORDS_FILE, 1), "spell.setup", str(missing))
        return problems
    found: dict[str, Unknown] = {}
    lines_of: dict[str, list[str]] = {}
    for text in read:
        words = [w for w in WORD.findall(_prose(text.text)) if w in wrong]
        if not words:
            continue
        raw = lines_of.setdefault(text.path, _file_lines(root / text.path))
        seen: dict[str, int] = {}
        for word in words:
            seen[word] = seen.get(word, 0) + 1
            where = Where(text.path, _line_of(word, raw, text.line, seen[word]))
            entry = found.setdefault(word, Unknown())
            entry.count += 1
            if where not in entry.places:
                entry.places.append(where)
    for word, entry in found.items():
        first, *others = sorted(entry.places)
        notes = [f"{entry.count} times"] if entry.count > 1 else []
        if others:
            notes.append("also " + _places(first, others))
        if wrong[word]:
            quoted = [f"'{s}'" for s in wrong[word]]
            notes.append(f"did you mean {_either(quoted)}?")
        said = f" ({'; '.join(notes)})" if notes else ""
        problems.error(
            first,
            "spell.unknown",
            f"unknown word '{word}'{said}; fix it, or add it to {WORDS_FILE} with "
            f"'builder spell --add {word}'",
        )
    return problems


def _places(first: Where, others: list[Where]) -> str:
    """Where else a word is used, the first ``ALSO`` places: 'lines 40, 52, quizzes/b.yml:7
    and 3 more' (lines of the first place's file by number)."""
    shown, more = others[:ALSO], len(others) - ALSO
    here = [str(w.line) for w in shown if w.path == first.path]
    named = [f"line{'s' if len(here) > 1 else ''} {', '.join(here)}"] if here else []
    named += [f"{w.path}:{w.line}" for w in shown if w.path != first.path]
    return ", ".join(named) + (f" and {more} more" if more > 0 else "")


def _either(items: list[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def word_list(path: Path) -> set[str]:
    """The course's accepted words."""
    return {word for word, _ in _entries(path)}


def glossary_words(course: Course) -> set[str]:
    """The words of the glossary's terms and aliases, as written there: a term is a word the
    course means ('VNeID', 'Zalo')."""
    return {
        word
        for term in course.glossary
        for form in (term.term, *term.aliases)
        for word in WORD.findall(_prose(form))
    }


def _entries(path: Path) -> list[tuple[str, int]]:
    """The words of a word list with their indexes among its lines (none if it is missing)."""
    if not path.is_file():
        return []
    found = []
    for index, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        word = line.split("#", 1)[0].strip()
        if word:
            found.append((unicodedata.normalize("NFC", word), index))
    return found


def _allowed(token: str, allowed: set[str]) -> bool:
    return token in allowed or token.lower() in allowed


def add_words(root: Path, words: Iterable[str]) -> tuple[list[str], list[str]]:
    """Add words to the course's word list (NFC, once each), creating it with a header if it
    is missing; where its words are in Vietnamese order, each goes to its place, else they
    are appended. Returns the words added and those it already accepts. ``ValueError`` names
    a word that is not one word of letters (what the check reads as a word)."""
    path = root / WORDS_FILE
    wanted: list[str] = []
    for word in words:
        word = unicodedata.normalize("NFC", word.strip())
        if not WORD.fullmatch(word):
            raise ValueError(word)
        if word not in wanted:
            wanted.append(word)
    entries = _entries(path)
    known = {word for word, _ in entries}
    added = [w for w in wanted if not _allowed(w, known)]
    if not added:
        return [], wanted
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else HEADER.splitlines()
    key = i18n.sort_key("vi")
    ordered = [word for word, _ in entries]
    if ordered == sorted(ordered, key=key):
        for word in sorted(added, key=key):
            later = [index for other, index in entries if key(other) > key(word)]
            earlier = [index for other, index in entries if key(other) <= key(word)]
            at = later[0] if later else (earlier[-1] + 1 if earlier else len(lines))
            lines.insert(at, word)
            entries = [(w, i + 1 if i >= at else i) for w, i in entries] + [(word, at)]
            entries.sort(key=lambda entry: entry[1])
    else:
        lines += added
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(unicodedata.normalize("NFC", "\n".join(lines) + "\n"), encoding="utf-8")
    return added, [w for w in wanted if w not in added]


def misspelled(words: Iterable[str], dictionary: str) -> dict[str, list[str]]:
    """The words the dictionary does not know, each with the suggestions worth showing."""
    words = sorted(set(words))
    first = _hunspell(words, dictionary)
    variants = {w: v for w in first if (v := tone_variant(w))}
    known_variants = set(variants.values()) - set(_hunspell(list(variants.values()), dictionary))
    return {w: ranked(w, s) for w, s in first.items() if variants.get(w) not in known_variants}


def ranked(word: str, suggestions: list[str]) -> list[str]:
    """hunspell's suggestions worth showing (``useful``), at most ``SUGGESTIONS``: first those
    that differ from ``word`` only in diacritics or case, closest in marks first."""
    kept = [s for s in suggestions if useful(word, s)]
    same = [s for s in kept if _folded(s) == _folded(word)]
    same.sort(key=lambda s: _marks_apart(word, s))
    return (same + [s for s in kept if s not in same])[:SUGGESTIONS]


def useful(word: str, suggestion: str) -> bool:
    """Whether a suggestion is likely the word meant (see the module's notes)."""
    if not WORD.fullmatch(suggestion):  # 'vo so', 'PA-PI': a split word
        return False
    mine, theirs = _folded(word), _folded(suggestion)
    if mine == theirs:  # diacritics or case
        return True
    if _capitals(word) or _capitals(suggestion):  # an abbreviation on either side
        return _capitals(word) and _capitals(suggestion) and sorted(mine) == sorted(theirs)
    return _one_edit(mine, theirs)


def _folded(word: str) -> str:
    return vietnamese.fold(word).lower()


def _capitals(word: str) -> bool:
    """Whether a word is written as an abbreviation or a brand: two capitals or more."""
    return sum(char.isupper() for char in word) >= 2


def _marks_apart(one: str, two: str) -> int:
    """How many diacritics and capitals two words of the same letters differ by."""

    def letters(word: str) -> list[tuple[set[str], bool]]:
        found: list[tuple[set[str], bool]] = []
        for char in unicodedata.normalize("NFD", word):
            if unicodedata.combining(char) and found:
                found[-1][0].add(char)
            else:
                found.append((set(), char.isupper()))
        return found

    return sum(
        len(a ^ b) + (up != low)
        for (a, up), (b, low) in zip(letters(one), letters(two), strict=False)
    )


def _one_edit(one: str, two: str) -> bool:
    """Whether one letter added, dropped, changed or swapped with its neighbour makes
    ``one`` into ``two``."""
    if abs(len(one) - len(two)) > 1 or one == two:
        return one == two
    start = 0
    while start < min(len(one), len(two)) and one[start] == two[start]:
        start += 1
    a, b = one[start:], two[start:]
    return (
        a[1:] == b[1:]  # changed
        or a[1:] == b  # dropped
        or a == b[1:]  # added
        or (len(a) >= 2 and a[1] + a[0] + a[2:] == b)  # swapped
    )


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


def _hunspell(words: list[str], dictionary: str) -> dict[str, list[str]]:
    """Words hunspell rejects, with its suggestions in its order (none when it has none)."""
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
    wrong: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        if line.startswith("& "):
            head, _, suggestions = line.partition(": ")
            wrong[head.split()[1]] = suggestions.split(", ")
        elif line.startswith("# "):
            wrong[line.split()[1]] = []
    return wrong


# --- where the text is ---------------------------------------------------------------------


def _prose(text: str) -> str:
    """The words of a read text: web and e-mail addresses are not words."""
    return NOT_WORDS.sub(" ", unicodedata.normalize("NFC", text))


def _file_lines(path: Path) -> list[str]:
    return unicodedata.normalize("NFC", path.read_text(encoding="utf-8")).split("\n")


def _line_of(word: str, lines: list[str], start: int, nth: int = 1) -> int:
    """The line from ``start`` on where ``word`` stands as a whole word the ``nth`` time
    (``start`` if it is not found)."""
    pattern = re.compile(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])")
    for number in range(start, len(lines) + 1):
        nth -= len(pattern.findall(lines[number - 1]))
        if nth <= 0:
            return number
    return start
