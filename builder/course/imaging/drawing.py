"""SVG drawings rendered to PNG by resvg, in a child process with a memory and time limit (some
drawings make resvg abort the whole process: a huge pattern tile, an embedded picture that
claims billions of pixels, a Rust panic), with the deck's metric-compatible fonts as its only
fonts, so the pixels do not depend on which other fonts a machine has.

One child renders drawing after drawing (started once, started again when one kills it), and
each drawing is rendered once per process for the same bytes, fonts and width (``_CACHE``):
the same sources give the same pixels, so a deck that shows a drawing again, or a second deck
that shows it, reuses them."""

from __future__ import annotations

import atexit
import collections
import functools
import hashlib
import json
import os
import struct
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import resvg_py

from builder import cache
from builder.course.imaging.errors import ImageProblem
from builder.course.imaging.raster import face
from builder.course.imaging.svg import scan

RENDER_SECONDS = 60  # one drawing
RENDER_MEMORY = 2 * 1024**3  # address space of the resvg child process, in bytes
CACHE_BYTES = 64 * 1024**2  # rendered drawings kept, least recently used dropped first


@dataclass(frozen=True)
class Picture:
    """An image ready for a slide: raster bytes and their size in pixels; for a drawing, its
    SVG too (PowerPoint 2016 and later show the vector; others show the raster)."""

    raster: bytes
    width: int
    height: int
    svg: bytes | None = None


def drawing(svg: bytes, fonts: list[Path], width: int) -> Picture:
    """``svg`` scanned, then rendered to fit ``width`` × ``width`` pixels."""
    key = (hashlib.sha256(svg).digest(), tuple(str(f) for f in fonts), width)
    with _LOCK:
        if (kept := _CACHE.get(key)) is not None:
            _CACHE.move_to_end(key)
            _remember(key, kept)
            return kept
    made = _from_disk(key, svg) or _drawing(svg, fonts, width)
    with _LOCK:
        _CACHE[key] = made
        while len(_CACHE) > 1 and sum(len(p.raster) for p in _CACHE.values()) > CACHE_BYTES:
            _CACHE.popitem(last=False)
        _remember(key, made)
    return made


_CACHE: collections.OrderedDict[tuple, Picture] = collections.OrderedDict()
_LOCK = threading.Lock()
# A build's folder of rendered drawings (``keep_in``), and the drawings it has used so far.
_DISK: list[Path] = []
_USED: dict[str, bytes] = {}


def keep_in(folder: Path) -> None:
    """Look for rendered drawings in ``folder`` (a previous build kept them there) before
    rendering them, and start counting the drawings used (``kept``)."""
    with _LOCK:
        _DISK[:] = [folder]
        _USED.clear()


def kept() -> dict[str, bytes]:
    """The rendered drawings used since ``keep_in``, by file name, for the next build."""
    with _LOCK:
        return dict(_USED)


@functools.lru_cache(maxsize=1024)
def _name(key: tuple) -> str:
    """The file name of a rendered drawing in a build's cache: a digest of what renders it."""
    svg, fonts, width = key
    # The builder's code and libraries (the options it renders with, resvg's version) too.
    fonts = [[Path(f).name, Path(f).stat().st_size] for f in fonts]
    # Keyed (``cache.seal``): a picture shipped in a course tree's output folder is never
    # taken for one rendered here.
    text = json.dumps([svg.hex(), fonts, width, cache.tool()])
    return cache.seal(text.encode()) + ".png"


def _remember(key: tuple, picture: Picture) -> None:
    if _DISK:
        _USED[_name(key)] = picture.raster


def _from_disk(key: tuple, svg: bytes) -> Picture | None:
    """The drawing as a previous build rendered it, if it kept it (scanned again: the SVG is
    embedded too)."""
    with _LOCK:
        folder = _DISK[0] if _DISK else None
    if folder is None:
        return None
    try:
        raster = (folder / _name(key)).read_bytes()
    except OSError:
        return None
    if raster[:8] != b"\x89PNG\r\n\x1a\n" or len(raster) < 24:
        return None
    scan(svg)
    return Picture(raster, *struct.unpack(">II", raster[16:24]), svg=svg)


def _drawing(svg: bytes, fonts: list[Path], width: int) -> Picture:
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
    raster = _RENDERER.render(text, options)
    if raster[:8] != b"\x89PNG\r\n\x1a\n" or len(raster) < 24:
        raise ImageProblem("cannot be rendered: the renderer returned no PNG")
    return Picture(raster, *struct.unpack(">II", raster[16:24]), svg=svg)


def renderer_seconds() -> float:
    """CPU seconds the running renderer child has used so far (as it last said), which the
    operating system counts as a child's only once the child has ended."""
    return _RENDERER.seconds


# The child renders requests until its stdin closes. A request: the lengths of the options (JSON)
# and of the SVG (big-endian 32-bit), then both. A reply: a status (0: the PNG; 3: resvg's
# ValueError, "cannot render", its message), the child's CPU seconds so far (a double), the
# payload's length, the payload. Anything else ends the child, which the parent reports as a
# crash. Started with -S and its own sys.path, so that no file in the working directory (maybe
# the course tree) is imported.
_CHILD = """\
import sys
sys.path[0] = sys.argv[1]
import json
import struct
import time
import resvg_py
try:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
except (ImportError, OSError, ValueError):
    pass
read, out = sys.stdin.buffer.read, sys.stdout.buffer
while len(head := read(8)) == 8:
    sizes = struct.unpack(">II", head)
    options = json.loads(read(sizes[0]))
    text = read(sizes[1]).decode()
    try:
        status, data = 0, bytes(resvg_py.svg_to_bytes(svg_string=text, **options))
    except ValueError as exc:
        status, data = 3, str(exc).encode("utf-8", "replace")
    out.write(struct.pack(">BdI", status, time.process_time(), len(data)) + data)
    out.flush()
"""
_REPLY = struct.Struct(">BdI")


class _Crashed(Exception):
    """The child ended (aborted, out of memory) before it replied."""


class _Renderer:
    """The resvg child process, started when first needed and again after it ends."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.pid = 0  # the process that started the child (a forked copy starts its own)
        self.used = 0  # drawings the running child has rendered
        self.seconds = 0.0
        self.lock = threading.Lock()

    def render(self, text: str, options: dict) -> bytes:
        """PNG bytes of one drawing. A crash in a child that had rendered others is tried
        again in a fresh one, so a drawing fails exactly when it fails in a child of its own."""
        request = json.dumps(options).encode("utf-8")
        svg = text.encode("utf-8")
        message = struct.pack(">II", len(request), len(svg)) + request + svg
        with self.lock:
            for _ in range(2):
                fresh = self._start()
                try:
                    return self._exchange(message)
                except _Crashed:
                    self.stop()
                    if fresh:
                        break
                except ImageProblem:  # resvg's refusal, or a drawing over the time limit
                    raise
                except BaseException:  # interrupted between a request and its reply
                    self.stop()
                    raise
        raise ImageProblem(
            "cannot be rendered: the renderer ran out of memory or crashed; simplify the"
            " drawing (huge patterns, filters or embedded pictures) or export it as PNG"
        )

    def _start(self) -> bool:
        """Start the child unless it runs; whether it is a fresh one."""
        if self.process is not None and self.pid == os.getpid():
            return self.used == 0
        command = [sys.executable, "-S", "-c", _CHILD]
        command += [str(Path(resvg_py.__file__).parent.parent), str(RENDER_MEMORY)]
        try:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                cwd=Path(__file__).parent,
                bufsize=0,
            )
        except OSError as exc:
            self.process = None
            raise ImageProblem(f"cannot be rendered: {exc}") from exc
        self.pid, self.used, self.seconds = os.getpid(), 0, 0.0
        return True

    def _exchange(self, message: bytes) -> bytes:
        """Send one request and read its reply; a child that takes over ``RENDER_SECONDS``
        is killed."""
        process = self.process
        assert process is not None and process.stdin is not None
        try:
            process.stdin.write(message)
            process.stdin.flush()
        except OSError as exc:  # the child has ended (BrokenPipeError)
            raise _Crashed from exc
        self.used += 1
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            process.kill()

        timer = threading.Timer(RENDER_SECONDS, kill)
        timer.start()
        try:
            status, self.seconds, size = _REPLY.unpack(self._read(_REPLY.size))
            data = self._read(size)
        except _Crashed:
            if not expired.is_set():
                raise
            self.stop()
            raise ImageProblem(
                f"cannot be rendered: it takes over {RENDER_SECONDS} s; simplify the"
                " drawing (large blurs and filters) or export it as PNG"
            ) from None
        finally:
            timer.cancel()
        if status == 3:
            message = data.decode("utf-8", "replace").strip()
            raise ImageProblem(f"cannot be rendered: {message}")
        return data

    def _read(self, size: int) -> bytes:
        """``size`` bytes from the child, or a crash when it ends first."""
        assert self.process is not None and self.process.stdout is not None
        chunks, wanted = [], size
        while wanted:
            chunk = self.process.stdout.read(wanted)
            if not chunk:
                raise _Crashed
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)

    def stop(self) -> None:
        """End the child (its stdin closed, then killed if it lingers) and wait for it."""
        process, self.process, self.used, self.seconds = self.process, None, 0, 0.0
        if process is None or self.pid != os.getpid():
            return
        for pipe in (process.stdin, process.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        try:
            process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


_RENDERER = _Renderer()
atexit.register(_RENDERER.stop)
