"""Benchmark: deck time against the length of a text (target: linear, or n log n).

Run: python bench/deck_text.py [--lengths 250,1000,3000,10000]. Builds the small test tree's
deck with a session title of each length, written as words and as one word with no space
(the footer repeats it on every slide, and it is cut with '…' where it does not fit), then with
a lesson paragraph of each length; prints seconds and the characters measured (a count of
the work, which unlike a time does not depend on the machine). Asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from builder.checks.run import load_and_check
from builder.course.model import Course, Deck, Markdown
from builder.render.decks import deck as decks

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for the tests' small tree
from tests.helpers import make_tree, measured_characters  # noqa: E402


def measured(course: Course, deck: Deck) -> tuple[float, int]:
    """Seconds to write the deck, and the characters measured meanwhile."""
    return measured_characters(lambda: decks.deck_bytes(course, deck))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lengths", default="250,1000,3000,10000")
    args = parser.parse_args()
    lengths = [int(n) for n in args.lengths.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        course, _ = load_and_check(make_tree(Path(tmp)))
        assert course is not None
        deck = course.decks["buoi-mot"]
        title, lesson = deck.title, course.lessons["bai-mot"]
        blocks = list(lesson.blocks)
        for label, unit in (("title in words", "Buổi tập huấn "), ("title, one word", "x")):
            for length in lengths:
                deck.title = (unit * length)[:length]
                seconds, count = measured(course, deck)
                print(f"{label}, {length:,} characters: {seconds:.2f} s, {count:,} measured")
        deck.title = title
        for length in lengths:
            text = ("Nội dung dài " * length)[:length]
            lesson.blocks = [Markdown(f"## Đoạn dài\n\n{text}\n", 1), *blocks]
            seconds, count = measured(course, deck)
            print(f"lesson paragraph, {length:,} characters: {seconds:.2f} s, {count:,} measured")
        lesson.blocks = blocks


if __name__ == "__main__":
    main()
