"""Locale formats, Vietnamese collation, and the interface catalogs."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import builder
from builder import i18n


def test_vietnamese_and_english_number_formats() -> None:
    assert i18n.percent(Decimal("98.72"), "vi") == "98,72%"
    assert i18n.number(14478, "vi") == "14.478"
    assert i18n.date(datetime.date(2022, 10, 6), "vi") == "6/10/2022"
    assert i18n.percent(Decimal("98.72"), "en") == "98.72%"
    assert i18n.number(14478, "en") == "14,478"


def test_durations() -> None:
    assert i18n.minutes(45, "vi") == "45 phút"
    assert i18n.minutes(90, "vi") == "1 giờ 30 phút"
    assert i18n.minutes(120, "en") == "2 hours"


def test_vietnamese_alphabetical_order_with_tones() -> None:
    words = [
        "đi",
        "dê",
        "ăn",
        "an",
        "ân",
        "bạ",
        "bá",
        "bã",
        "bả",
        "bà",
        "ba",
        "ơ",
        "ô",
        "o",
        "ư",
        "u",
    ]
    expected = [
        "an",
        "ăn",
        "ân",
        "ba",
        "bà",
        "bả",
        "bã",
        "bá",
        "bạ",
        "dê",
        "đi",
        "o",
        "ô",
        "ơ",
        "u",
        "ư",
    ]
    assert sorted(words, key=i18n.sort_key("vi")) == expected


def test_every_interface_string_has_a_vietnamese_translation() -> None:
    package = Path(builder.__file__).parent
    keywords = {"_": None, "gettext": (2,), "ngettext": (2, 3), "stage": None, "t": None}
    # Python code, and the book theme's templates, whose strings go through t().
    method_map = [("**.py", "python"), ("render/book/theme/**.html", "jinja2.ext:babel_extract")]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(package), method_map=method_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    found.discard("")
    catalog_file = package / "locale" / "vi" / "LC_MESSAGES" / "builder.po"
    with catalog_file.open("rb") as handle:
        catalog = read_po(handle)
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    assert sorted(found - ids) == [], "strings in the code with no Vietnamese entry"
    assert sorted(ids - found) == [], "catalog entries no code uses"
    untranslated = [
        m.id
        for m in catalog
        if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert untranslated == []


def test_our_sphinx_catalog_is_complete_and_only_holds_sphinx_messages() -> None:
    """The Vietnamese of Sphinx's own messages (heading links, search page): every entry is
    one Sphinx has, translated; the page scripts' catalog holds them all."""
    import sphinx

    package = Path(builder.__file__).parent
    with (package / "locale" / "vi" / "LC_MESSAGES" / "sphinx.po").open("rb") as handle:
        ours = read_po(handle)
    sphinx_po = Path(sphinx.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "sphinx.po"
    with sphinx_po.open("rb") as handle:
        theirs = {m.id for m in read_po(handle) if m.id}
    ids = {m.id for m in ours if m.id}
    assert ids and sorted(ids - theirs) == []
    assert [m.id for m in ours if m.id and not m.string] == []
    script = i18n.js_catalog("vi")
    assert script.startswith("Documentation.addTranslations(")
    assert "Kết quả tìm kiếm" in script and '"Search Results"' in script
