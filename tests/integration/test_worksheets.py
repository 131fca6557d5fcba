"""The printed worksheets of the demo run: a PDF per city for the mayor's workbook and every
workshop, with every form's questions as blanks, and no answer, verdict or solution on paper."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from cohort_tools.coaching_packets.engine import run_worksheets, worksheet_templates
from cohort_tools.model.cohort import load_cohort
from tests.integration.conftest import assert_no_person_reaches

pytestmark = pytest.mark.slow

SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
#: A quoted phrase in a model answer, long enough to be the answer's own words (six words or
#: more: shorter ones are names of options, such as a role, that a worksheet lists anyway).
QUOTED = re.compile(r'"([^"\n{}]{30,})"')
MIN_WORDS = 6


@pytest.fixture(scope="module")
def worksheets(demo_run: tuple[Any, Path]) -> Path:
    result, out = demo_run
    assert result.exit_code == 0, result.output
    return out / "worksheets"


def _pdf_text(path: Path) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(path).pages)


def test_every_city_gets_a_pdf_worksheet_for_the_workbook_and_every_workshop(
    worksheets: Path,
) -> None:
    names = [t.name for t in worksheet_templates()]
    assert names[0] == "m0_convening_workbook" and len(names) == 12
    for city in load_cohort(None).cities:
        for name in names:
            pdf = worksheets / city.id / f"{name}.pdf"
            assert pdf.read_bytes().startswith(b"%PDF"), pdf
    index = (worksheets / "index.html").read_text(encoding="utf-8")
    assert index.count(">PDF</a>") == 12 * len(load_cohort(None).cities)
    assert "Module 1: Workshop A: data routines" in index


def test_each_form_of_a_notebook_is_on_its_worksheet_and_no_verdict_is(worksheets: Path) -> None:
    for template in worksheet_templates():
        asked = len(re.findall(r"\bform\.ask\(", template.source))
        page = (worksheets / "riverton" / f"{template.name}.html").read_text(encoding="utf-8")
        assert page.count("A good answer has:") == asked, template.name
        for verdict in ("Checkpoint passed", "Not yet", "Answer here", "Traceback"):
            assert verdict not in page, (template.name, verdict)


def test_no_model_answer_reaches_a_worksheet(worksheets: Path) -> None:
    checked = 0
    for template in worksheet_templates():
        phrases = [
            p
            for region in SOLUTION.findall(template.source)
            for p in QUOTED.findall(region)
            if len(p.split()) >= MIN_WORDS
        ]
        text = (worksheets / "riverton" / f"{template.name}.html").read_text(encoding="utf-8")
        for phrase in phrases:
            assert phrase not in text, (template.name, phrase)
            checked += 1
    assert checked >= 40  # the model answers hold many quoted phrases: the check can fail


def test_the_printed_pdf_holds_the_questions_in_the_citys_own_words(worksheets: Path) -> None:
    text = _pdf_text(worksheets / "riverton" / "m1_workshop_a_data_routines.pdf")
    assert "Printed worksheet for Riverton" in text
    assert "Your three priority metrics" in text and "Potholes repaired" in text
    workbook = _pdf_text(worksheets / "riverton" / "m0_convening_workbook.pdf")
    assert "Your top priorities" in workbook and "Your vision for data" in workbook


def test_a_second_run_with_nothing_changed_skips_every_worksheet(
    worksheets: Path, tmp_path: Path, demo_run: tuple[Any, Path]
) -> None:
    copy = tmp_path / "worksheets"
    shutil.copytree(worksheets, copy)
    report = run_worksheets(
        out=copy, cities=["riverton"], quiet=True, course_dir=demo_run[1] / "course"
    )
    assert report.ok and len(report.cached) == 12 and not report.executed


def test_no_person_name_or_email_from_the_cohort_reaches_a_worksheet(worksheets: Path) -> None:
    assert_no_person_reaches([*worksheets.glob("*/*.html"), worksheets / "index.html"])


#: A heading that is an identifier: lower-case words joined by underscores ("department_id").
IDENTIFIER = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")


def test_no_table_on_a_worksheet_is_headed_by_an_identifier(worksheets: Path) -> None:
    """Every column heading (and the index's name) is words in the city's language, not a data
    identifier. Row labels may be codes: a learner who answers in code copies them."""
    found = []
    for page in sorted(worksheets.glob("*/*.html")):
        heads = re.findall(r"<thead>(.*?)</thead>", page.read_text("utf-8"), re.S)
        headings = re.findall(r"<th[^>]*>(?:<code>)?([^<]*)(?:</code>)?</th>", "".join(heads))
        found += [
            f"{page.parent.name}/{page.name}: {h}"
            for h in headings
            if IDENTIFIER.fullmatch(h.strip())
        ]
    assert not found, "identifiers as table headings:\n" + "\n".join(sorted(set(found)))
