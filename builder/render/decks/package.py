"""The deck as a file: the shipped 16:9 template, its document properties, and saved bytes that
are the same for the same deck (fixed zip times, fixed dates in chart workbooks)."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Callable
from importlib import resources

from pptx import Presentation

from builder.render.decks import textfit

TEMPLATE_NAME = "deck.pptx"
SLIDE_WIDTH = 12192000  # 13.333 in: 16:9
SLIDE_HEIGHT = 6858000  # 7.5 in
FIXED_TIME = datetime.datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
LANG_TAGS = {"vi": "vi-VN", "en": "en-US"}  # a course's language as its runs and properties say it
PROPERTY_LIMIT = 255  # characters python-pptx allows in a core property (title, subject...)


def template() -> Presentation:
    """A fresh presentation from the shipped 16:9 template."""
    with (resources.files("builder") / "templates" / TEMPLATE_NAME).open("rb") as handle:
        return Presentation(io.BytesIO(handle.read()))


def set_properties(
    prs: Presentation,
    *,
    title: str,
    subject: str,
    author: str,
    language: str,
    identifier: str,
    date: datetime.date | None,
) -> None:
    """Fixed document properties: the session's title and date (08:00 that day), the course
    as subject, revision 1 by 'builder'."""
    props = prs.core_properties
    stamp = datetime.datetime.combine(date, datetime.time(8)) if date else FIXED_TIME
    props.title = _property(title)
    props.subject = _property(subject)
    props.author = _property(author)
    props.last_modified_by = "builder"
    props.language = _property(language)
    props.keywords = ""
    props.comments = ""
    props.category = ""
    props.revision = 1
    props.created = props.modified = props.last_printed = stamp
    props.identifier = _property(identifier)


def _property(text: str) -> str:
    """A core property's text: one XML-safe line, cut at a word with '…' to the 255
    characters python-pptx allows."""
    text = " ".join(textfit.one_line(text).split())
    if len(text) <= PROPERTY_LIMIT:
        return text
    cut = text[: PROPERTY_LIMIT - 1]
    space = cut.rfind(" ")
    if space > PROPERTY_LIMIT // 2:  # a word boundary not too far back
        cut = cut[:space]
    return cut.rstrip() + "…"


def deterministic_bytes(prs: Presentation) -> bytes:
    """Save with fixed zip entry times, and fixed dates in embedded chart workbooks."""
    raw = io.BytesIO()
    prs.save(raw)
    return _normalise_zip(raw.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """The deck's zip with fixed entry times, its chart workbooks normalised the same way."""
    return _rezip(
        data, lambda name, blob: _normalise_workbook(blob) if name.endswith(".xlsx") else blob
    )


def _normalise_workbook(blob: bytes) -> bytes:
    """XlsxWriter stamps a chart's workbook with the time it was made; fix it."""

    def fixed(name: str, data: bytes) -> bytes:
        if name != "docProps/core.xml":
            return data
        return re.sub(
            rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data
        )

    return _rezip(blob, fixed)


def _rezip(data: bytes, edit: Callable[[str, bytes], bytes]) -> bytes:
    """A zip rewritten entry by entry through ``edit``, with fixed times and permissions."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, edit(info.filename, source.read(info.filename)))
    return out.getvalue()
