"""The lesson tree: MyST text parsed once, with myst-parser's own markdown-it, into blocks and
inline nodes that know their file lines.

This is the one reader of lesson syntax. The security scan (``builder.course.myst``), the lesson's
blocks and references (``builder.course.markup``), the notebooks' cells, the decks' outline, the
glossary's first-use check, spelling and quiz texts all read these nodes; none of them holds a
pattern over lesson text. Where an output must keep the author's own bytes (a notebook cell is
the lesson's lines with roles and picture paths replaced), the nodes carry the columns of what
is replaced, and ``rewrite`` edits the lines there.

Directives (fences whose info is ``{name} argument``) are parsed here too: name, argument
(MyST text for titles), ``:key: value`` options with their lines, and content, itself parsed
into nodes unless the directive shows it as written (code) or is the builder's own chart or
quiz.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from builder.cache import Kept

# The MyST extensions the lessons are read with, and the book is built with
# (render.book.project passes this list to Jupyter Book). No "substitution": it renders author
# text with Jinja, which runs code ({{ }} is kept as written); no "html_image" or
# "html_admonition": raw HTML is refused unless a course opts in.
EXTENSIONS = ("colon_fence", "deflist", "tasklist")

DIRECTIVE = re.compile(r"^\{(?P<name>[A-Za-z][\w:-]*)\}\s*(?P<arg>.*)$")
OPTION = re.compile(r"^\s*:(?P<key>[\w-]+):(?:\s+(?P<value>.*))?$")
# Directives whose content is shown as written, or is not MyST.
LITERAL = {"code", "code-block", "code-cell", "sourcecode", "image", "math", "chart", "quiz"}
LITERAL |= {"raw", "eval-rst", "csv-table"}
# Directives whose argument is not text (a language, a picture's path).
PLAIN_ARGUMENT = {"code", "code-block", "code-cell", "sourcecode", "figure", "image"}
# Options whose value is MyST text.
TEXT_OPTIONS = {"caption", "subtitle"}
PICTURES = {"figure", "image"}
# A role with nothing between its backticks, which markdown-it reads as plain text.
EMPTY_ROLE = re.compile(r"\{(?P<name>[A-Za-z][\w:+-]*)\}``(?!`)")
# A term role's text and, optionally, the term it names: 'ký số văn bản <Chữ ký số>'.
TERM_CONTENT = re.compile(r"^(?P<text>[^<]*?)\s*(?:<(?P<target>[^>]*)>\s*)?$", re.DOTALL)


@dataclass
class Inline:
    """Inline content: ``kind`` is text, strong, em, code, role, link, image, html, softbreak,
    hardbreak, or another markdown-it type. ``text`` holds a text's characters, a code span's
    or role's content, an image's alt text or an HTML tag; ``target`` a link's or image's
    address. Roles and images know ``span``, their columns on ``line`` as written."""

    kind: str
    line: int
    text: str = ""
    name: str = ""  # a role's name
    target: str = ""
    children: list[Inline] = field(default_factory=list)
    span: tuple[int, int] | None = None

    @property
    def role_text(self) -> str:
        """A term role's shown text ('ký số văn bản' of 'ký số văn bản <Chữ ký số>')."""
        match = TERM_CONTENT.match(self.text)
        return (match["text"] if match else self.text).strip()

    @property
    def role_target(self) -> str:
        """The glossary term a term role names (its text when no '<Term>' is given)."""
        match = TERM_CONTENT.match(self.text)
        target = match["target"] if match and match["target"] is not None else None
        return (target if target is not None else self.role_text).strip()


@dataclass
class Node:
    """A block: ``kind`` is markdown-it's (heading, paragraph, bullet_list, ordered_list,
    list_item, blockquote, table, tr, th, td, fence, code_block, html_block, hr, ...) or
    ``directive``. ``line`` is its first file line, ``end`` the line after it, ``depth`` how
    many lists, quotes and directives hold it."""

    kind: str
    line: int
    end: int
    depth: int = 0
    level: int = 0  # a heading's level
    number: int | None = None  # an ordered list item's number
    inlines: list[Inline] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    text: str = ""  # a fence's or HTML block's content, a directive's raw content
    info: str = ""  # a fence's info string
    # Directives
    name: str = ""
    arg: str = ""
    arg_span: tuple[int, int] | None = None  # the argument's columns on the fence line
    title: list[Inline] = field(default_factory=list)  # the argument, when it is MyST text
    options: dict[str, tuple[str, int]] = field(default_factory=dict)
    captions: list[list[Inline]] = field(default_factory=list)  # text options, as MyST
    bad_option: str | None = None  # '---' for a YAML option block, else the line as written
    content_line: int = 0  # the file line of the content's first line
    closed: bool = True

    def walk(self) -> Iterator[Node]:
        """This node and every node inside it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Doc:
    """A parsed MyST text: its lines (``first`` is the file line of the first) and blocks."""

    lines: list[str]
    first: int
    nodes: list[Node]
    references: list[tuple[str, int]] = field(default_factory=list)  # '[label]: url' addresses

    def walk(self) -> Iterator[Node]:
        for node in self.nodes:
            yield from node.walk()


@functools.cache
def _parser() -> MarkdownIt:
    config = MdParserConfig(enable_extensions=set(EXTENSIONS))
    md = create_md_parser(config, RendererHTML)
    # markdown-it silently turns 'javascript:' links into text; let them through so that the
    # scan reports them (nothing is rendered from these tokens).
    md.validateLink = lambda url: True
    return md


def tokens(text: str) -> list[Token]:
    """Block tokens of a MyST text, inline children included, as myst-parser makes them."""
    return _parser().parse(text)


# A build parses the same texts several times (the checks, then each output), and ``builder
# serve`` parses a course again at every save: the trees of the last texts are kept, shared
# (nothing changes a tree once made), up to some 4 million characters of text (a tree takes
# several times its text): a day of saves in ``serve`` does not fill the memory.
_TREES = Kept(8192, room=4_000_000)


def parse(text: str, first: int = 1) -> Doc:
    """Parse a MyST text whose first line is file line ``first``. ``RecursionError`` escapes
    for text nested too deeply (the scan reports it)."""
    return _TREES.get(("block", text, first), lambda: _parse(text, first), len(text))


def _parse(text: str, first: int) -> Doc:
    lines = text.split("\n")
    builder = _Builder(lines, first)
    nodes = builder.blocks(text, first, 0)
    builder.written.settle()
    return Doc(lines, first, nodes, builder.references)


def parse_inline(text: str, line: int = 1) -> list[Inline]:
    """Inline MyST (a title, a label, a question's text) as nodes; no block syntax."""
    found = _TREES.get(("inline", text, line), lambda: _parse_inline(text, line), len(text))
    return list(found)


def _parse_inline(text: str, line: int) -> tuple[Inline, ...]:
    found: list[Inline] = []
    builder = _Builder(text.split("\n"), line)
    for token in _parser().parseInline(text):
        found += builder.inlines(token.children or [], line)
    builder.written.settle()
    return tuple(found)


def walk_inlines(inlines: list[Inline]) -> Iterator[Inline]:
    """Every inline node, nested ones included, in order."""
    for inline in inlines:
        yield inline
        yield from walk_inlines(inline.children)


def node_inlines(node: Node) -> Iterator[Inline]:
    """Every inline node of a block and its children: titles, captions and text, in order."""
    for each in node.walk():
        yield from walk_inlines(each.title)
        for caption in each.captions:
            yield from walk_inlines(caption)
        yield from walk_inlines(each.inlines)


def roles(nodes: list[Node], name: str) -> Iterator[Inline]:
    """The roles called ``name`` in these blocks, in order."""
    for node in nodes:
        for inline in node_inlines(node):
            if inline.kind == "role" and inline.name == name:
                yield inline


def plain(
    inlines: list[Inline],
    role: Callable[[Inline], str] | None = None,
    breaks: str = " ",
    *,
    code: bool = True,
    html: bool = True,
) -> str:
    """Inline nodes as the text a reader sees: marks dropped, links and emphasis as their text,
    images as their alt text, code as its content and HTML as written (or left out).
    ``role`` gives a role's text (default: a term's shown text, another role's content)."""
    out: list[str] = []
    for inline in inlines:
        kind = inline.kind
        if kind == "text" or (kind == "code" and code) or (kind == "html" and html):
            out.append(inline.text)
        elif kind in ("softbreak", "hardbreak"):
            out.append(breaks)
        elif kind == "role":
            out.append(role(inline) if role else default_role_text(inline))
        elif kind == "image":
            out.append(inline.text)
        elif inline.children:
            out.append(plain(inline.children, role, breaks, code=code, html=html))
    return "".join(out)


def default_role_text(inline: Inline) -> str:
    return inline.role_text if inline.name == "term" else inline.text


def rewrite(lines: list[str], first: int, edits: list[tuple[int, tuple[int, int], str]]) -> str:
    """``lines`` (file line ``first`` first) with each edit's columns on its line replaced."""
    out = list(lines)
    for line, (start, end), text in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        index = line - first
        if 0 <= index < len(out):
            out[index] = out[index][:start] + text + out[index][end:]
    return "\n".join(out)


class _Written:
    """The text as written: its lines, and the columns that roles and pictures claim on them."""

    def __init__(self, lines: list[str], first: int) -> None:
        self.lines, self.first = lines, first
        # Per file line and written form, the nodes that claim it, in order: the k-th claim
        # gets the k-th place the form is written on the line, and only when the counts agree.
        self.claims: dict[tuple[int, str], list[tuple[Inline, int, int]]] = {}

    def source(self, line: int) -> str:
        index = line - self.first
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def claim(self, owner: Inline, line: int, needle: str, offset: int = 0, size: int = -1) -> None:
        """``owner`` is written as ``needle`` on ``line``; its span is ``size`` characters
        from ``offset`` in the needle (all of it by default)."""
        size = len(needle) - offset if size < 0 else size
        self.claims.setdefault((line, needle), []).append((owner, offset, size))

    def settle(self) -> None:
        """Give each claim its columns, or none (the owner is then reported, never guessed)
        when the line does not hold the form exactly as many times as it is claimed, or a
        backslash escapes it."""
        for (line, needle), owners in self.claims.items():
            text = self.source(line)
            places = []
            at = text.find(needle)
            while at >= 0:
                places.append(at)
                at = text.find(needle, at + 1)
            fits = len(places) == len(owners)
            for (owner, offset, size), place in zip(
                owners, places if fits else [-1] * len(owners), strict=True
            ):
                escaped = place > 0 and text[place - 1] == "\\"
                owner.span = (
                    None if place < 0 or escaped else (place + offset, place + offset + size)
                )

    def line_ends(self, line: int, content: str, before: str = "") -> int:
        """How many line endings a code span (or a role's content, after ``before``) written
        from ``line`` holds: markdown-it gives them to the token as spaces. The first place in
        the source from ``line`` on where the span fits tells; none found counts none."""
        if " " not in content:
            return 0
        gap = r"(?:[ \t]*\n[ \t>]*|[ \t])"  # a line ending (and the next line's indent or '>')
        body = "".join(gap if char == " " else re.escape(char) for char in content)
        start = max(line - self.first, 0)  # at most one line ending per space: a bounded search
        rest = "\n".join(self.lines[start : start + content.count(" ") + 1])
        found = re.search(re.escape(before) + r"(`+)" + gap + "?" + body + gap + r"?\1", rest)
        return found.group(0).count("\n") if found else 0

    def role_claim(self, role: Inline, line: int) -> None:
        """A role is written '{name}' then its content between runs of backticks."""
        text = self.source(line)
        for ticks in ("`", "``", "```"):
            needle = f"{{{role.name}}}{ticks}{role.text}{ticks}"
            if needle in text:
                self.claim(role, line, needle)
                return
        role.span = None

    def image_claim(self, image: Inline, line: int, src: str) -> None:
        """A picture's address as written: '](<src>' or '](src' then ')', a space or a title."""
        text = self.source(line)
        for needle, offset, size in (
            (f"](<{src}>", 2, len(src) + 2),
            (f"]({src})", 2, len(src)),
            (f"]({src} ", 2, len(src)),
        ):
            if needle in text:
                self.claim(image, line, needle, offset, size)
                return
        image.span = None


class _Builder:
    """Turns markdown-it tokens into nodes, with ``_Written`` finding the columns of roles and
    pictures on the text's own lines as it goes (markdown-it gives inline tokens no positions)."""

    def __init__(self, lines: list[str], first: int) -> None:
        self.written = _Written(lines, first)
        self.references: list[tuple[str, int]] = []  # addresses of '[label]: url' definitions

    def blocks(self, text: str, first: int, depth: int) -> list[Node]:
        """The blocks of ``text``, whose first line is file line ``first``."""
        root: list[Node] = []
        stack: list[Node] = []
        env: dict = {}
        for token in _parser().parse(text, env):
            parent = stack[-1].children if stack else root
            start = first + (token.map[0] if token.map else 0)
            end = first + token.map[1] if token.map else start + 1
            level = depth + sum(1 for n in stack if n.kind != "paragraph")
            if token.nesting == 1:
                kind = token.type.removesuffix("_open")
                node = Node(kind, start, end, level)
                if kind == "heading":
                    node.level = int(token.tag[1:])
                elif kind == "list_item" and token.info:
                    node.number = int(token.info) if token.info.isdigit() else None
                elif kind in ("th", "td") and stack:
                    node.line, node.end = stack[-1].line, stack[-1].end
                parent.append(node)
                stack.append(node)
            elif token.nesting == -1:
                if stack:
                    stack.pop()
            elif token.type == "inline":
                owner = stack[-1] if stack else None
                at = owner.line if owner is not None else start
                inlines = self.inlines(token.children or [], at)
                if owner is not None:
                    owner.inlines = inlines
            elif token.type in ("fence", "colon_fence"):
                parent.append(self.fence(token, start, end, level))
            else:
                node = Node(token.type, start, end, level, text=token.content)
                parent.append(node)
        for reference in env.get("references", {}).values():
            line = first + (reference.get("map") or [0])[0]
            self.references.append((str(reference.get("href", "")), line))
        return root

    def inlines(self, tokens: list[Token], line: int) -> list[Inline]:
        """Inline tokens (their first on ``line``) as nested nodes."""
        out: list[Inline] = []
        stack: list[Inline] = []
        for token in tokens:
            target = stack[-1].children if stack else out
            kind = token.type
            if token.nesting == 1:
                name = kind.removesuffix("_open")
                node = Inline(name, line, target=str(token.attrs.get("href", "")))
                target.append(node)
                stack.append(node)
            elif token.nesting == -1:
                if stack:
                    stack.pop()
            elif kind in ("softbreak", "hardbreak"):
                target.append(Inline(kind, line))
                line += 1
            elif kind == "myst_role":
                node = Inline("role", line, token.content, name=token.meta.get("name", ""))
                self.written.role_claim(node, line)
                target.append(node)
                line += self.written.line_ends(line, token.content, f"{{{node.name}}}")
            elif kind == "image":
                src = str(token.attrs.get("src", ""))
                node = Inline("image", line, token.content, target=src)
                self.written.image_claim(node, line, src)
                target.append(node)
            elif kind == "code_inline":
                target.append(Inline("code", line, token.content))
                line += self.written.line_ends(line, token.content)
            elif kind == "text":  # not searched: escapes and entities change its characters
                target += self.text(token.content, line)
            elif kind == "html_inline":
                target.append(Inline("html", line, token.content))
                line += token.content.count("\n")
            else:
                target.append(Inline(kind, line, token.content))
        return out

    def text(self, text: str, line: int) -> list[Inline]:
        """A text token, with any empty role in it ('{fact}``', which markdown-it leaves as
        text) as a role of no content, so that it is reported rather than shown as written."""
        out: list[Inline] = []
        at = 0
        for match in EMPTY_ROLE.finditer(text):
            if match.start() > at:
                out.append(Inline("text", line, text[at : match.start()]))
            role = Inline("role", line, "", name=match["name"])
            self.written.claim(role, line, match.group(0))
            out.append(role)
            at = match.end()
        if at < len(text):
            out.append(Inline("text", line, text[at:]))
        return out

    def fence(self, token: Token, start: int, end: int, depth: int) -> Node:
        """A fence: code as written, or a directive with its argument, options and content."""
        info = token.info.strip()
        node = Node("fence", start, end, depth, text=token.content, info=info)
        node.closed = self.closed(token, start, end)
        match = DIRECTIVE.match(info)
        if not match:
            return node
        node.kind, node.name, node.arg = "directive", match["name"], match["arg"].strip()
        if node.arg:
            column = self.written.source(start).find(
                node.arg, self.written.source(start).find("}") + 1
            )
            node.arg_span = (column, column + len(node.arg)) if column >= 0 else None
            if node.name not in PLAIN_ARGUMENT:
                node.title = self.arg_inlines(node.arg, start)
        lines = token.content.split("\n")
        body = 0
        if lines and lines[0].lstrip().startswith("---"):
            node.bad_option = "---"
        else:
            for text in lines:
                if not text.lstrip().startswith(":"):
                    break
                option = OPTION.match(text)
                if not option:
                    node.bad_option = text.strip()
                    break
                node.options[option["key"]] = (option["value"] or "", start + 1 + body)
                body += 1
        node.content_line = start + 1 + body
        node.text = "\n".join(lines[body:])
        if node.bad_option is not None:
            return node
        for key in sorted(TEXT_OPTIONS & set(node.options)):
            value, line = node.options[key]
            node.captions.append(self.arg_inlines(value, line))
        if node.name not in LITERAL:
            node.children = self.blocks(node.text, node.content_line, depth + 1)
        return node

    def arg_inlines(self, text: str, line: int) -> list[Inline]:
        found: list[Inline] = []
        for token in _parser().parseInline(text):
            found += self.inlines(token.children or [], line)
        return found

    def closed(self, token: Token, start: int, end: int) -> bool:
        """Whether a fence's last line closes it (markdown-it runs an unclosed one to the end)."""
        if end - start < 2:
            return False
        last = self.written.source(end - 1).strip()
        mark = token.markup
        return bool(mark) and last.startswith(mark[0] * len(mark)) and not last.strip(mark[0])
