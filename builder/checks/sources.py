"""``builder check --sources [DIR]``: every fact's quote and value, checked against the source
texts (by default those the course keeps in ``course/sources/``).

A quote must appear verbatim in its source file (after Unicode NFC and collapsing whitespace),
and the fact's value must appear in its quote as a number written the way the course's
locale writes it (``98,72``, ``14.478``, ``2,8 triệu``) or, for a date, as ``6/10/2022`` or
``16/9`` (a year in the quote must match).

The command ends with what it checked (``verified``): how many facts against how many source
texts, and how many of those were not found.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from builder import i18n
from builder.course.model import Course, Fact
from builder.problems import Problems
from builder.quizzes import grading

# Where a course keeps the texts its facts are drawn from, as saved.
SOURCES_DIR = "course/sources"
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Vietnamese words that scale the number before them: "2,8 triệu" is 2 800 000.
SCALES = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/-]\s*(\d{1,2})(?:\s*[/-]\s*(\d{4}))?(?!\d)")


def flat(text: str) -> str:
    """Text for comparison: NFC, whitespace runs as one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def numbers_in(text: str, lang: str) -> list[Decimal]:
    """Every number written in ``text``, with its scale word applied when one follows."""
    found = []
    decimal = i18n.decimal_symbol(lang)
    for match in NUMBER.finditer(text):
        value = grading.parse_number(match.group(0), decimal)
        if value is None:
            continue
        found.append(value)
        after = text[match.end() :].split(maxsplit=1)
        if after and after[0].lower() in SCALES:
            found.append(value * SCALES[after[0].lower()])
    return found


def dates_in(text: str) -> list[tuple[int, int, int | None]]:
    """(day, month, year or None) for every d/m[/yyyy] in ``text``."""
    return [
        (int(m[1]), int(m[2]), int(m[3]) if m[3] else None)
        for m in DATE.finditer(text)
        if 1 <= int(m[1]) <= 31 and 1 <= int(m[2]) <= 12
    ]


def value_in_quote(fact: Fact, lang: str) -> bool:
    """Whether the quote states the fact's value (and its total, for ranks and ratios)."""
    quote = flat(fact.quote)
    if isinstance(fact.value, datetime.date):
        day, month, year = fact.value.day, fact.value.month, fact.value.year
        return any((d, m) == (day, month) and y in (None, year) for d, m, y in dates_in(quote))
    numbers = numbers_in(quote, lang)
    if fact.value not in numbers:
        return False
    return fact.total is None or fact.total in numbers


@dataclass
class Verified:
    """What a check against the sources found: its problems, and what it checked."""

    problems: Problems = field(default_factory=Problems)
    facts: int = 0  # facts checked against a source text that could be read
    sources: int = 0  # source texts read
    not_found: int = 0  # checked facts whose quote, or value in the quote, was not found
    unchecked: int = 0  # facts whose source text is missing or unreadable


def verify_sources(course: Course, folder: Path) -> Problems:
    """Problems for source files that are missing, quotes not found, values not quoted."""
    return verified(course, folder).problems


def verified(course: Course, folder: Path) -> Verified:
    """The problems ``verify_sources`` finds, and how many facts and sources it checked."""
    result = Verified()
    problems = result.problems
    lang = course.info.language
    texts: dict[str, str] = {}
    for source in course.sources.values():
        path = folder / source.file
        where = source.where.at(source.lines.get("file", source.where.line))
        try:
            found = path.is_file() and path.resolve().is_relative_to(folder.resolve())
        except (OSError, ValueError):
            found = False
        if not found:
            problems.error(where, "source.file", f"source file '{source.file}' is not in {folder}")
            continue
        try:
            texts[source.id] = flat(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            problems.error(where, "source.file", f"{path} is not UTF-8 text")
    result.sources = len(texts)
    for fact in course.facts.values():
        text = texts.get(fact.source)
        if text is None:
            result.unchecked += 1
            continue
        result.facts += 1
        before = len(problems)
        at = fact.where.at(fact.lines.get("quote", fact.where.line))
        file = course.sources[fact.source].file
        if flat(fact.quote) not in text:
            problems.error(
                at,
                "fact.quote",
                f"the quote of fact '{fact.id}' is not in {file}: '{flat(fact.quote)}'",
            )
        if not value_in_quote(fact, lang):
            shown = str(fact.value) + (f"/{fact.total}" if fact.total is not None else "")
            problems.error(
                fact.where.at(fact.lines.get("value", fact.where.line)),
                "fact.value",
                f"the value {shown} of fact '{fact.id}' is not stated in its quote "
                f"'{flat(fact.quote)}'",
            )
        result.not_found += len(problems) > before
    return result
