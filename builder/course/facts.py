"""How a fact reads in an edition: its value in the locale's format, its anchor on sources,
the roles that show it in MyST text, and the facts a question rests on or shows.

``{fact}`id``` shows the value with its unit, as facts.yml gives it ('14.478 thành viên',
'98,72%'); ``{fact-value}`id``` the value alone, for a sentence that words the unit its own
way ('{fact-value}`thanh-hoa-du-lieu-4gb` GB/ngày'). Every reader of lesson text (notebooks,
book, decks, papers, quizzes, checklists, checks, spelling) asks here which roles are facts and
what one shows.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable, Iterator
from decimal import Decimal

from builder import i18n
from builder.course import myst, tree
from builder.course.model import Course, Fact, Question, Source
from builder.course.tree import Inline, Node

# A period's target year ('đến năm 2025', 'by 2025'), which does not date the figure.
GOAL = re.compile(r"(?:đến|tới|by)\s+(?:năm\s+)?\d{4}", re.IGNORECASE)
# The book page that lists every source and the facts it supports.
SOURCES_PAGE = "sources"
# The roles that show a fact: its value with its unit, or its value alone.
ROLE = "fact"
VALUE_ROLE = "fact-value"
ROLES = (ROLE, VALUE_ROLE)


def is_role(inline: Inline) -> bool:
    """Whether an inline node is a fact role, either form."""
    return inline.kind == "role" and inline.name in ROLES


def roles(nodes: list[Node]) -> Iterator[Inline]:
    """The fact roles, either form, in these blocks (titles and captions too), in order."""
    for node in nodes:
        yield from (i for i in tree.node_inlines(node) if is_role(i))


def inline_roles(inlines: list[Inline]) -> Iterator[Inline]:
    """The fact roles, either form, among these inline nodes and inside them, in order."""
    return (i for i in tree.walk_inlines(inlines) if is_role(i))


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


def with_unit(fact: Fact, lang: str, escape: Callable[[str], str] = str) -> str:
    """The value and its counted noun: '14.478 thành viên', '12/63', '6/10/2022', and
    '98,72%' (a percentage's sign is written on, as Vietnamese writes it). ``escape`` makes
    the noun, author text, safe where it is written into markup."""
    text = value_text(fact, lang)
    if fact.unit and not fact.is_percent:
        text = f"{text} {escape(fact.unit)}"
    return text


def value_with_unit(fact: Fact, lang: str) -> str:
    """The value after its qualifier and before its counted noun: 'hơn 14.478 thành viên'."""
    text = with_unit(fact, lang)
    return f"{fact.qualifier} {text}" if fact.qualifier else text


def shown(fact: Fact, role: str, lang: str, escape: Callable[[str], str] = str) -> str:
    """What a fact role shows: the value with its unit (``{fact}``), or the value alone
    (``{fact-value}``). Lesson text writes its own qualifier ('hơn', 'gần')."""
    return value_text(fact, lang) if role == VALUE_ROLE else with_unit(fact, lang, escape)


def unit_after(fact: Fact, text: str) -> bool:
    """Whether ``text`` (what follows a ``{fact}`` role) starts with the fact's unit, which
    the role already shows: '{fact}`so-to` tổ' reads '14.478 tổ tổ'."""
    if not fact.unit:
        return False
    words = r"\s+".join(re.escape(w) for w in fact.unit.split())
    return re.match(rf"\s*{words}(?![^\W_])", text, re.IGNORECASE) is not None


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


def link(fact: Fact, lang: str, role: str = ROLE) -> str:
    """MyST for what a fact role shows, linked to the fact's entry on the sources page."""
    return f"[{shown(fact, role, lang, myst.escape)}](#{anchor(fact.id)})"


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


def question_facts(course: Course, question: Question) -> set[str]:
    """The facts a question rests on (``source``) or shows (fact roles in its texts)."""
    found = {ref for ref in question.sources if ref in course.facts}
    for text in _myst_texts(question):
        found |= {role.text.strip() for role in roles(tree.parse(text).nodes)}
    return found & course.facts.keys()


def _myst_texts(record: object) -> Iterator[str]:
    """The MyST texts of a model record and of the records it holds (prompt, choices...)."""
    for f in dataclasses.fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        for item in value if isinstance(value, list) else [value]:
            if f.metadata.get("myst") and isinstance(item, str):
                yield item
            elif dataclasses.is_dataclass(item) and not isinstance(item, type):
                yield from _myst_texts(item)
