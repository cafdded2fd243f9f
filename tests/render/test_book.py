"""The book stage's own guards: the outside-request scan and the escaping of theme slots."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from jinja2 import Environment
from markupsafe import Markup

from builder.cli import main
from builder.render.book import jupyterbook, links
from tests.helpers import BASE, make_tree

FAR = "http://203.0.113.9"
HOSTILE = '<img src=x onerror=alert(1)> & "quoted" {{7*7}}'
ESCAPED = "&lt;img src=x onerror=alert(1)&gt; &amp; &#34;quoted&#34; {{7*7}}"


def site_with(tmp_path: Path, files: dict[str, str]) -> Path:
    """A tiny built site holding ``files`` (path -> text)."""
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def urls(tmp_path: Path, page: str, name: str = "page.html") -> list[str]:
    return [url for _, url in links.outside_references(site_with(tmp_path, {name: page}))]


@pytest.mark.parametrize(
    "page, url",
    [
        (f"<style>body {{ background: url({FAR}/bg.png) }}</style>", f"{FAR}/bg.png"),
        (f"<style>@import '{FAR}/a.css';</style>", f"{FAR}/a.css"),
        (f'<style>@import url("{FAR}/b.css");</style>', f"{FAR}/b.css"),
        (f"<style>p {{ b: image-set('{FAR}/i.png' 1x) }}</style>", f"{FAR}/i.png"),
        ("<style>p { b: URL( //203.0.113.9/u.png ) }</style>", "//203.0.113.9/u.png"),
        (f"<style>p {{ b: \\75 rl({FAR}/e.png) }}</style>", f"{FAR}/e.png"),
        ("<style>p { b: url('http\\3a //203.0.113.9/h.png') }</style>", f"{FAR}/h.png"),
        # A "/*" inside url() starts no comment that would hide what follows.
        (f"<style>p {{ b: url(a/*) }} @import '{FAR}/c.css';</style>", f"{FAR}/c.css"),
        (f"<p>x</p><style>p {{ b: url({FAR}/open.png) }}", f"{FAR}/open.png"),
        (f"<style/>p {{ b: url({FAR}/self.png) }}", f"{FAR}/self.png"),
        # Inside inline SVG a browser decodes character references in <style>.
        (f"<svg><style>@import &quot;{FAR}/s.css&quot;;</style></svg>", f"{FAR}/s.css"),
        (f'<svg><image href="{FAR}/i.png"/></svg>', f"{FAR}/i.png"),
        (f"<svg><image xlink:href='{FAR}/x.png'/></svg>", f"{FAR}/x.png"),
        (f'<svg><use href="{FAR}/sprite.svg#a"/></svg>', f"{FAR}/sprite.svg#a"),
        (f'<svg><feImage href="{FAR}/f.png"/></svg>', f"{FAR}/f.png"),
        (f"<svg><rect style=\"fill: url('{FAR}/p.svg#g')\"/></svg>", f"{FAR}/p.svg#g"),
        (f'<svg><rect fill="url({FAR}/q.svg#g)"/></svg>', f"{FAR}/q.svg#g"),
        (f'<svg><path marker-end="url({FAR}/m.svg#m)"/></svg>', f"{FAR}/m.svg#m"),
        (f'<img srcset="a.png 1x,{FAR}/b.png 2x">', f"{FAR}/b.png"),
        (f'<meta http-equiv="Refresh" content="0; URL={FAR}/r">', f"{FAR}/r"),
        (f'<form><button formaction="{FAR}/f">x</button></form>', f"{FAR}/f"),
        ('<img src="\\\\203.0.113.9\\b.png">', "\\\\203.0.113.9\\b.png"),
        ('<img src="ht\ttp://203.0.113.9/t.png">', "ht\ttp://203.0.113.9/t.png"),
    ],
)
def test_outside_reference_in_a_page_is_found(tmp_path: Path, page: str, url: str) -> None:
    assert url in urls(tmp_path, page)


@pytest.mark.parametrize(
    "page",
    [
        "<style>p { background: url(_static/a.png) } @import 'b.css';</style>",
        "<style>/* url(http://203.0.113.9/comment.png) */</style>",
        '<svg><rect fill="url(#grad)" style="stroke: url(#s)"/><use href="#a"/></svg>',
        '<img src="data:image/png;base64,iVBORw0KGgo=" srcset="a.png 1x, b.png 2x">',
        '<a href="mailto:a@example.org">a</a><a href="#top">top</a><a href="x.html">x</a>',
        '<a href="https://dichvucong.gov.vn/">a link a learner may follow</a>',
        "<p>url(http://203.0.113.9/text.png) is only text here</p>",
    ],
)
def test_references_that_stay_in_the_site_are_not_reported(tmp_path: Path, page: str) -> None:
    assert urls(tmp_path, page) == []


def test_svg_files_and_style_sheets_are_scanned(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        {
            "_images/a.svg": f'<?xml-stylesheet type="text/css" href="{FAR}/x.css"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{FAR}/i.png"/></svg>',
            "_static/s.css": f"/* {FAR}/no.png */ p {{ background: url({FAR}/yes.png) }}",
        },
    )
    assert links.outside_references(site) == [
        ("_images/a.svg", f"{FAR}/x.css"),
        ("_images/a.svg", f"{FAR}/i.png"),
        ("_static/s.css", f"{FAR}/yes.png"),
    ]


def test_a_trusted_course_with_outside_css_and_svg_fails_to_build(tmp_path: Path) -> None:
    """Raw HTML allowed: a <style> or inline SVG that loads from the internet is still an error."""
    course = BASE["course/course.yml"] + "allow_raw_html: true\n"
    lesson = BASE["course/lessons/bai-mot.md"] + (
        f"\n<style>body {{ background: url({FAR}/bg.png) }}</style>\n"
        f'\n<svg width="4" height="4"><image href="{FAR}/i.png"/></svg>\n'
    )
    root = make_tree(
        tmp_path / "src", {"course/course.yml": course, "course/lessons/bai-mot.md": lesson}
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "-q", "--root", str(root), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert f"[book.outside-request] the page refers to {FAR}/bg.png" in result.output
    assert f"[book.outside-request] the page refers to {FAR}/i.png" in result.output
    assert not (out / "book").exists()


def test_theme_values_are_escaped_once_whatever_the_template_does() -> None:
    context = {"docstitle": HOSTILE, "author": HOSTILE, "title": "<em>ours</em>"}
    jupyterbook._escape_context(None, "x", "page.html", context, None)
    assert isinstance(context["docstitle"], Markup)
    assert context["title"] == "<em>ours</em>"  # HTML that Sphinx rendered: left alone
    template = Environment().from_string("{{ docstitle }}|{{ author|e }}|{{ '%s!' % docstitle }}")
    assert template.render(context) == f"{ESCAPED}|{ESCAPED}|{ESCAPED}!"
    again = dict(context)
    jupyterbook._escape_context(None, "x", "page.html", again, None)
    assert again["docstitle"] == context["docstitle"]  # never escaped twice


def test_search_index_section_titles_are_escaped(tmp_path: Path) -> None:
    index = {
        "alltitles": {HOSTILE: [[0, None]], "Plain": [[0, "plain"]]},
        "titles": ["&lt;already&gt; HTML"],
    }
    (tmp_path / "searchindex.js").write_text(f"Search.setIndex({json.dumps(index)})")
    doctrees = tmp_path / "doctrees"
    doctrees.mkdir()
    app = SimpleNamespace(
        outdir=str(tmp_path), doctreedir=str(doctrees), builder=SimpleNamespace(format="html")
    )
    jupyterbook._escape_search_titles(app, None)
    # Sphinx's own index is kept for a later run that updates it (titles as Sphinx wrote them).
    plain = (doctrees / jupyterbook.PLAIN_SEARCH_INDEX).read_text()
    assert json.loads(plain[len("Search.setIndex(") : -1]) == index
    text = (tmp_path / "searchindex.js").read_text()
    assert text.startswith("Search.setIndex(") and text.endswith(")")
    data = json.loads(text[len("Search.setIndex(") : -1])
    assert data["alltitles"] == {
        "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot; {{7*7}}": [[0, None]],
        "Plain": [[0, "plain"]],
    }
    assert data["titles"] == ["&lt;already&gt; HTML"]


@pytest.mark.parametrize(
    "body, toggle",
    [
        ('<div class="dropdown admonition note"><p>x</p></div>', True),
        ('<details class="sd-sphinx-override sd-dropdown">', False),
        ('<div class="toggle docutils container">', True),
        ("<p>Không có gì để mở; chữ toggle trong câu.</p>", False),
    ],
)
def test_a_page_loads_an_extension_s_files_where_its_markup_is(body: str, toggle: bool) -> None:
    """sphinx-togglebutton acts on `.toggle, .admonition.dropdown`; its files load there only,
    as sphinx-design's load where an `sd-` class is, and Sphinx's scripts on the search page."""
    files = ["togglebutton.css", "togglebutton.js", "sphinx-design.min.css", "doctools.js"]
    context = {
        "body": body,
        "css_files": [SimpleNamespace(filename=f"_static/{f}") for f in files if f.endswith("css")],
        "script_files": [
            SimpleNamespace(filename=f"_static/{f}") for f in files if f.endswith("js")
        ],
    }
    app = SimpleNamespace(config=SimpleNamespace(language="vi", builder_checklists=[]))
    jupyterbook._page_context(app, "bai", "page.html", context, None)
    loaded = {Path(a.filename).name for a in context["css_files"] + context["script_files"]}
    assert ("togglebutton.js" in loaded) == toggle and ("togglebutton.css" in loaded) == toggle
    assert ("sphinx-design.min.css" in loaded) == ("sd-" in body)
    assert "doctools.js" not in loaded


def test_a_failed_sphinx_run_says_what_stopped_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When Sphinx stops (here an extension's handler fails), the author reads why, not only
    that the book could not be built; the output folder is not written."""
    import myst_nb.sphinx_ext

    def fails(app, exception) -> None:  # noqa: ANN001 - Sphinx's handler arguments
        raise OSError("the disk said no")

    monkeypatch.setattr(myst_nb.sphinx_ext, "add_global_html_resources", fails)
    tree = make_tree(tmp_path / "tree")
    result = CliRunner().invoke(main, ["build", "--root", str(tree)])
    assert result.exit_code == 2
    assert "book:1: [book.failed]" in result.output
    said = [line for line in result.output.splitlines() if "[book.sphinx]" in line]
    assert any("the disk said no" in line for line in said), result.output
    assert not (tree / "_build" / "book").exists()
