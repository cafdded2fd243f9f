"""Text measured in the metric-compatible fonts: widths, wrapping, pages, titles cut with '…',
and text made safe for XML."""

from __future__ import annotations

from builder.render.decks import textfit
from builder.render.decks.outline import Span
from builder.render.decks.textfit import Box, Para


def test_text_is_measured_with_metric_compatible_fonts() -> None:
    assert textfit.font_file("Arial").name == "LiberationSans-Regular.ttf"
    assert textfit.font_file("Calibri", bold=True).name == "Carlito-Bold.ttf"
    # Arial is wider than Calibri; bold is wider than regular
    text = "Chuyển đổi số cho cán bộ và cộng đồng"
    assert textfit.width(text, "Arial", 24) > textfit.width(text, "Calibri", 24)
    assert textfit.width(text, "Arial", 24, bold=True) > textfit.width(text, "Arial", 24)
    box = Box(300.0, 100.0, "Arial")
    para = Para([Span(text * 3)])
    wrapped = textfit.lines(para, "Arial", 24, box.inner_width)
    assert len(wrapped) > 2
    pages = textfit.paginate([para] * 4, box, (24.0,))
    assert len(pages) > 1 and all(textfit.fits(page, box, size) for size, page in pages)


def test_fit_line_cuts_at_a_word_or_inside_one_and_keeps_what_surrounds_it() -> None:
    box = Box(300.0, 40.0, "Arial")
    size, text = textfit.fit_line("Chuyển đổi số " * 40, box, (24.0, 20.0), bold=True)
    assert size == 20.0 and text.endswith("số…") or text.endswith("đổi…")
    assert textfit.fits([Para([Span(text)], bold=True)], box, size)
    size, text = textfit.fit_line("x" * 5000, box, (24.0,), around=("", " (tiếp theo)"))
    assert text.startswith("xxx") and text.endswith("x… (tiếp theo)")
    assert textfit.fits([Para([Span(text)])], box, size)
    _, text = textfit.fit_line("Gia đình " + "👩‍👩‍👧‍👦" * 200, box, (24.0,))
    assert text == "Gia…" or "\u200d…" not in text
    assert textfit.fit_line("Ngắn", box, (24.0, 20.0)) == (24.0, "Ngắn")
    size, text = textfit.fit_line("Buổi", box, (24.0,), around=("", " · Quảng Trị" * 40))
    assert text.startswith("Buổi · Quảng Trị") and text.endswith("…")  # all cut, if it must
    assert textfit.fits([Para([Span(text)])], box, size)


def test_text_is_made_safe_for_xml() -> None:
    assert textfit.xml_text("a\x00b\x0bc\ud800d\ufffe\n") == "ab cd\n"
    assert textfit.one_line("a\tb\nc\u2029d\x85e") == "a b c d e"
    assert Para([Span("a\nb\x00")]).text == "a b"
    assert textfit.width("a\nb", "Arial", 10) == textfit.width("a b", "Arial", 10)
