"""The strategy reads the month-6 studio's graded answers: the team's own executive summary, the
points settled, the actions kept against the budget, the confirmed leads and the mayor's sign-off.
A strategy without a recorded decision says "Not signed yet".

Course folders hold what the grader leaves (see test_strategy_inputs.py): Riverton's coherent answers
(strategy_helpers.py) plus, where a test needs it, a graded studio submission.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest

from cohort_tools.core import paths
from cohort_tools.strategy import StrategyResult, build_strategy, review
from cohort_tools.strategy.prose import generated_text
from tests.functional.strategy_helpers import (
    codes_in,
    coherent,
    visible_docx,
    visible_html,
    write_course,
)
from tests.functional.test_strategy_inputs import graded

STUDIO_NOTEBOOK = "m6_strategy_studio"
RIVERTON = paths.DEMO_COHORT_FILE.parent / "cities" / "riverton"
WHY = "Residents want fast and fair service, and our own numbers show where we fall short."
PEOPLE = "We will train staff in the skills they lack and hire two experts we cannot grow."
RESIDENTS = "You will see how fast we fix what you report, street by street, on our website."
ASK = "We ask the mayor to approve this plan and a budget of $1.1 million over three years."
STUDIO: dict[str, Any] = {
    "resolutions": [],
    "strategy_budget_usd": 1_100_000.0,
    "priorities": {
        "training 1": 1,
        "training 2": 2,
        "training 3": 3,
        "training 4": 1,
        "hire 1": 1,
        "hire 2": 2,
        "hire 3": 2,
        "investment 1": 1,
        "investment 2": 1,
        "investment 3": 2,
        "investment 4": "later",
    },
    "goal_leads": {"people": "chief data officer", "fair": "equity and accountability lead"},
    "executive_summary": {
        "why": WHY,
        "goals": {
            "use": "Our leaders will check a few key numbers every two weeks and act on them.",
            "govern": "Every dataset will have an owner, and key data will meet a written standard.",
            "people": PEOPLE,
            "open": "We will put more city data online and ask residents what they need from it.",
            "fair": "We will ask about people the same way in every service.",
        },
        "residents": RESIDENTS,
        "ask": ASK,
    },
    "sign_off": {"role": "mayor", "date": "2027-07-06", "decision": "approve", "changes": ""},
}


def studio(**changes: Any) -> dict[str, Any]:
    answers = copy.deepcopy(STUDIO)
    answers.update(changes)
    return answers


def build(
    tmp_path: Path,
    studio_answers: dict[str, Any] | None,
    answers: dict[str, dict[str, Any]] | None = None,
    failing: dict[str, str] | None = None,
) -> StrategyResult:
    course = write_course(tmp_path / "course", answers)
    if studio_answers is not None:
        graded(course, STUDIO_NOTEBOOK, answers=studio_answers, failing=failing)
    return build_strategy(city="riverton", course_dir=course, out=tmp_path / "out")


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(path.read_bytes())).pages]


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> StrategyResult:
    return build(tmp_path_factory.mktemp("signed"), STUDIO)


@pytest.fixture(scope="module")
def unsigned(tmp_path_factory: pytest.TempPathFactory) -> StrategyResult:
    return build(tmp_path_factory.mktemp("unsigned"), None)


def test_the_executive_summary_is_the_team_s_own_words_when_the_studio_is_done(
    signed: StrategyResult,
) -> None:
    summary = signed.strategy.front[0]
    team = [b for b in summary.blocks if getattr(b, "team", False)]
    words = " ".join(getattr(b, "text", "") + " ".join(getattr(b, "items", [])) for b in team)
    for sentence in (WHY, PEOPLE, RESIDENTS, ASK):
        assert sentence in words, sentence
    generated = generated_text(summary.blocks)
    assert "Build the skills staff lack most" not in generated  # the generated goal sentence
    assert "Faster help:" not in generated  # the generated resident changes
    html = visible_html((signed.folder / "strategy.html").read_text(encoding="utf-8"))
    docx = visible_docx(signed.folder / "strategy.docx")
    for sentence in (WHY, PEOPLE, RESIDENTS, ASK):
        assert sentence in html and sentence in docx, sentence
    pages = pdf_pages(signed.folder / "strategy.pdf")
    assert "Our vision" in pages[1] and "$1.1 million over three years" in " ".join(
        pages[1].split()
    )
    assert pages[2].splitlines()[0] == "Where the city stands today"  # still one page


def test_the_mayor_s_sign_off_fills_the_sign_off_block_in_every_format(
    signed: StrategyResult,
) -> None:
    sentence = "The mayor of Riverton approved this strategy on July 6, 2027."
    s = signed.strategy
    assert s.signed and s.studio.sign_off is not None and s.studio.sign_off.role == "mayor"
    html = visible_html((signed.folder / "strategy.html").read_text(encoding="utf-8"))
    assert html.count(sentence) == 2  # the title page and the sign-off block
    assert "Not signed yet" not in html
    docx = visible_docx(signed.folder / "strategy.docx")
    assert sentence in docx and "approved july 6, 2027" in docx.lower()  # the running header
    pages = pdf_pages(signed.folder / "strategy.pdf")
    assert sentence in " ".join(pages[-1].split())
    assert all("Approved July 6, 2027" in p for p in pages[1:])  # the running header
    report = json.loads((signed.folder / "completeness.json").read_text(encoding="utf-8"))
    assert report["studio"]["signed"] and report["studio"]["decision"] == "approve"


def test_an_unsigned_strategy_says_not_signed_yet(unsigned: StrategyResult) -> None:
    s = unsigned.strategy
    assert not s.signed and not s.studio.done and s.ready_to_sign  # complete, just not signed
    html = visible_html((unsigned.folder / "strategy.html").read_text(encoding="utf-8"))
    assert "Not signed yet." in html and "approved this strategy" not in html
    assert "Not signed yet." in visible_docx(unsigned.folder / "strategy.docx")
    pages = pdf_pages(unsigned.folder / "strategy.pdf")
    assert "Not signed yet." in pages[-1] and "Draft for signature" in pages[1]
    assert "Sign-off: Not signed yet." in (unsigned.folder / "completeness.md").read_text(
        encoding="utf-8"
    )
    report = json.loads((unsigned.folder / "completeness.json").read_text(encoding="utf-8"))
    assert report["studio"] == {
        "done": False,
        "signed": False,
        "sign_off": "Not signed yet.",
        "decision": None,
        "points_in_draft": 0,
        "points_kept": 0,
        "actions_left_for_later": 0,
    }
    # Without the studio the draft proposes who leads; the summary is the generated one.
    assert "(proposed)" in html
    assert "Build the skills staff lack most" in generated_text(s.front[0].blocks)


def test_not_yet_reads_not_signed_yet_with_the_changes_the_mayor_asked_for(
    tmp_path: Path,
) -> None:
    asked = "Cost the data warehouse before it comes back in year 3."
    result = build(
        tmp_path,
        studio(
            sign_off={
                "role": "mayor",
                "date": "2027-07-06",
                "decision": "not yet",
                "changes": asked,
            }
        ),
    )
    assert not result.strategy.signed
    html = visible_html((result.folder / "strategy.html").read_text(encoding="utf-8"))
    assert "Not signed yet: on July 6, 2027 the mayor asked the team to change it first." in html
    assert asked in html
    assert "Draft for the mayor's signature" in html


def test_priorities_change_the_plan_its_costs_and_the_roadmap(signed: StrategyResult) -> None:
    s = signed.strategy
    assert "Shared data warehouse" not in [a.text for a in s.actions]
    assert s.total_cost == 1_217_000 - 150_000
    assert s.studio.deferred == ["investment 4"] and s.studio.budget == 1_100_000
    roadmap = next(sec for sec in s.sections if sec.id == "roadmap")
    text = " ".join(getattr(b, "text", "") for b in roadmap.blocks)
    assert "budget of $1.10 million" in text and "shared data warehouse" in text
    summary = " ".join(getattr(b, "text", "") for b in s.front[0].blocks)
    assert "Left for after year 3: shared data warehouse." in summary
    appendix = next(a for a in s.appendices if a.id == "appendix-studio")
    assert appendix.title.startswith("Appendix ") and "strategy studio" in appendix.title
    items = [i for b in appendix.blocks for i in getattr(b, "items", [])]
    assert "Shared data warehouse ($150,000): left for after year 3." in items
    assert not s.flags and not s.gaps and s.ready_to_sign


def test_confirmed_leads_replace_the_proposed_owners(signed: StrategyResult) -> None:
    s = signed.strategy
    assert not [a for a in s.actions if a.owner_from == "proposed"]
    people = [a for a in s.actions if a.goal == "people" and a.owner_from == "confirmed"]
    assert people and {a.owner for a in people} == {"chief data officer"}
    html = (signed.folder / "strategy.html").read_text(encoding="utf-8")
    assert "(proposed)" not in html


def test_no_code_or_snake_case_identifier_reaches_the_signed_document(
    signed: StrategyResult,
) -> None:
    html = visible_html((signed.folder / "strategy.html").read_text(encoding="utf-8"))
    assert codes_in(html, RIVERTON) == []
    assert codes_in(visible_docx(signed.folder / "strategy.docx"), RIVERTON) == []


def test_the_studio_s_decisions_settle_the_points_and_a_kept_stretch_target_is_not_one(
    tmp_path: Path,
) -> None:
    answers = coherent()
    answers["m2_workshop_b_workforce"]["workforce_budget_usd"] = 3_400_000.0  # 3.5x the plans
    answers["m1_workshop_a_data_routines"]["target_days"] = 2.0  # more than halves 4.74 in a year
    course = write_course(tmp_path / "course", answers)
    draft, _ = review(city="riverton", course_dir=course, studio={})
    assert draft is not None
    assert [(p.number, p.check, p.answer, p.keepable) for p in draft.points] == [
        (1, "target-unsupported", "target_days", True),
        (2, "budget-unplanned", "workforce_budget_usd", False),
    ]
    assert draft.points[1].suggestion == 1_081_000  # what the plans cost, plus 10%
    assert len(draft.flags) == 2 and len(draft.left) == 2

    decided = studio(
        resolutions=[
            {
                "point": 1,
                "decision": "keep",
                "why": "a second crew starts in March, so we expect a much faster year",
            },
            {
                "point": 2,
                "decision": "change",
                "answer": "workforce_budget_usd",
                "value": draft.points[1].suggestion,
                "note": "what the plans cost, plus 10%",
            },
        ]
    )
    graded(course, STUDIO_NOTEBOOK, answers=decided)
    result = build_strategy(city="riverton", course_dir=course, out=tmp_path / "out")
    s = result.strategy
    assert s.flags == [] and s.left == [] and s.ready_to_sign
    assert s.answers["workforce_budget_usd"] == 1_081_000
    assert [p.number for p, _ in s.studio.kept] == [1]
    appendix = next(a for a in s.appendices if a.id == "appendix-studio")
    items = [i for b in appendix.blocks for i in getattr(b, "items", [])]
    assert "The workforce budget changed: what the plans cost, plus 10%." in items
    assert any("The team keeps it: a second crew starts in March" in i for i in items)


def test_a_studio_answer_whose_checkpoint_failed_is_a_gap_and_is_not_applied(
    tmp_path: Path,
) -> None:
    result = build(tmp_path, STUDIO, failing={"check-sign-off": "the date is outside the program."})
    s = result.strategy
    [gap] = s.gaps
    assert gap.answer == "sign_off" and gap.kind == "inconsistent"
    assert gap.session_id == "strategy-studio" and "outside the program" in gap.detail
    assert not s.signed and s.studio.sign_off is None
    assert "Not signed yet." in visible_html(
        (result.folder / "strategy.html").read_text(encoding="utf-8")
    )


def test_an_empty_list_of_points_is_an_answer_but_a_missing_summary_is_a_gap(
    tmp_path: Path,
) -> None:
    answers = studio()
    answers["executive_summary"] = None
    s = build(tmp_path, answers).strategy
    assert [(g.answer, g.kind) for g in s.gaps] == [("executive_summary", "missing")]
    assert s.studio.done and s.studio.summary is None and s.signed  # the rest still applies


def test_studio_values_the_strategy_cannot_read_leave_the_draft_with_a_gap_that_says_so(
    tmp_path: Path,
) -> None:
    broken = studio(
        resolutions=[
            {
                "decision": "change",
                "answer": "governance_model",
                "value": {"body": "Board", "members": 5},
            }
        ]
    )
    result = build(tmp_path, broken)
    s = result.strategy
    [gap] = s.gaps
    assert gap.answer == "resolutions" and "could not use the studio's decisions" in gap.detail
    assert not s.studio.done and not s.signed  # the draft, without any studio decision
    assert (result.folder / "strategy.pdf").is_file()
