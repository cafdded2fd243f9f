"""Images are untrusted input: unsafe SVG, oversized or broken files and symlinks out of the
tree each give one exact ``path:line: [code] message``, and nothing escapes as an exception."""

from __future__ import annotations

import base64
import io
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from builder.checks.run import load_and_check
from builder.cli import main
from builder.course import imaging
from tests.helpers import make_tree

LESSON = """\
---
title: Bài một
objectives: [Hiểu.]
keypoints: [Nhớ.]
duration: {teaching: 10}
---

## Hình

"""
AT = "course/lessons/bai-mot.md:10"  # the line of the first image in LESSON
NS = "xmlns='http://www.w3.org/2000/svg'"
XLINK = "xmlns:xlink='http://www.w3.org/1999/xlink'"
PLAIN = "or export the drawing as plain SVG"
EMBED = "embed the picture in the drawing (Inkscape: Extensions > Images > Embed Images)"
SCALE = "scale it down (2000 pixels across is plenty for a page or a slide)"


def png(width: int = 30, height: int = 20) -> bytes:
    """A real PNG of that size."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#1f5f99").save(out, "PNG")
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
        + chunk(b"IEND", b"")
    )


def check(root: Path, images: dict[str, bytes], targets: list[str]) -> list[str]:
    """The problems of the base tree whose lesson shows ``targets``, with ``images`` written
    into the tree (paths relative to its root)."""
    lines = "".join(f"![Hình {n}]({target})\n" for n, target in enumerate(targets))
    make_tree(root, {"course/lessons/bai-mot.md": LESSON + lines})
    for rel, data in images.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    _, problems = load_and_check(root)
    return [str(p) for p in problems.sorted()]


BILLION_LAUGHS = (
    "<?xml version='1.0'?>\n<!DOCTYPE svg [\n<!ENTITY lol 'lol'>\n"
    + "".join(f"<!ENTITY lol{n} '{f'&lol{n - 1};' * 10}'>\n" for n in range(1, 10))
    + f"]>\n<svg {NS}><text>&lol9;</text></svg>"
).replace("&lol0;", "&lol;")
HUGE_TILE = (
    f"<svg {NS} width='10' height='10'><pattern id='p' width='1e7' height='1e7'"
    " patternUnits='userSpaceOnUse'><rect width='1e7' height='1e7'/></pattern>"
    "<rect width='10' height='10' fill='url(#p)'/></svg>"
)
BOMB_DATA = base64.b64encode(png_claiming(100000, 100000)).decode()
EMBEDDED_BOMB = (
    f"<svg {NS} {XLINK} width='10' height='10'><image width='10' height='10'"
    f" xlink:href='data:image/png;base64,{BOMB_DATA}'/></svg>"
)

CASES = {
    "script": (
        f"<svg {NS}>\n<script>alert(document.cookie)</script>\n</svg>",
        "[image.unsafe] image 'x.svg' is unsafe: it has a <script> element (line 2); remove the"
        f" <script> element, {PLAIN}",
    ),
    "onload": (
        f"<svg {NS} onload='alert(1)'/>",
        "[image.unsafe] image 'x.svg' is unsafe: it has an event handler onload=\"alert(1)\" on"
        f" <svg> (line 1); remove the onload attribute, {PLAIN}",
    ),
    "remote image": (
        f"<svg {NS}>\n<image href='http://203.0.113.9/x.png' width='4' height='3'/></svg>",
        "[image.unsafe] image 'x.svg' is unsafe: <image href=...> on line 2 refers to"
        f" http://203.0.113.9/x.png on the internet; {EMBED}, {PLAIN}",
    ),
    "xlink:href": (
        f"<svg {NS} {XLINK}>\n\n<image xlink:href='//203.0.113.9/x.png'/></svg>",
        "[image.unsafe] image 'x.svg' is unsafe: <image xlink:href=...> on line 3 refers to"
        f" //203.0.113.9/x.png on the internet; {EMBED}, {PLAIN}",
    ),
    "a file of the machine": (
        f"<svg {NS} {XLINK}>\n<image xlink:href='file:///etc/passwd'/></svg>",
        "[image.unsafe] image 'x.svg' is unsafe: <image xlink:href=...> on line 2 refers to the"
        " file 'file:///etc/passwd' outside the drawing; embed it in the drawing (Inkscape:"
        f" Extensions > Images > Embed Images), {PLAIN}",
    ),
    "javascript link": (
        f"<svg {NS} {XLINK}>\n<a xlink:href='java\tscript:alert(1)'><rect/></a></svg>",
        "[image.unsafe] image 'x.svg' is unsafe: <a xlink:href=...> on line 2 holds a script"
        f" link; remove it, {PLAIN}",
    ),
    "data that is not an image": (
        f"<svg {NS}>\n<image href='data:text/html;base64,PHNjcmlwdD4='/></svg>",
        "[image.unsafe] image 'x.svg' is unsafe: <image href=...> on line 2 embeds data of type"
        f" 'text/html'; embed pictures as PNG or JPEG only, {PLAIN}",
    ),
    "style url": (
        f"<svg {NS}>\n<rect style='fill: url(http://203.0.113.9/bg.png)'/></svg>",
        "[image.unsafe] image 'x.svg' is unsafe: <rect style=...> on line 2 loads"
        " url(http://203.0.113.9/bg.png) from outside the drawing; remove that style rule,"
        f" {PLAIN}",
    ),
    "style url hidden by a CSS escape": (
        f"<svg {NS}>\n<style>rect {{ fill: \\75 rl('http://203.0.113.9/bg.png') }}</style></svg>",
        "[image.unsafe] image 'x.svg' is unsafe: <style> ending on line 2 loads"
        " url(http://203.0.113.9/bg.png) from outside the drawing; remove that style rule,"
        f" {PLAIN}",
    ),
    "@import": (
        f"<svg {NS}>\n<style>\n@import 'http://203.0.113.9/a.css';\n</style>\n</svg>",
        "[image.unsafe] image 'x.svg' is unsafe: <style> ending on line 4 imports another style"
        f" sheet (@import 'http://203.0.113.9/a.css'); remove the @import, {PLAIN}",
    ),
    "billion laughs": (
        BILLION_LAUGHS,
        "[image.unsafe] image 'x.svg' is unsafe: it has a <!DOCTYPE> with declarations (line 2),"
        " whose entities can expand without limit; remove the <!DOCTYPE ...> and its <!ENTITY>"
        f" lines, {PLAIN}",
    ),
    "DOCTYPE": (
        "<!DOCTYPE svg PUBLIC '-//W3C//DTD SVG 1.1//EN'"
        f" 'http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd'>\n<svg {NS}/>",
        "[image.unsafe] image 'x.svg' is unsafe: it has a <!DOCTYPE> declaration (line 1);"
        f" remove the <!DOCTYPE ...> line (a drawing does not need it), {PLAIN}",
    ),
    "foreignObject": (
        f"<svg {NS}>\n<foreignObject><p xmlns='http://www.w3.org/1999/xhtml'>x</p>"
        "</foreignObject></svg>",
        "[image.unsafe] image 'x.svg' is unsafe: it has a <foreignObject> element (line 2);"
        f" remove the <foreignObject> element (it holds web page content), {PLAIN}",
    ),
    "absurd width": (
        f"<svg {NS} width='1e9' height='10'/>",
        "[image.too-large] image 'x.svg' claims to be 1000000000x10 pixels, over the limit of"
        " 100000 on a side; set the <svg> width, height and viewBox to the drawing's real size",
    ),
    "absurd nesting": (
        f"<svg {NS}>" + "<g>" * 100_000 + "</g>" * 100_000 + "</svg>",
        "[image.too-large] image 'x.svg' is nested over 100 elements deep (line 1); ungroup the"
        f" drawing, {PLAIN}",
    ),
    "embedded picture that claims 100000x100000 pixels": (
        EMBEDDED_BOMB,
        "[image.too-large] image 'x.svg' embeds a picture (<image xlink:href=...> on line 1)"
        f" that claims 100000x100000 pixels, over the limit of 40 megapixels; {SCALE}",
    ),
    "a tile that makes the renderer abort": (
        HUGE_TILE,
        "[image.invalid] image 'x.svg' cannot be rendered: the renderer ran out of memory or"
        " crashed; simplify the drawing (huge patterns, filters or embedded pictures) or export"
        " it as PNG",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_drawing_that_could_run_or_load_something_is_refused(tmp_path: Path, case: str) -> None:
    svg, message = CASES[case]
    problems = check(tmp_path, {"course/images/x.svg": svg.encode()}, ["../images/x.svg"])
    assert problems == [f"{AT}: {message}"]


def test_a_safe_drawing_passes(tmp_path: Path) -> None:
    dot = base64.b64encode(png(1, 1)).decode()
    svg = f"""\
<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<svg {NS} {XLINK} viewBox="0 0 40 30" width="40mm" height="30mm">
  <defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>
  <style>rect {{ fill: url(#g); stroke: url( "#g" ) }} /* url(http://in.a.comment) */</style>
  <rect width="40" height="30" fill="url(#g)" style="opacity: .5; filter: url('#g')"/>
  <use xlink:href="#g"/><a href="#g"><text>Chuyển đổi số</text></a>
  <image width="4" height="3" href="data:image/png;base64,{dot}"/>
</svg>
"""
    problems = check(tmp_path, {"course/images/x.svg": svg.encode()}, ["../images/x.svg"])
    assert problems == []


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "bomb.png",
            png_claiming(20000, 20000),
            "[image.too-large] image 'bomb.png' claims 20000x20000 pixels, over the limit of 40"
            f" megapixels; {SCALE}",
        ),
        (
            # over Pillow's own warning limit (89 megapixels), under its error limit
            "warns.png",
            png_claiming(10000, 9000),
            "[image.too-large] image 'warns.png' claims 10000x9000 pixels, over the limit of 40"
            f" megapixels; {SCALE}",
        ),
        (
            "cut.png",
            png()[:60],
            "[image.invalid] image 'cut.png' cannot be read: the file is cut short; copy or"
            " export it again",
        ),
        (
            "empty.png",
            b"",
            "[image.invalid] image 'empty.png' is empty (0 bytes); save or export the image again",
        ),
        (
            "empty.svg",
            b"",
            "[image.invalid] image 'empty.svg' is empty (0 bytes); save or export the image again",
        ),
    ],
    ids=["20000x20000", "89-megapixel warning", "truncated", "0-byte png", "0-byte svg"],
)
def test_a_broken_or_oversized_raster_is_one_message(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    problems = check(tmp_path, {f"course/images/{name}": data}, [f"../images/{name}"])
    assert problems == [f"{AT}: {message}"]


def test_a_file_over_the_size_limit_is_too_large(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imaging, "MAX_BYTES", 1024 * 1024)
    data = png() + b"\0" * (3 * 1024 * 1024)  # bytes after IEND: still a PNG
    problems = check(tmp_path, {"course/images/big.png": data}, ["../images/big.png"])
    assert problems == [
        f"{AT}: [image.too-large] image 'big.png' is 3.0 MB, over the limit of 1 MB; save it"
        " smaller (2000 pixels across is plenty for a page or a slide)"
    ]


def test_decks_never_see_a_pillow_warning_or_error(tmp_path: Path) -> None:
    """``picture`` (what decks render) turns every Pillow problem into an ImageProblem, and
    Pillow's decompression-bomb warning does not escape (pytest turns warnings into errors)."""
    for name, data, code in [
        ("bomb.png", png_claiming(20000, 20000), "image.too-large"),
        ("warns.png", png_claiming(10000, 9000), "image.too-large"),
        ("text.png", b"not a PNG at all", "image.invalid"),
        ("cut.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 \x00", "image.invalid"),
        ("tile.svg", HUGE_TILE.encode(), "image.invalid"),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(imaging.ImageProblem) as raised:
            imaging.picture(path, [], 200)
        assert raised.value.code == code, (name, str(raised.value))
        assert str(raised.value).startswith(f"'{name}' "), str(raised.value)
    (tmp_path / "ok.png").write_bytes(png(30, 20))
    assert imaging.picture(tmp_path / "ok.png", [], 200).width == 30


def test_a_symlink_to_a_file_outside_the_tree_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "secret.png"
    secret.parent.mkdir()
    secret.write_bytes(png())
    root = tmp_path / "tree"
    make_tree(root)
    (root / "course" / "images").mkdir(parents=True)
    (root / "course" / "images" / "x.png").symlink_to(secret)
    (root / "course" / "images" / "gone.png").symlink_to(tmp_path / "outside" / "gone.png")
    problems = check(root, {}, ["../images/x.png", "../images/gone.png"])
    real = secret.resolve()
    assert problems == [
        f"{AT}: [path.outside] image '../images/x.png' resolves outside the course tree"
        f" (symlink to {real}); copy the file into course/images/",
        "course/lessons/bai-mot.md:11: [path.outside] image '../images/gone.png' resolves"
        f" outside the course tree (symlink to {real.parent / 'gone.png'}); copy the file into"
        " course/images/",
    ]


def test_a_symlinked_images_folder_outside_the_tree_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "x.png").write_bytes(png())
    root = make_tree(tmp_path / "tree")
    (root / "course" / "images").symlink_to(folder, target_is_directory=True)
    problems = check(root, {}, ["../images/x.png"])
    assert problems == [
        f"{AT}: [path.outside] image '../images/x.png' resolves outside the course tree"
        f" (symlink to {(folder / 'x.png').resolve()}); copy the file into course/images/"
    ]


def test_a_symlink_inside_the_tree_is_allowed(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    (root / "slides").mkdir(exist_ok=True)
    (root / "slides" / "shared.png").write_bytes(png())
    (root / "course" / "images").mkdir(parents=True)
    (root / "course" / "images" / "x.png").symlink_to(root / "slides" / "shared.png")
    (root / "course" / "images" / "y.png").symlink_to("x.png")  # relative, a chain
    assert check(root, {}, ["../images/x.png", "../images/y.png"]) == []


def test_a_logo_symlinked_outside_the_tree_is_refused(tmp_path: Path) -> None:
    logo = tmp_path / "outside" / "logo.png"
    logo.parent.mkdir()
    logo.write_bytes(png(200, 100))
    root = make_tree(
        tmp_path / "tree",
        {"slides/theme.yml": "logo: slides/logo.png\nlogo_alt: Biểu trưng Sở\n"},
    )
    (root / "slides" / "logo.png").symlink_to(logo)
    _, problems = load_and_check(root)
    assert [str(p) for p in problems.sorted()] == [
        "slides/theme.yml:1: [path.outside] logo 'slides/logo.png' resolves outside the course"
        f" tree (symlink to {logo.resolve()}); copy the file into slides/"
    ]


def test_a_logo_over_the_pixel_limit_is_too_large(tmp_path: Path) -> None:
    root = make_tree(tmp_path, {"slides/theme.yml": "logo: slides/logo.png\nlogo_alt: Sở\n"})
    (root / "slides" / "logo.png").write_bytes(png_claiming(20000, 20000))
    _, problems = load_and_check(root)
    assert [str(p) for p in problems.sorted()] == [
        "slides/theme.yml:1: [image.too-large] logo 'logo.png' claims 20000x20000 pixels, over"
        f" the limit of 40 megapixels; {SCALE}"
    ]


def test_build_with_a_symlink_outside_the_tree_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "secret.png"
    secret.parent.mkdir()
    secret.write_bytes(png())
    root = make_tree(
        tmp_path / "tree", {"course/lessons/bai-mot.md": LESSON + "![Bí mật](../images/x.png)\n"}
    )
    (root / "course" / "images").mkdir(parents=True)
    (root / "course" / "images" / "x.png").symlink_to(secret)
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert (
        f"{AT}: [path.outside] image '../images/x.png' resolves outside the course tree"
        f" (symlink to {secret.resolve()}); copy the file into course/images/" in result.output
    )
    written = [p for p in out.rglob("*")] if out.exists() else []
    assert written == []
