"""MyST Markdown as the book reads it, with myst-parser's own markdown-it setup (the only
markdown-it user).

Lesson text is untrusted. Scanning it with the parser Sphinx will use, not with regexes that
approximate it, finds every raw HTML block and inline tag, every directive and role (inside
admonitions and figures too), every link and image, wherever Markdown puts them; what could run
a script, read a file outside the tree or leave the site is refused here, before anything is
written.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from builder.problems import Problems, Where

# The MyST extensions the book enables (builder.book passes the same list to Jupyter Book).
EXTENSIONS = ("colon_fence", "deflist", "tasklist")
# Ours; their content is read by builder.markup.
BUILDER_DIRECTIVES = {"notes", "chart", "quiz"}
# The directives lessons may use, each with the options it may take besides :class: and
# :name:. Anything else is refused: sphinx-design's cards and tabs take link and picture
# options that reach outside the tree, csv-table and glossary parse their content in ways
# this scan cannot follow, and include-like directives read files.
ADMONITIONS = (
    "admonition", "attention", "caution", "danger", "error", "hint", "important", "note",
    "seealso", "tip", "warning",
)  # fmt: skip
OPTIONS: dict[str, set[str]] = {
    **{name: set() for name in ADMONITIONS},
    "figure": {"alt", "width", "height", "scale", "align", "figwidth", "figclass"},
    "image": {"alt", "width", "height", "scale", "align"},
    "table": {"align", "width", "widths"},
    "list-table": {"header-rows", "stub-columns", "widths", "width", "align"},
    "code": {"linenos", "lineno-start", "emphasize-lines", "caption", "dedent", "force"},
    "code-block": {"linenos", "lineno-start", "emphasize-lines", "caption", "dedent", "force"},
    "sourcecode": {"linenos", "lineno-start", "emphasize-lines", "caption", "dedent", "force"},
    "dropdown": {"open", "color", "animate"},
    "epigraph": set(),
    "highlights": set(),
    "pull-quote": set(),
    "topic": set(),
    "sidebar": {"subtitle"},
    "margin": set(),
    "container": set(),
    "rubric": set(),
    "toggle": {"show"},
}
COMMON_OPTIONS = {"class", "name"}
# Directives whose content is shown as written; the others' content is MyST, scanned again.
LITERAL = {"code", "code-block", "sourcecode", "image"}
# Directives whose argument is not text (a language, a picture's path).
PLAIN_ARGUMENT = {"code", "code-block", "sourcecode", "figure", "image"}
# Options whose value is MyST text.
TEXT_OPTIONS = {"caption", "subtitle"}
RAW = {"raw", "eval-rst"}
ROLES = {
    "fact", "term", "abbr", "sub", "sup", "subscript", "superscript", "kbd", "guilabel",
    "menuselection", "code", "emphasis", "strong", "literal", "ref", "numref", "doc",
}  # fmt: skip
SCHEMES = {"http", "https", "mailto"}
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
DIRECTIVE = re.compile(r"^\{(?P<name>[A-Za-z][\w:-]*)\}\s*(?P<arg>.*)$")
OPTION = re.compile(r"^\s*:(?P<key>[\w-]+):(?:\s+(?P<value>.*))?$")
COMMENT = re.compile(r"^\s*<!--(?:(?!-->).)*-->\s*$", re.DOTALL)
# What the tasklist extension itself makes of '- [ ]' and '- [x]'.
CHECKBOX = re.compile(
    r'^<input class="task-list-item-checkbox"( checked="checked")? disabled="disabled" '
    r'type="checkbox">$'
)
OPT_IN = "set 'allow_raw_html: true' in course/course.yml if you trust every author of the course"


@dataclass
class Image:
    """A picture a text shows, as written, and its file line."""

    target: str
    alt: str
    line: int


@dataclass
class Found:
    """What a scan saw that later checks need: images and links to other sites."""

    images: list[Image] = field(default_factory=list)
    outside_links: list[tuple[str, int]] = field(default_factory=list)


@functools.cache
def _parser() -> MarkdownIt:
    config = MdParserConfig(enable_extensions=set(EXTENSIONS))
    md = create_md_parser(config, RendererHTML)
    # markdown-it silently turns 'javascript:' links into text; let them through so that they
    # are reported, not hidden (nothing is rendered from these tokens).
    md.validateLink = lambda url: True
    return md


def tokens(text: str) -> list[Token]:
    """Block tokens of a MyST text, inline children included, as myst-parser makes them."""
    return _parser().parse(text)


def scan(
    text: str,
    where: Where,
    problems: Problems,
    *,
    trusted: bool = False,
    base: str = "",
    ours: re.Pattern[str] | None = None,
) -> Found:
    """Check one MyST text whose first line is ``where.line``; ``base`` is the file path links
    and images are relative to. Raw HTML is refused unless ``trusted`` or it is the builder's
    own (matching ``ours``, in text the builder generated)."""
    trust: bool | re.Pattern[str] = ours if ours is not None and not trusted else trusted
    scanner = _Scan(where, problems, trust, base or where.path)
    try:
        scanner.text(text, where.line)
    except RecursionError:
        problems.error(
            where, "markup.too-deep", "the Markdown is nested too deeply (quotes or lists)"
        )
    return scanner.found


@dataclass
class _Scan:
    """One scan: where the text sits, where problems go, how far the text is trusted, the
    file its links are relative to, and what it found."""

    where: Where
    problems: Problems
    trusted: bool | re.Pattern[str]
    base: str
    found: Found = field(default_factory=Found)

    def text(self, text: str, first: int, nested: bool = False) -> None:
        """A MyST text whose first line is ``first``; ``nested`` inside a directive."""
        where, problems = self.where, self.problems
        for token in tokens(text):
            line = first + (token.map[0] if token.map else 0)
            at = where.at(line)
            if token.type == "html_block" and not self.allowed(token.content):
                self.raw_html(at, token.content)
            elif token.type == "hr" and (nested or token.level > 0):
                problems.error(
                    at,
                    "markup.rule",
                    "a horizontal rule (---) cannot sit inside a list, a quote or a directive; "
                    "remove it, or leave a blank line and start the text without indentation",
                )
            elif token.type == "code_block":
                problems.warning(
                    at,
                    "markup.indented-code",
                    "this text is indented by 4 spaces or a tab, so it shows as code; remove the "
                    "indentation (a list item takes at most 3 spaces before '-'), or put real code "
                    "in a ``` fence",
                )
            elif token.type in ("fence", "colon_fence"):
                self.directive(token, line)
            elif token.type == "inline":
                self.inline(token.children or [], line)

    def allowed(self, html: str) -> bool:
        """Whether an HTML token may stay: the course trusts its authors, the token is a comment or
        a task-list checkbox, or it is the builder's own markup."""
        trusted = self.trusted
        if trusted is True or COMMENT.match(html) or CHECKBOX.match(html):
            return True
        return isinstance(trusted, re.Pattern) and trusted.fullmatch(html.strip()) is not None

    def raw_html(self, at: Where, html: str) -> None:
        snippet = " ".join(html.split())
        snippet = snippet if len(snippet) <= 40 else snippet[:39] + "…"
        self.problems.error(
            at,
            "markup.raw-html",
            f"raw HTML ({snippet}) is not allowed: it could run scripts in learners' browsers; "
            f"write it in Markdown, or {OPT_IN}",
        )

    def inline(self, children: list[Token], line: int) -> None:
        """The inline tokens of a paragraph or heading starting at ``line``."""
        where, problems = self.where, self.problems
        html_lines: set[int] = set()  # one message per line, not one per tag
        for child in children:
            at = where.at(line)
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "html_inline" and not self.allowed(child.content):
                if line not in html_lines:
                    html_lines.add(line)
                    self.raw_html(at, child.content)
            elif child.type == "myst_role":
                name = child.meta.get("name", "")
                if name not in ROLES:
                    problems.error(
                        at,
                        "markup.role",
                        f"the role {{{name}}} is not supported; use {{fact}}, {{term}}, "
                        "a Markdown link or plain text (other roles: abbr, sub, sup, kbd, "
                        "guilabel, ref, doc)",
                    )
            elif child.type == "link_open":
                self.link(str(child.attrs.get("href", "")), at)
            elif child.type == "image":
                target = str(child.attrs.get("src", ""))
                self.found.images.append(Image(target, child.content, line))
            if child.type not in ("softbreak", "hardbreak"):
                line += child.content.count("\n") if child.type == "text" else 0

    def link(self, url: str, at: Where) -> None:
        """A link target: outside links noted, other schemes and paths out of the tree refused."""
        problems = self.problems
        # As a browser reads it: markdown-it percent-encodes, browsers read '\\' as '/'.
        url = unquote(url).strip().replace("\\", "/")
        scheme = SCHEME.match(url)
        if url.startswith("//") or (scheme and scheme.group(1).lower() in ("http", "https")):
            self.found.outside_links.append((url, at.line))
        elif scheme and scheme.group(1).lower() not in SCHEMES:
            problems.error(
                at,
                "link.scheme",
                f"link '{url[:60]}' uses '{scheme.group(1)}:'; the course may link only to its own "
                "pages (relative paths, '#anchors'), to http(s):// sites and to mailto:",
            )
        elif not scheme and not url.startswith("#") and climbs_out(self.base, url):
            problems.error(
                at,
                "link.outside",
                f"link '{url[:60]}' points outside the course tree; link to pages of the course",
            )

    def directive(self, token: Token, line: int) -> None:
        """A fence: a plain code block, or a directive, checked and its MyST content scanned."""
        where, problems = self.where, self.problems
        match = DIRECTIVE.match(token.info.strip())
        if not match:
            return  # a code block: shown as written
        name = match["name"]
        at = where.at(line)
        if name in BUILDER_DIRECTIVES:
            return
        if name in RAW:
            if self.trusted is not True:
                what = "raw HTML" if name == "raw" else "reStructuredText (which can hold raw HTML)"
                problems.error(
                    at,
                    "markup.raw-html",
                    f"the {{{name}}} directive brings {what} into the page, which could run "
                    f"scripts in learners' browsers; write it in Markdown, or {OPT_IN}",
                )
            return
        if name not in OPTIONS:
            problems.error(
                at,
                "markup.directive",
                f"the directive {{{name}}} is not supported; use {{note}}, {{tip}}, "
                "{warning} or another admonition, {figure}, {image}, {table}, {list-table}, "
                "{code}, {dropdown}, or the builder's {notes}, {chart} and {quiz}",
            )
            return
        lines = token.content.split("\n")
        options: dict[str, str] = {}
        body = 0
        if lines and lines[0].lstrip().startswith("---"):
            # myst-parser reads a YAML block of options here, with rules of its own (dedent, any
            # run of dashes ends it); rather than guess them, such blocks are not accepted.
            problems.error(
                at,
                "markup.directive",
                f"options of {{{name}}} in a '---' block are not supported; write each on its own "
                "line as ':key: value' right under the directive",
            )
            return
        for text in lines:
            if not text.lstrip().startswith(":"):
                break
            option = OPTION.match(text)
            if not option:  # myst-parser would still read it as an option, another way
                problems.error(
                    at,
                    "markup.directive",
                    f"write the option '{text.strip()[:40]}' of {{{name}}} as ':key: value' "
                    "(a colon, the name, a colon, a space, the value)",
                )
                return
            options[option["key"]] = option["value"] or ""
            body += 1
        allowed = OPTIONS[name] | COMMON_OPTIONS
        for key in options:
            if key not in allowed:
                known = ", ".join(f":{k}:" for k in sorted(allowed))
                problems.error(
                    at,
                    "markup.directive",
                    f"the option ':{key}:' of {{{name}}} is not supported (it may take {known})",
                )
        if name not in PLAIN_ARGUMENT and match["arg"].strip():  # a title: MyST text
            self.text(match["arg"], line)
        for key in sorted(TEXT_OPTIONS & set(options)):
            self.text(options[key], line)
        if name in ("figure", "image"):
            self.found.images.append(Image(match["arg"].strip(), options.get("alt", ""), line))
        if name not in LITERAL:
            content = "\n".join(lines[body:])
            self.text(content, line + 1 + body, nested=True)


def climbs_out(base: str, target: str) -> bool:
    """Whether a relative path written in file ``base`` leaves the tree (or is absolute)."""
    target = target.split("#", 1)[0].split("?", 1)[0]
    if target.startswith(("/", "\\")) or re.match(r"^[a-zA-Z]:[\\/]", target):
        return True
    depth = len(PurePosixPath(base).parent.parts)
    for part in PurePosixPath(target.replace("\\", "/")).parts:
        if part == "..":
            depth -= 1
            if depth < 0:
                return True
        elif part not in (".", ""):
            depth += 1
    return False


# Characters with a meaning in MyST/CommonMark inline text; each can be escaped with '\'.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~:$&=\"'^@%])")


def escape(text: str) -> str:
    """Plain text as MyST that shows exactly these characters: no markup, roles or HTML.
    Line breaks become spaces (a title or label is one line)."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))
