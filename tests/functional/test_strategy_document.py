"""The strategy as a document a mayor signs, built from a whole, coherent set of answers; and each
deliberately broken answer flagged with the workshop that produces it.

The course folders hold what the grader leaves (see test_strategy_inputs.py), so each case is exact
and fast. The demo's three cities are checked the same way in tests/integration.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import textstat

from cohort_tools.core import paths
from cohort_tools.lessons.coherence import compare_target, on_team
from cohort_tools.strategy import Strategy, StrategyResult, build_strategy, review
from cohort_tools.strategy.prose import generated_text
from cohort_tools.strategy.render import completeness, completeness_markdown
from tests.functional.strategy_helpers import (
    codes_in,
    coherent,
    visible_docx,
    visible_html,
    write_course,
)

RIVERTON = paths.DEMO_COHORT_FILE.parent / "cities" / "riverton"
MAX_GRADE = 10.0


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> StrategyResult:
    root = tmp_path_factory.mktemp("coherent")
    course = write_course(root / "course")
    return build_strategy(city="riverton", course_dir=course, out=root / "out")


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(path.read_bytes())).pages]


def test_a_coherent_plan_is_complete_with_nothing_to_settle(built: StrategyResult) -> None:
    s = built.strategy
    assert [g.line() for g in s.gaps] == []
    assert [f.line() for f in s.flags] == []
    assert s.ready_to_sign
    report = json.loads((built.folder / "completeness.json").read_text(encoding="utf-8"))
    assert report["ready_to_sign"] and report["to_resolve"] == []


def test_no_code_or_snake_case_identifier_reaches_the_html_the_word_copy_or_the_summary(
    built: StrategyResult,
) -> None:
    html = visible_html((built.folder / "strategy.html").read_text(encoding="utf-8"))
    assert "Fire and Rescue" in html and "Potholes repaired within 3 business days" in html
    assert codes_in(html, RIVERTON) == []
    assert codes_in(visible_docx(built.folder / "strategy.docx"), RIVERTON) == []
    public = visible_html((built.folder / "public-summary.html").read_text(encoding="utf-8"))
    assert codes_in(public, RIVERTON) == []


def test_every_action_has_an_owner_on_the_team_a_start_a_finish_and_a_measure(
    built: StrategyResult,
) -> None:
    s = built.strategy
    assert len(s.actions) >= 10
    for a in s.actions:
        assert a.owner and on_team(a.owner, s.team_roles), (a.text, a.owner)
        assert a.start is not None and a.finish is not None and a.start <= a.finish, a.text
        assert a.measure, a.text
    html = (built.folder / "strategy.html").read_text(encoding="utf-8")
    assert "date to be set" not in html and "no owner yet" not in html


def test_the_engagement_plan_is_a_few_actions_with_the_full_list_in_an_appendix(
    built: StrategyResult,
) -> None:
    engagement = [a for a in built.strategy.actions if a.source == "engagement_plan"]
    assert 1 <= len(engagement) <= 3
    appendix = next(s for s in built.strategy.appendices if s.id == "appendix-engagement")
    assert len(appendix.blocks[0].rows) == 10  # type: ignore[union-attr]


def test_no_target_is_at_or_below_today_s_figure(built: StrategyResult) -> None:
    measures = built.strategy.measures
    assert len(measures) >= 6
    for m in measures:
        assert m.target_value is not None, m.name
        assert m.today_value is not None
        assert (
            compare_target(m.today_value, m.target_value, higher_is_better=m.higher_is_better)
            is None
        ), m.name


def test_the_executive_summary_fits_one_pdf_page_after_the_title_page(
    built: StrategyResult,
) -> None:
    pages = pdf_pages(built.folder / "strategy.pdf")
    assert "Executive summary" not in pages[0].split("Contents")[0]
    summary = [
        i for i, text in enumerate(pages) if "Our vision" in text and "Executive summary" in text
    ]
    assert summary == [1], summary
    for heading in (
        "Goals",
        "What changes for residents",
        "What it costs",
        "What the mayor is asked to approve",
    ):
        assert heading in pages[1], heading
    assert pages[1].splitlines()[0] == "Executive summary"
    assert pages[2].splitlines()[0] == "Where the city stands today"  # the next page starts anew
    assert "$1.22 million" in pages[1]  # the three-year cost


def test_the_pdf_has_a_title_page_running_header_page_numbers_tags_and_no_anchor_marks(
    built: StrategyResult,
) -> None:
    from pypdf import PdfReader

    path = built.folder / "strategy.pdf"
    pages = pdf_pages(path)
    assert "Page 1 of" not in pages[0] and "Riverton citywide data strategy" in pages[0]
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in text
        assert "Riverton citywide data strategy" in text  # the running header
    assert not any("¶" in text for text in pages)
    catalog = PdfReader(io.BytesIO(path.read_bytes())).trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]


def test_the_word_copy_has_real_heading_styles_a_running_header_and_unsplittable_rows(
    built: StrategyResult,
) -> None:
    from docx import Document

    doc = Document(str(built.folder / "strategy.docx"))
    styles = {p.style.name for p in doc.paragraphs}
    assert {"Title", "Heading 1", "Heading 2"} <= styles
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["Executive summary", "Where the city stands today"]
    assert "Riverton citywide data strategy" in doc.sections[0].header.paragraphs[0].text
    footer = doc.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    for table in doc.tables:
        assert (
            table.rows[0]._tr.trPr.find(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader"
            )
            is not None
        )
        assert all("cantSplit" in row._tr.xml for row in table.rows)


def test_the_public_summary_is_one_page_for_residents(built: StrategyResult) -> None:
    pages = pdf_pages(built.folder / "public-summary.pdf")
    assert len(pages) == 1
    text = pages[0]
    for heading in ("What we want", "What will change for you", "How we keep your data safe"):
        assert heading in text
    assert "Counts under 11" in text or "count under 11" in text
    assert "(proposed)" not in text and "chief data officer" not in text.lower()


def test_generated_prose_reads_at_us_grade_10_or_below(built: StrategyResult) -> None:
    s = built.strategy
    blocks = [b for sec in [*s.front, *s.sections] for b in sec.blocks] + list(s.public)
    text = generated_text(blocks)
    assert len(text.split()) > 400
    grade = textstat.flesch_kincaid_grade(text)
    print(f"generated prose: Flesch-Kincaid grade {grade}")
    assert grade <= MAX_GRADE
    summary = generated_text(s.front[0].blocks)
    assert textstat.flesch_kincaid_grade(summary) <= MAX_GRADE


def test_the_rubric_scores_seven_criteria_with_evidence(built: StrategyResult) -> None:
    rubric = built.strategy.rubric
    assert [r.criterion for r in rubric] == [
        "vision",
        "measurable",
        "owners",
        "resourced",
        "equity",
        "transparency",
        "feasibility",
    ]
    assert all(0 <= r.score <= 3 and r.evidence and r.next_step for r in rubric)
    assert {r.criterion: r.score for r in rubric}["measurable"] == 3
    report = json.loads((built.folder / "completeness.json").read_text(encoding="utf-8"))
    assert [r["criterion"] for r in report["rubric"]] == [r.criterion for r in rubric]


# -- deliberately broken answers -------------------------------------------------------------------


def _broken(tmp_path: Path, workshop: str, change: dict[str, Any]) -> Strategy:
    answers = coherent()
    answers[workshop].update(change)
    strategy, problems = review(city="riverton", course_dir=write_course(tmp_path / "c", answers))
    assert strategy is not None and not problems
    return strategy


def _hiring_without_a_date() -> list[dict[str, Any]]:
    plan = coherent()["m2_workshop_b_workforce"]["hiring_plan"]
    del plan[2]["year"]
    return list(plan)


def _engagement_with_a_stranger() -> list[dict[str, Any]]:
    plan = coherent()["m3_workshop_a_stakeholders"]["engagement_plan"]
    plan[-1]["owner"] = "parks director"
    return list(plan)


BROKEN = [
    pytest.param(
        "m1_workshop_a_data_routines",
        {"target_days": 5.5},
        "target-met",
        "target_days",
        "m1-workshop-a",
        "Data routines (Module 1, workshop A)",
        id="target-below-baseline",
    ),
    pytest.param(
        "m1_workshop_a_data_routines",
        {"priority_metrics": ["CE-INSP", "CS-ANS60", "PW-POT3"]},
        "target-met",
        "priority_metrics",
        "m1-workshop-a",
        "Data routines (Module 1, workshop A)",
        id="metric-target-already-met",
    ),
    pytest.param(
        "m3_workshop_d_transparency",
        {"transparency_targets": {"published": 0.667, "documented": 0.8, "fresh": 0.8}},
        "target-not-better",
        "transparency_targets",
        "m3-workshop-d",
        "Transparency and open data (Module 3, workshop D)",
        id="target-same-as-today",
    ),
    pytest.param(
        "m2_workshop_b_workforce",
        {"workforce_budget_usd": 500_000.0},
        "budget-overrun",
        "workforce_budget_usd",
        "m2-workshop-b",
        "Data workforce strategy (Module 2, workshop B)",
        id="budget-overrun",
    ),
    pytest.param(
        "m3_workshop_a_stakeholders",
        {"engagement_plan": _engagement_with_a_stranger()},
        "owner-not-on-team",
        "engagement_plan",
        "m3-workshop-a",
        "Stakeholder map and engagement plan (Module 3, workshop A)",
        id="unknown-owner",
    ),
    pytest.param(
        "m2_workshop_b_workforce",
        {"hiring_plan": _hiring_without_a_date()},
        "action-no-date",
        "hiring_plan",
        "m2-workshop-b",
        "Data workforce strategy (Module 2, workshop B)",
        id="action-without-date",
    ),
]


@pytest.mark.parametrize("workshop,change,check,answer,session,workshop_name", BROKEN)
def test_each_broken_answer_is_flagged_with_the_workshop_that_produces_it(
    tmp_path: Path,
    workshop: str,
    change: dict[str, Any],
    check: str,
    answer: str,
    session: str,
    workshop_name: str,
) -> None:
    strategy = _broken(tmp_path, workshop, change)
    flags = [f for f in strategy.flags if f.check == check]
    assert len(flags) == 1, [f.line() for f in strategy.flags]
    [flag] = flags
    assert (flag.answer, flag.session_id, flag.workshop) == (answer, session, workshop_name)
    assert flag.notebook == f"workshops/{workshop}.md"
    assert not strategy.ready_to_sign
    report = completeness(strategy)
    assert [r["session"] for r in report["to_resolve"] if r["check"] == check] == [session]
    assert workshop_name in completeness_markdown(strategy)
    assert codes_in(flag.problem, RIVERTON) == [], flag.problem  # the flag speaks in names too


def test_a_flagged_target_is_shown_as_to_be_set_never_as_a_target(tmp_path: Path) -> None:
    strategy = _broken(
        tmp_path,
        "m1_workshop_a_data_routines",
        {"priority_metrics": ["CE-INSP", "CS-ANS60", "PW-POT3"]},
    )
    [met] = [m for m in strategy.measures if m.name.startswith("Code complaints")]
    assert met.target == "to be set" and met.target_value is None
    assert "already met today" in met.note


def test_an_undated_action_is_listed_as_not_yet_dated_on_the_roadmap(tmp_path: Path) -> None:
    strategy = _broken(
        tmp_path, "m2_workshop_b_workforce", {"hiring_plan": _hiring_without_a_date()}
    )
    [undated] = [a for a in strategy.actions if a.start is None]
    assert undated.text == "Hire 1 data analyst"
    roadmap = next(s for s in strategy.sections if s.id == "roadmap")
    headings = [getattr(b, "text", "") for b in roadmap.blocks]
    assert "Not yet dated" in headings
