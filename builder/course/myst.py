"""The security scan of MyST text, over the lesson tree (``builder.course.tree``) that myst-parser's
own markdown-it setup makes, and ``escape`` for plain author text written into MyST.

Lesson text is untrusted. Scanning it as the parser Sphinx will use reads it, not with regexes
that approximate it, finds every raw HTML block and inline tag, every directive and role (inside
admonitions and figures too), every link and image, wherever Markdown puts them; what could run
a script, read a file outside the tree or leave the site is refused here, before anything is
written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import unquote

from builder.course import tree
from builder.course.tree import Doc, Inline, Node
from builder.problems import Problems, Where, suggest

# Ours; their content is read by builder.course.markup.
BUILDER_DIRECTIVES = {"notes", "slide", "chart", "quiz"}
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
    "container": set(),
    "rubric": set(),
    "toggle": {"show"},
}
COMMON_OPTIONS = {"class", "name"}
RAW = {"raw", "eval-rst"}
ROLES = {
    "fact", "fact-value", "term", "abbr", "sub", "sup", "subscript", "superscript", "kbd",
    "guilabel", "menuselection", "code", "emphasis", "strong", "literal", "ref", "numref", "doc",
}  # fmt: skip
SCHEMES = {"http", "https", "mailto"}
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
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
    span: tuple[int, int] | None = None  # the address's columns on its line, as written


@dataclass
class Found:
    """What a scan saw that later checks need: images and links to other sites."""

    images: list[Image] = field(default_factory=list)
    outside_links: list[tuple[str, int]] = field(default_factory=list)


def scan(
    text: str | Doc,
    where: Where,
    problems: Problems,
    *,
    trusted: bool = False,
    base: str = "",
) -> Found:
    """Check one MyST text (or its tree) whose first line is ``where.line``; ``base`` is the
    file path links and images are relative to. Raw HTML is refused unless ``trusted``."""
    scanner = _Scan(where, problems, trusted, base or where.path)
    doc = text if isinstance(text, Doc) else parsed(text, where, problems)
    for node in doc.nodes:
        scanner.block(node)
    for url, line in doc.references:  # '[label]: url': any link or picture may use it
        scanner.link(url, where.at(line))
    return scanner.found


def parsed(text: str, where: Where, problems: Problems) -> Doc:
    """The tree of a MyST text whose first line is ``where.line``; empty, with a problem, when
    it is nested too deeply to parse."""
    try:
        return tree.parse(text, where.line)
    except RecursionError:
        problems.error(
            where, "markup.too-deep", "the Markdown is nested too deeply (quotes or lists)"
        )
        return Doc(text.split("\n"), where.line, [])


@dataclass
class _Scan:
    """One scan: where the text sits, where problems go, how far the text is trusted, the
    file its links are relative to, and what it found."""

    where: Where
    problems: Problems
    trusted: bool
    base: str
    found: Found = field(default_factory=Found)
    html_lines: set[int] = field(default_factory=set)  # one message per line, not per tag

    def block(self, node: Node) -> None:
        """A block and what it holds."""
        at = self.where.at(node.line)
        problems = self.problems
        if node.kind == "html_block" and not self.allowed(node.text):
            self.raw_html(at, node.text)
        elif node.kind == "hr" and node.depth > 0:
            problems.error(
                at,
                "markup.rule",
                "a horizontal rule (---) cannot sit inside a list, a quote or a directive; "
                "remove it, or leave a blank line and start the text without indentation",
            )
        elif node.kind == "code_block":
            problems.warning(
                at,
                "markup.indented-code",
                "this text is indented by 4 spaces or a tab, so it shows as code; remove the "
                "indentation (a list item takes at most 3 spaces before '-'), or put real code "
                "in a ``` fence",
            )
        elif node.kind == "directive":
            self.directive(node)
            return
        self.inline(node.inlines)
        for child in node.children:
            self.block(child)

    def allowed(self, html: str) -> bool:
        """Whether an HTML token may stay: the course trusts its authors, or the token is a
        comment or a task-list checkbox."""
        return self.trusted or bool(COMMENT.match(html) or CHECKBOX.match(html))

    def raw_html(self, at: Where, html: str) -> None:
        snippet = " ".join(html.split())
        snippet = snippet if len(snippet) <= 40 else snippet[:39] + "…"
        self.problems.error(
            at,
            "markup.raw-html",
            f"raw HTML ({snippet}) is not allowed: it could run scripts in learners' browsers; "
            f"write it in Markdown, or {OPT_IN}",
        )

    def inline(self, inlines: list[Inline]) -> None:
        """Inline nodes: raw HTML, roles, links and images."""
        for child in tree.walk_inlines(inlines):
            at = self.where.at(child.line)
            if child.kind == "html" and not self.allowed(child.text):
                if child.line not in self.html_lines:
                    self.html_lines.add(child.line)
                    self.raw_html(at, child.text)
            elif child.kind == "role" and child.name not in ROLES:
                self.problems.error(
                    at,
                    "markup.role",
                    f"the role {{{child.name}}} is not supported"
                    + suggest(child.name, sorted(ROLES))
                    + "; use {fact} (a figure with its unit), {fact-value} (the figure alone), "
                    "{term}, a Markdown link or plain text (other roles: abbr, sub, sup, kbd, "
                    "guilabel, ref, doc)",
                )
            elif child.kind == "link":
                self.link(child.target, at)
            elif child.kind == "image":
                self.found.images.append(Image(child.target, child.text, child.line, child.span))

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

    def directive(self, node: Node) -> None:
        """A directive, checked, and its MyST title, captions and content scanned."""
        problems, name = self.problems, node.name
        at = self.where.at(node.line)
        if name in BUILDER_DIRECTIVES:
            return
        if name in RAW:
            if not self.trusted:
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
                "{code}, {dropdown}, or the builder's {notes}, {slide}, {chart} and {quiz}",
            )
            return
        if node.bad_option == "---":
            # myst-parser reads a YAML block of options here, with rules of its own (dedent, any
            # run of dashes ends it); rather than guess them, such blocks are not accepted.
            problems.error(
                at,
                "markup.directive",
                f"options of {{{name}}} in a '---' block are not supported; write each on its own "
                "line as ':key: value' right under the directive",
            )
            return
        if node.bad_option is not None:  # myst-parser would still read it as an option
            problems.error(
                at,
                "markup.directive",
                f"write the option '{node.bad_option[:40]}' of {{{name}}} as ':key: value' "
                "(a colon, the name, a colon, a space, the value)",
            )
            return
        allowed = OPTIONS[name] | COMMON_OPTIONS
        for key in node.options:
            if key not in allowed:
                known = ", ".join(f":{k}:" for k in sorted(allowed))
                problems.error(
                    at,
                    "markup.directive",
                    f"the option ':{key}:' of {{{name}}} is not supported (it may take {known})",
                )
        self.inline(node.title)
        for caption in node.captions:
            self.inline(caption)
        if name in tree.PICTURES and any(c.isspace() for c in node.arg):
            problems.error(
                at,
                "markup.image",
                f"the picture path '{node.arg[:60]}' holds a space, which Sphinx deletes (so it "
                "may point elsewhere); rename the file without spaces",
            )
        if name in tree.PICTURES:
            alt = node.options.get("alt", ("", 0))[0]
            self.found.images.append(Image(node.arg, alt, node.line, node.arg_span))
        for child in node.children:
            self.block(child)


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
