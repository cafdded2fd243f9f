"""Write builder/templates/deck.pptx, the 16:9 template every deck starts from.

It is python-pptx's own default template widened from 4:3 to 16:9 (13.333 × 7.5 inches):
every placeholder of the master and the layouts is moved and widened by the same factor, so
the layouts stay usable when a trainer adds a slide by hand. Colours and fonts are not set
here; they come from ``slides/theme.yml`` at build time. Run from the repository root:

    python tools/make_deck_template.py

The output is deterministic (fixed zip times and core properties), so running it again
leaves the committed file unchanged.
"""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation
from pptx.util import Emu

from builder.render.decks.package import (
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    TEMPLATE_NAME,
    deterministic_bytes,
)

OUT = Path(__file__).resolve().parent.parent / "builder" / "templates" / TEMPLATE_NAME


def main() -> None:
    """Widen the default template to 16:9 and save it as package data."""
    prs = Presentation()
    factor = SLIDE_WIDTH / prs.slide_width
    prs.slide_width, prs.slide_height = Emu(SLIDE_WIDTH), Emu(SLIDE_HEIGHT)
    for owner in (prs.slide_master, *prs.slide_layouts):
        for shape in owner.shapes:
            if shape._element.xpath("./p:spPr/a:xfrm"):  # noqa: SLF001 - its own position only
                shape.left = Emu(round(shape.left * factor))
                shape.width = Emu(round(shape.width * factor))
    props = prs.core_properties
    props.title = "builder deck template"
    props.author = props.last_modified_by = "builder"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(deterministic_bytes(prs))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
