"""The month-6 strategy studio notebook on graded courses.

- Its solutions pass every checkpoint on the three demo cities, run on the demo's graded course
  (Port Alder's team, which skipped Module 3 in the demo, hands it in here first).
- Each common wrong answer fails its checkpoint with a plain hint, on a hand-made course whose draft
  has three known points to settle (a stretch target, a budget 3.5 times its plans, an owner who is
  not on the team).
- Without graded workshops the notebook says what is missing, and a workshop left out is named.
- In `cda demo`, the studio is graded after the other workshops and the strategies read it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from notebook_runs import (
    assert_hints,
    cell_text,
    check_wrong_answers,
    checking_forms,
    execute,
    form_errors,
    grade_ids,
    run_graded,
    with_answers,
    wrong_answer_cases,
)

from cohort_tools.core import paths
from cohort_tools.core.i18n import gettext, source_for
from cohort_tools.course.grade import autograde, copy_course
from cohort_tools.course.layout import Course, assignment_id
from cohort_tools.course.samples import sample_notebook, write_submission
from cohort_tools.model.cohort import load_cohort
from cohort_tools.notebooks.myst import read_myst
from cohort_tools.strategy import review
from tests.functional.strategy_helpers import coherent, visible_html, write_course

pytestmark = pytest.mark.slow

STUDIO = paths.workshops_dir() / "m6_strategy_studio.md"
CITIES = [c.id for c in load_cohort(None).cities]


def solution_run(city: str, course: Path, tmp_path: Path) -> dict[str, str]:
    """The studio's model answers graded on ``city``, in the city's own edition (Spanish for
    Puerto Arrayán)."""
    source = source_for(STUDIO, load_cohort(None).city(city).lang)
    nb = checking_forms(read_myst(source.read_text(encoding="utf-8")))
    return run_graded(nb, city, tmp_path, {"course_dir": str(course)})


@pytest.fixture(scope="module")
def demo_course(demo_run: tuple[Any, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo's graded course, where Port Alder's team has handed in Module 3 too."""
    result, out = demo_run
    assert result.exit_code == 0, result.output
    course = Course(copy_course(out / "course", tmp_path_factory.mktemp("demo") / "course"))
    learner = "port-alder-module-3"
    for workshop in sorted(p.stem for p in paths.workshops_dir().glob("m3_*.md")):
        aid = assignment_id(workshop, "port-alder")
        write_submission(course, learner, aid, sample_notebook(course, aid, "correct"))
    report = autograde(course_dir=course.root, jobs=2, students=[learner])
    assert report.ok and len(report.results) == 4, report.summary()
    return course.root


@pytest.mark.parametrize("city", CITIES)
def test_studio_solutions_pass_every_checkpoint_on_each_demo_city(
    city: str, demo_course: Path, tmp_path: Path
) -> None:
    out = solution_run(city, demo_course, tmp_path)
    assert not form_errors(out), form_errors(out)  # each model answer is one its form can give
    checks = {gid: text for gid, text in out.items() if gid.startswith("check-")}
    assert len(checks) == 8
    passed = gettext("Checkpoint passed: {title}", language=load_cohort(None).city(city).lang)
    for gid, text in checks.items():
        assert passed.split(":")[0] in text, (city, gid, text)


# -- wrong answers on a course with known points --------------------------------------------------


@pytest.fixture(scope="module")
def known_points(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Riverton's coherent answers with three points to settle, graded (see the module note)."""
    answers = coherent()
    answers["m1_workshop_a_data_routines"]["target_days"] = 2.0  # more than halves 4.74 days
    answers["m2_workshop_b_workforce"]["workforce_budget_usd"] = 3_400_000.0
    answers["m3_workshop_a_stakeholders"]["engagement_plan"][-1]["owner"] = "communications lead"
    course = write_course(tmp_path_factory.mktemp("points") / "course", answers)
    draft, _ = review(city="riverton", course_dir=course, studio={})
    assert draft is not None
    assert [(p.check, p.keepable) for p in draft.points] == [
        ("target-unsupported", True),
        ("budget-unplanned", False),
        ("owner-not-on-team", False),
    ]
    return course


SETTLE = (
    'resolutions = [{"point": 1, "decision": "keep", "why": "a second crew starts in March, so we '
    'expect a much faster year"}] + [{"point": p.number, "decision": "change", "answer": p.answer, '
    '"value": p.suggestion} for p in points[1:]]'
)
ALL_KEPT = "priorities = {a.key: a.year for a in costed}"
SUMMARY = (
    'executive_summary = {"why": WHY, "goals": {g: "We will do this well, step by step, every '
    'year." for g in plan_goals}, "residents": "You will get help faster and see more of our '
    'data.", "ask": "We ask the mayor to approve this plan and its budget."}'
)
CASES: list[tuple[dict[str, str], dict[str, str]]] = [
    ({"answer-resolutions": "resolutions = []"}, {"check-resolutions": "one line for each point"}),
    (
        {
            "answer-resolutions": 'resolutions = [{"point": 2, "decision": "keep", "why": "the '
            'mayor wants room to grow the team later on"}]'
        },
        {"check-resolutions": "only a target the history cannot support may be kept"},
    ),
    (
        {
            "answer-resolutions": 'resolutions = [{"point": 2, "decision": "change", "answer": '
            '"budget", "value": 1000000}]'
        },
        {"check-resolutions": "name the answer as the points list has it"},
    ),
    (
        {
            "answer-resolutions": SETTLE.replace(
                '"value": p.suggestion', '"value": p.suggestion if p.number != 2 else 3000000'
            )
        },
        {"check-resolutions": "Lower the budget to what the plans cost plus a margin"},
    ),
    (
        {
            "answer-resolutions": SETTLE.replace(
                "a second crew starts in March, so we expect a much faster year", "stretch"
            )
        },
        {"check-resolutions": "say what will change in how the work is done"},
    ),
    (
        {"answer-strategy-budget": "strategy_budget_usd = 1.2"},
        {"check-strategy-budget": "write the full number of dollars"},
    ),
    (
        {"answer-strategy-budget": "strategy_budget_usd = 1e10"},
        {"check-strategy-budget": "stay within 5% of three years"},
    ),
    (
        {
            "answer-strategy-budget": "strategy_budget_usd = 2e6",
            "answer-priorities": 'priorities = {"training 1": 1}',
        },
        {"check-priorities": 'give every action in the table a year (1, 2 or 3) or "later"'},
    ),
    (
        {
            "answer-strategy-budget": "strategy_budget_usd = 2e6",
            "answer-priorities": 'priorities = {**{a.key: a.year for a in costed}, "investment 9": 1}',
        },
        {"check-priorities": "copy the action names from the table"},
    ),
    (
        {
            "answer-strategy-budget": "strategy_budget_usd = 2e6",
            "answer-priorities": "priorities = {a.key: 4 for a in costed}",
        },
        {"check-priorities": 'write a year from 1 to 3, or "later"'},
    ),
    (
        {"answer-strategy-budget": "strategy_budget_usd = 500000", "answer-priorities": ALL_KEPT},
        {"check-priorities": "move a hire to a later year, leave an action for later, or raise"},
    ),
    (
        {"answer-strategy-budget": "strategy_budget_usd = 5e6", "answer-priorities": ALL_KEPT},
        {"check-priorities": "lower the budget to what the actions cost plus a margin"},
    ),
    (
        {"answer-goal-leads": 'goal_leads = {"people": "Jordan Smith", "fair": "equity lead"}'},
        {"check-goal-leads": "use a goal from the table and one of these roles"},
    ),
    (
        {"answer-goal-leads": "goal_leads = {}"},
        {"check-goal-leads": "confirm the proposed lead of each goal"},
    ),
    (
        {
            "answer-executive-summary": 'WHY = " ".join(["Our residents deserve better service."] * '
            "12)\n" + SUMMARY
        },
        {"check-executive-summary": "cut it to the one thing a busy reader must know"},
    ),
    (
        {
            "answer-executive-summary": 'WHY = "We will grow data_ethics and data_literacy in '
            'every department."\n' + SUMMARY
        },
        {"check-executive-summary": "write names in everyday words"},
    ),
    (
        {
            "answer-executive-summary": 'WHY = "We want to do better for residents."\n'
            + SUMMARY.replace("for g in plan_goals", "for g in []")
        },
        {"check-executive-summary": 'write one sentence for "use"'},
    ),
    (
        {
            "answer-executive-summary": 'WHY = "Institutional modernization operationalizes '
            "interdepartmental accountability, standardizing organizational documentation "
            'requirements."\n'
            + SUMMARY.replace(
                "We will do this well, step by step, every year.",
                "Comprehensive institutionalization of analytical capabilities.",
            )
        },
        {"check-executive-summary": "use shorter sentences and everyday words"},
    ),
    (
        {
            "answer-sign-off": 'sign_off = {"role": "Jordan Smith", "date": signoff_day.isoformat(), '
            '"decision": "approve", "changes": ""}'
        },
        {"check-sign-off": "never a name"},
    ),
    (
        {
            "answer-sign-off": 'sign_off = {"role": "mayor", "date": "2020-01-06", "decision": '
            '"approve", "changes": ""}'
        },
        {"check-sign-off": "write the day of the sign-off check-in"},
    ),
    (
        {
            "answer-sign-off": 'sign_off = {"role": "mayor", "date": "next week", "decision": '
            '"approve", "changes": ""}'
        },
        {"check-sign-off": "write it like"},
    ),
    (
        {
            "answer-sign-off": 'sign_off = {"role": "mayor", "date": signoff_day.isoformat(), '
            '"decision": "approve with changes", "changes": ""}'
        },
        {"check-sign-off": "write what the mayor asked to change"},
    ),
    (
        {
            "answer-sign-off": 'sign_off = {"role": "mayor", "date": signoff_day.isoformat(), '
            '"decision": "yes", "changes": ""}'
        },
        {"check-sign-off": 'write "approve", "approve with changes" or "not yet"'},
    ),
    (
        # Leaving the first hire for later leaves a role to hire out of the plan and a staffing
        # path the hires cannot reach: the final checks name both.
        {
            "answer-resolutions": SETTLE,
            "answer-strategy-budget": "strategy_budget_usd = 800000",
            "answer-priorities": '{**{a.key: a.year for a in costed}, "hire 1": "later"}'.join(
                ["priorities = ", ""]
            ),
        },
        {
            "check-complete": "Add a line for each role",
            "check-coherent": "Add the missing hires to the hiring plan, or lower the path",
        },
    ),
]


@pytest.mark.parametrize(("source", "answers", "hints"), wrong_answer_cases(studio=(STUDIO, CASES)))
def test_common_wrong_studio_answers_fail_with_a_helpful_hint(
    source: Path,
    answers: dict[str, str],
    hints: dict[str, str],
    known_points: Path,
    tmp_path: Path,
) -> None:
    check_wrong_answers(
        source, answers, hints, tmp_path, parameters={"course_dir": str(known_points)}
    )


def test_settling_every_point_and_keeping_what_the_budget_pays_for_passes(
    known_points: Path, tmp_path: Path
) -> None:
    nb = read_myst(STUDIO.read_text(encoding="utf-8"))
    out = run_graded(nb, "riverton", tmp_path, {"course_dir": str(known_points)})
    assert all("Checkpoint passed" in t for g, t in out.items() if g.startswith("check-")), out


def test_a_workshop_left_out_is_named_by_the_completeness_checkpoint(
    known_points: Path, tmp_path: Path
) -> None:
    course = tmp_path / "course"
    shutil.copytree(known_points, course)
    shutil.rmtree(
        course / "autograded" / "riverton-aaaa1111" / "m1_workshop_b_data_use_protocol--riverton"
    )
    out = solution_run("riverton", course, tmp_path)
    assert_hints(
        out,
        {
            "check-complete": "finish The data-use protocol (Module 1, workshop B) and have it graded again"
        },
    )
    assert "Checkpoint passed" in out["check-coherent"]


def test_without_graded_workshops_the_studio_says_what_is_missing(tmp_path: Path) -> None:
    from notebook_runs import execute

    nb = execute(read_myst(STUDIO.read_text(encoding="utf-8")), "riverton", tmp_path)
    shown = "\n".join(
        o.get("data", {}).get("text/markdown", "") for c in nb.cells for o in c.get("outputs", [])
    )
    assert "There is no draft to work on yet." in shown and "no course folder was given" in shown
    errors = {
        o["ename"] for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"
    }
    assert errors == {"CheckpointFailed"}


# -- the demo: graded after the other workshops, read by the strategy -------------------------------


def test_in_the_demo_the_studio_is_graded_after_the_workshops_and_fills_the_strategy(
    demo_run: tuple[Any, Path],
) -> None:
    result, out = demo_run
    assert result.exit_code == 0, result.output
    for city in ("riverton", "cedar-bend"):
        strategy, problems = review(city=city, course_dir=out / "course")
        assert strategy is not None and not problems
        # The best submission passed every checkpoint: the draft was there when it was graded.
        assert strategy.studio.done and strategy.signed, city
        assert strategy.studio.summary is not None and not strategy.flags and not strategy.gaps
        html = visible_html((out / "strategy" / city / "strategy.html").read_text(encoding="utf-8"))
        assert strategy.studio.summary.why in html
        assert f"The mayor of {strategy.city_name} approved this strategy on" in html
    report = json.loads(
        (out / "strategy" / "port-alder" / "completeness.json").read_text(encoding="utf-8")
    )
    assert report["studio"]["done"] is False and report["studio"]["sign_off"] == "Not signed yet."
    packet = (out / "packets" / "riverton" / "strategy_review.html").read_text(encoding="utf-8")
    assert "The strategy studio" in packet and "approved this strategy on" in packet


def test_points_settled_in_the_form_pass_like_the_same_lines_in_code(
    known_points: Path, tmp_path: Path
) -> None:
    """The studio's form (issue 17): a change takes the draft's suggestion for its point; a keep
    carries its reason. The same decisions as SETTLE, given in the form, pass the checkpoint."""
    rows = [
        {
            "point": 1,
            "decision": "keep",
            "why": "a second crew starts in March, so we expect a much faster year",
        },
        {"point": 2, "decision": "change", "why": None},
        {"point": 3, "decision": "change", "why": None},
    ]
    form = {"version": 1, "notebook": STUDIO.stem, "answers": {"resolutions": rows}}
    (tmp_path / f"{STUDIO.stem}.form.json").write_text(json.dumps(form), encoding="utf-8")
    out = run_graded(
        with_answers({}, STUDIO), "riverton", tmp_path, {"course_dir": str(known_points)}
    )
    assert "Checkpoint passed" in out["check-resolutions"], out["check-resolutions"]


@pytest.fixture(scope="module")
def no_suggestion(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Riverton's coherent answers with one point the draft cannot suggest a change for: an
    investment without a cost (only the team knows what it costs)."""
    answers = coherent()
    answers["m2_workshop_c_governance"]["investment_priorities"][0]["cost_usd"] = None
    course = write_course(tmp_path_factory.mktemp("no-suggestion") / "course", answers)
    draft, _ = review(city="riverton", course_dir=course, studio={})
    assert draft is not None
    assert [(p.check, p.suggestion, p.keepable) for p in draft.points] == [
        ("cost-missing", None, False)
    ]
    return course


def test_a_point_with_no_suggested_change_sends_the_team_to_its_workshop_in_words(
    no_suggestion: Path, tmp_path: Path
) -> None:
    """A team answering in the form cannot type a new value: the point, and the checkpoint when
    they choose "take the suggested change" anyway, say where to change the answer instead - by
    the answer's and the workshop's names, never the answer's code."""
    workshop = "Governance, quality and platforms (Module 2, workshop C)"
    rows = [{"point": 1, "decision": "change", "why": None}]
    form = {"version": 1, "notebook": STUDIO.stem, "answers": {"resolutions": rows}}
    (tmp_path / f"{STUDIO.stem}.form.json").write_text(json.dumps(form), encoding="utf-8")
    executed = execute(
        with_answers({}, STUDIO), "riverton", tmp_path, {"course_dir": str(no_suggestion)}
    )
    cells = grade_ids(executed)
    out = {gid: cell_text(cell) for gid, cell in cells.items()}
    shown = "\n".join(
        o.get("data", {}).get("text/markdown", "") for o in cells["the-points"].get("outputs", [])
    )
    assert "No suggested change" in shown and workshop in shown, shown
    assert "the investments in platforms and practices" in shown, shown
    check = out["check-resolutions"]
    assert "point 1 has no suggested change to take" in check, check
    assert f"in {workshop} and hand that workshop in again" in check, check
    for text in (shown, check):
        assert "investment_priorities" not in text and "suggested[" not in text, text


def test_a_point_settled_in_its_workshop_is_named_when_it_has_no_decision_yet(
    no_suggestion: Path, tmp_path: Path
) -> None:
    out = run_graded(
        with_answers({"answer-resolutions": "resolutions = []"}, STUDIO),
        "riverton",
        tmp_path,
        {"course_dir": str(no_suggestion)},
    )
    check = out["check-resolutions"]
    assert "point(s) 1 have no decision yet" in check, check
    assert "Point 1 is settled in Governance, quality and platforms" in check, check
