"""What a figure or a term says beside a lesson: the fact's label, value, place, date and
source, or the term's definition. The book shows it in place when a learner taps the figure
(``book/jupyterbook.py`` turns the lesson's links to the sources and glossary pages into
buttons that open these notes), so that a tap does not leave the lesson; a notebook writes it
under the cell (``render/jupyter.py``), as Jupyter has no sources or glossary page."""

from __future__ import annotations

from collections.abc import Callable

from builder import i18n
from builder.course import facts as fact_text
from builder.course import glossary
from builder.course.model import Course, Fact, Term


def in_place(course: Course) -> dict[str, str]:
    """Plain text (escaped where it becomes HTML) by link target: ``fact-<id>``, ``term-<slug>``."""
    notes = {fact_text.anchor(f.id): fact_note(course, f) for f in course.facts.values()}
    notes.update({glossary.anchor(term): term_note(term) for term in course.glossary})
    return notes


def fact_note(course: Course, fact: Fact) -> str:
    """'Label: value (place, date). Source: title, publisher, date.' as plain text."""
    lang = course.info.language
    _ = i18n.translations(lang).gettext
    source = course.sources.get(fact.source)
    where = ", ".join(x for x in (fact.place, fact_text.when(fact, lang)) if x)
    text = f"{fact.label}: {fact_text.value_with_unit(fact, lang)}"
    text += f" ({where})." if where else "."
    if source is not None:
        published = fact_text.cite(source, lang)
        if source.publisher:
            published = f"{source.title}, {published}"
        text += " " + _("Source: {cites}").format(cites=published) + "."
    return text


def chart_caption(
    course: Course, facts: list[Fact], figures: str, escape: Callable[[str], str]
) -> str:
    """'Nguồn: Báo Thanh Hóa, 6/10/2022. Số liệu: …' under a chart: the documents its figures
    come from (``escape``-d for where it is written), then the figures as the caller wrote
    them (links in the book, numbered notes in a notebook)."""
    lang = course.info.language
    _ = i18n.translations(lang).gettext
    cites = "; ".join(
        dict.fromkeys(
            escape(fact_text.cite(course.sources[f.source], lang))
            for f in facts
            if f.source in course.sources
        )
    )
    source = _("Source: {cites}").format(cites=cites)
    return f"{source}. " + _("Figures: {figures}").format(figures=figures) + "."


def term_note(term: Term) -> str:
    return f"{term.term}: {term.definition}"
