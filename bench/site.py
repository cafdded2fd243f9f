"""Benchmark: what a learner's browser loads from the built book, and when a quiz can be used.

Run: python bench/site.py [--site DIR]. Without ``--site`` the bundled course is built into a
temporary folder first. The book is served over loopback as a static host serves it (gzip for
text, ``Cache-Control: max-age=600``) and opened in headless Debian Chromium:

- a lesson's first visit: requests, bytes on the wire (gzip), raw bytes, requests outside the
  site, and the ten largest assets;
- a later lesson in the same browser (what is not already cached);
- when the first quiz can be answered on a 3G profile (400 kbps, 300 ms round trip, CPU x6)
  and on a slow 4G one (1.6 Mbps, 150 ms, CPU x4), through Chromium's own emulation (CDP);
- whether the quiz can be answered with the page opened from the file system (file://).

Prints figures beside the learner's budgets (issue 15); asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import mimetypes
import re
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.integration.conftest import CHROMIUM, FLAGS  # noqa: E402 - the browser the tests use

COMPRESSED = {".woff2", ".woff", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ipynb.gz", ".zip"}
PROFILES = {  # name: (download bits per second, round trip ms, CPU slowdown)
    "3G": (400_000, 300, 6),
    "slow 4G": (1_600_000, 150, 4),
}
QUIZ_READY = "document.querySelector('[data-bq-on] .bq-btn') !== null"
BUDGET_FIRST, BUDGET_LATER, BUDGET_QUIZ_3G = 50, 20, 3.0  # KiB gzip, KiB gzip, seconds


class _Host(http.server.SimpleHTTPRequestHandler):
    """A static host: gzip for text when the browser accepts it, cacheable for ten minutes."""

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # noqa: ANN201 - http.server's own protocol
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "")
        if not path.is_file() or not gzip_ok or path.suffix.lower() in COMPRESSED:
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "text/plain")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()


class _Body:
    """What ``send_head`` returns for ``copyfile``: an object with ``read``."""

    def __init__(self, data: bytes) -> None:
        self.data, self.done = data, False

    def read(self, _size: int = -1) -> bytes:
        if self.done:
            return b""
        self.done = True
        return self.data

    def close(self) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Host, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Load:
    """One resource a page loaded: its address, bytes on the wire and bytes decoded."""

    url: str
    wire: int
    raw: int
    cached: bool


def loads(page: Page, url: str) -> list[Load]:
    """Open ``url`` and list what it loads until the network is idle (Chromium's counts)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    raw: dict[str, int] = {}
    cached: set[str] = set()
    done: list[Load] = []
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.dataReceived",
        lambda e: raw.__setitem__(e["requestId"], raw.get(e["requestId"], 0) + e["dataLength"]),
    )
    cdp.on("Network.requestServedFromCache", lambda e: cached.add(e["requestId"]))
    cdp.on(
        "Network.responseReceived",
        lambda e: cached.add(e["requestId"]) if e["response"].get("fromDiskCache") else None,
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: done.append(
            Load(
                urls.get(e["requestId"], "?"),
                int(e["encodedDataLength"]),
                raw.get(e["requestId"], 0),
                e["requestId"] in cached,
            )
        ),
    )
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(500)
    cdp.detach()
    return done


def quiz_ready(browser, url: str, profile: tuple[int, int, int]) -> float:  # noqa: ANN001
    """Seconds from navigation until the first quiz can be answered, on a fresh cache."""
    bits, rtt, cpu = profile
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": rtt,
            "downloadThroughput": bits / 8,
            "uploadThroughput": bits / 8,
        },
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    page.goto(url, wait_until="commit", timeout=300_000)
    page.wait_for_function(QUIZ_READY, timeout=300_000, polling=50)
    seconds = page.evaluate("performance.now()") / 1000
    context.close()
    return seconds


def works_from_file(browser, path: Path) -> bool:  # noqa: ANN001
    """Whether the first quiz of a lesson opened from the file system can be answered."""
    page = browser.new_page()
    page.goto(path.as_uri(), wait_until="load")
    try:
        page.wait_for_function(QUIZ_READY, timeout=10_000)
    except Exception:  # noqa: BLE001 - playwright's timeout: the quiz never came
        return False
    finally:
        page.close()
    return True


def lessons_with_quizzes(site: Path) -> list[Path]:
    """The lesson pages that hold a quiz, in the book's order (by the table of contents)."""
    # A quiz block's own attribute (the front page's data-bq-lesson markers are not quizzes).
    quiz = re.compile(r"\bdata-bq[ >]")
    pages = [p for p in sorted(site.glob("*.html")) if quiz.search(p.read_text("utf-8"))]
    index = (site / "index.html").read_text("utf-8")
    return sorted(pages, key=lambda p: index.find(f'href="{p.name}"') % 10**9)


def kib(n: int) -> str:
    return f"{n / 1024:.1f} KiB"


def report(site: Path) -> None:
    lessons = lessons_with_quizzes(site)
    first, later = lessons[:2]
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context()
        page = context.new_page()
        visit = loads(page, f"{base}/{first.name}")
        again = loads(page, f"{base}/{later.name}")
        # Every other lesson, each after the first two (its shared files cached).
        each = {p.name: loads(page, f"{base}/{p.name}") for p in lessons[2:]}
        context.close()
        ready = {
            name: quiz_ready(browser, f"{base}/{first.name}", p) for name, p in PROFILES.items()
        }
        from_file = works_from_file(browser, first)
        browser.close()
    host = urlsplit(base).netloc
    everything = visit + again + [x for loaded in each.values() for x in loaded]
    outside = [x.url for x in everything if urlsplit(x.url).netloc not in (host, "")]
    fetched = [x for x in again if not x.cached]
    wire, raw = sum(x.wire for x in visit), sum(x.raw for x in visit)
    print(f"lesson: {first.name} (then {later.name})")
    print(
        f"first visit: {len(visit)} requests, {kib(wire)} on the wire (gzip), {kib(raw)} raw"
        f"  [budget {BUDGET_FIRST} KiB]"
    )
    print(
        f"later lesson: {len(fetched)} requests not cached, {kib(sum(x.wire for x in fetched))}"
        f"  [budget {BUDGET_LATER} KiB]"
    )
    weights = {
        name: sum(x.wire for x in loaded if not x.cached)
        for name, loaded in {later.name: again, **each}.items()
    }
    heaviest = max(weights, key=weights.get)
    over = sorted(name for name, weight in weights.items() if weight > BUDGET_LATER * 1024)
    print(
        f"heaviest later lesson: {heaviest}, {kib(weights[heaviest])}; "
        f"{len(weights) - len(over)} of {len(weights)} within budget"
        + (f" (over: {', '.join(over)})" if over else "")
    )
    print(f"requests outside the site: {len(outside)}  [budget 0]")
    for name, seconds in ready.items():
        budget = f"  [budget {BUDGET_QUIZ_3G:.0f} s]" if name == "3G" else ""
        print(f"quiz usable, {name}: {seconds:.1f} s{budget}")
    print(f"quiz usable from file://: {'yes' if from_file else 'no'}")
    print("largest assets of the first visit (on the wire):")
    for x in sorted(visit, key=lambda x: -x.wire)[:10]:
        print(f"  {kib(x.wire):>11}  {urlsplit(x.url).path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="a built book folder (default: build one)")
    args = parser.parse_args()
    if args.site:
        report(args.site.resolve())
        return
    from builder.commands.build import build

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        build(ROOT, Path(tmp), strict=True)
        print(f"(built the bundled course in {time.perf_counter() - start:.0f} s)")
        report(Path(tmp) / "book")


if __name__ == "__main__":
    main()
