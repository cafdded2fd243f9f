"""Text measured in the metric-compatible fonts: widths, wrapping, pages, titles cut with '…',
and text made safe for XML."""

from __future__ import annotations

from builder.render.decks import textfit
from builder.render.decks.outline import Span
from builder.render.decks.textfit import Box, Level, Look, Para


def test_text_is_measured_with_metric_compatible_fonts() -> None:
    assert textfit.font_file("Arial").name == "LiberationSans-Regular.ttf"
    assert textfit.font_file("Calibri", bold=True).name == "Carlito-Bold.ttf"
    # Arial is wider than Calibri; bold is wider than regular
    text = "Chuyển đổi số cho cán bộ và cộng đồng"
    assert textfit.width(text, "Arial", 24) > textfit.width(text, "Calibri", 24)
    assert textfit.width(text, "Arial", 24, bold=True) > textfit.width(text, "Arial", 24)
    box = Box.plain(300.0, 100.0, "Arial", 24.0)
    para = Para([Span(text * 3)])
    assert len(textfit.lines(para, box)) > 2
    pages = textfit.paginate([para] * 4, box)
    assert len(pages) > 1 and all(textfit.fits(page, box) for page in pages)
    assert [p.text for page in pages for p in page if not p.continued].count(para.text) <= 4


def test_list_levels_take_their_templates_size_margin_and_relative_spacing() -> None:
    """A list item is narrower by its level's margin; a level with 1.5 line spacing is 1.5
    times as tall; a plain paragraph has no margin."""
    level = Level(size=20.0, margin=40.0, line=1.0)
    spaced = Level(size=20.0, margin=40.0, line=1.5)
    box = Box(300.0, 1000.0, Look(levels=(level, spaced) + (level,) * 7))
    text = "Chuyển đổi số cho cán bộ và cộng đồng " * 6
    plain, item, second = Para([Span(text)]), Para([Span(text)], level=1), Para([Span(text)], 2)
    assert len(textfit.lines(item, box)) > len(textfit.lines(plain, box))
    assert textfit.height([second], box) == len(textfit.lines(second, box)) * 20.0 * 1.2 * 1.5


def test_fit_line_cuts_at_a_word_or_inside_one_and_keeps_what_surrounds_it() -> None:
    box = Box.plain(300.0, 40.0, "Arial", 24.0)
    text = textfit.fit_line("Chuyển đổi số " * 40, box, bold=True)
    assert text.endswith("số…") or text.endswith("đổi…")
    assert textfit.fits([Para([Span(text)], bold=True)], box)
    text = textfit.fit_line("x" * 5000, box, around=("", " (tiếp theo)"))
    assert text.startswith("xxx") and text.endswith("x… (tiếp theo)")
    assert textfit.fits([Para([Span(text)])], box)
    text = textfit.fit_line("Gia đình " + "👩‍👩‍👧‍👦" * 200, box)
    assert text == "Gia…" or "\u200d…" not in text
    assert textfit.fit_line("Ngắn", box) == "Ngắn"
    text = textfit.fit_line("Buổi", box, around=("", " · Quảng Trị" * 40))
    assert text.startswith("Buổi · Quảng Trị") and text.endswith("…")  # all cut, if it must
    assert textfit.fits([Para([Span(text)])], box)


def test_text_is_made_safe_for_xml() -> None:
    assert textfit.xml_text("a\x00b\x0bc\ud800d\ufffe\n") == "ab cd\n"
    assert textfit.one_line("a\tb\nc\u2029d\x85e") == "a b c d e"
    assert Para([Span("a\nb\x00")]).text == "a b"
    assert textfit.width("a\nb", "Arial", 10) == textfit.width("a b", "Arial", 10)
