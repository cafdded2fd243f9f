"""Benchmark: size of the quiz front end as shipped (targets: quiz.js at most 5 KiB gzipped, the
SCORM launch script at most 4 KiB).

Run: python bench/quiz_size.py. Prints raw and gzipped sizes of the module and its stylesheet
as the book and the widget receive them, and whether the module meets its budget.
"""

from __future__ import annotations

import gzip

from builder.quizzes.frontend import PAGE_SCRIPT, SCORM_SCRIPT, front_end, page_script, scorm_script

BUDGET = 5 * 1024  # bytes of quiz.js after gzip -9
SCORM_BUDGET = 4 * 1024  # the SCORM launch script, loaded once per launch in an LMS


def main() -> None:
    shipped = {
        **front_end(),
        f"{PAGE_SCRIPT} (the book's classic script)": page_script(),
        SCORM_SCRIPT: scorm_script(),
    }
    for name, text in shipped.items():
        data = text.encode("utf-8")
        packed = len(gzip.compress(data, compresslevel=9, mtime=0))
        print(f"{name}: {len(data):,} bytes, {packed:,} bytes gzipped")
        budget = {"quiz.js": BUDGET, SCORM_SCRIPT: SCORM_BUDGET}.get(name)
        if budget is not None:
            verdict = "within" if packed <= budget else "OVER"
            spare = budget - packed
            print(f"{name} budget {budget:,} bytes gzipped: {verdict} ({spare:+,} bytes)")


if __name__ == "__main__":
    main()
