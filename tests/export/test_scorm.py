"""SCORM packages read back as an LMS reads them: the zip, its manifest, the launch pages."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from builder.checks.run import load_and_check
from builder.cli import main
from builder.export import scorm
from builder.quizzes import placement
from tests.conftest import REPO

NS = {
    "1.2": {"cp": scorm.IMSCP["1.2"], "adlcp": scorm.ADLCP["1.2"]},
    "2004": {"cp": scorm.IMSCP["2004"], "adlcp": scorm.ADLCP["2004"], "imsss": scorm.IMSSS},
}


@pytest.fixture(scope="module")
def course():
    found, _ = load_and_check(REPO)
    assert found is not None
    return found


def packaged(course, bundled: Path, version: str, per: str = "lesson") -> zipfile.ZipFile:
    made = scorm.package(course, bundled / "book", version, per)
    return zipfile.ZipFile(io.BytesIO(made.data))


@pytest.mark.parametrize("version", scorm.VERSIONS)
def test_the_package_holds_the_whole_site_and_a_manifest_at_its_root(
    course, bundled: Path, version: str
) -> None:
    archive = packaged(course, bundled, version)
    names = archive.namelist()
    assert names == sorted(names) and "imsmanifest.xml" in names
    site = sorted(
        p.relative_to(bundled / "book").as_posix()
        for p in (bundled / "book").rglob("*")
        if p.is_file() and not p.name.startswith(".")
    )
    assert set(site) <= set(names)
    for name in site:  # the book's own pages and files, unchanged
        assert archive.read(name) == (bundled / "book" / name).read_bytes(), name
    lessons = course.ordered_lessons()
    assert {f"sco-{lesson.id}.html" for lesson in lessons} <= set(names)
    manifest = etree.fromstring(archive.read("imsmanifest.xml"))
    ns = NS[version]
    version_text = manifest.find("cp:metadata/cp:schemaversion", ns).text
    assert version_text == ("1.2" if version == "1.2" else "2004 4th Edition")
    # Every file the manifest names is in the zip; every file in the zip but the manifest is
    # named once.
    hrefs = [f.get("href") for f in manifest.iterfind(".//cp:file", ns)]
    assert sorted(hrefs) == sorted(n for n in names if n != "imsmanifest.xml")
    # One SCO per lesson, in course order, under its module, launching its page.
    kind = "scormtype" if version == "1.2" else "scormType"
    resources = {r.get("identifier"): r for r in manifest.iterfind("cp:resources/cp:resource", ns)}
    items = manifest.findall(".//cp:item[@identifierref]", ns)
    assert [i.find("cp:title", ns).text for i in items] == [x.meta.title for x in lessons]
    for item, lesson in zip(items, lessons, strict=True):
        resource = resources[item.get("identifierref")]
        assert resource.get(f"{{{ns['adlcp']}}}{kind}") == "sco"
        assert resource.get("href") == f"sco-{lesson.id}.html"
        module = item.getparent()
        assert module.find("cp:title", ns).text == next(
            m.title for m in course.info.modules if lesson.id in m.lessons
        )
        if version == "1.2":
            assert item.find("adlcp:masteryscore", ns).text == "80"
        else:
            measure = item.find(".//imsss:primaryObjective/imsss:minNormalizedMeasure", ns)
            assert measure.text == "0.8"
            primary = item.find(".//imsss:primaryObjective", ns)
            assert primary.get("satisfiedByMeasure") == "true"


def test_a_launch_page_names_its_pages_questions_and_the_right_responses(
    course, bundled: Path
) -> None:
    archive = packaged(course, bundled, "2004")
    page = archive.read("sco-kinh-te-so.html").decode("utf-8")
    config = json.loads(re.search(r'id="bq-sco">(.*?)</script>', page, re.S)[1])
    lesson = course.lessons["kinh-te-so"]
    assert config["pages"] == ["kinh-te-so.html"]
    assert [q["id"] for q in config["questions"]] == placement.shown(
        placement.placements(course, lesson)
    )
    types = {q["type"] for q in config["questions"]}
    assert types == {"choice", "true-false", "numeric", "fill-in", "matching", "sequencing"}
    numeric = next(q for q in config["questions"] if q["type"] == "numeric")
    assert re.fullmatch(r"-?\d+(\.\d+)?\[:\]-?\d+(\.\d+)?", numeric["pattern"])
    assert config["room"] == 64000 and config["mastery"] == 80
    assert '<script src="_static/bq-scorm.js"></script>' in page


def test_scorm_1_2_matches_and_steps_are_single_characters(course, bundled: Path) -> None:
    archive = packaged(course, bundled, "1.2")
    page = archive.read("sco-kinh-te-so.html").decode("utf-8")
    config = json.loads(re.search(r'id="bq-sco">(.*?)</script>', page, re.S)[1])
    by_type = {q["type"]: q["pattern"] for q in config["questions"]}
    assert re.fullmatch(r"[0-9a-z](\.[0-9a-z])?(,[0-9a-z](\.[0-9a-z])?)*", by_type["matching"])
    assert by_type["sequencing"].startswith("0,1,2")
    # The other lessons' pages, whose links the launch page turns into text.
    assert "kinh-te-so.html" not in config["others"] and len(config["others"]) == 9


def test_per_module_one_sco_shows_the_module_s_lessons(course, bundled: Path) -> None:
    made = scorm.package(course, bundled / "book", "1.2", "module")
    assert made.path.endswith("-scorm12-modules.zip")
    archive = packaged(course, bundled, "1.2", per="module")
    manifest = etree.fromstring(archive.read("imsmanifest.xml"))
    items = manifest.findall(".//cp:item[@identifierref]", NS["1.2"])
    assert [i.find("cp:title", NS["1.2"]).text for i in items] == [
        m.title for m in course.info.modules
    ]
    page = archive.read(f"sco-{course.info.modules[0].id}.html").decode("utf-8")
    config = json.loads(re.search(r'id="bq-sco">(.*?)</script>', page, re.S)[1])
    assert config["pages"] == [f"{i}.html" for i in course.info.modules[0].lessons]


def test_the_command_writes_the_same_bytes_twice(tmp_path: Path, bundled: Path) -> None:
    """``builder export scorm`` builds what the book needs and writes the package; again, the
    same bytes."""
    out = tmp_path / "out"
    runner = CliRunner()
    args = ["export", "scorm", "--root", str(REPO), "--out", str(out), "--version", "2004"]
    first = runner.invoke(main, args, catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert "SCORM 2004 4th Edition, 10 SCO(s) (one per lesson)" in first.output
    assert "Moodle plays SCORM 1.2 packages only" in first.output
    package = out / "exports" / "chuyen-doi-so-scorm2004.zip"
    data = package.read_bytes()
    again = runner.invoke(main, args, catch_exceptions=False)
    assert again.exit_code == 0, again.output
    assert package.read_bytes() == data
    assert (out / "book" / "index.html").is_file()


def test_a_course_with_errors_writes_no_package(tmp_path: Path) -> None:
    from tests.helpers import make_tree  # noqa: PLC0415

    root = make_tree(tmp_path / "tree")
    lesson = root / "course" / "lessons" / "bai-mot.md"
    lesson.write_text(lesson.read_text("utf-8").replace("{fact}`ty-le`", "{fact}`khong-co`"))
    result = CliRunner().invoke(main, ["export", "scorm", "--root", str(root)])
    assert result.exit_code == 2
    assert "course/lessons/bai-mot.md:" in result.output and "khong-co" in result.output
    assert not (root / "_build" / "exports").exists()
