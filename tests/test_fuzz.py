"""Fuzzing every loader: no byte in any source file may make ``load_and_check`` raise.

Issue 13: every user mistake becomes a located ``path:line: [code] message`` problem, never a
traceback. For each file kind (course.yml, a lesson's front matter, its body and the whole
lesson file, facts, sources, glossary, a quiz bank, a deck, the theme) hostile inputs are
written into an otherwise valid tree: arbitrary bytes, arbitrary text rich in control
characters, mutations of the valid file (a byte or character inserted, deleted or replaced, a
line duplicated, deleted or re-indented, a value replaced by a nasty scalar) and fixed YAML and
Markdown nasties (deep nesting, aliases, billion laughs, invalid dates, huge numbers, tags,
merge keys, typographic quotes, unclosed fences, deep quotes and brackets, role and directive
fragments).

Every problem must also be located: a file, a line of at least 1, a code and a message.

Runs are reproducible (``derandomize``, no example database) and bounded: each file kind is
loaded about 200 times (150 generated examples, then each fixed nasty) in a tree that holds only
the files it refers to, so that the file runs in under a minute once nothing fails (a failure
costs more: hypothesis shrinks it).
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.checks.run import load_and_check
from tests.helpers import BASE

# A failing example makes hypothesis's pytest plugin import libcst (to suggest a patch), which
# warns through mypy_extensions; with this project's "error" filter that would end the session.
COURSE = "course/course.yml"
FACTS = "course/facts.yml"
SOURCES = "course/sources.yml"
GLOSSARY = "course/glossary.yml"
LESSON = "course/lessons/bai-mot.md"
BANK = "quizzes/bai-mot.yml"
DECK = "slides/decks/buoi-mot.yml"
THEME = "slides/theme.yml"
LOGO = "slides/logo.png"

FRONT, BODY = BASE[LESSON].removeprefix("---\n").split("---\n", 1)

# A session and a theme that use every key (the base tree has a two-line deck and no theme).
RICH_DECK = """\
title: Buổi tập huấn đầy đủ
subtitle: Cho cán bộ xã
date: 2022-09-16
start: "07:30"
venue: Hội trường
place: Quảng Trị
audience: can-bo
mode: hybrid
length: 120
locale: vi
presenter: Nguyễn Văn A
questions: 2
lessons:
  - title: Khai mạc
    minutes: 10
  - lesson: bai-mot
    sections:
      - Phần đầu
    minutes: 45
    questions: 1
  - bai-mot
"""
THEME_TEXT = """\
heading_font: Calibri
body_font: Arial
colours:
  primary: '#7A1F1F'
  text: '#1A1A1A'
  muted: '#595959'
  background: '#FFFFFF'
  on_primary: '#FFFFFF'
logo: slides/logo.png
logo_alt: Biểu trưng Sở
"""


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), "#7A1F1F").save(out, format="PNG")
    return out.getvalue()


LOGO_BYTES = _png()


@dataclass(frozen=True)
class Kind:
    """One file kind: the file written, the valid texts mutated, how a fuzzed part becomes the
    whole file, and the other files of the base tree the kind refers to."""

    rel: str
    seeds: tuple[str, ...]
    context: tuple[str, ...]
    prefix: bytes = b""
    suffix: bytes = b""
    yaml: bool = True
    markdown: bool = False


KINDS: dict[str, Kind] = {
    "course": Kind(COURSE, (BASE[COURSE],), (LESSON, DECK)),
    "front-matter": Kind(
        LESSON,
        (FRONT,),
        (COURSE,),
        prefix=b"---\n",
        suffix=("\n---\n" + BODY).encode(),
    ),
    "body": Kind(
        LESSON,
        (BODY,),
        (COURSE, FACTS, SOURCES, GLOSSARY),
        prefix=("---\n" + FRONT + "---\n").encode(),
        yaml=False,
        markdown=True,
    ),
    # The whole lesson file, so that its '---' lines are fuzzed too.
    "lesson": Kind(LESSON, (BASE[LESSON],), (COURSE, FACTS, GLOSSARY), markdown=True),
    "facts": Kind(FACTS, (BASE[FACTS],), (COURSE, SOURCES, LESSON)),
    "sources": Kind(SOURCES, (BASE[SOURCES],), (COURSE, FACTS)),
    "glossary": Kind(GLOSSARY, (BASE[GLOSSARY],), (COURSE, LESSON)),
    "quiz": Kind(BANK, (BASE[BANK],), (COURSE, SOURCES, FACTS, LESSON)),
    "deck": Kind(DECK, (BASE[DECK], RICH_DECK), (COURSE, LESSON)),
    "theme": Kind(THEME, (THEME_TEXT,), (COURSE,)),
}


def check_tree(kind: Kind, part: bytes) -> None:
    """Write the kind's context with ``part`` as its fuzzed file into a fresh folder, load it,
    and require located problems and no exception."""
    files: dict[str, bytes] = {rel: BASE[rel].encode() for rel in kind.context}
    files[kind.rel] = kind.prefix + part + kind.suffix
    if kind.rel == THEME:
        files[LOGO] = LOGO_BYTES
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        root = Path(folder)
        for rel, data in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        try:
            _, problems = load_and_check(root)
        except RecursionError as exc:
            # Where a recursion breaks depends on how deep the stack already was, so its
            # innermost frame changes between runs (hypothesis would call that flaky), and
            # printing its thousand frames takes pytest seconds: raise it again from here,
            # with the last frames in the message.
            frames = "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__)[-3:]))
            raise RecursionError(f"{exc}; innermost frames:\n{frames}") from None
    for problem in problems.items:
        assert problem.where.path, f"problem without a file: {problem}"
        assert isinstance(problem.where.line, int), f"line is not a number: {problem!r}"
        assert problem.where.line >= 1, f"problem without a line: {problem}"
        assert problem.code, f"problem without a code: {problem}"
        assert problem.message.strip(), f"problem without a message: {problem!r}"


# --- generators -------------------------------------------------------------------------------

# Characters that break readers and scanners, or mean something to YAML or MyST.
SPECIAL = [
    "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x7f", "\x85", "\xa0",
    "\u200b", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\U0010ffff", "\U0001f600",
    "\t", "\r", "\n", "\r\n", " ", "  ",
    ":", "-", "- ", "? ", "[", "]", "{", "}", ",", "&", "*", "!", "!!", "|", ">", "'", '"',
    "%", "@", "`", "#", "<<", "---", "...", "~", "\\",
    "```", "~~~", ":::", "{fact}`", "{term}`", "{notes}", "{chart}", "{quiz}", "![", "](", "##",
    "\u201c", "\u201d", "\u2018", "\u2019", "e\u0301", "\u0110", "\u1ef9",
]  # fmt: skip
CHARS = st.one_of(st.characters(codec="utf-8"), st.sampled_from(SPECIAL))
TEXT = st.lists(CHARS, max_size=200).map("".join)

# Scalars that YAML turns into surprising values: bad dates, huge or non-finite numbers,
# tags, binary, aliases, merges, typographic quotes, escapes that make lone surrogates.
SCALARS = [
    "2022-13-45", "2022-02-30", "2022-00-10", "0000-01-01", "9999-12-31", "2022-10-06T25:61:61",
    "2022-1-1", "2022-01-01 25:00:00", "!!timestamp 2022-13-45", "!!timestamp x", "12:30",
    "1:20:30",
    "9" * 5000, "-" + "9" * 5000, "1" + "0" * 400, "1e400", "-1e400", "1e-400", "0x" + "f" * 80,
    "0o777", "0b101", "1_000", ".nan", ".NaN", ".inf", "-.inf", "+.inf", "-0", "0.0", "-1",
    "!!float x", "!!float", "!!int x", "!!int", "!!int 0x", "!!int 0b", "!!int +", "!!bool maybe",
    "!!bool", "!!set x", "!!omap x", "!!str", "!!null x", "!!set {a, b}",
    "!!omap [a: 1]", "!!pairs [a: 1]", "!!seq x", "!!map x",
    "!!python/object:os.system {}", "!!python/object/apply:os.system ['true']",
    "!!python/name:os.system", "!<tag:yaml.org,2002:python/object/apply:os.system> [x]",
    "!custom x", "!", "!!binary aGVsbG8=", "!!binary @@@", "!!binary",
    "*undefined", "&a", "&a [*a]", "&a {k: *a}", "[*a]", "{<<: *a}", "{<<: 1}", "&b x",
    "\u201c08:00\u201d", "\u201c%\u201d", "\u2018x\u2019", '"\\ud800"', '"\\udfff"', '"\\x0e"',
    '"\\0"', '"\\x"', '"\\U0011ffff"', '"\\N\\L\\P"', "'''", '"', "'", "|", ">-", "|9", "|+-",
    "~", "null", "''", '""', " ", "[]", "{}", "[a, b]", "{a: b}", "[[[[]]]]", "? x", "- x",
    "yes", "no", "on", "off", "true", "=", "<<", "x: y: z", "x #y", "#x", "`x`", "@x", "%x",
    "{{ 7*7 }}", "<img src=x onerror=alert(1)>", "a" * 300, "../" * 40 + "etc/passwd",
    "slides/" + "a" * 300 + ".png", "/etc/passwd", "slides/../../x.png", "slides/", "slides/.png",
]  # fmt: skip

DEEP = 20_000
BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)
# Whole YAML documents, each also tried inside the valid file.
YAML_NASTIES: dict[str, str] = {
    "empty": "",
    "blank": "\n\n  \n",
    "null": "~",
    "scalar": "0",
    "date": "2022-13-45",
    "time": "2022-01-01 25:00:00",
    "bool-tag": "!!bool",
    "int-tag": "!!int x",
    "int-tag-empty": "a: !!int\nb: !!int 0x\n",
    "float-tag-empty": "!!float",
    "set-tag-scalar": "!!set x",
    "omap-tag-scalar": "a: !!omap x\n",
    "reused-anchor": "a: &x 1\nb: &x 2\nc: *x\n",
    "escape-out-of-range": '"\\U00110000"',
    "list": "[]",
    "mapping": "{}",
    "document-end": "---\n...\n",
    "two-documents": "a: 1\n---\nb: 2\n",
    "directive-1.1": "%YAML 1.1\n---\na: yes\n",
    "directive-2.0": "%YAML 2.0\n---\na: 1\n",
    "tag-directive": "%TAG ! tag:example.com,2000:\n---\n!x y\n",
    "directive-1.3": "%YAML 1.3\n---\na: 1\n",
    "directive-after-content": "a: b\n%YAML 2.0\n",
    "deep-flow-seq": "[" * DEEP,
    "deep-flow-seq-lines": "[\n" * DEEP,
    "deep-flow-seq-closed": "[\n" * DEEP + "]" * DEEP,
    "deep-flow-map": "{a: " * DEEP,
    "deep-block-seq": "- " * DEEP + "x",
    "deep-block-map": "".join(" " * i + "a:\n" for i in range(1000)),
    "billion-laughs": BILLION_LAUGHS,
    "billion-laughs-in-list": BILLION_LAUGHS.replace("\n", "\n  ").join(["- ", ""]),
    "recursive-seq": "&a [*a]",
    "recursive-map": "&a {k: *a}",
    "recursive-item": "- &a [*a]\n",
    "recursive-merge": "&a\n<<: *a\n",
    "undefined-alias": "*a",
    "anchor-only": "&a",
    "merge": "base: &b {title: x, id: y}\n<<: *b\n",
    "merge-list": "- &b {id: x}\n- <<: [*b, *b]\n  id: y\n",
    "merge-scalar": "<<: 1\n",
    "merge-undefined": "<<: *nowhere\n",
    "python-object": "!!python/object/apply:os.system ['touch /tmp/fuzzed']\n",
    "python-name": "a: !!python/name:os.system\n",
    "binary": "!!binary aGVsbG8=",
    "set": "!!set {a, b}",
    "complex-keys": "? [a, b]\n: c\n? {d: e}\n: f\n",
    "non-string-keys": "1: a\n2022-01-01: b\nnull: c\ntrue: d\n.nan: e\n",
    "duplicate-keys": "a: 1\na: 2\n",
    "tab-indent": "a:\n\tb: 1\n",
    "tab-value": "a:\t1\n",
    "control-0e": "a: b\x0ec\n",
    "nul": "a: \x00\n",
    "bom-twice": "\ufeff\ufeffa: 1\n",
    "bom-inside": "a: 1\n\ufeffb: 2\n",
    "nel-and-line-separator": "a: 1\x85b: 2\u2028c: 3\u2029d: 4\n",
    "lone-cr": "a: 1\rb: 2\r",
    "surrogate-escape": '"\\ud800"',
    "huge-int": "a: " + "9" * 5000 + "\n",
    "long-line": "a: " + "x" * 100_000 + "\n",
    "long-logo": "logo: slides/" + "a" * 300 + ".png\nlogo_alt: x\n",
    "many-keys": "".join(f"k{i}: {i}\n" for i in range(1000)),
    "typographic": "title: \u201cx\u201d\nunit: \u201c%\u201d\nstart: \u201c08:00\u201d\n",
    "unclosed-quote": 'a: "x\n',
    "unclosed-flow": "a: [1, 2\n",
    "bad-indent": "a: 1\n   b: 2\n",
    "block-scalar-bad": "a: |9\n x\n",
}

MARKDOWN_NASTIES: dict[str, str] = {
    "empty": "",
    "unclosed-fence": "```\ncode\n",
    "unclosed-notes": "```{notes}\nsecret\n",
    "unclosed-chart": "````{chart} T\n:facts: ty-le\n",
    "unclosed-colon": ":::{quiz}\n:tags: thu\n",
    "empty-directive": "```{}\n```\n",
    "number-directive": "```{1}\n```\n",
    "figure-no-target": "```{figure}\n:alt:\n```\n",
    "image-no-target": "```{image}\n```\n",
    "figure-long": "```{figure} " + "a" * 300 + ".png\n:alt: x\n```\n",
    "figure-outside": "```{figure} ../../../etc/passwd\n```\n",
    "chart-empty": "```{chart}\n:facts:\n:kind:\n```\n",
    "chart-date": "```{chart} T\n:facts: ngay ty-le so-to ty-le\n:kind: pie\nbody\n```\n",
    "quiz-empty": "```{quiz}\n```\n",
    "quiz-both": "```{quiz}\n:questions: chon-mot\n:tags: thu\n:count: 0\n```\n",
    "quiz-count": "```{quiz}\n:bank: bai-mot\n:count: " + "9" * 5000 + "\n```\n",
    "quiz-unknown": "```{quiz}\n:bank: ../../etc\n:count: 1\n:x:\n```\n",
    "notes-options": "```{notes}\n:a: b\n```\n",
    "fences-nested": "````\n```{notes}\nx\n````\n```\n",
    "deep-quote": "> " * 10_000 + "x\n",
    "deep-quote-tight": ">" * 10_000 + "x\n",
    "deep-list": "".join("  " * i + "- x\n" for i in range(500)),
    "deep-brackets": "[" * 10_000 + "x" + "]" * 10_000 + "\n",
    "open-brackets": "[" * 10_000 + "\n",
    "link-brackets": "[](" * 3000 + "\n",
    "image-brackets": "![" * 5000 + "\n",
    "stars": "*" * 10_000 + "\n",
    "underscores": "_" * 10_000 + "\n",
    "backticks": "`" * 10_000 + "\n",
    "fact-roles": "{fact}`" * 2000 + "\n",
    "term-roles": "{term}`<" * 2000 + "\n",
    "role-fragments": "{fact}`` {fact}` ` {term}`` {term}` <>` {term}`<x>` {term}`a <b`\n"
    "{fact}`ty-le {unknown}`x` {eval-rst}`x` {fact}`\x00` {term}`\x0e`\n",
    "term-spaces": "{term}`" + " " * 3000 + "\n",
    "raw-html": "```{raw} html\n<script>alert(1)</script>\n```\n<script>alert(2)</script>\n",
    "eval-rst": "```{eval-rst}\n.. raw:: html\n\n   <script>alert(1)</script>\n```\n",
    "jinja": "{{ lipsum.__globals__['os'].system('true') }} {{7*7}} {% for %}\n",
    "images": "![](<>) ![x]() ![x](.) ![x](..) ![x](/etc/passwd) ![x](../../../etc/passwd)\n"
    "![x](bai-mot.md) ![x](../lessons/bai-mot.md) ![x](//host/a.png) ![x](http://h/a.png)\n",
    "image-long-name": "![x](" + "a" * 300 + ".png)\n",
    "image-long-path": "![x](" + "a/" * 3000 + "b.png)\n",
    "image-nul": "![x](a\x00b.png)\n",
    "links": "[x](javascript:alert(1)) <https://" + "a" * 10_000 + "> [y](mailto:a@b)\n",
    "headings": "#\n##\n# x\n" + "## " * 1000 + "\n##\t\n",
    "tabs": "\t- item\n\t\t```{notes}\n\tx\n\t```\n",
    "math": "$$\nx\n",
    "comment": "<!-- never closed\n",
    "front-matter-again": "---\ntitle: x\n---\n---\n",
    "control": "\x00\x0e\x1b\ufeff\u2028\x85\r\n",
    "long-line": "x" * 200_000 + "\n",
}

# Fragments spliced into a valid file: the nasties, with nesting kept to 1,000 levels (past
# Python's recursion limit) so that each example stays fast; the fixed tests go 20,000 deep.
SPLICE_YAML = [t for t in YAML_NASTIES.values() if len(t) < 10_000] + ["[\n" * 1000, "- " * 1000]
SPLICE_MARKDOWN = [t for t in MARKDOWN_NASTIES.values() if len(t) < 10_000] + ["> " * 1000]
# The Markdown nasties as YAML text values: quiz texts, definitions and labels are MyST too.
QUOTED_MARKDOWN = [json.dumps(t) for t in MARKDOWN_NASTIES.values() if len(t) < 10_000]


@st.composite
def mutated(draw: st.DrawFn, kind: Kind) -> bytes:
    """A valid file with a few random edits, first on characters and lines, then on bytes."""
    text = draw(st.sampled_from(kind.seeds))
    fragments = (SPLICE_YAML if kind.yaml else []) + (SPLICE_MARKDOWN if kind.markdown else [])
    values = st.one_of(
        *([st.sampled_from(SCALARS), st.sampled_from(QUOTED_MARKDOWN)] if kind.yaml else []),
        *([TEXT] if kind.markdown else []),
    )
    ops = st.sampled_from(
        ["insert", "delete", "replace", "duplicate", "drop", "indent", "value", "splice"]
    )
    for op in draw(st.lists(ops, min_size=1, max_size=4)):
        lines = text.split("\n")
        at = draw(st.integers(0, len(text)))
        row = draw(st.integers(0, len(lines) - 1))
        if op == "insert":
            text = text[:at] + draw(CHARS) + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 3)) :]
        elif op == "replace":
            text = text[:at] + draw(CHARS) + text[at + 1 :]
        elif op == "duplicate":
            lines.insert(row, lines[row])
        elif op == "drop":
            del lines[row]
        elif op == "indent":
            stripped = lines[row].lstrip(" \t")
            lines[row] = draw(st.sampled_from(["", " ", "  ", "     ", "\t", " \t"])) + stripped
        elif op == "value":  # a key's value, or a list item, becomes a nasty scalar
            head = re.match(r"^(\s*(?:- )?[^:]*:\s|\s*- )", lines[row])
            cut = head.end() if head else len(lines[row])
            lines[row] = lines[row][:cut] + draw(values)
        elif op == "splice":
            lines.insert(row, draw(st.sampled_from(fragments)))
        if op in ("duplicate", "drop", "indent", "value", "splice"):
            text = "\n".join(lines)
    data = bytearray(text.encode("utf-8", "surrogatepass"))
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(data)))
        byte = draw(st.integers(0, 255))
        edit = draw(st.sampled_from(["insert", "delete", "replace"]))
        if edit == "insert":
            data[at:at] = bytes([byte])
        elif edit == "delete":
            del data[at : at + 1]
        else:
            data[at : at + 1] = bytes([byte])
    return bytes(data)


def hostile(kind: Kind) -> st.SearchStrategy[bytes]:
    """Every generator for one file kind."""
    return st.one_of(
        st.binary(max_size=300),
        TEXT.map(lambda t: t.encode("utf-8")),
        mutated(kind),
        mutated(kind),
    )


FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=150,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
)


# Problems a seed may have because the tree holds only the files its kind refers to.
ELSEWHERE = ("[ref.unknown-", "[quiz.draw]", "[quiz.unknown-source]")


def test_the_seeds_are_valid() -> None:
    """Every mutated file starts valid, so mutations, not the seeds, cause the problems."""
    for name, kind in KINDS.items():
        for seed in kind.seeds:
            files = {rel: BASE[rel] for rel in kind.context}
            files[kind.rel] = (kind.prefix + seed.encode() + kind.suffix).decode()
            with tempfile.TemporaryDirectory() as folder:
                root = Path(folder)
                for rel, text in files.items():
                    (root / rel).parent.mkdir(parents=True, exist_ok=True)
                    (root / rel).write_text(text, encoding="utf-8")
                if kind.rel == THEME:
                    (root / LOGO).write_bytes(LOGO_BYTES)
                course, problems = load_and_check(root)
            found = [str(p) for p in problems.items if p.where.path == kind.rel]
            found = [p for p in found if not any(code in p for code in ELSEWHERE)]
            assert course is not None and found == [], (name, found)


@pytest.mark.parametrize("name", list(KINDS))
@FUZZ
@given(data=st.data())
def test_no_exception_escapes(name: str, data: st.DataObject) -> None:
    """Bytes, text and mutations of the valid file: problems, never an exception."""
    kind = KINDS[name]
    check_tree(kind, data.draw(hostile(kind), label=name))


def _nasties(kind: Kind) -> dict[str, str]:
    """The fixed nasties for a kind that is YAML or Markdown (the whole lesson is neither)."""
    if kind.yaml and kind.markdown:
        return {}
    return YAML_NASTIES if kind.yaml else MARKDOWN_NASTIES


NASTIES = [(name, nasty) for name, kind in KINDS.items() for nasty in _nasties(kind)]


@pytest.mark.parametrize(("name", "nasty"), NASTIES, ids=[f"{k}-{n}" for k, n in NASTIES])
def test_nasty_document(name: str, nasty: str) -> None:
    """Each fixed nasty, as the whole file (or front matter, or body) of each kind."""
    kind = KINDS[name]
    check_tree(kind, _nasties(kind)[nasty].encode("utf-8", "surrogatepass"))
