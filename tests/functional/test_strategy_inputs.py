"""`cda strategy` on hand-made graded submissions: gaps, inconsistent answers, and bad input.

The course folders here hold what the grader leaves behind (an autograded notebook with its
checkpoint outputs, and the saved answers), built directly so each case is exact and fast. The
integration test (tests/integration/test_strategy_demo.py) runs the real grader on the demo course.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import nbformat
import pytest
from typer.testing import CliRunner

from cohort_tools.cli import app
from cohort_tools.core import paths
from cohort_tools.core.errors import CdaError
from cohort_tools.course.answers import answers_file
from cohort_tools.course.layout import assignment_id
from cohort_tools.notebooks.myst import read_myst
from cohort_tools.strategy import build_strategy

runner = CliRunner()
ROUTINES = "m1_workshop_a_data_routines"
PROTOCOL = "m1_workshop_b_data_use_protocol"
GOOD_A = {
    "mayor_priorities": ["Safe streets in every neighbourhood"],
    "data_vision": "Every week the team sees the few numbers that matter and acts on them, "
    "and residents can see them too.",
    "priority_metrics": ["PW-POT3", "CS-ANS60", "FIRE-RSP"],
    "baseline_days": 4.5,
    "target_days": 3.5,
    "stat_meeting": {"cadence": "monthly", "chair": "mayor", "first_metric": "PW-POT3"},
}


def graded(
    course: Path,
    workshop: str,
    *,
    city: str = "riverton",
    learner: str = "riverton-aaaa1111",
    answers: dict[str, object] | None = None,
    failing: dict[str, str] | None = None,
    crash_in: str | None = None,
) -> Path:
    """Write what the grader leaves for one submission; ``failing`` maps checkpoint -> words."""
    course.mkdir(parents=True, exist_ok=True)
    (course / "gradebook.db").touch()
    aid = assignment_id(workshop, city)
    nb = read_myst((paths.workshops_dir() / f"{workshop}.md").read_text(encoding="utf-8"))
    source = course / "source" / aid / f"{workshop}.ipynb"
    source.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, source)
    failing = failing or {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        gid = meta.get("grade_id")
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        if crash_in is not None and gid == crash_in:
            cell.outputs.append(
                nbformat.v4.new_output(
                    "error", ename="NameError", evalue="name 'x' is not defined", traceback=[]
                )
            )
        elif meta.get("grade") and not meta.get("solution"):
            if gid in failing:
                text = f"Checkpoint not passed yet: t\n  - {failing[gid]}\n    Try: fix it"
                cell.outputs.append(
                    nbformat.v4.new_output(
                        "error",
                        ename="CheckpointFailed",
                        evalue=text,
                        traceback=text.splitlines(),
                    )
                )
            else:
                cell.outputs.append(
                    nbformat.v4.new_output("stream", name="stdout", text="Checkpoint passed: t\n")
                )
    folder = course / "autograded" / learner / aid
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{workshop}.ipynb")
    if answers is not None:
        answers_file(folder, workshop).write_text(json.dumps(answers), encoding="utf-8")
    return folder


def test_a_city_not_in_the_cohort_is_refused_with_the_known_cities(tmp_path: Path) -> None:
    graded(tmp_path / "course", ROUTINES, answers=GOOD_A)
    result = runner.invoke(
        app, ["strategy", "--city", "atlantis", "--course", str(tmp_path / "course")]
    )
    assert result.exit_code == 1
    assert "no city 'atlantis'" in result.output and "riverton" in result.output
    assert not (tmp_path / "strategy").exists()


def test_no_course_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["strategy", "--city", "riverton", "--course", str(tmp_path / "nowhere")]
    )
    assert result.exit_code == 1 and "no gradebook.db" in result.output


def test_missing_workshops_are_gaps_that_name_the_workshop_and_the_strategy_still_builds(
    tmp_path: Path,
) -> None:
    graded(tmp_path / "course", ROUTINES, answers=GOOD_A)
    result = build_strategy(city="riverton", course_dir=tmp_path / "course", out=tmp_path / "out")
    report = json.loads((result.folder / "completeness.json").read_text(encoding="utf-8"))
    parts = {p["id"]: p for p in report["parts"]}
    assert parts["vision"]["complete"] and parts["use"]["complete"]
    protocol = parts["data_use_protocol"]["gaps"]
    assert {g["answer"] for g in protocol} == {"protocol_fields", "protocol_roles", "first_record"}
    assert all(g["notebook"] == f"workshops/{PROTOCOL}.md" for g in protocol)
    markdown = (result.folder / "completeness.md").read_text(encoding="utf-8")
    assert "The data-use protocol" in markdown and "not submitted this workshop yet" in markdown
    html = (result.folder / "strategy.html").read_text(encoding="utf-8")
    assert "Gap:" in html and "Safe streets in every neighbourhood" in html


def test_a_failed_checkpoint_marks_its_answer_inconsistent_in_the_checkpoint_s_words(
    tmp_path: Path,
) -> None:
    graded(
        tmp_path / "course",
        ROUTINES,
        answers=GOOD_A,
        failing={"check-target": "3.5 is not faster than today's 3.2 days."},
    )
    result = build_strategy(city="riverton", course_dir=tmp_path / "course", out=tmp_path / "out")
    gaps = [g for g in result.strategy.gaps if g.answer == "target_days"]
    assert len(gaps) == 1 and gaps[0].kind == "inconsistent"
    assert "not faster than today's" in gaps[0].detail


def test_an_empty_answer_is_missing_even_when_submitted(tmp_path: Path) -> None:
    graded(tmp_path / "course", ROUTINES, answers={**GOOD_A, "data_vision": "  "})
    result = build_strategy(city="riverton", course_dir=tmp_path / "course", out=tmp_path / "out")
    [gap] = [g for g in result.strategy.gaps if g.answer == "data_vision"]
    assert gap.kind == "missing" and "still empty" in gap.detail


def test_the_best_of_several_team_submissions_is_used(tmp_path: Path) -> None:
    course = tmp_path / "course"
    graded(course, ROUTINES, learner="riverton-good", answers=GOOD_A)
    graded(
        course,
        ROUTINES,
        learner="riverton-weak",
        answers={**GOOD_A, "target_days": 99},
        failing={"check-target": "99 is slower"},
    )
    result = build_strategy(city="riverton", course_dir=course, out=tmp_path / "out")
    assert result.strategy.answers["target_days"] == 3.5
    assert not [g for g in result.strategy.gaps if g.answer == "target_days"]


def test_a_submission_that_failed_to_execute_stops_the_build_and_keeps_the_good_strategy(
    tmp_path: Path,
) -> None:
    course, out = tmp_path / "course", tmp_path / "out"
    graded(course, ROUTINES, answers=GOOD_A)
    build_strategy(city="riverton", course_dir=course, out=out)
    before = {p.name: p.read_bytes() for p in (out / "riverton").iterdir()}
    graded(course, PROTOCOL, answers=None, crash_in="answer-protocol-roles")
    with pytest.raises(CdaError) as err:
        build_strategy(city="riverton", course_dir=course, out=out)
    text = str(err.value)
    assert "failed to execute" in text and "answer-protocol-roles" in text
    assert "NameError" in text and "cda course autograde" in text
    after = {p.name: p.read_bytes() for p in (out / "riverton").iterdir()}
    assert after == before  # the last good strategy is untouched
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no half-built folder


def test_the_word_copy_has_every_section_heading_and_the_pdf_has_the_roadmap_chart(
    tmp_path: Path,
) -> None:
    from docx import Document
    from pypdf import PdfReader

    graded(tmp_path / "course", ROUTINES, answers=GOOD_A)
    result = build_strategy(city="riverton", course_dir=tmp_path / "course", out=tmp_path / "out")
    doc = Document(str(result.folder / "strategy.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for number, section in enumerate(result.strategy.sections, start=1):
        assert f"{number}. {section.title}" in headings
    pictures = doc.inline_shapes
    assert len(pictures) == 1 and pictures[0]._inline.docPr.get("descr", "").startswith(
        "Grid chart"
    )
    reader = PdfReader(io.BytesIO((result.folder / "strategy.pdf").read_bytes()))
    roadmap_pages = [p for p in reader.pages if "Three-year roadmap" in (p.extract_text() or "")]
    assert roadmap_pages and any(len(p.images) >= 1 for p in roadmap_pages)
