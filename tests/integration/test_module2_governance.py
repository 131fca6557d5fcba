"""Module 2 workshop C (governance) and the maturity self-assessment: common wrong answers fail
with the matching plain hint, the named outputs are JSON-serialisable, and a learner copy left
untouched fails plainly, never with an error."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from notebook_runs import (
    cell_text,
    check_wrong_answers,
    execute,
    run_graded,
    with_answers,
    wrong_answer_cases,
)

from cohort_tools.core import paths
from cohort_tools.lessons import maturity
from cohort_tools.notebooks.myst import read_myst

pytestmark = pytest.mark.slow

GOVERNANCE = paths.workshops_dir() / "m2_workshop_c_governance.md"
MATURITY = paths.workshops_dir() / "m2_maturity.md"

#: Named outputs read by `cda strategy`, and the checkpoint that checks each one.
NAMED_OUTPUTS = {
    GOVERNANCE: {
        "governance_model": "check-governance-model",
        "quality_standard": "check-quality-standard",
        "investment_priorities": "check-investment-priorities",
    },
    MATURITY: {
        "maturity_ratings": "check-maturity-ratings",
        "maturity_scores": "check-maturity-scores",
        "improvement_areas": "check-improvement-areas",
    },
}

COMMON_WRONG_GOVERNANCE = [
    (
        {
            "answer-departments-covered": (
                "departments_covered = 100 * inventory_summary.departments_covered"
            ),
            "answer-stale-datasets": (
                'stale_datasets = sorted(inventory_table.index[inventory_table["fresh"].astype(bool)])'
            ),
            "answer-governance-model": (
                'governance_model = {"body": "Data board", "chair": "chief data officer", '
                '"members": ["IT director", "finance director", "equity lead"], '
                '"meets": "annually", "decides": ["quality standard"], '
                '"owner_rule": "The department that collects it owns it."}'
            ),
            "answer-quality-standard": (
                'quality_standard = {"completeness_min": 95, "timeliness_max_days": 30, '
                '"validity_min": 0.98, "duplicates_max": 0.01, "review_cadence": "quarterly"}'
            ),
            "answer-investment-priorities": (
                'investment_priorities = [{"investment": n, "kind": "platform", '
                '"why": "we need better tools", "year": 1, "cost_usd": 1000.0} '
                'for n in ("catalogue", "warehouse", "portal")]'
            ),
        },
        {
            "check-departments-covered": "looks like a percentage",
            "check-stale-datasets": "is fresh, not stale",
            "check-governance-model": "'meets' is the text 'annually'",
            "check-quality-standard": "which looks like a percentage",
            "check-investment-priorities": "only one kind of investment",
        },
    ),
    (
        {
            "answer-departments-covered": "departments_covered = inventory_summary.published",
            "answer-stale-datasets": (
                'stale_datasets = sorted(inventory_table.index[~inventory_table["fresh"].astype(bool)])[:1]'
            ),
            "answer-governance-model": (
                'governance_model = {"body": "IT", "chair": "IT director", '
                '"members": ["IT director"], "meets": "monthly", "decides": ["tools"], '
                '"owner_rule": "IT owns it."}'
            ),
            "answer-least-complete": 'least_complete_table = str(card["completeness"].idxmax())',
            "answer-quality-standard": (
                'quality_standard = {"completeness_min": 0.9, "timeliness_max_days": "30 days", '
                '"validity_min": 0.9, "duplicates_max": 0.5, "review_cadence": "quarterly"}'
            ),
            "answer-investment-priorities": (
                'investment_priorities = [{"investment": n, "kind": k, '
                '"why": "the scorecard shows gaps", "year": 4, "cost_usd": 1000.0} '
                'for n, k in (("catalogue", "platform"), ("stewards", "practice"), '
                '("review", "practice"))]'
            ),
        },
        {
            "check-departments-covered": "does not match the city's data",
            "check-stale-datasets": "the list is incomplete",
            "check-governance-model": "it needs 3 to 12",
            "check-least-complete": "is not the lowest",
            "check-quality-standard": "should be whole days",
            "check-investment-priorities": "starts in year 4",
        },
    ),
]

COMMON_WRONG_MATURITY = [
    (
        {
            # a 1-4 scale instead of 0-3
            "answer-maturity-ratings": "maturity_ratings = {c: r + 1 for c, r in last_ratings.items()}",
            "answer-maturity-scores": "maturity_scores = maturity.area_scores(last_ratings)",
            "answer-largest-gap": 'largest_gap_area = comparison["difference"].idxmax()',
            "answer-improvement-areas": 'improvement_areas = ["Open data", "Equity", "Governance"]',
        },
        {
            "check-maturity-ratings": "rating(s) out of range",
            "check-maturity-scores": "fix exercise 1 first",
            "check-largest-gap": "is not the area furthest below the median",
            "check-improvement-areas": "entries that are not in the list",
        },
    ),
    (
        {
            "answer-maturity-ratings": 'maturity_ratings = dict(last_ratings, **{"EQ-1": 3})',
            "answer-maturity-scores": (
                "maturity_scores = {a: s / 100 for a, s in "
                "maturity.area_scores(maturity_ratings).items()}"
            ),
            "answer-largest-gap": 'largest_gap_area = "Open data"',
            "answer-improvement-areas": 'improvement_areas = ["open_data", "equity"]',
        },
        {
            "check-maturity-ratings": "rises two or more levels",
            "check-maturity-scores": "do not match your ratings",
            "check-largest-gap": "it must be one of",
            "check-improvement-areas": "it needs 3 to 3",
        },
    ),
    (
        {
            "answer-maturity-ratings": 'maturity_ratings = {"GOV-1": 2, "GOV-2": 1}',
            "answer-maturity-scores": "maturity_scores = maturity.overall_score(last_ratings)",
            "answer-improvement-areas": (
                "improvement_areas = sorted(maturity.area_scores(last_ratings), "
                "key=lambda a: -maturity.area_scores(last_ratings)[a])[:3]"
            ),
        },
        {
            "check-maturity-ratings": "no rating for 15 criterion(s)",
            "check-maturity-scores": "should be practice area: score pairs",
            "check-improvement-areas": "none of the three is among your lowest-scoring areas",
        },
    ),
]

WRONG_CASES = wrong_answer_cases(
    governance=(GOVERNANCE, COMMON_WRONG_GOVERNANCE), maturity=(MATURITY, COMMON_WRONG_MATURITY)
)


@pytest.mark.parametrize("source,answers,hints", WRONG_CASES)
def test_common_wrong_answers_fail_with_the_matching_plain_hint(
    source: Path, answers: dict[str, str], hints: dict[str, str], tmp_path: Path
) -> None:
    out = check_wrong_answers(source, answers, hints, tmp_path)
    errors = [gid for gid, text in out.items() if not gid.startswith("check-") and "Error" in text]
    assert not errors, errors  # a wrong answer never breaks a locked cell


@pytest.mark.parametrize("source", [GOVERNANCE, MATURITY], ids=["governance", "maturity"])
def test_named_outputs_have_their_checkpoint_and_are_json_serialisable(
    source: Path, tmp_path: Path
) -> None:
    names = NAMED_OUTPUTS[source]
    nb = read_myst(source.read_text(encoding="utf-8"))
    nb.cells.append(
        nbformat.v4.new_code_cell(
            f"import json\nprint(json.dumps({{n: eval(n) for n in {list(names)!r}}}))",
            metadata={"tags": []},
        )
    )
    executed = execute(nb, "cedar-bend", tmp_path)
    values = json.loads(cell_text(executed.cells[-1]).strip().splitlines()[-1])
    ids = {c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata}
    for name, grade_id in names.items():
        assert grade_id in ids, (name, grade_id)
        assert values[name] not in (None, "", [], {}), name
    if source == MATURITY:
        assert set(values["maturity_ratings"]) == set(maturity.CRITERIA)
        assert set(values["maturity_scores"]) == set(maturity.PRACTICE_AREAS)
        assert len(values["improvement_areas"]) == 3
    else:
        assert set(values["governance_model"]) == {
            "body",
            "chair",
            "members",
            "meets",
            "decides",
            "owner_rule",
        }
        assert {i["kind"] for i in values["investment_priorities"]} <= {"platform", "practice"}


@pytest.mark.parametrize("source", [GOVERNANCE, MATURITY], ids=["governance", "maturity"])
def test_an_untouched_learner_copy_fails_every_checkpoint_plainly(
    source: Path, tmp_path: Path
) -> None:
    out = run_graded(with_answers({}, source), "port-alder", tmp_path)
    for gid, text in out.items():
        if gid.startswith("check-"):
            assert "Checkpoint not passed yet" in text, (gid, text)
            assert "Traceback" not in text, (gid, text)
        else:
            assert "Traceback" not in text and "Error" not in text, (gid, text)
