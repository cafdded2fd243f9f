"""The book's own pages as MyST: front page, sources page and glossary, from the model.

Author text is data: every title, label, quote and definition goes through ``myst.escape``,
so it shows as written and can never become markup; only the course description is Markdown
(checked like a lesson by ``builder check``). The front page's raw HTML (the learner's progress)
is ours, with every value escaped.
"""

from __future__ import annotations

import html

from builder import i18n
from builder.course import facts as fact_text
from builder.course import glossary
from builder.course.model import Course
from builder.course.myst import escape
from builder.quizzes import client as quiz_client
from builder.quizzes import placement
from builder.quizzes.frontend import PROGRESS_SCRIPT

SOURCES = fact_text.SOURCES_PAGE
GLOSSARY = "glossary"


def front_page(course: Course) -> str:
    """Course title, audiences, and modules with their lessons and durations; with
    JavaScript, each lesson's quiz progress in this browser and a button that clears it."""
    info = course.info
    lang = info.language
    _ = i18n.translations(lang).gettext
    lines = [f"# {escape(info.title)}", ""]
    if info.subtitle:
        lines += [f"**{escape(info.subtitle)}**", ""]
    if info.description:
        lines += [info.description.strip(), ""]
    for_whom, modules = _("Who this course is for"), _("Modules")
    lines += [f"## {for_whom}", ""]
    lines += [f"- {escape(audience.title)}" for audience in info.audiences]
    lines += ["", f"## {modules}", ""]
    questions = {
        lesson.id: ids
        for lesson in course.ordered_lessons()
        if (ids := placement.shown(placement.placements(course, lesson)))
    }
    total = 0
    for number, module in enumerate(info.modules, start=1):
        lessons = [course.lessons[i] for i in module.lessons if i in course.lessons]
        minutes = sum(lesson.meta.duration.total for lesson in lessons)
        total += minutes
        heading = _("Module {number}: {title}").format(number=number, title=escape(module.title))
        lines += [f"### {heading}", "", f"*{i18n.minutes(minutes, lang)}*", ""]
        for lesson in lessons:
            duration = i18n.minutes(lesson.meta.duration.total, lang)
            line = f"1. [{escape(lesson.meta.title)}]({lesson.id}.ipynb) ({duration})"
            if lesson.id in questions:  # filled in by the progress script
                line += f'<span data-bq-lesson="{html.escape(lesson.id)}"></span>'
            lines.append(line)
        lines.append("")
    lines += [_("Total: {duration}.").format(duration=i18n.minutes(total, lang)), ""]
    if questions:
        lines += [_progress(course, questions), ""]
    return "\n".join(lines)


def _progress(course: Course, questions: dict[str, list[str]]) -> str:
    """The front page's progress block, one raw HTML block: which questions each lesson
    shows, the words the progress script (``builder/static/progress.js``) writes, and a
    button that clears this browser's answers; hidden until the script finds an answer."""
    _ = i18n.translations(course.info.language).gettext
    data = {
        "key": quiz_client.storage_key(course),
        "lessons": questions,
        "strings": {
            "progress": _("{done}/{total} questions done, {right} right"),
            "confirm": _("Clear every quiz answer saved in this browser?"),
            "cleared": _("The results on this computer are cleared."),
        },
    }
    folder = quiz_client.ASSET_DIR
    note = html.escape(_("Quiz answers are kept only in this browser, on this computer."))
    clear = html.escape(_("Clear results on this computer"))
    return (
        f'<div class="bq-home" id="bq-home" hidden>'
        f'<script type="application/json">{quiz_client.to_json(data)}</script>\n'
        f'<p>{note}</p>\n<button type="button" class="bq-btn">{clear}</button></div>\n'
        f'<p class="bq-said" id="bq-said" role="status" tabindex="-1"></p>\n'
        f'<link rel="stylesheet" href="{folder}/quiz.css">'
        f'<script src="{folder}/{PROGRESS_SCRIPT}"></script>'
    )


def sources_page(course: Course) -> str:
    """Every source document and, under it, every fact it supports, each with an anchor."""
    lang = course.info.language
    _ = i18n.translations(lang).gettext
    title, cited_heading = _("Sources"), _("Figures cited")
    lines = [f"# {title}", "", _("Every figure in this course comes from these documents."), ""]
    for source in sorted(course.sources.values(), key=lambda s: s.id):
        lines += [f"## {escape(source.title)}", ""]
        published = escape(fact_text.cite(source, lang))
        if not source.date:
            published += ", " + _("publication date not given")
        note = f" {escape(source.note)}" if source.note else ""
        lines += [f"{published}.{note} " + _("File: {file}").format(file=_code(source.file)), ""]
        cited = [f for f in course.facts.values() if f.source == source.id]
        if cited:
            lines += [f"**{cited_heading}**", ""]
        for fact in cited:
            where = ", ".join(
                x
                for x in (
                    fact.place and escape(fact.place),
                    escape(fact_text.when(fact, lang) or ""),
                )
                if x
            )
            detail = f" ({where})" if where else ""
            lines += [
                f"- ({fact_text.anchor(fact.id)})=",
                f"  **{escape(fact.label)}:** {escape(fact_text.value_with_unit(fact, lang))}"
                f"{detail}. " + _("Source text: “{quote}”").format(quote=escape(fact.quote)),
            ]
        lines.append("")
    return "\n".join(lines)


def glossary_page(course: Course) -> str:
    """Terms in the locale's alphabetical order under their initial letter, each with an
    anchor that lessons link to, its definition and the lessons that use it."""
    lang = course.info.language
    _ = i18n.translations(lang).gettext
    key = i18n.sort_key(lang)
    title, in_lessons = _("Glossary"), _("In lessons:")
    lines = [
        f"# {title}",
        "",
        _("Definitions are the course team's plain-language explanations."),
        "",
    ]
    linked: dict[str, list[str]] = {}
    for module in course.info.modules:
        for lesson_id in module.lessons:
            lesson = course.lessons.get(lesson_id)
            for ref in lesson.term_refs if lesson else []:
                term = glossary.find(course, ref.target)
                if term is not None and lesson_id not in linked.setdefault(term.term, []):
                    linked[term.term].append(lesson_id)
    initial = None
    for term in sorted(course.glossary, key=lambda t: key(t.term)):
        letter = i18n.initial(term.term)
        if letter != initial:
            initial = letter
            lines += [f"## {letter}", ""]
        name = f"**{escape(term.term)}**"
        if term.aliases:
            name += " (" + ", ".join(escape(a) for a in term.aliases) + ")"
        lines += [f"({glossary.anchor(term)})=", name, f": {escape(term.definition)}"]
        lessons = [course.lessons[i] for i in linked.get(term.term, [])]
        if lessons:
            where = ", ".join(
                f"[{escape(lesson.meta.title)}]({lesson.id}.ipynb)" for lesson in lessons
            )
            lines += ["", f"  {in_lessons} {where}"]
        lines.append("")
    return "\n".join(lines)


def _code(text: str) -> str:
    """Text as inline code (shown as written), or escaped text if it holds a backtick."""
    return f"`{text}`" if "`" not in text and text.strip() == text else escape(text)
