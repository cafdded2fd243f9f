"""Reading source files: UTF-8 and NFC checks, and YAML with line numbers (the only ruamel user)."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError

from builder.problems import Problems, Where

Mapping = CommentedMap
Sequence = CommentedSeq


def read_text(path: Path, where: Where, problems: Problems) -> str | None:
    """Return the file's text in NFC, or ``None`` (with a problem) when it is not valid UTF-8."""
    data = path.read_bytes()
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
    text = text.replace("\r\n", "\n")
    if not unicodedata.is_normalized("NFC", text):
        for number, line in enumerate(text.split("\n"), start=1):
            if not unicodedata.is_normalized("NFC", line):
                problems.warning(
                    where.at(number),
                    "text.nfc",
                    "text is not Unicode NFC (decomposed diacritics, as some keyboards "
                    "type them); it was normalised",
                )
                break
        text = unicodedata.normalize("NFC", text)
    return text


def parse_yaml(text: str, where: Where, problems: Problems) -> Any:
    """Parse YAML keeping line numbers; ``where.line`` is the line of the text's first line."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(text)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        line = where.line + (mark.line if mark else 0)
        problems.error(where.at(line), "yaml.duplicate-key", _yaml_message(exc))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = where.line + (mark.line if mark else 0)
        problems.error(where.at(line), "yaml.syntax", _yaml_message(exc))
    return None


def _yaml_message(exc: MarkedYAMLError) -> str:
    """A one-line explanation from a ruamel error, without its multi-line source excerpt."""
    parts = [exc.context, exc.problem]
    text = "; ".join(p for p in parts if p)
    return " ".join(text.split()) or "invalid YAML"


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
