"""Bar and column charts of facts as self-contained SVG (no script, no outside request).

Text and axes are drawn in ``currentColor``, the page's own text colour, so they stay readable
in a dark theme; the bars take a blue with 3:1 contrast or more on either background, chosen by
a page's own mode switch (``html[data-theme=dark]``, where a theme has one) or, without it, by the
reader's colour scheme.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from html import escape

from builder.course import facts as fact_text
from builder.course.model import Chart, Fact

# The drawing's own width: on a 360 px phone the lesson column is about 328 px, so the 14 and
# 15 unit text reads at 12.7 and 13.7 px; a wider screen shows it up to DISPLAY px wide.
WIDTH = 360
DISPLAY = 480
PAD = 16
LABEL_CHARS = (WIDTH - 2 * PAD) // 8  # a bar's label line, at about 8 units a character
INK = "currentColor"
PICTURE_INK = "#1a1a1a"  # a picture's text, on its white card
BAR_LIGHT, BAR_DARK = "#1f5f99", "#6aa6e0"
AXIS = 'stroke="currentColor" stroke-opacity="0.7"'
# One rule set per chart (the same text each time): the bars' colour in each mode.
STYLE = (
    f"<style>.builder-chart .bc-bar{{fill:{BAR_LIGHT}}}"
    f"html[data-theme=dark] .builder-chart .bc-bar{{fill:{BAR_DARK}}}"
    "@media (prefers-color-scheme:dark){html:not([data-theme=light]) .builder-chart .bc-bar"
    f"{{fill:{BAR_DARK}}}}}</style>"
)
FONT = 'font-family="Arial, Liberation Sans, Helvetica, sans-serif"'


def _scale_max(facts: list[Fact]) -> Decimal:
    """The value at the end of the axis, which always starts at zero."""
    largest = max((f.value for f in facts), default=Decimal(1))  # type: ignore[type-var]
    if all(f.is_percent for f in facts):
        return max(Decimal(100), largest)  # type: ignore[arg-type]
    return largest if largest > 0 else Decimal(1)  # type: ignore[return-value]


def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=True) or [""]


def labels(facts: list[Fact]) -> list[str]:
    """Each bar's label: the fact's label, with its place when the chart's facts come from
    more than one place (two bars both labelled 'Tổ công nghệ số cộng đồng' say which)."""
    if len({f.place for f in facts}) < 2:
        return [f.label for f in facts]
    return [f"{f.label} ({f.place})" if f.place else f.label for f in facts]


def shown(fact: Fact, lang: str) -> str:
    """A bar's value as stated: 'trên 60%', '1.057'."""
    value = fact_text.value_text(fact, lang)
    return f"{fact.qualifier} {value}" if fact.qualifier else value


def summary(facts: list[Fact], lang: str) -> str:
    """Every value of a chart in words: its text description and a picture's alt text."""
    return "; ".join(
        f"{label}: {fact_text.value_with_unit(f, lang)}"
        for label, f in zip(labels(facts), facts, strict=True)
    )


def svg(chart: Chart, facts: list[Fact], lang: str, uid: str) -> str:
    """The chart as one SVG element with a title and a text description of every value, for
    a page: it takes the page's text colour and scheme."""
    top = _scale_max(facts)
    title_id, desc_id = f"{uid}-title", f"{uid}-desc"
    body, height = (_bars if chart.kind == "bar" else _columns)(facts, top, lang)
    head = (
        f'<svg class="builder-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" style="max-width:{DISPLAY}px" '
        f'aria-labelledby="{title_id} {desc_id}">'
    )
    parts = [
        head,
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(summary(facts, lang))}</desc>',
        STYLE,
        *body,
        "</svg>",
    ]
    return "\n".join(parts)


def picture(chart: Chart, facts: list[Fact], lang: str) -> str:
    """The chart as an SVG file for an ``<img>`` (a notebook's Markdown): a picture inherits no
    colour from the page, so it is drawn dark on its own light card, which reads in a light or
    dark notebook theme alike."""
    top = _scale_max(facts)
    body, height = (_bars if chart.kind == "bar" else _columns)(facts, top, lang)
    drawn = (
        "\n".join(body).replace(INK, PICTURE_INK).replace('class="bc-bar"', f'fill="{BAR_LIGHT}"')
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{DISPLAY}" height="{height * DISPLAY // WIDTH}">\n'
        f"<title>{escape(chart.title)}</title>\n"
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>\n{drawn}\n</svg>\n'
    )


def _bars(facts: list[Fact], top: Decimal, lang: str) -> tuple[list[str], int]:
    """Horizontal bars, each under its label, the value at the bar's end."""
    room = WIDTH - 2 * PAD - 90
    out: list[str] = []
    y = PAD
    for fact, label in zip(facts, labels(facts), strict=True):
        for line in _lines(label, LABEL_CHARS):
            y += 18
            out.append(
                f'<text x="{PAD + 4}" y="{y}" {FONT} font-size="15" fill="{INK}">'
                f"{escape(line)}</text>"
            )
        y += 8
        length = int(room * fact.value / top)  # type: ignore[operator]
        out.append(f'<rect x="{PAD}" y="{y}" width="{max(length, 1)}" height="22" class="bc-bar"/>')
        out.append(
            f'<text x="{PAD + length + 8}" y="{y + 16}" {FONT} font-size="15" font-weight="bold" '
            f'fill="{INK}">{escape(shown(fact, lang))}</text>'
        )
        y += 22 + 14
    height = y + PAD
    out.insert(0, f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{y}" {AXIS}/>')
    return out, height


def _columns(facts: list[Fact], top: Decimal, lang: str) -> tuple[list[str], int]:
    """Vertical columns on a baseline, values above, wrapped labels below."""
    plot = 200
    slot = (WIDTH - 2 * PAD) // max(len(facts), 1)
    bar = min(80, int(slot * 0.6))
    chars = max(8, slot // 8)
    base = PAD + 24 + plot
    out = [f'<line x1="{PAD}" y1="{base}" x2="{WIDTH - PAD}" y2="{base}" {AXIS}/>']
    deepest = 0
    for index, (fact, label) in enumerate(zip(facts, labels(facts), strict=True)):
        centre = PAD + slot * index + slot // 2
        length = int(plot * fact.value / top)  # type: ignore[operator]
        out.append(
            f'<rect x="{centre - bar // 2}" y="{base - length}" width="{bar}" '
            f'height="{max(length, 1)}" class="bc-bar"/>'
        )
        out.append(
            f'<text x="{centre}" y="{base - length - 8}" text-anchor="middle" {FONT} '
            f'font-size="15" font-weight="bold" fill="{INK}">'
            f"{escape(shown(fact, lang))}</text>"
        )
        lines = _lines(label, chars)
        deepest = max(deepest, len(lines))
        for row, line in enumerate(lines):
            out.append(
                f'<text x="{centre}" y="{base + 20 + 18 * row}" text-anchor="middle" {FONT} '
                f'font-size="14" fill="{INK}">{escape(line)}</text>'
            )
    return out, base + 20 + 18 * deepest + PAD
