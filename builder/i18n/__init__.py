"""Everything locale-related, through Babel: interface strings, numbers, dates, collation.

Interface catalogs are ``builder/locale/<lang>/LC_MESSAGES/builder.po``, compiled in memory
when first used (no ``.mo`` files are committed). Message ids are English.
"""

from __future__ import annotations

import datetime
import functools
import io
import json
import unicodedata
import warnings
from decimal import Decimal
from importlib import resources

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_compact_decimal, format_decimal, format_percent, get_decimal_symbol
from babel.support import NullTranslations, Translations

DOMAIN = "builder"
# Sphinx's own messages as the book shows them (heading links, figure numbers, the search
# page's script), translated by us: Sphinx's catalogs leave some of them empty.
SPHINX_DOMAIN = "sphinx"


def catalog_file(lang: str, domain: str = DOMAIN):
    """The ``.po`` file of ``domain`` for ``lang`` in the package (it may not exist)."""
    return resources.files("builder") / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"


@functools.cache
def _catalog(lang: str, domain: str) -> Catalog | None:
    """The parsed ``.po`` of ``domain`` for ``lang``, or None when the package has none."""
    path = catalog_file(lang, domain)
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=domain)


@functools.cache
def translations(lang: str, domain: str = DOMAIN) -> NullTranslations:
    """The interface catalog for ``lang``; English message ids when there is none."""
    catalog = _catalog(lang, domain)
    if catalog is None:
        if lang != "en":
            warnings.warn(
                f"no interface catalog for '{lang}'; using English", RuntimeWarning, stacklevel=2
            )
        return NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=domain)


def js_catalog(lang: str, domain: str = SPHINX_DOMAIN) -> str | None:
    """The catalog as the ``translations.js`` Sphinx's page scripts read
    (``Documentation.addTranslations``): translated messages only, so that an untranslated one
    shows its English id rather than nothing. None when there is no catalog."""
    catalog = _catalog(lang, domain)
    if catalog is None:
        return None
    messages = {
        str(message.id): message.string
        for message in catalog
        if message.id and isinstance(message.string, str) and message.string and not message.fuzzy
    }
    data = {"locale": lang, "messages": messages, "plural_expr": catalog.plural_expr}
    return (
        "Documentation.addTranslations("
        + json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
        + ");\n"
    )


def gettext(lang: str, message: str) -> str:
    """Translate one interface string."""
    return translations(lang).gettext(message)


def ngettext(lang: str, singular: str, plural: str, n: int) -> str:
    """Translate one interface string that depends on a count."""
    return translations(lang).ngettext(singular, plural, n)


def locale(lang: str) -> Locale:
    """Babel locale for a language code, failing clearly on an unknown one."""
    try:
        return Locale.parse(lang)
    except (ValueError, UnknownLocaleError) as exc:
        raise ValueError(f"unknown locale '{lang}'") from exc


def number(value: Decimal | int, lang: str) -> str:
    """A number in the locale's format: 14.478 in Vietnamese, 14,478 in English."""
    return format_decimal(value, locale=lang, decimal_quantization=False)


def count(value: Decimal | int, lang: str) -> str:
    """A counted figure as the press writes it: millions and more in words when they are
    round ('2,8 triệu', '1 triệu'; '2.8 million'), otherwise as ``number``."""
    value = Decimal(value)
    if abs(value) >= 1_000_000 and value % 10_000 == 0:
        return format_compact_decimal(value, format_type="long", locale=lang, fraction_digits=2)
    return number(value, lang)


def decimal_symbol(lang: str) -> str:
    """The locale's decimal sign: ',' in Vietnamese, '.' in English."""
    return get_decimal_symbol(lang)


def percent(value: Decimal, lang: str) -> str:
    """A percentage given in points (98.72 means 98.72%): 98,72% in Vietnamese."""
    return format_percent(Decimal(value) / 100, locale=lang, decimal_quantization=False)


# Vietnamese running text writes dates as 6/10/2022 (as the source articles do); CLDR's long
# form, "6 tháng 10, 2022", reads as a form field. Other languages use their long format.
DATE_PATTERNS = {"vi": "d/M/y"}


def date(value: datetime.date, lang: str) -> str:
    """A date as running text writes it: 6/10/2022 in Vietnamese, October 6, 2022 in English."""
    pattern = DATE_PATTERNS.get(lang.split("_")[0], "long")
    return _babel_date(value, format=pattern, locale=lang)


def minutes(total: int, lang: str) -> str:
    """A duration such as '1 giờ 30 phút' or '45 phút'."""
    hours, mins = divmod(total, 60)
    parts = []
    if hours:
        parts.append(ngettext(lang, "{n} hour", "{n} hours", hours).format(n=number(hours, lang)))
    if mins or not hours:
        parts.append(ngettext(lang, "{n} minute", "{n} minutes", mins).format(n=number(mins, lang)))
    return " ".join(parts)


# Vietnamese alphabet: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y; letters
# outside it (f j w z) sort where Latin puts them. Tones sort after letters, in the order
# level, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot below (nặng).
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_MARKS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letters(text: str) -> tuple[list[int], list[int]]:
    """Base-letter ranks and tone ranks of a string, for Vietnamese ordering."""
    ranks: list[int] = []
    tones: list[int] = []
    for char in text.casefold():
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        tone = 0
        for mark in marks:
            if mark in _TONES:
                tone = _TONES[mark]
            elif base == "u" and mark == "\u031b":
                base = "ư"
            elif base == "a" and mark in ("\u0306", "\u0302"):
                base = _LETTER_MARKS[mark]
            elif base == "e" and mark == "\u0302":
                base = "ê"
            elif base == "o" and mark in ("\u0302", "\u031b"):
                base = "ô" if mark == "\u0302" else "ơ"
        if char == "đ":
            base = "đ"
        if base in _ALPHABET:
            ranks.append(100 + _ALPHABET.index(base))
        elif base.isspace() or base in "-–—":
            ranks.append(1)
        else:
            ranks.append(200 + ord(base))
        tones.append(tone)
    return ranks, tones


def vietnamese_key(text: str) -> tuple[list[int], list[int], str]:
    """Sort key in Vietnamese dictionary order: letters first, then tones, then the text."""
    ranks, tones = _letters(text)
    return ranks, tones, text


def initial(text: str) -> str:
    """The letter a word is filed under: its first letter without tone, upper case, so that
    'Ảnh' goes under A, 'Ấp' under Â and 'Đường' under Đ."""
    first = unicodedata.normalize("NFD", text.strip()[:1])
    base = "".join(c for c in first if c not in _TONES)
    return unicodedata.normalize("NFC", base).upper()


def sort_key(lang: str):  # noqa: ANN201 - a key function
    """The collation key for a language (Vietnamese order, or case-folded text otherwise)."""
    if lang.split("_")[0] == "vi":
        return vietnamese_key
    return lambda text: (text.casefold(), text)
