"""What a figure or a term says when a learner taps it in a lesson: the fact's label, value and
source, or the term's definition, shown in place (``jupyterbook.py`` turns the lesson's links
to the sources and glossary pages into buttons that open these notes), so that a tap on one of
the many figures and terms of a lesson does not leave it."""

from __future__ import annotations

from builder import i18n
from builder.course import facts as fact_text
from builder.course import glossary
from builder.course.model import Course


def in_place(course: Course) -> dict[str, str]:
    """Plain text (escaped where it becomes HTML) by link target: ``fact-<id>``, ``term-<slug>``."""
    lang = course.info.language
    _ = i18n.translations(lang).gettext
    notes = {}
    for fact in course.facts.values():
        source = course.sources.get(fact.source)
        where = ", ".join(x for x in (fact.place, fact.date and i18n.date(fact.date, lang)) if x)
        text = f"{fact.label}: {fact_text.value_with_unit(fact, lang)}"
        text += f" ({where})." if where else "."
        if source is not None:
            published = ", ".join(
                x
                for x in (
                    source.title,
                    source.publisher,
                    source.date and i18n.date(source.date, lang),
                )
                if x
            )
            text += " " + _("Source: {cites}").format(cites=published) + "."
        notes[fact_text.anchor(fact.id)] = text
    for term in course.glossary:
        notes[glossary.anchor(term)] = f"{term.term}: {term.definition}"
    return notes
