"""SCORM packages: the book as content a learning-management system plays and tracks.

One zip per SCORM version, ``imsmanifest.xml`` at its root, holding every file of the built
site (pages, pictures, scripts, the notebooks offered for download: nothing is fetched from
elsewhere) and, per SCO, a launch page (``sco-<id>.html``). An SCO is a lesson (``per="lesson"``)
or a module's lessons (``per="module"``); the organisation lists them under their modules.

The launch page (``builder/static/scorm.js``) is the only thing the LMS talks to: it finds the
LMS's API, puts the learner's answers back into the browser storage quiz.js reads, shows the
book's own pages in a frame, and reports what quiz.js keeps: the score, the status against the
course's mastery score (``quiz.mastery`` in course.yml, written into the manifest too, where
each LMS reads it), each answer as an interaction, and the answers as suspend data. The
pages themselves are the book's, byte for byte: without an LMS the launch page opens the
book's page in place of itself.

- SCORM 1.2 (Moodle plays this one): ``adlcp:masteryscore`` per SCO; the launcher reports
  ``cmi.core.score.raw`` (0-100), ``cmi.core.lesson_status`` passed or failed once every
  question is answered (incomplete before; completed or incomplete for an SCO without
  questions, once each of its pages has been read to the end).
- SCORM 2004 4th edition: the mastery score as the primary objective's
  ``minNormalizedMeasure`` (satisfied by measure); ``cmi.score.scaled``,
  ``cmi.completion_status`` and ``cmi.success_status``.

The manifest is built with lxml; author text (titles) only ever becomes element text. The
zip's entries are sorted, dated 1980-01-01 and compressed alike: the same site gives the same
bytes.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from pathlib import Path
from urllib.parse import quote

from lxml import etree

from builder import i18n
from builder.course.model import Course, Question
from builder.export import questions as common
from builder.quizzes import client, frontend, placement
from builder.quizzes.bank import choice_ids, numeric_range

VERSIONS = ("1.2", "2004")
PER = ("lesson", "module")
SCRIPT = "_static/bq-scorm.js"  # the launch pages' script, in the package
# Characters of suspend data an LMS must keep: SCORM 1.2's cmi.suspend_data holds 4,096;
# 2004's 64,000. The launcher leaves out the longest answers' texts when they do not fit.
ROOM = {"1.2": 4096, "2004": 64000}
TYPES = {  # the bank's question types and SCORM's interaction types
    "single": "choice",
    "multiple": "choice",
    "true-false": "true-false",
    "numeric": "numeric",
    "text": "fill-in",
    "matching": "matching",
    "ordering": "sequencing",
}
IMSCP = {
    "1.2": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "2004": "http://www.imsglobal.org/xsd/imscp_v1p1",
}
ADLCP = {
    "1.2": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
    "2004": "http://www.adlnet.org/xsd/adlcp_v1p3",
}
IMSSS = "http://www.imsglobal.org/xsd/imsss"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMAS = {
    "1.2": (
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd "
        "http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd"
    ),
    "2004": (
        "http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd "
        "http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd "
        "http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd"
    ),
}
SCHEMA_VERSION = {"1.2": "1.2", "2004": "2004 4th Edition"}
DATE = (1980, 1, 1, 0, 0, 0)  # every entry's time: the zip's bytes depend on the site alone


@dataclass
class Sco:
    """One sharable content object: what the LMS launches and tracks as one."""

    id: str
    title: str
    pages: list[str]  # the book's pages it shows, in order
    questions: list[str] = field(default_factory=list)  # the ids its pages' quizzes show

    @property
    def launch(self) -> str:
        return f"sco-{self.id}.html"


@dataclass
class Package:
    """A SCORM package: where it goes in the output folder, its bytes, and what it holds."""

    path: str
    data: bytes
    version: str
    scos: list[Sco]
    files: int  # files of the site inside it

    @property
    def questions(self) -> int:
        return sum(len(s.questions) for s in self.scos)


def path(course: Course, version: str, per: str = "lesson") -> str:
    """Where the package goes in the output folder ('-modules' when a SCO is a module)."""
    kind = "-modules" if per == "module" else ""
    return f"{common.FOLDER}/{common.file_stem(course)}-scorm{version.replace('.', '')}{kind}.zip"


def scos(course: Course, per: str = "lesson") -> list[Sco]:
    """The course's SCOs in course order: one per lesson, or one per module."""
    lessons = course.ordered_lessons()
    shown = {lesson.id: placement.shown(placement.placements(course, lesson)) for lesson in lessons}
    if per == "lesson":
        return [
            Sco(lesson.id, lesson.meta.title, [f"{lesson.id}.html"], shown[lesson.id])
            for lesson in lessons
        ]
    found = []
    for module in course.info.modules:
        ids = [i for i in module.lessons if i in course.lessons]
        if ids:
            questions = list(dict.fromkeys(q for i in ids for q in shown[i]))
            found.append(Sco(module.id, module.title, [f"{i}.html" for i in ids], questions))
    return found


def package(course: Course, site: Path, version: str = "1.2", per: str = "lesson") -> Package:
    """The package of the book built in ``site``."""
    units = scos(course, per)
    files = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    )
    entries: dict[str, bytes] = {name: (site / name).read_bytes() for name in files}
    entries[SCRIPT] = _script()
    lessons = [f"{lesson.id}.html" for lesson in course.ordered_lessons()]
    for sco in units:
        others = [page for page in lessons if page not in sco.pages]
        entries[sco.launch] = _launch_page(course, sco, version, others)
    entries["imsmanifest.xml"] = manifest(course, units, version, sorted(entries), per)
    return Package(path(course, version, per), _zip(entries), version, units, len(files))


def _script() -> bytes:
    return frontend.scorm_script().encode("utf-8")


# --- the launch page ----------------------------------------------------------------------------


def launch_config(course: Course, sco: Sco, version: str, others: list[str] = ()) -> dict:
    """What the launch page's script reads: the pages, the other lessons' pages (``others``:
    links to them become text), where quiz.js keeps answers, each question's interaction
    type and right response, the mastery score."""
    _ = i18n.translations(course.info.language).gettext
    return {
        "version": version,
        "pages": sco.pages,
        "others": list(others),
        "elsewhere": _("Open this lesson from the learning system's list of lessons"),
        "key": f"bq:{client.storage_key(course)}:",
        "decimal": i18n.decimal_symbol(course.info.language),
        "mastery": course.info.quiz.mastery,
        "room": ROOM[version],
        "questions": [_question(course, course.questions[q], version) for q in sco.questions],
    }


def _question(course: Course, q: Question, version: str) -> dict:
    pattern = correct_pattern(course, q, version)
    text = common.clean(client.strip_markdown(client.client_question(course, q, False)["prompt"]))
    out = {"id": q.id, "type": TYPES[q.type], "pattern": pattern}
    if version == "2004":  # cmi.interactions.n.description: a localized string of 250
        out["text"] = _shorter("(" + text[1:] if text.startswith("{") else text, 250)
    return out


def _shorter(text: str, most: int) -> str:
    """``text`` in at most ``most`` characters, cut after a word with '…' when longer."""
    if len(text) <= most:
        return text
    cut = text[: most - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:") + "…"


def correct_pattern(course: Course, q: Question, version: str) -> str | None:
    """The right response in SCORM's notation for the interaction type (``None`` where
    SCORM 1.2 has none: a numeric range)."""
    sep, pair = (",", ".") if version == "1.2" else ("[,]", "[.]")
    if q.type in ("single", "multiple"):
        ids = choice_ids(q)
        return sep.join(sorted(i for i, c in zip(ids, q.choices, strict=True) if c.correct))
    if q.type == "true-false":
        right = bool(q.answer)
        return ("t" if right else "f") if version == "1.2" else str(right).lower()
    if q.type == "numeric":
        low, high = numeric_range(q, course.info.language)
        if version == "1.2":
            return common.number(low) if low == high else None
        return f"{common.number(low)}[:]{common.number(high)}"
    if q.type == "text":
        first = common.clean(q.accept[0].strip()).replace("[,]", ",")
        return ("(" + first[1:] if first.startswith("{") else first)[:250]
    if q.type == "matching":
        keys = [_one(i, version) for i in range(len(q.pairs))]
        return sep.join(f"{k}{pair}{k}" for k in keys)
    if q.type == "ordering":
        return sep.join(_one(i, version) for i in range(len(q.steps)))
    return None


def _one(index: int, version: str) -> str:
    """A match's or step's identifier: the front end's 'p<n>'; in SCORM 1.2, whose matching and
    sequencing responses are single characters (0-9, a-z), n in base 36 (as scorm.js writes)."""
    if version == "1.2" and index < 36:
        return "0123456789abcdefghijklmnopqrstuvwxyz"[index]
    return f"p{index}"


def _launch_page(course: Course, sco: Sco, version: str, others: list[str]) -> bytes:
    """The SCO's launch page: the script and its settings, a frame for the book's pages, a
    link to the first page for a browser without scripts."""
    lang = escape(course.info.language)
    title = escape(common.clean(sco.title))
    first = escape(quote(sco.pages[0]))
    config = client.to_json(launch_config(course, sco, version, others))
    page = f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>html,body{{margin:0;height:100%;overflow:hidden}}iframe{{border:0;width:100%;height:100%;display:block}}</style>
<script type="application/json" id="bq-sco">{config}</script>
</head>
<body>
<iframe id="bq-page" title="{title}"></iframe>
<noscript><p><a href="{first}">{title}</a></p></noscript>
<script src="{SCRIPT}"></script>
</body>
</html>
"""
    return page.encode("utf-8")


# --- the manifest -------------------------------------------------------------------------------


def manifest(
    course: Course, units: list[Sco], version: str, files: list[str], per: str = "lesson"
) -> bytes:
    """``imsmanifest.xml``: the organisation (modules, then their SCOs), a resource per SCO
    (its launch page) that depends on one resource holding every other file."""
    cp, adl = IMSCP[version], ADLCP[version]
    nsmap = {None: cp, "adlcp": adl, "xsi": XSI}
    if version == "2004":
        nsmap["imsss"] = IMSSS
    stem = common.file_stem(course)
    root = etree.Element(
        f"{{{cp}}}manifest",
        {
            "identifier": _identifier(f"{stem}-scorm{version.replace('.', '')}"),
            "version": common.clean(course.info.version),
            f"{{{XSI}}}schemaLocation": SCHEMAS[version],
        },
        nsmap=nsmap,
    )
    meta = etree.SubElement(root, f"{{{cp}}}metadata")
    etree.SubElement(meta, f"{{{cp}}}schema").text = "ADL SCORM"
    etree.SubElement(meta, f"{{{cp}}}schemaversion").text = SCHEMA_VERSION[version]
    orgs = etree.SubElement(root, f"{{{cp}}}organizations", default="org")
    org = etree.SubElement(orgs, f"{{{cp}}}organization", identifier="org")
    etree.SubElement(org, f"{{{cp}}}title").text = common.clean(course.info.title)
    by_id = {s.id: s for s in units}
    placed: set[str] = set()
    for module in course.info.modules:
        if per == "module" and module.id in by_id:  # one SCO per module
            _item(org, by_id[module.id], course, version)
            placed.add(module.id)
            continue
        inside = [by_id[i] for i in module.lessons if i in by_id]
        if not inside:
            continue
        group = etree.SubElement(
            org, f"{{{cp}}}item", identifier=_identifier(f"module-{module.id}")
        )
        etree.SubElement(group, f"{{{cp}}}title").text = common.clean(module.title)
        for sco in inside:
            _item(group, sco, course, version)
            placed.add(sco.id)
    for sco in units:  # a lesson in no module (builder check reports it)
        if sco.id not in placed:
            _item(org, sco, course, version)
    if version == "2004":  # after the items: the learner may pick any SCO, or go on to the next
        sequencing = etree.SubElement(org, f"{{{IMSSS}}}sequencing")
        etree.SubElement(sequencing, f"{{{IMSSS}}}controlMode", choice="true", flow="true")
    resources_el = etree.SubElement(root, f"{{{cp}}}resources")
    kind = "scormtype" if version == "1.2" else "scormType"
    launches = {s.launch for s in units}
    for sco in units:
        res = etree.SubElement(
            resources_el,
            f"{{{cp}}}resource",
            {
                "identifier": _identifier(f"res-{sco.id}"),
                "type": "webcontent",
                f"{{{adl}}}{kind}": "sco",
                "href": quote(sco.launch),
            },
        )
        etree.SubElement(res, f"{{{cp}}}file", href=quote(sco.launch))
        etree.SubElement(res, f"{{{cp}}}dependency", identifierref="site")
    site = etree.SubElement(
        resources_el,
        f"{{{cp}}}resource",
        {"identifier": "site", "type": "webcontent", f"{{{adl}}}{kind}": "asset"},
    )
    for name in files:
        if name not in launches and name != "imsmanifest.xml":
            etree.SubElement(site, f"{{{cp}}}file", href=quote(name))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _item(parent: etree._Element, sco: Sco, course: Course, version: str) -> None:
    cp, adl = IMSCP[version], ADLCP[version]
    item = etree.SubElement(
        parent,
        f"{{{cp}}}item",
        identifier=_identifier(f"item-{sco.id}"),
        identifierref=_identifier(f"res-{sco.id}"),
    )
    etree.SubElement(item, f"{{{cp}}}title").text = common.clean(sco.title)
    if not sco.questions:
        return
    mastery = course.info.quiz.mastery
    if version == "1.2":
        etree.SubElement(item, f"{{{adl}}}masteryscore").text = str(mastery)
        return
    sequencing = etree.SubElement(item, f"{{{IMSSS}}}sequencing")
    objectives = etree.SubElement(sequencing, f"{{{IMSSS}}}objectives")
    primary = etree.SubElement(
        objectives,
        f"{{{IMSSS}}}primaryObjective",
        objectiveID=_identifier(f"pass-{sco.id}"),
        satisfiedByMeasure="true",
    )
    measure = etree.SubElement(primary, f"{{{IMSSS}}}minNormalizedMeasure")
    measure.text = common.number(Decimal(mastery) / 100)


def _identifier(text: str) -> str:
    """An XML ID: letters, digits, '-', '_', '.'; not starting with a digit."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in text)
    return cleaned if cleaned[:1].isalpha() else f"x{cleaned}"


# --- the zip ------------------------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix: the same bytes wherever it is made
            archive.writestr(info, entries[name], compresslevel=9)
    return buffer.getvalue()
