"""How a fact reads in an edition: its value in the locale's format, its anchor on sources."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from builder import i18n
from builder.course.model import Fact, Source

# A period's target year ('đến năm 2025', 'by 2025'), which does not date the figure.
GOAL = re.compile(r"(?:đến|tới|by)\s+(?:năm\s+)?\d{4}", re.IGNORECASE)
# The book page that lists every source and the facts it supports.
SOURCES_PAGE = "sources"


def anchor(fact_id: str) -> str:
    """The target name of a fact's entry on the sources page."""
    return f"fact-{fact_id}"


def page_link(fact_id: str) -> str:
    """The address of a fact's entry from any page of the book."""
    return f"{SOURCES_PAGE}.html#{anchor(fact_id)}"


def value_text(fact: Fact, lang: str) -> str:
    """The value as learners read it: '98,72%', '14.478', '2,8 triệu', '12/63' or
    '6/10/2022'."""
    if not isinstance(fact.value, Decimal):
        return i18n.date(fact.value, lang)
    if fact.is_percent:
        return i18n.percent(fact.value, lang)
    if fact.total is not None:
        return f"{i18n.number(fact.value, lang)}/{i18n.number(fact.total, lang)}"
    return i18n.count(fact.value, lang)


def value_with_unit(fact: Fact, lang: str) -> str:
    """The value after its qualifier and before its counted noun: 'hơn 14.478 thành viên'."""
    text = value_text(fact, lang)
    if fact.unit and not fact.is_percent:
        text = f"{text} {fact.unit}"
    if fact.qualifier:
        text = f"{fact.qualifier} {text}"
    return text


def when(fact: Fact, lang: str) -> str | None:
    """When the figure applies: its period as the source words it, else its date."""
    if fact.period:
        return fact.period
    return i18n.date(fact.date, lang) if fact.date else None


def cite(source: Source, lang: str) -> str:
    """A source as learners read it: 'Báo Thanh Hóa, 6/10/2022'; its title stands in for a
    publisher the saved text does not name."""
    parts = [source.publisher or source.title]
    if source.date:
        parts.append(i18n.date(source.date, lang))
    return ", ".join(parts)


def link(fact: Fact, lang: str) -> str:
    """MyST for the value, linked to the fact's entry on the sources page."""
    return f"[{value_text(fact, lang)}](#{anchor(fact.id)})"


def after(fact: Fact, day: datetime.date) -> datetime.date | None:
    """When the figure applies, if after ``day``: its date, or the start of the latest year
    its period names ('năm 2024', not a target's 'đến năm 2025'); None if it applies by
    then or has no date."""
    known = [fact.date] if isinstance(fact.date, datetime.date) else []
    period = GOAL.sub("", fact.period or "")  # a target year was known before it came
    years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", period)]
    if years:
        known.append(datetime.date(max(years), 1, 1))
    later = [d for d in known if d > day]
    return max(later) if later else None
