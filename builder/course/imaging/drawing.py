"""SVG drawings rendered to PNG by resvg, in a child process with a memory and time limit (some
drawings make resvg abort the whole process: a huge pattern tile, an embedded picture that
claims billions of pixels, a Rust panic), with the deck's metric-compatible fonts as its only
fonts, so the pixels do not depend on which other fonts a machine has."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import resvg_py

from builder.course.imaging.errors import ImageProblem
from builder.course.imaging.raster import face
from builder.course.imaging.svg import scan

RENDER_SECONDS = 60
RENDER_MEMORY = 2 * 1024**3  # address space of the resvg child process, in bytes


@dataclass(frozen=True)
class Picture:
    """An image ready for a slide: raster bytes and their size in pixels; for a drawing, its
    SVG too (PowerPoint 2016 and later show the vector; others show the raster)."""

    raster: bytes
    width: int
    height: int
    svg: bytes | None = None


# resvg in a child process: options as JSON in argv, the SVG on stdin, the PNG on stdout; a
# ValueError (resvg's "cannot render") exits 3 with its message on stderr. Started with -S and
# its own sys.path, so that no file in the working directory (maybe the course tree) is imported.
_CHILD = """\
import sys
sys.path[0] = sys.argv[1]
import json
import resvg_py
try:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[3]), int(sys.argv[3])))
except (ImportError, OSError, ValueError):
    pass
options = json.loads(sys.argv[2])
try:
    png = resvg_py.svg_to_bytes(svg_string=sys.stdin.buffer.read().decode(), **options)
except ValueError as exc:
    sys.stderr.write(str(exc))
    sys.exit(3)
sys.stdout.buffer.write(bytes(png))
"""


def drawing(svg: bytes, fonts: list[Path], width: int) -> Picture:
    """``svg`` scanned, then rendered to fit ``width`` × ``width`` pixels."""
    scan(svg)
    try:
        text = svg.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImageProblem("cannot be read: it is not saved as UTF-8 text") from exc
    family = face(fonts[0], 12).getname()[0] if fonts else None
    options = {
        "width": width,
        "height": width,  # fit in a square box: the canvas never exceeds width × width
        "dpi": 96.0,  # CSS pixels per inch; resvg_py's default (0) makes mm and pt sizes 0
        "skip_system_fonts": True,
        "font_files": [str(f) for f in fonts],
        "font_family": family,
        "sans_serif_family": family,
    }
    raster = _render(text, options)
    if raster[:8] != b"\x89PNG\r\n\x1a\n" or len(raster) < 24:
        raise ImageProblem("cannot be rendered: the renderer returned no PNG")
    return Picture(raster, *struct.unpack(">II", raster[16:24]), svg=svg)


def _render(text: str, options: dict) -> bytes:
    """PNG bytes from resvg, run in a child process that may abort or run out of memory."""
    command = [sys.executable, "-S", "-c", _CHILD]
    command += [str(Path(resvg_py.__file__).parent.parent), json.dumps(options)]
    command += [str(RENDER_MEMORY)]
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            command,
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=RENDER_SECONDS,
            cwd=Path(__file__).parent,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ImageProblem(
            f"cannot be rendered: it takes over {RENDER_SECONDS} s; simplify the drawing"
            " (large blurs and filters) or export it as PNG"
        ) from exc
    except OSError as exc:
        raise ImageProblem(f"cannot be rendered: {exc}") from exc
    if done.returncode == 3:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise ImageProblem(f"cannot be rendered: {message}")
    if done.returncode != 0:
        raise ImageProblem(
            "cannot be rendered: the renderer ran out of memory or crashed; simplify the"
            " drawing (huge patterns, filters or embedded pictures) or export it as PNG"
        )
    return done.stdout
