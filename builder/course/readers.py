"""Reading source files: UTF-8 and NFC checks, and YAML with line numbers (the only ruamel user)."""

from __future__ import annotations

import re
import unicodedata
import warnings
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.constructor import ConstructorError, DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError, YAMLWarning
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from builder.cache import Kept
from builder.problems import Problems, Where

MAX_FILE_BYTES = 5 * 1024 * 1024  # far above any lesson or bank; stops a runaway file early
MAX_DEPTH = 40  # nesting of lists and mappings in a YAML file
MAX_VALUES = 200_000  # values a YAML file may hold once its aliases are expanded
# C0 controls other than tab, line feed and carriage return, DEL, and C1 controls: invisible,
# refused by YAML and by the XML inside .pptx files; they come from copying out of PDFs.
# Also invisible format characters that hide or reorder text: zero-width space, line and
# paragraph separators, bidirectional overrides and isolates (U+200D, which joins emoji, and
# U+200C stay).
CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u2028\u2029\u202a-\u202e"
    r"\u2066-\u2069\ufeff]"
)


def read_text(path: Path, where: Where, problems: Problems) -> str | None:
    """Return the file's text in NFC, or ``None`` (with a problem) when it is not valid UTF-8.

    Control characters are reported at their line and dropped, so one stray byte gives one
    clear message and nothing further down the pipeline ever sees it.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.error(
                where,
                "file.too-large",
                f"the file is {size / 2**20:.1f} MB, over the {MAX_FILE_BYTES // 2**20} MB "
                "limit for a course file; split it into smaller files",
            )
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.error(where, "file.unreadable", f"cannot read the file: {exc.strerror or exc}")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(
            where.at(line),
            "encoding.utf8",
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if CONTROL.search(text):
        for number, line in enumerate(text.split("\n"), start=1):
            found = CONTROL.search(line)
            if found:
                problems.error(
                    where.at(number),
                    "text.control",
                    f"invisible character U+{ord(found.group()):04X} at column "
                    f"{found.start() + 1}; delete it (it often comes from copying text out of a "
                    "PDF or a word processor)",
                )
        text = CONTROL.sub(" ", text)  # a space keeps words and YAML tokens apart
    if not unicodedata.is_normalized("NFC", text):
        for number, line in enumerate(text.split("\n"), start=1):
            if not unicodedata.is_normalized("NFC", line):
                words = (w for w in line.split() if not unicodedata.is_normalized("NFC", w))
                word = next(words, line.strip()[:30])
                fixed = unicodedata.normalize("NFC", word)
                problems.warning(
                    where.at(number),
                    "text.nfc",
                    f"'{fixed}' is typed with decomposed diacritics (not Unicode NFC, as some "
                    "keyboards type them); it was normalised: set your keyboard to Unicode "
                    "dựng sẵn (precomposed) to avoid this",
                )
                break
        text = unicodedata.normalize("NFC", text)
    return text


class BadDate(str):
    """A YAML date that names no real day (``2022-13-45``), kept as text with the reason."""

    reason: str = ""


class _Constructor(RoundTripConstructor):
    """ruamel's round-trip constructor, with impossible dates kept as ``BadDate`` text and
    any other value error located at its node instead of escaping as a bare ValueError."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError as exc:
            text = BadDate(node.value)
            text.reason = str(exc)
            return text

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except ValueError as exc:
            value = str(node.value)
            why = (
                f"a number of {len(value):,} digits is too long to be a figure"
                if "digits" in str(exc)
                else f"'{value[:40]}' cannot be read ({exc})"
            )
            raise ConstructorError(None, None, f"{why}; check this value", node.start_mark) from exc


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)

# ruamel's wording -> what the author should do about it.
HINTS = (
    (
        "found character '\\t' that cannot start any token",
        "a tab character is used for indentation here; YAML indents with spaces only: "
        "replace the tab with spaces",
    ),
    (
        "mapping values are not allowed here",
        "unexpected ':' here: a key is indented deeper than the keys above it, or a text "
        "value contains ': ' and must be put in quotes",
    ),
    (
        "could not find expected ':'",
        "a line is missing the ':' after its key, or a quoted text is not closed",
    ),
    (
        "did not find expected key",
        "a key is not lined up with the keys above it, or a text value needs quotes",
    ),
    (
        "did not find expected '-' indicator",
        "a list item is not lined up with the items above it",
    ),
    ("found undefined alias", "'*name' refers to an anchor '&name' that does not exist"),
    (
        "while parsing a flow sequence",
        "a list opened with '[' is not closed with ']' where expected; close it, or put a "
        "text that starts with '[' in quotes",
    ),
    (
        "while parsing a flow mapping",
        "a mapping opened with '{' is not closed with '}' where expected; close it, or put a "
        "text that starts with '{' in quotes",
    ),
    ("while scanning a quoted scalar", "a quoted text is never closed; add its closing quote"),
    (
        "while parsing a block mapping",
        "this line is not lined up with the keys above it; indent it like its neighbours",
    ),
    (
        "while parsing a block collection",
        "this line is not lined up with the list items above it; indent it like its neighbours",
    ),
)


def parse_yaml(text: str, where: Where, problems: Problems) -> Any:
    """Parse YAML keeping line numbers; ``where.line`` is the line of the text's first line.

    Every failure becomes a problem: syntax, control characters, impossible values, nesting
    too deep, aliases that expand beyond reason (billion laughs) or refer to themselves, tags.

    The same text at the same place is parsed once per process (``builder serve`` loads the
    course again at every save; most files have not changed): the parsed values are only
    read by the loader, never changed.
    """

    def parse() -> tuple[Any, list]:
        found = Problems()
        return _parse_yaml(text, where, found), found.items

    node, reported = _PARSED.get((text, where), parse)
    problems.extend(reported)
    return node


_PARSED = Kept(512)  # files' parsed YAML (a course has a few dozen YAML texts)


def _parse_yaml(text: str, where: Where, problems: Problems) -> Any:
    deep = _flow_too_deep(text)
    if deep is not None:  # ruamel would recurse until Python gives up, slowly
        problems.error(
            where.at(where.line + deep),
            "yaml.too-deep",
            f"lists or mappings ('[' and '{{') are nested more than {MAX_DEPTH} levels deep; "
            "a course file needs a few",
        )
        return None
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    try:
        with warnings.catch_warnings():
            # ruamel warns (to stderr) about a reused anchor name; the later one wins, as in
            # YAML 1.2, so there is nothing for an author to fix.
            warnings.simplefilter("ignore", YAMLWarning)
            node = yaml.load(text)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        line = where.line + (mark.line if mark else 0)
        problems.error(where.at(line), "yaml.duplicate-key", _yaml_message(exc))
        return None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and re.search(r"flow|quoted", exc.context or ""):
            mark = exc.context_mark  # where the unclosed '[', '{' or quote opened
        line = where.line + (mark.line if mark else 0)
        problems.error(where.at(line), "yaml.syntax", _yaml_message(exc))
        return None
    except ReaderError as exc:
        line = where.line + text[: exc.position].count("\n")
        problems.error(
            where.at(line),
            "yaml.syntax",
            f"character U+{exc.character:04X} is not allowed in YAML; delete it",
        )
        return None
    except YAMLError as exc:
        problems.error(where, "yaml.syntax", _yaml_message(exc))
        return None
    except RecursionError:
        problems.error(
            where,
            "yaml.too-deep",
            f"lists or mappings are nested too deeply; a course file needs at most {MAX_DEPTH} "
            "levels",
        )
        return None
    except (ValueError, OverflowError) as exc:  # an escape such as "\\U7fffffff" names no character
        problems.error(
            where,
            "yaml.syntax",
            f"a value cannot be read ({str(exc)[:80]}); check the '\\' escapes in quoted "
            "texts and very long numbers",
        )
        return None
    except (AssertionError, IndexError, KeyError, TypeError, AttributeError) as exc:
        # ruamel's own slips on some malformed input (a bad %YAML directive, odd indentation
        # indicators): still the file's fault, never a traceback.
        problems.error(
            where,
            "yaml.syntax",
            f"this YAML cannot be read ({type(exc).__name__}: {str(exc)[:60]}); look for a "
            "line starting with '%', '!', '&', '*', '|' or '>' that should be plain text, "
            "and put such text in quotes",
        )
        return None
    return node if _sound(node, where, problems) else None


def _flow_too_deep(text: str) -> int | None:
    """0-based line where '[' and '{' first nest deeper than ``MAX_DEPTH``, or None. A linear
    scan that skips quoted text and comments; brackets in plain text are balanced in
    practice, so they never reach the limit."""
    depth = line = 0
    quote = ""
    previous = "\n"
    comment = False
    for char in text:
        if char == "\n":
            line += 1
            comment = False
            if quote == "'":  # a single-quoted text may span lines; a stray ' should not
                quote = ""
        elif comment:
            pass
        elif quote:
            if char == quote and previous != "\\":
                quote = ""
        elif char in "'\"" and previous in " \t\n[{,:-":
            quote = char
        elif char == "#" and previous in " \t\n":
            comment = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif char in "]}":
            depth = max(depth - 1, 0)
        previous = char
    return None


def _sound(root: Any, where: Where, problems: Problems) -> bool:
    """Whether a parsed document is safe to walk: not too deep, no alias cycle, a bounded size
    once aliases are expanded, no explicit tags. Reports the first reason it is not."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def fail(node: Any, line: int, code: str, message: str) -> None:
        at = node.lc.line if isinstance(node, (CommentedMap, CommentedSeq)) else line
        problems.error(where.at(where.line + at), code, message)
        raise _Unsound

    def size(node: Any, depth: int, line: int) -> int:
        if isinstance(node, TaggedScalar) or (
            isinstance(node, (CommentedMap, CommentedSeq)) and node.tag.value
        ):
            tag = str(node.tag.value).replace("tag:yaml.org,2002:", "!!")
            fail(
                node,
                line,
                "yaml.tag",
                f"YAML tags such as '{tag}' are not allowed; remove the tag (write text in quotes)",
            )
        if not isinstance(node, (dict, list)):
            return 1
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            fail(node, line, "yaml.alias", "an alias refers to the list or mapping it is in")
        if depth > MAX_DEPTH:
            fail(
                node,
                line,
                "yaml.too-deep",
                f"lists or mappings are nested more than {MAX_DEPTH} levels deep",
            )
        open_nodes.add(key)
        here = node.lc.line if isinstance(node, (CommentedMap, CommentedSeq)) else line
        children = [*node.keys(), *node.values()] if isinstance(node, dict) else node
        total = 1 + sum(size(child, depth + 1, here) for child in children)
        open_nodes.discard(key)
        if total > MAX_VALUES:
            fail(
                node,
                line,
                "yaml.too-large",
                f"the file holds more than {MAX_VALUES:,} values once its aliases ('*name') "
                "are expanded; write the entries out instead of repeating aliases",
            )
        sizes[key] = total
        return total

    try:
        size(root, 0, 0)
    except _Unsound:
        return False
    return True


class _Unsound(Exception):
    """A parsed document that must not be walked further (already reported)."""


def _yaml_message(exc: YAMLError) -> str:
    """A one-line explanation from a ruamel error, without its multi-line source excerpt."""
    parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    text = " ".join("; ".join(p for p in parts if p).split())
    for found, hint in HINTS:
        if found in text:
            return hint
    return text or " ".join(str(exc).split()) or "invalid YAML"


def is_block_text(value: Any) -> bool:
    """Whether a parsed value was written as a '|' or '>' block, starting below its key."""
    return isinstance(value, (LiteralScalarString, FoldedScalarString))


def key_line(node: Any, key: str, default: int) -> int:
    """0-based line of ``key`` inside a parsed mapping, or ``default``."""
    if isinstance(node, CommentedMap) and key in node:
        try:
            return node.lc.key(key)[0]
        except (KeyError, TypeError):
            return default
    return default


def item_line(node: Any, index: int, default: int) -> int:
    """0-based line of item ``index`` inside a parsed sequence, or ``default``."""
    if isinstance(node, CommentedSeq):
        try:
            return node.lc.item(index)[0]
        except (KeyError, TypeError):
            return default
    return default


def node_line(node: Any, default: int) -> int:
    """0-based line where a parsed mapping or sequence starts, or ``default``."""
    if isinstance(node, (CommentedMap, CommentedSeq)):
        return node.lc.line
    return default


class ListNotFound(LookupError):
    """The mapping path names no entry of the YAML document."""


def append_to_list(text: str, path: tuple, item: str) -> str | None:
    """``text`` (a YAML document) with ``item`` appended to the list at ``path`` (keys, or
    ``(key, value)`` for the entry of a list whose ``key`` is ``value``), every other line as
    it was (comments and layout kept); None when the list is written in a form this cannot
    edit safely (the result is parsed again and must read as the original plus the item).
    Raises ``ValueError`` when the text is not YAML, ``ListNotFound`` when ``path`` is not
    there. For `builder new`, which adds a lesson to a module of course.yml."""
    yaml = YAML(typ="rt")
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        raise ValueError(str(exc)) from exc
    *parents, key = path
    entry = _entry(data, parents)
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    items = entry.get(key)
    if isinstance(items, CommentedSeq) and (items.fa.flow_style() or not items):
        line, col = entry.lc.value(key)
        flowed = _flow_append(lines[line], col, item)
        if flowed is None:
            return None
        lines[line] = flowed
    elif isinstance(items, CommentedSeq) and items:
        line, col = items.lc.item(len(items) - 1)
        dash = re.match(r"[ ]*-[ ]+$", lines[line][:col])
        if dash is None:
            return None
        _insert_after(lines, line, f"{dash.group(0)}{item}{newline}", newline)
    elif items is None and key in entry:
        line, col = entry.lc.key(key)
        _insert_after(lines, line, f"{' ' * (col + 2)}- {item}{newline}", newline)
    else:
        return None
    edited = "".join(lines)
    expected = _plain(data)
    _entry(expected, parents)[key] = [*(_entry(expected, parents).get(key) or []), item]
    try:
        return edited if _plain(yaml.load(edited)) == expected else None
    except YAMLError:
        return None


def _entry(data: Any, parents: list) -> dict:  # noqa: ANN401 - parsed YAML
    """The mapping at ``parents`` (keys, or ``(key, value)`` to pick a list's entry)."""
    for step in parents:
        if isinstance(step, tuple):
            field, value = step
            found = [e for e in data if isinstance(e, dict) and e.get(field) == value]
            if not isinstance(data, list) or not found:
                raise ListNotFound(value)
            data = found[0]
        else:
            if not isinstance(data, dict) or not isinstance(data.get(step), (list, dict)):
                raise ListNotFound(step)
            data = data[step]
    if not isinstance(data, dict):
        raise ListNotFound(parents[-1] if parents else "")
    return data


def _insert_after(lines: list[str], at: int, new: str, newline: str) -> None:
    """Insert the line ``new`` after line ``at``, which may be the file's unended last line."""
    if not lines[at].endswith(("\n", "\r")):
        lines[at] += newline
    lines.insert(at + 1, new)


def _flow_append(line: str, col: int, item: str) -> str | None:
    """A ``[a, b]`` list on one line with ``item`` added at its end; None if it is not one."""
    close = line.find("]", col)
    if not line.startswith("[", col) or close < 0:
        return None
    inside = line[col + 1 : close]
    items = inside.rstrip()
    added = f"{items}, {item}" if items.strip() else item
    return line[: col + 1] + added + inside[len(items) :] + line[close:]


def _plain(value: Any) -> Any:  # noqa: ANN401 - parsed YAML
    """Parsed YAML as plain dicts and lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
