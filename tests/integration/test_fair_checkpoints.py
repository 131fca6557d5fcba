"""Fair checkpoints and coherence checkpoints in the workshops (issues 19 and 18).

- Equivalent wordings pass: every way of saying "every two weeks", a cadence, a kind, a way to
  train, a publication frequency, and each part of the demographic standard.
- Suppressed groups appear as suppressed, never dropped: the quietest neighborhoods of Module 3
  workshop A (and the keynotes' neighborhood exhibits), the groups of Module 3 workshop C's chart.
- Each broken coherence case fails the checkpoint of the workshop that produces the answer: a
  target at or below the baseline, a target already met, a metric tied to no priority of the
  mayor, an owner who is not on the team, a budget far above its plans, a year-1 dataset that is
  not up to date, a transparency target equal to today, decisions with no data, no role, no date.

One notebook run checks many answers: the solutions run once, then a cell appended at the end
re-runs the checkpoint's code for each variation of the answer (:func:`recheck`).
"""

from __future__ import annotations

import ast
import json
import shutil
import textwrap
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from notebook_runs import cell_text, execute, grade_ids

import cohort_tools
from cohort_tools.core import paths
from cohort_tools.notebooks.myst import read_myst

pytestmark = pytest.mark.slow

W = paths.workshops_dir()
ROUTINES = W / "m1_workshop_a_data_routines.md"
PROTOCOL = W / "m1_workshop_b_data_use_protocol.md"
WORKFORCE = W / "m2_workshop_b_workforce.md"
GOVERNANCE = W / "m2_workshop_c_governance.md"
STAKEHOLDERS = W / "m3_workshop_a_stakeholders.md"
COMMUNICATING = W / "m3_workshop_b_communicating.md"
DEMOGRAPHICS = W / "m3_workshop_c_demographics.md"
TRANSPARENCY = W / "m3_workshop_d_transparency.md"
PASSED = "passed"


def _answer_names(nb: nbformat.NotebookNode) -> list[str]:
    """The variables the answer cells assign (the team's answers)."""
    names: set[str] = set()
    for cell in nb.cells:
        if not cell.metadata.get("nbgrader", {}).get("grade_id", "").startswith("answer-"):
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return sorted(n for n in names if not n.startswith("_"))


def recheck(
    source: Path, checks: dict[str, tuple[str, str]], city: str | Path, tmp_path: Path
) -> dict[str, str]:
    """Run the notebook (solutions) once, then for each ``name: (checkpoint id, code that changes
    the answer)`` re-run that checkpoint: "passed" or the checkpoint's plain text. Each variation
    starts from the solutions' answers again."""
    nb = read_myst(source.read_text(encoding="utf-8"))
    cells = grade_ids(nb)
    answers = _answer_names(nb)
    lines = [
        "import copy as _copy, json as _json",
        "_out = {}",
        f"_saved = {{n: _copy.deepcopy(globals()[n]) for n in {answers!r} if n in globals()}}",
    ]
    for name, (gid, change) in checks.items():
        body = textwrap.indent(change + "\n" + cells[gid].source, "    ")
        lines += [
            "globals().update(_copy.deepcopy(_saved))",
            "try:",
            body,
            f"    _out[{name!r}] = 'passed'",
            "except BaseException as _e:",
            f"    _out[{name!r}] = str(_e)",
        ]
    lines.append("print('RECHECK=' + _json.dumps(_out))")
    nb.cells.append(nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": []}))
    tmp_path.mkdir(parents=True, exist_ok=True)
    executed = execute(nb, str(city), tmp_path)
    text = cell_text(executed.cells[-1])
    found = [ln for ln in text.splitlines() if ln.startswith("RECHECK=")]
    assert found, text[-3000:]
    out: dict[str, str] = json.loads(found[-1][len("RECHECK=") :])
    return out


def assert_passed(out: dict[str, str], names: list[str]) -> None:
    failed = {n: out[n] for n in names if out[n] != PASSED}
    assert not failed, failed


def assert_failed(out: dict[str, str], expected: dict[str, str]) -> None:
    for name, hint in expected.items():
        assert "Checkpoint not passed yet" in out[name], (name, out[name])
        assert hint in out[name], (name, out[name])


# -- equivalent wordings ------------------------------------------------------------------------

EVERY_TWO_WEEKS = [
    "biweekly",
    "bi-weekly",
    "every 2 weeks",
    "every two weeks",
    "Every two weeks.",
    "fortnightly",
    "Fortnightly",
    "every other week",
]


def test_every_wording_of_every_two_weeks_passes_the_stat_meeting(tmp_path: Path) -> None:
    checks = {
        w: ("check-stat-meeting", f"stat_meeting = dict(stat_meeting, cadence={w!r})")
        for w in EVERY_TWO_WEEKS
    }
    checks["daily"] = ("check-stat-meeting", "stat_meeting = dict(stat_meeting, cadence='daily')")
    out = recheck(ROUTINES, checks, "riverton", tmp_path)
    assert_passed(out, EVERY_TWO_WEEKS)
    assert_failed(out, {"daily": "'cadence' is the text 'daily'; it must say one of"})


def test_equivalent_wordings_pass_in_modules_1_and_2(tmp_path: Path) -> None:
    protocol = recheck(
        PROTOCOL,
        {
            w: (
                "check-protocol-roles",
                f"protocol_roles = dict(protocol_roles, review_cadence={w!r})",
            )
            for w in ("Quarterly", "every three months", "every 3 months", "once a month")
        },
        "riverton",
        tmp_path / "protocol",
    )
    assert_passed(protocol, list(protocol))
    governance = recheck(
        GOVERNANCE,
        {
            "meets": ("check-governance-model", "governance_model['meets'] = 'once a month'"),
            "review": (
                "check-quality-standard",
                "quality_standard['review_cadence'] = 'Every quarter'",
            ),
            "kind": (
                "check-investment-priorities",
                "investment_priorities[0]['kind'] = 'Practice'\n"
                "investment_priorities[2]['kind'] = 'a platform'",
            ),
        },
        "riverton",
        tmp_path / "governance",
    )
    assert_passed(governance, list(governance))
    workforce = recheck(
        WORKFORCE,
        {"how": ("check-upskilling-plan", "upskilling_plan[-1]['how'] = 'Online Course'")},
        "riverton",
        tmp_path / "workforce",
    )
    assert_passed(workforce, ["how"])


STANDARD_WORDINGS = {
    "format in words": "demographic_standard['race_ethnicity_format'] = 'SPD 15 (2024) combined'",
    "fields in words": "demographic_standard['fields'] = ['Race and ethnicity', 'Age', "
    "'Disability status', 'Language spoken at home', 'Sex']",
    "census bands in words": "demographic_standard['age'] = 'Census five-year bands'",
    "date of birth": "demographic_standard['age'] = 'exact_date_of_birth'",
    "date of birth in words": "demographic_standard['age'] = 'date of birth'",
    "washington group in words": "demographic_standard['disability'] = 'the Washington Group "
    "short set'",
    "language in words": "demographic_standard['language'] = 'census language questions'",
    "biennially": "demographic_standard['review_cadence'] = 'biennially'",
    "every 2 years": "demographic_standard['review_cadence'] = 'every 2 years'",
    "yearly": "demographic_standard['review_cadence'] = 'yearly'",
}


def test_each_equivalent_wording_of_the_demographic_standard_passes(tmp_path: Path) -> None:
    checks = {n: ("check-demographic-standard", c) for n, c in STANDARD_WORDINGS.items()}
    checks["a yes/no question"] = (
        "check-demographic-standard",
        "demographic_standard['disability'] = 'a yes/no question'",
    )
    out = recheck(DEMOGRAPHICS, checks, "riverton", tmp_path)
    assert_passed(out, list(STANDARD_WORDINGS))
    assert_failed(out, {"a yes/no question": "which is not comparable"})


def test_a_publication_frequency_in_other_words_passes(tmp_path: Path) -> None:
    change = (
        "publication_plan = [dict(p, frequency=p['frequency'].capitalize()) "
        "for p in publication_plan]"
    )
    out = recheck(
        TRANSPARENCY, {"capitalized": ("check-publication-plan", change)}, "riverton", tmp_path
    )
    assert_passed(out, ["capitalized"])


# -- suppressed groups appear as suppressed ----------------------------------------------------

QUIET = {"N001": 4, "N002": 7}  # Bramdale and Ridge Village get 4 and 7 requests


@pytest.fixture(scope="module")
def quiet_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Riverton with two neighborhoods that sent fewer requests than the threshold (11)."""
    source = Path(cohort_tools.__file__).parent / "demo_cohort" / "cities" / "riverton"
    city = tmp_path_factory.mktemp("quiet") / "quietville"
    shutil.copytree(source, city, ignore=shutil.ignore_patterns(".cda-cache*"))
    requests = pd.read_parquet(city / "service_requests.parquet")
    for area, keep in QUIET.items():
        mine = requests.index[requests["neighbourhood_id"] == area]
        requests.loc[mine[keep:], "neighbourhood_id"] = "N003"
    requests.to_parquet(city / "service_requests.parquet", index=False)
    return city


def test_the_quietest_neighborhoods_stay_in_the_table_marked_suppressed(
    quiet_city: Path, tmp_path: Path
) -> None:
    names = {"N001": "Bramdale", "N002": "Ridge Village"}
    shown_only = "quiet_neighbourhoods = list(by_area.loc[~by_area['suppressed'], 'name'].head(3))"
    out = recheck(
        STAKEHOLDERS,
        {
            "solution": ("check-quiet-neighbourhoods", ""),
            "the two suppressed and the next": (
                "check-quiet-neighbourhoods",
                "quiet_neighbourhoods = ['Ridge Village', 'Bramdale', "
                "list(by_area.loc[~by_area['suppressed'], 'name'])[0]]",
            ),
            "the shown ones only": ("check-quiet-neighbourhoods", shown_only),
        },
        quiet_city,
        tmp_path,
    )
    assert_passed(out, ["solution", "the two suppressed and the next"])
    assert_failed(out, {"the shown ones only": "at least one of these is not among the three"})
    # the table the team reads: both areas are there, marked suppressed, with no count
    nb = read_myst(STAKEHOLDERS.read_text(encoding="utf-8"))
    (tmp_path / "table").mkdir()
    executed = execute(nb, str(quiet_city), tmp_path / "table")
    table = next(
        c
        for c in executed.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == "requests-by-area"
    )
    html = " ".join(o.get("data", {}).get("text/html", "") for o in table.outputs)
    for name in names.values():
        row = html[html.index(name) : html.index(name) + 300]
        assert "suppressed" in row and "fewer than 11 requests" in row, row


def test_the_keynotes_show_suppressed_neighborhoods_as_suppressed(
    quiet_city: Path, tmp_path: Path
) -> None:
    m3 = read_myst((paths.curriculum_dir() / "m3_keynote.md").read_text(encoding="utf-8"))
    text = json.dumps(execute(m3, str(quiet_city), tmp_path).cells, default=str)
    assert "Not in the chart, because fewer than 11 requests came from each" in text
    assert "Bramdale" in text and "Ridge Village" in text


def test_the_gap_chart_keeps_suppressed_groups_labeled(tmp_path: Path) -> None:
    nb = read_myst(DEMOGRAPHICS.read_text(encoding="utf-8"))
    probe = (
        "print('GAP=' + json.dumps({'groups': sorted(map(str, block['group'])), "
        "'labels': sorted(map(str, chart_rates['label'])), 'hidden': sorted(map(str, hidden_groups))}))"
    )
    nb.cells.append(nbformat.v4.new_code_cell("import json\n" + probe, metadata={"tags": []}))
    executed = execute(nb, "riverton", tmp_path)
    line = next(ln for ln in cell_text(executed.cells[-1]).splitlines() if ln.startswith("GAP="))
    gap = json.loads(line[4:])
    assert len(gap["labels"]) == len(gap["groups"])  # nobody dropped
    for group in gap["hidden"]:
        assert f"{group} (suppressed)" in gap["labels"]


# -- coherence: each broken case fails its workshop's checkpoint ------------------------------


def test_broken_targets_metrics_and_owners_fail_module_1_workshop_a(tmp_path: Path) -> None:
    out = recheck(
        ROUTINES,
        {
            "target equal to the baseline": (
                "check-target",
                "target_days = float(close_times.loc[top_service, 'median_days'])",
            ),
            "target a hair below the baseline": (
                "check-target",
                "target_days = float(close_times.loc[top_service, 'median_days']) * 0.9999",
            ),
            "target above the baseline": (
                "check-target",
                "target_days = float(close_times.loc[top_service, 'median_days']) * 1.2",
            ),
            "target already met": (
                "check-priority-metrics",
                "priority_metrics = ['CE-INSP', 'PW-POT3', 'HCD-RAP']\n"
                "metric_serves = {'CE-INSP': 1, 'PW-POT3': 1, 'HCD-RAP': 2}",
            ),
            "metric tied to no priority": (
                "check-priority-metrics",
                "metric_serves = dict(metric_serves, **{priority_metrics[0]: 'a cleaner library'})",
            ),
            "priority in words": (
                "check-priority-metrics",
                "metric_serves = {m: mayor_priorities[0] for m in priority_metrics}",
            ),
            "chair not on the team": (
                "check-stat-meeting",
                "stat_meeting = dict(stat_meeting, chair='city manager')",
            ),
            "chair is a person": (
                "check-stat-meeting",
                "stat_meeting = dict(stat_meeting, chair='Dana Whitfield')",
            ),
        },
        "riverton",
        tmp_path,
    )
    assert_passed(out, ["priority in words"])
    assert_failed(
        out,
        {
            "target equal to the baseline": "is not faster than today's",
            "target a hair below the baseline": "is not faster than today's",
            "target above the baseline": "is not faster than today's",
            "target already met": "already beats the target of 75 percent",
            "metric tied to no priority": "is not tied to one of the mayor's 2 priorities",
            "chair not on the team": "the city manager, named as owner of the stat meeting, is "
            "not on the team",
            "chair is a person": "the chair does not look like a role",
        },
    )
    assert "Dana" not in out["chair is a person"]


def test_the_rule_of_thumb_is_marked_as_the_programs_own(tmp_path: Path) -> None:
    out = recheck(
        ROUTINES,
        {
            "cut by 70%": (
                "check-target",
                "target_days = float(close_times.loc[top_service, 'median_days']) * 0.3",
            )
        },
        "riverton",
        tmp_path,
    )
    assert_failed(out, {"cut by 70%": "the program's own rule of thumb"})
    assert "more than half" in out["cut by 70%"] and "10 to 30 percent" in out["cut by 70%"]


def test_broken_decisions_fail_module_1_workshop_b(tmp_path: Path) -> None:
    out = recheck(
        PROTOCOL,
        {
            "reviewer not on the team": (
                "check-protocol-roles",
                "protocol_roles = dict(protocol_roles, reviews='city manager')",
            ),
            "no data": (
                "check-first-record",
                "first_record = dict(first_record, data_used='gut feeling')",
            ),
            "no such department": (
                "check-first-record",
                "first_record = dict(first_record, department='Ministry of Magic')",
            ),
            "review before the decision": (
                "check-first-record",
                "first_record = dict(first_record, review_date='2025-01-01')",
            ),
        },
        "riverton",
        tmp_path,
    )
    assert_failed(
        out,
        {
            "reviewer not on the team": "is not on the team",
            "no data": "'data_used' does not name any of the city's data",
            "no such department": "is not one of Riverton's departments",
            "review before the decision": "is not after the date of the decision",
        },
    )


def test_broken_plans_fail_module_2_workshops_b_and_c(tmp_path: Path) -> None:
    workforce = recheck(
        WORKFORCE,
        {
            "budget three times the plans": (
                "check-plan-fits-budget",
                "workforce_budget_usd = 3 * plan_cost",
            ),
            "budget under the plans": (
                "check-plan-fits-budget",
                "workforce_budget_usd = 0.5 * plan_cost",
            ),
            "budget rule of thumb": ("check-workforce-budget", "workforce_budget_usd = 1000.0"),
        },
        "riverton",
        tmp_path / "workforce",
    )
    assert_failed(
        workforce,
        {
            "budget three times the plans": "the mayor would approve",
            "budget under the plans": "more than the budget",
            "budget rule of thumb": "the program's own guide",
        },
    )
    governance = recheck(
        GOVERNANCE,
        {
            "chair not on the team": (
                "check-governance-model",
                "governance_model['chair'] = 'IT director'",
            ),
            "a reason with no data": (
                "check-investment-priorities",
                "investment_priorities[0]['why'] = 'we need better tools for everyone'",
            ),
        },
        "riverton",
        tmp_path / "governance",
    )
    assert_failed(
        governance,
        {
            "chair not on the team": "the IT director, named as owner of the governance body, is "
            "not on the team",
            "a reason with no data": "does not point to the city's data",
        },
    )


def test_broken_plans_fail_module_3_workshops(tmp_path: Path) -> None:
    stakeholders = recheck(
        STAKEHOLDERS,
        {
            "owner not on the team": (
                "check-engagement-plan",
                "engagement_plan = [dict(a, owner='press office') for a in engagement_plan]",
            ),
            "no when": ("check-stakeholder-map", "stakeholder_map[0]['when'] = 'soon'"),
        },
        "riverton",
        tmp_path / "stakeholders",
    )
    assert_failed(
        stakeholders,
        {
            "owner not on the team": "the press office, named as owner of the engagement with",
            "no when": "entry 1 does not say when",
        },
    )
    story = recheck(
        COMMUNICATING,
        {"no who, no when": ("check-data-story", "data_story['what_we_will_do'] = 'Look again.'")},
        "riverton",
        tmp_path / "story",
    )
    assert_failed(
        story,
        {"no who, no when": "'what_we_will_do' does not say who in the city will do it"},
    )
    assert "'what_we_will_do' does not say when" in story["no who, no when"]
    transparency = recheck(
        TRANSPARENCY,
        {
            "fresh target equal to today": (
                "check-transparency-targets",
                "transparency_targets = dict(transparency_targets, fresh=float(metrics.fresh))",
            ),
            "a stale dataset online in year 1": (
                "check-publication-plan",
                "publication_plan = [dict(p, year=1) if p['dataset_id'] == 'DS023' else p "
                "for p in publication_plan]",
            ),
        },
        "riverton",
        tmp_path / "transparency",
    )
    assert_failed(
        transparency,
        {
            "fresh target equal to today": "the 'fresh' target 0.8 is the same as today's 0.8",
            "a stale dataset online in year 1": "would go online in year 1, but is not updated",
        },
    )
