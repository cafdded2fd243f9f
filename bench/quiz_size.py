"""Benchmark: size of the quiz front end as shipped (target: quiz.js at most 5 KiB gzipped).

Run: python bench/quiz_size.py. Prints raw and gzipped sizes of the module and its stylesheet
as the book and the widget receive them, and whether the module meets its budget.
"""

from __future__ import annotations

import gzip

from builder.quizzes.frontend import PAGE_SCRIPT, front_end, page_script

BUDGET = 5 * 1024  # bytes of quiz.js after gzip -9


def main() -> None:
    shipped = {**front_end(), f"{PAGE_SCRIPT} (the book's classic script)": page_script()}
    for name, text in shipped.items():
        data = text.encode("utf-8")
        packed = len(gzip.compress(data, compresslevel=9, mtime=0))
        print(f"{name}: {len(data):,} bytes, {packed:,} bytes gzipped")
        if name == "quiz.js":
            verdict = "within" if packed <= BUDGET else "OVER"
            spare = BUDGET - packed
            print(f"quiz.js budget {BUDGET:,} bytes gzipped: {verdict} ({spare:+,} bytes)")


if __name__ == "__main__":
    main()
