"""Every problem code the builder reports, with its severity and what it means.

The one list of codes: ``builder check --codes`` prints it, the README's table is generated
from it (``python tools/codes_table.py``; a test keeps the two in step), and a course may
silence warning codes in course.yml (``silence: [term.unlinked]``), as Sphinx's
``suppress_warnings`` does.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.problems import Severity

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Code:
    """A problem code: how bad it is by default, and a one-line explanation."""

    severity: Severity
    meaning: str


CODES: dict[str, Code] = {
    # files and text
    "file.missing": Code(E, "a required file does not exist"),
    "file.empty": Code(E, "a file is empty (write [] for an empty list, or delete the file)"),
    "file.shape": Code(E, "a file that holds a list of entries is not a list"),
    "file.too-large": Code(E, "a course file is over 5 MB"),
    "file.unreadable": Code(E, "a file cannot be read (permissions, a broken link)"),
    "path.outside": Code(E, "a file, folder, picture or logo resolves outside the course tree"),
    "encoding.utf8": Code(E, "a file is not UTF-8"),
    "text.control": Code(E, "an invisible control, bidi or zero-width character"),
    "text.nfc": Code(W, "text typed with decomposed diacritics (normalised to NFC)"),
    "text.too-long": Code(E, "a title over 200 characters, another text over 5,000"),
    # YAML
    "yaml.syntax": Code(E, "not valid YAML (tabs, indentation, unclosed brackets or quotes)"),
    "yaml.duplicate-key": Code(E, "the same key twice in one mapping"),
    "yaml.smart-quotes": Code(E, "a value in typographic quotes (“08:00”) instead of straight"),
    "yaml.tag": Code(E, "a YAML tag such as !!python/object"),
    "yaml.too-deep": Code(E, "lists or mappings nested more than 40 levels"),
    "yaml.too-large": Code(E, "aliases that expand to more than 200,000 values"),
    "yaml.alias": Code(E, "an alias that refers to the list or mapping it is in"),
    # records
    "schema.missing": Code(E, "a required key is missing"),
    "schema.type": Code(E, "a value has the wrong type (text, number, list...)"),
    "schema.empty": Code(E, "a value that must not be empty is empty"),
    "schema.value": Code(E, "a value has the wrong form (an id, a date, a choice of words)"),
    "schema.unknown-key": Code(W, "a key the builder does not know (often a typo)"),
    "id.duplicate": Code(E, "an id, glossary term or alias defined twice"),
    # lessons
    "frontmatter.missing": Code(E, "a lesson does not start with '---' front matter"),
    "frontmatter.syntax": Code(E, "a lesson's front matter is not closed by '---'"),
    "lesson.id": Code(E, "a lesson file name is not a valid id"),
    "lesson.empty": Code(E, "a lesson has no content"),
    "lesson.heading": Code(W, "a '#' heading in a lesson body (the title is in front matter)"),
    "lesson.orphan": Code(E, "a lesson file in no module of course.yml"),
    "lesson.pacing": Code(W, "a lesson's duration is far from what its text and activities take"),
    "lesson.duplicate-module": Code(E, "a lesson listed in two modules"),
    "lesson.prerequisite": Code(E, "a lesson requires itself, or lessons require each other"),
    "markup.raw-html": Code(E, "raw HTML, {raw} or {eval-rst} without allow_raw_html"),
    "markup.directive": Code(E, "a directive or directive option lessons may not use"),
    "markup.role": Code(E, "a role lessons may not use"),
    "markup.image": Code(E, "a picture written in a form the builder cannot check"),
    "markup.rule": Code(E, "a '---' rule inside a directive, list or quote"),
    "markup.too-deep": Code(E, "Markdown nested too deeply"),
    "markup.unclosed-fence": Code(W, "a ``` or ::: fence that is never closed"),
    "markup.indented-code": Code(W, "text indented into a code block by a tab or 4 spaces"),
    "link.external": Code(W, "a link to another site (the book is meant to work offline)"),
    "link.scheme": Code(E, "a link that is not relative, #, http(s) or mailto"),
    "link.outside": Code(E, "a link that climbs out of the course tree"),
    "notes.empty": Code(W, "empty trainer notes"),
    "slide.empty": Code(W, "a slide directive with no text (ignored)"),
    "directive.option": Code(E, "an option a builder directive does not take"),
    # references
    "ref.unknown-fact": Code(E, "a fact role or chart names no fact"),
    "ref.unknown-lesson": Code(E, "a module, deck or prerequisite names no lesson"),
    "ref.unknown-audience": Code(E, "a lesson or deck names no audience"),
    "ref.unknown-term": Code(E, "a term role names no glossary term or alias"),
    "ref.unknown-question": Code(E, "a quiz names no question"),
    "term.empty": Code(E, "an empty {term} role"),
    "term.unlinked": Code(W, "a glossary term's first use in a lesson is not linked"),
    "fact.unknown-source": Code(E, "a fact cites no source of sources.yml"),
    "fact.date-unit": Code(E, "a fact whose value is a date has a unit or total"),
    "fact.empty": Code(E, "an empty {fact} or {fact-value} role"),
    "fact.undated": Code(W, "a figure in a lesson, or a chart, does not say when it applies"),
    "fact.unit-twice": Code(W, "text after a {fact} role repeats the unit the role shows"),
    # pictures
    "image.missing": Code(E, "a picture or logo does not exist"),
    "image.outside": Code(E, "a picture outside course/ (or a logo outside slides/)"),
    "image.external": Code(E, "a picture on another site"),
    "image.invalid": Code(E, "a picture that cannot be read"),
    "image.unsafe": Code(E, "an SVG with a script, handler, outside reference or entity"),
    "image.too-large": Code(E, "a picture over 20 MB or 40 megapixels"),
    "image.alt": Code(W, "a picture without alt text"),
    # charts
    "chart.title": Code(E, "a chart without a title"),
    "chart.facts": Code(E, "a chart without :facts:"),
    "chart.kind": Code(E, "a chart kind other than bar or column"),
    "chart.units": Code(E, "a chart that mixes units"),
    "chart.not-a-number": Code(E, "a chart of a fact whose value is a date"),
    "chart.content": Code(W, "content inside a chart directive (ignored)"),
    # quizzes
    "quiz.no-correct": Code(E, "a question with no right answer"),
    "quiz.many-correct": Code(E, "a single-choice question with more than one right answer"),
    "quiz.duplicate-choice": Code(E, "two choices with the same id"),
    "quiz.choices": Code(E, "a choice question with fewer than two choices"),
    "quiz.pairs": Code(E, "a matching question whose pairs cannot be matched"),
    "quiz.steps": Code(E, "an ordering question whose steps cannot be ordered"),
    "quiz.field": Code(E, "a key the question's type does not take"),
    "quiz.numeric": Code(E, "a numeric answer that is not a number"),
    "quiz.answer-not-fact": Code(E, "a numeric answer that differs from the fact it cites"),
    "quiz.unknown-source": Code(E, "a question cites neither a fact nor a source"),
    "quiz.no-source": Code(E, "a question cites nothing"),
    "quiz.unknown-bank": Code(E, "a quiz draws from a bank that does not exist"),
    "quiz.draw": Code(E, "a quiz asks for more questions than match"),
    "quiz.count": Code(E, "a quiz :count: that is not a whole number, or not for a draw"),
    "quiz.options": Code(E, "a quiz with both or neither of :questions: and :tags:/:bank:"),
    "quiz.repeat": Code(W, "a question placed twice in one lesson"),
    "quiz.content": Code(W, "content inside a quiz directive (ignored)"),
    "quiz.swallows": Code(E, "a quiz's fence left open runs over the lesson text after it"),
    "quiz.verdict": Code(W, "feedback that opens with the verdict the quiz already prints"),
    # sessions and decks
    "deck.unknown": Code(E, "--deck names no session"),
    "deck.empty": Code(E, "a session with no lessons"),
    "deck.length": Code(E, "a session's lessons take longer than its length, or it is 0"),
    "deck.part": Code(E, "a session part that is neither a lesson nor an activity, or lasts 0"),
    "deck.section": Code(E, "a session part names no '##' section of its lesson"),
    "deck.locale": Code(E, "a session's locale is not the course's language"),
    "deck.audience": Code(W, "a lesson not written for the session's audience"),
    "deck.province": Code(W, "a session's place that no fact has"),
    "deck.future-fact": Code(W, "a session teaches a section with figures dated after its date"),
    "deck.place": Code(W, "a session names a section marked for another place than its province"),
    "slide.place": Code(W, "a slide's :place: that no fact has"),
    "deck.dense": Code(
        W,
        "a slide of over 40 words (text, objectives, key points): the trainer would read it aloud",
    ),
    "deck.font-metrics": Code(
        W, "the deck template's font is not installed: its text is measured as Arial's"
    ),
    "deck.template": Code(
        E, "slides/template.pptx cannot be opened, or lacks a layout the decks need"
    ),
    "deck.font": Code(
        W, "the metric fonts are missing: no deck is written (with --deck, an error)"
    ),
    "theme.logo": Code(E, "a logo that is not PNG or JPEG"),
    # outside checks
    "source.file": Code(E, "check --sources: a source file is missing"),
    "fact.quote": Code(E, "check --sources: a fact's quote is not in its source"),
    "fact.value": Code(E, "check --sources: a fact's quote does not state its value"),
    "spell.unknown": Code(E, "builder spell: a word neither the dictionary nor words.txt knows"),
    "spell.setup": Code(E, "builder spell: hunspell or its dictionary is missing"),
    "export.left-out": Code(W, "check --export/export: a question the format cannot hold"),
    "export.moodle-grade": Code(
        W, "check --export moodle: right choices whose share of the mark Moodle cannot grade"
    ),
    "export.unscored": Code(
        W, "check --export scorm: a bank question no lesson shows, so no SCO scores it"
    ),
    # the book
    "book.sphinx": Code(W, "a warning from Sphinx while building the book"),
    "book.failed": Code(E, "Jupyter Book could not build the site"),
    "book.outside-request": Code(E, "a page of the site would load something from outside it"),
}


def table() -> str:
    """The codes as a Markdown table, as the README shows them."""
    rows = ["| code | severity | meaning |", "|---|---|---|"]
    for code, entry in CODES.items():
        rows.append(f"| `{code}` | {entry.severity.value} | {entry.meaning} |")
    return "\n".join(rows)
