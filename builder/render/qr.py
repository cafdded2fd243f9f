"""QR codes of the course's addresses, for slides and handouts (the only segno user: pure
Python, no network). A code is a PNG, black on white with the standard quiet zone, the same
bytes for the same address."""

from __future__ import annotations

import io

import segno

SCALE = 10  # pixels per module: sharp when a slide shows it 3 inches wide


def png(address: str) -> bytes:
    """The QR code of ``address`` as PNG bytes (error correction M: readable when a
    projector blurs it or a printout is creased)."""
    code = segno.make_qr(address, error="m", boost_error=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=SCALE, border=4)
    return out.getvalue()


def svg(address: str) -> str:
    """The QR code of ``address`` as an SVG document (for printed papers)."""
    code = segno.make_qr(address, error="m", boost_error=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=SCALE, border=4, xmldecl=False, svgns=True)
    return out.getvalue().decode("ascii")
