"""The lesson tree (builder.course.tree): one parse of MyST into blocks and inline nodes with their
file lines, and the edits a notebook cell makes at the columns it records."""

from __future__ import annotations

from pathlib import Path

from builder.course import tree

LESSON = """\
## Phần {term}`một`

Đoạn có {fact}`so-lieu` và
**đậm** với `{fact}`khong`` trong mã.

- mục một
  tiếp theo
  - mục con
3. ba

| A | B |
|---|---|
| {fact}`o` | ![ảnh](../images/a.png) |

:::{note} Tiêu đề {term}`hai <Hai>`
:class: tip
Nội dung {fact}`trong`.
:::

```{figure} ../images/b.png
:alt: Hình
Chú thích.
```

```python
{fact}`khong-phai`
```
"""


def test_blocks_know_their_file_lines() -> None:
    doc = tree.parse(LESSON, first=20)
    kinds = [(n.kind, n.line) for n in doc.nodes]
    assert kinds == [
        ("heading", 20),
        ("paragraph", 22),
        ("bullet_list", 25),
        ("ordered_list", 28),
        ("table", 30),
        ("directive", 34),
        ("directive", 39),
        ("fence", 44),
    ]
    note = doc.nodes[5]
    assert (note.name, note.options, note.content_line) == ("note", {"class": ("tip", 35)}, 36)
    assert [(c.kind, c.line, c.depth) for c in note.children] == [("paragraph", 36, 1)]
    items = [n for n in doc.nodes[2].walk() if n.kind == "list_item"]
    assert [i.line for i in items] == [25, 27]
    assert doc.nodes[3].children[0].number == 3
    cells = [n for n in doc.nodes[4].walk() if n.kind == "td"]
    assert [c.line for c in cells] == [32, 32]
    assert doc.nodes[6].arg == "../images/b.png" and doc.nodes[6].options["alt"] == ("Hình", 40)


def test_roles_are_found_with_their_columns_and_never_inside_code() -> None:
    doc = tree.parse(LESSON, first=1)
    lines = LESSON.split("\n")
    facts = list(tree.roles(doc.nodes, "fact"))
    assert [(r.text, r.line) for r in facts] == [("so-lieu", 3), ("o", 13), ("trong", 17)]
    for role in facts:
        start, end = role.span
        assert lines[role.line - 1][start:end] == f"{{fact}}`{role.text}`"
    terms = list(tree.roles(doc.nodes, "term"))
    assert [(t.role_text, t.role_target, t.line) for t in terms] == [
        ("một", "một", 1),
        ("hai", "Hai", 15),
    ]


def test_pictures_know_where_their_address_is_written() -> None:
    doc = tree.parse(LESSON, first=1)
    images = [i for n in doc.nodes for i in tree.node_inlines(n) if i.kind == "image"]
    assert [(i.target, i.text, i.line) for i in images] == [("../images/a.png", "ảnh", 13)]
    start, end = images[0].span
    assert LESSON.split("\n")[12][start:end] == "../images/a.png"
    figure = doc.nodes[6]
    start, end = figure.arg_span
    assert LESSON.split("\n")[19][start:end] == "../images/b.png"


def test_columns_are_given_only_where_the_line_is_unambiguous() -> None:
    line = '[a](y.md "](../images/x.png") ![ảnh](../images/x.png)'
    image = next(i for i in tree.parse_inline(line) if i.kind == "image")
    assert line[image.span[0] :] == "../images/x.png)"  # the picture, not the link's title
    twice = "[a](../images/x.png) ![ảnh](../images/x.png)"
    assert next(i for i in tree.parse_inline(twice) if i.kind == "image").span is None
    escaped = tree.parse_inline("Viết \\{fact}`` là sai.")
    assert [i.span for i in escaped if i.kind == "role"] in ([], [None])


def test_lines_after_a_span_written_over_several_lines() -> None:
    """markdown-it gives a code span's or role's line endings to its token as spaces."""
    text = (
        "``x\ny`` {fact}`ngay`\n\n"
        "Một {term}`dòng\nhai` và {fact}`a` sau.\n\n"
        "> Trích `một\n> hai` và {fact}`b`.\n\n"
        "- Mục `một\n  hai\n  ba` rồi {fact}`c`"
    )
    lines = text.split("\n")
    found = {
        i.text: i
        for node in tree.parse(text).nodes
        for each in node.walk()
        for i in tree.walk_inlines(each.inlines)
        if i.kind == "role"
    }
    assert {name: role.line for name, role in found.items()} == {
        "ngay": 2,
        "dòng hai": 4,
        "a": 5,
        "b": 8,
        "c": 12,
    }
    for name in ("ngay", "a", "b", "c"):
        role = found[name]
        start, end = role.span
        assert lines[role.line - 1][start:end] == f"{{fact}}`{name}`"


def test_rewrite_replaces_only_the_recorded_columns() -> None:
    doc = tree.parse(LESSON, first=1)
    edits = [(r.line, r.span, f"<{r.text}>") for r in tree.roles(doc.nodes, "fact")]
    out = tree.rewrite(doc.lines, 1, edits).split("\n")
    assert out[2] == "Đoạn có <so-lieu> và"
    assert out[3] == LESSON.split("\n")[3]  # the code span keeps its role-like text
    assert out[12] == "| <o> | ![ảnh](../images/a.png) |"
    assert out[25] == "{fact}`khong-phai`"


def test_an_empty_role_is_a_role_not_text() -> None:
    inlines = tree.parse_inline("Có {fact}`` không?")
    roles = [i for i in inlines if i.kind == "role"]
    assert [(r.name, r.text, r.span) for r in roles] == [("fact", "", (3, 11))]


def test_an_unclosed_fence_is_marked() -> None:
    doc = tree.parse("```python\nx = 1\n\nchữ\n")
    assert [n.closed for n in doc.nodes] == [False]
    assert [n.closed for n in tree.parse("```\nx\n```\n").nodes] == [True]


def test_plain_text_drops_marks_and_keeps_what_a_reader_sees() -> None:
    inlines = tree.parse_inline("**Đậm** và *nghiêng*, [liên kết](a.md), `mã`, {term}`chữ <Từ>`")
    assert tree.plain(inlines) == "Đậm và nghiêng, liên kết, mã, chữ"
    assert tree.plain(inlines, code=False) == "Đậm và nghiêng, liên kết, , chữ"


def test_no_other_module_parses_markdown() -> None:
    package = Path(tree.__file__).parent.parent
    users = {
        p.name
        for p in package.rglob("*.py")
        if "markdown_it" in p.read_text(encoding="utf-8")
        or "myst_parser.parsers" in p.read_text(encoding="utf-8")
    }
    assert users == {"tree.py"}
