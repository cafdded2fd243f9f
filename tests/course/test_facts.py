"""builder.course.facts: what a fact role shows, in the edition's locale."""

from __future__ import annotations

import datetime
from decimal import Decimal

from builder.course import facts, tree
from builder.course.model import Fact


def fact(value: Decimal | datetime.date, unit: str | None = None, **more: object) -> Fact:
    return Fact(id="x", label="X", value=value, unit=unit, source="a", quote="q", **more)


def test_the_fact_role_shows_the_unit_and_the_value_role_the_value_alone() -> None:
    members = fact(Decimal(14478), "thành viên", qualifier="hơn")
    assert facts.shown(members, "fact", "vi") == "14.478 thành viên"
    assert facts.shown(members, "fact-value", "vi") == "14.478"
    assert facts.shown(members, "fact", "en") == "14,478 thành viên"
    # The qualifier is for notes and cards; the lesson's sentence writes its own.
    assert facts.value_with_unit(members, "vi") == "hơn 14.478 thành viên"
    # A percentage's sign is written on, as Vietnamese writes 98,72%; a date has no unit.
    assert facts.shown(fact(Decimal("98.72"), "%"), "fact", "vi") == "98,72%"
    assert facts.shown(fact(Decimal("98.72"), "%"), "fact-value", "vi") == "98,72%"
    assert facts.shown(fact(datetime.date(2022, 10, 6)), "fact", "vi") == "6/10/2022"
    assert facts.shown(fact(Decimal(85), "xã", total=Decimal(85)), "fact", "vi") == "85/85 xã"
    assert facts.shown(fact(Decimal(2800000), "lượt"), "fact", "vi") == "2,8 triệu lượt"
    # Written into the book's MyST, the unit (author text) is escaped; the link is the same
    # for both roles.
    odd = fact(Decimal(3), "tổ *mới*")
    assert facts.link(odd, "vi") == r"[3 tổ \*mới\*](#fact-x)"
    assert facts.link(odd, "vi", "fact-value") == "[3](#fact-x)"


def test_text_that_repeats_the_unit_after_the_role() -> None:
    offices = fact(Decimal(150), "cơ quan, đơn vị")
    assert facts.unit_after(offices, " cơ quan, đơn vị, trong đó")
    assert facts.unit_after(offices, "  Cơ quan,\n  đơn vị.")
    assert not facts.unit_after(offices, " cơ quan cấp xã")
    teams = fact(Decimal(4233), "tổ")
    assert facts.unit_after(teams, " tổ công nghệ số")
    assert not facts.unit_after(teams, " tổng cộng") and not facts.unit_after(teams, ", tổ")
    assert facts.unit_after(fact(Decimal("98.72"), "%"), "% văn bản")
    assert not facts.unit_after(fact(Decimal(1)), " tổ")


def test_both_roles_are_fact_roles() -> None:
    doc = tree.parse("Có {fact}`a` và {fact-value}`b`, {term}`c`.\n\n# {fact}`d`\n")
    assert [(r.name, r.text) for r in facts.roles(doc.nodes)] == [
        ("fact", "a"),
        ("fact-value", "b"),
        ("fact", "d"),
    ]
    inlines = tree.parse_inline("**{fact-value}`e`** {fact}`f`")
    assert [r.text for r in facts.inline_roles(inlines)] == ["e", "f"]
