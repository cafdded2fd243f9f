"""Turn parsed YAML into validated dataclasses, reporting each bad value at its own line.

Model classes are plain dataclasses; a field's ``metadata`` carries its help text (``doc``)
and an optional validator. Fields marked ``load=False`` are filled by the loader, not by YAML.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from builder.course import readers
from builder.problems import Problems, Where, suggest

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")

Validator = Callable[[Any], "str | None"]

# Longest text a field may hold: a title must fit a navbar, a slide and a file's properties.
SHORT_FIELDS = {"title", "subtitle", "label", "term", "publisher", "place", "unit"}
MAX_SHORT = 200
MAX_TEXT = 5000
# A value wrapped in typographic quotes: word processors and phone keyboards type them.
SMART_QUOTED = re.compile(r"^[“”‘’„«»].*[“”‘’«»]$", re.DOTALL)


@dataclasses.dataclass(frozen=True)
class Name:
    """Where a value sits inside a file, in a reader's words: 'question 1, choice 2' for the
    list items around it and 'duration.teaching' for the keys inside the innermost item."""

    place: str = ""
    key: str = ""

    def child(self, key: str) -> Name:
        """The value of ``key`` inside this one."""
        return Name(self.place, f"{self.key}.{key}" if self.key else key)

    def item(self, index: int, noun: str | None) -> Name:
        """Item ``index`` (0-based) of this list, counted from 1 as a reader counts."""
        here = f"{noun} {index + 1}" if noun else f"'{self.key}' item {index + 1}"
        return Name(", ".join(p for p in (self.place, here) if p), "")

    def prefix(self) -> str:
        """'question 1, choice 2: ' or nothing, to start a message about a key inside."""
        return f"{self.place}: " if self.place else ""

    def __str__(self) -> str:
        if not self.key:
            return self.place or "this file"
        return f"{self.prefix()}'{self.key}'"


def _smart_quotes(value: Any) -> str:
    """Why a value an editor put in typographic quotes is wrong, or nothing."""
    if isinstance(value, str) and SMART_QUOTED.match(value.strip()):
        inner = value.strip()[1:-1]
        return (
            f"is written in typographic quotes {value.strip()}; YAML needs straight quotes: "
            f'"{inner}" (or none)'
        )
    return ""


def _hint(value: Any) -> str:
    """The typographic-quote explanation in brackets, to follow another message."""
    why = _smart_quotes(value)
    return f" (it {why})" if why else ""


def spec(
    doc: str,
    *,
    check: Validator | None = None,
    item: str | None = None,
    reads: str | None = None,
    myst: bool = False,
    **kwargs: Any,
) -> Any:
    """A dataclass field with help text, an optional validator returning an error message and,
    for a list, the word for one of its items in messages ('choice' gives 'choice 2: ...').
    ``reads`` marks text a person reads ('learner' or 'trainer'; ``builder.course.texts`` walks
    them), ``myst`` text written in MyST (roles, emphasis, links) rather than plain."""
    metadata = {"doc": doc, "check": check, "item": item, "reads": reads, "myst": myst}
    return dataclasses.field(metadata=metadata, **kwargs)


def internal(**kwargs: Any) -> Any:
    """A dataclass field set by the loader, never read from YAML."""
    return dataclasses.field(metadata={"load": False}, **kwargs)


def is_id(value: str) -> str | None:
    """Validator: lowercase ASCII letters, digits and hyphens, as used in URLs and anchors."""
    if not ID_PATTERN.match(value):
        return "must use only lowercase letters a-z, digits and hyphens (e.g. 'ty-le-ky-so')"
    return None


def is_web_address(value: str) -> str | None:
    """Validator: an http(s) address with a host and nothing that would break out of a link."""
    if not re.match(r"^https?://[^\s/?#<>\"'`]+(/[^\s?#<>\"'`]*)?$", value):
        return (
            "must be the course's web address, e.g. 'https://daotao.example.gov.vn/chuyen-doi-so/'"
        )
    return None


def positive(value: int) -> str | None:
    """Validator: zero or more."""
    return "must not be negative" if value < 0 else None


def percent(value: int) -> str | None:
    """Validator: a percentage, 0 to 100."""
    return None if 0 <= value <= 100 else "must be a percentage from 0 to 100"


_NAMES = {
    str: "text",
    int: "an integer",
    Decimal: "a number",
    datetime.date: "a date (YYYY-MM-DD)",
    bool: "true or false",
}


def _describe(value: Any) -> str:
    """A user's word for the kind of value found."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class _Invalid(Exception):
    """A value that does not fit its field; carries the message and the 0-based line."""

    def __init__(self, message: str, line: int, code: str = "schema.type") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.code = code


def load(
    cls: type,
    node: Any,
    base: Where,
    problems: Problems,
    *,
    label: Name | None = None,
    line: int = 0,
) -> Any:
    """Build ``cls`` from a parsed mapping; report problems and return ``None`` if it is unusable.

    ``base.line`` is the file line of the YAML text's first line; ``line`` is the 0-based
    line of ``node`` inside that text (used when the node itself carries none).
    """
    label = label or Name()
    if not isinstance(node, dict):
        problems.error(
            base.at(base.line + line),
            "schema.type",
            f"{label} must be a mapping of keys to values ('key: value' lines), "
            f"not {_describe(node)}",
        )
        return None
    start = readers.node_line(node, line)
    values: dict[str, Any] = {}
    ok = True
    hints, fields = _shape(cls)
    known = {f.name for f in fields}
    for key in node:
        if key not in known:
            at = readers.key_line(node, key, start)
            hint = suggest(str(key), known) or f" (known keys: {', '.join(sorted(known))})"
            problems.warning(
                base.at(base.line + at),
                "schema.unknown-key",
                f"{label.prefix()}unknown key '{label.child(str(key)).key}'{hint}",
            )
    for f in fields:
        name = label.child(f.name)
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if f.name not in node or node[f.name] is None:
            if required:
                problems.error(
                    base.at(base.line + start),
                    "schema.missing",
                    f"{name.prefix()}missing required key '{name.key}'",
                )
                ok = False
            continue
        at = readers.key_line(node, f.name, start)
        try:
            value = _convert(
                node[f.name], hints[f.name], name, base, problems, at, f.metadata.get("item")
            )
        except _Invalid as exc:
            if exc.code:
                problems.error(base.at(base.line + exc.line), exc.code, exc.message)
            ok = False
            continue
        check = f.metadata.get("check")
        message = check(value) if check and value is not None else None
        if message:
            problems.error(base.at(base.line + at), "schema.value", f"{name} {message}")
            ok = False
            continue
        values[f.name] = value
    if not ok:
        return None
    record = cls(**values)
    names = {f.name for f in dataclasses.fields(cls)}
    if "where" in names:
        record.where = base.at(base.line + start)
    if "lines" in names:
        record.lines = _key_lines(node, base, start)
    return record


def _key_lines(node: dict, base: Where, start: int) -> dict[str, int]:
    """File lines of every key of a mapping, and of the items of its lists (``key[i]``)."""
    lines: dict[str, int] = {}
    for key, value in node.items():
        at = readers.key_line(node, key, start)
        lines[str(key)] = base.line + at
        if readers.is_block_text(value):
            lines[f"{key}:text"] = base.line + at + 1  # a '|' or '>' block starts below its key
        if isinstance(value, list):
            for index in range(len(value)):
                lines[f"{key}[{index}]"] = base.line + readers.item_line(value, index, at)
    return lines


def _convert(
    value: Any,
    hint: Any,
    name: Name,
    base: Where,
    problems: Problems,
    line: int,
    noun: str | None = None,
) -> Any:
    """Check and convert one value against a type hint; ``noun`` names a list's items."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        records = [o for o in options if dataclasses.is_dataclass(o)]
        if records and isinstance(value, dict):  # a mapping can only be the record
            return _convert(value, records[0], name, base, problems, line)
        for option in options:
            try:
                return _convert(value, option, name, base, Problems(), line, noun)
            except _Invalid as exc:
                if exc.code not in ("schema.type", ""):  # the right kind of value, but bad
                    raise
                continue
        expected = " or ".join(_NAMES.get(o, getattr(o, "__name__", str(o))) for o in options)
        raise _Invalid(f"{name} must be {expected}, not {_describe(value)}{_hint(value)}", line)
    if origin is list:
        (item_hint,) = typing.get_args(hint)
        if not isinstance(value, list):
            raise _Invalid(f"{name} must be a list, not {_describe(value)}", line)
        items = []
        bad = False
        for index, item in enumerate(value):
            at = readers.item_line(value, index, line)
            try:
                items.append(_convert(item, item_hint, name.item(index, noun), base, problems, at))
            except _Invalid as exc:
                if exc.code:
                    problems.error(base.at(base.line + exc.line), exc.code, exc.message)
                bad = True
        if bad:
            raise _Invalid("", line, code="")  # already reported, item by item
        return [i for i in items if i is not None]
    if dataclasses.is_dataclass(hint):
        record = load(hint, value, base, problems, label=name, line=line)
        if record is None:
            raise _Invalid("", line, code="")
        return record
    if hint is str:
        if isinstance(value, str):
            if not value.strip():
                raise _Invalid(f"{name} must not be empty", line, "schema.empty")
            control = readers.CONTROL.search(value)
            if control:  # typed as an escape ("\x07") inside a quoted YAML text
                raise _Invalid(
                    f"{name} holds the invisible character U+{ord(control.group()):04X}; delete it",
                    line,
                    "text.control",
                )
            if _smart_quotes(value) and not any(c.isspace() for c in value.strip()):
                raise _Invalid(f"{name} {_smart_quotes(value)}", line, "yaml.smart-quotes")
            limit = MAX_SHORT if name.key.rsplit(".", 1)[-1] in SHORT_FIELDS else MAX_TEXT
            if len(value) > limit:
                raise _Invalid(
                    f"{name} is {len(value):,} characters long; keep it under {limit:,}",
                    line,
                    "text.too-long",
                )
            return str(value)
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return int(value)
    elif hint is Decimal:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = Decimal(str(value))
            if number.is_finite():
                return number
            raise _Invalid(f"{name} must be a finite number, not {value}", line, "schema.value")
    elif hint is datetime.date:
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if isinstance(value, readers.BadDate):
            raise _Invalid(
                f"{name} {value} is not a real date ({value.reason}); write it as YYYY-MM-DD",
                line,
                "schema.value",
            )
    elif hint is bool:
        if isinstance(value, bool):
            return value
    else:  # pragma: no cover - a model bug, not a user mistake
        raise TypeError(f"unsupported field type {hint!r}")
    raise _Invalid(f"{name} must be {_NAMES[hint]}, not {_describe(value)}{_hint(value)}", line)


@functools.cache
def _shape(cls: type) -> tuple[dict[str, Any], list[dataclasses.Field]]:
    """A model class's field types and the fields read from files (the same for every node:
    resolving the annotations is most of the time a load takes)."""
    fields = [f for f in dataclasses.fields(cls) if f.metadata.get("load", True)]
    return typing.get_type_hints(cls), fields
