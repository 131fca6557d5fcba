"""Workshop notebooks: parameters match the programme, they run on every demo city, and each
checkpoint passes for a correct answer and fails with a helpful hint for each common wrong answer."""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import papermill
import pytest
from notebook_runs import (
    check_wrong_answers,
    checking_forms,
    form_errors,
    run_graded,
    run_notebook,
    with_answers,
    wrong_answer_cases,
)
from papermill.parameterize import parameterize_notebook

from cohort_tools.core import i18n, paths
from cohort_tools.model.cohort import load_cohort
from cohort_tools.model.programme import Programme
from cohort_tools.notebooks.myst import read_myst

pytestmark = pytest.mark.slow

WORKSHOPS = sorted(paths.workshops_dir().glob("*.md"))
#: Workshops that read the course's other graded answers (the strategy studio declares course_dir):
#: their solutions need a graded course, so test_strategy_studio_notebook.py runs them on one.
ON_THEIR_OWN = [p for p in WORKSHOPS if "\ncourse_dir: str" not in p.read_text(encoding="utf-8")]
ROUTINES = paths.workshops_dir() / "m1_workshop_a_data_routines.md"
PROTOCOL = paths.workshops_dir() / "m1_workshop_b_data_use_protocol.md"


@pytest.mark.parametrize("source", WORKSHOPS, ids=[p.name for p in WORKSHOPS])
def test_workshop_has_one_typed_commented_parameters_cell(source: Path, tmp_path: Path) -> None:
    nb = jupytext.read(source)
    assert sum("parameters" in c.metadata.get("tags", []) for c in nb.cells) == 1
    ipynb = tmp_path / "nb.ipynb"
    nbformat.write(nb, ipynb)
    params = papermill.inspect_notebook(str(ipynb))
    assert params["city"]["inferred_type_name"] == "str" and params["city"]["help"]
    assert params["cohort_file"]["inferred_type_name"] == "str"


def test_every_workshop_is_a_session_in_the_programme(programme: Programme) -> None:
    listed = {s.notebook for s in programme.sessions() if s.notebook}
    for source in WORKSHOPS:
        assert f"workshops/{source.name}" in listed, source.name


@pytest.mark.parametrize("source", ON_THEIR_OWN, ids=[p.stem for p in ON_THEIR_OWN])
@pytest.mark.parametrize("city", [c.id for c in load_cohort(None).cities])
def test_workshop_solutions_pass_every_checkpoint_on_each_demo_city(
    source: Path, city: str, tmp_path: Path
) -> None:
    # each city runs the edition in its own language (Puerto Arrayán: the Spanish one where it
    # exists), and its checkpoints speak that language
    language = load_cohort(None).city(city).language
    edition = i18n.source_for(source, language)
    nb = checking_forms(read_myst(edition.read_text(encoding="utf-8")))
    out = run_graded(nb, city, tmp_path)
    passed = i18n.gettext("Checkpoint passed: {title}", language=language).split(":")[0]
    checks = {gid: text for gid, text in out.items() if gid.startswith("check-")}
    assert len(checks) >= 2
    for gid, text in checks.items():
        assert passed in text, (gid, text)
    # and a team answering in the forms can give the model answers: each is one of its choices
    assert not form_errors(out), form_errors(out)


@pytest.mark.parametrize("source", WORKSHOPS, ids=[p.stem for p in WORKSHOPS])
def test_workshop_on_three_hours_of_real_nyc_data_runs_and_says_what_is_missing(
    source: Path, nyc_city: Path, tmp_path: Path
) -> None:
    nb = read_myst(source.read_text(encoding="utf-8"))
    nb = parameterize_notebook(
        nb, {"city": str(nyc_city)}, kernel_name="python3", language="python"
    )
    run_notebook(nb, tmp_path)
    texts, errors = [], []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            texts.append(out.get("text", "") + out.get("data", {}).get("text/markdown", ""))
            if out.get("output_type") == "error":
                errors.append(out["ename"])
    assert set(errors) <= {"CheckpointFailed"}, errors  # plain checkpoints, never a crash
    joined = "\n".join(texts)
    assert "New York City has not shared" in joined


COMMON_WRONG = [
    (
        {
            "answer-priority-metrics": 'priority_metrics = ["PRK-TREE", "PW-POT3", "CS-ANS60"]',
            "answer-baseline": 'baseline_days = float(close_times.loc[top_service, "average_days"])',
            "answer-target": 'target_days = float(close_times.loc[top_service, "median_days"]) + 1',
        },
        {
            "check-priority-metrics": "PRK-TREE has no target",
            "check-baseline": "the average, not the median",
            "check-target": "is not faster than today's",
            "check-stat-meeting": "'cadence' is empty",
        },
    ),
    (
        {
            "answer-priority-metrics": 'priority_metrics = ["PW-POT3", "CS-ANS60"]',
            "answer-baseline": 'baseline_days = float(close_times.loc[top_service, "median_days"]) * 24',
            "answer-target": 'target_days = float(close_times.loc[top_service, "median_days"]) * 0.3',
            "answer-stat-meeting": 'stat_meeting = {"cadence": "daily", "chair": "mayor", "first_metric": "LIB-VIS"}',
        },
        {
            "check-priority-metrics": "it needs 3 to 3",
            "check-baseline": "looks like hours, not days",
            "check-target": "more than half",
            "check-stat-meeting": "not one of your priority metrics",
        },
    ),
]


COMMON_WRONG_PROTOCOL = [
    (
        {
            "answer-protocol-fields": 'protocol_fields = ["date", "programme", "decision", "resident_names"]',
            "answer-protocol-roles": 'protocol_roles = {"records": "analyst", "reviews": "Analyst", "review_cadence": "monthly"}',
            "answer-departments-without": 'departments_without_entries = sorted(set(log["department_id"]))[:1]',
            "answer-share-redirecting": 'share_redirecting = 100 * float((log["resources_redirected_usd"].fillna(0) > 0).mean())',
            "answer-first-record": 'first_record = {"date": "2025-03-01", "programme": "Potholes"}',
        },
        {
            "check-protocol-fields": "residents' names",
            "check-protocol-roles": "the same role records and reviews",
            "check-departments-without": "do have entries in the log",
            "check-share-redirecting": "looks like a percentage",
            "check-first-record": "the record has no value for decision",
        },
    ),
    (
        {
            "answer-protocol-fields": 'protocol_fields = ["date", "programme", "decision", "data_used"]',
            "answer-protocol-roles": 'protocol_roles = {"records": "analyst", "reviews": "mayor", "review_cadence": "annually"}',
            "answer-departments-without": "departments_without_entries = sorted(set(departments.index) - set(log['department_id']))[1:]",
            "answer-share-redirecting": "share_redirecting = 0.99",
        },
        {
            "check-protocol-fields": "missing change_made, outcome_measure",
            "check-protocol-roles": "'review_cadence' is the text 'annually'",
            "check-departments-without": "the list is incomplete",
            "check-share-redirecting": "does not match the city's data",
        },
    ),
]


WRONG_CASES = wrong_answer_cases(
    routines=(ROUTINES, COMMON_WRONG), protocol=(PROTOCOL, COMMON_WRONG_PROTOCOL)
)


@pytest.mark.parametrize("source,answers,hints", WRONG_CASES)
def test_common_wrong_answers_fail_with_the_matching_plain_hint(
    source: Path, answers: dict[str, str], hints: dict[str, str], tmp_path: Path
) -> None:
    check_wrong_answers(source, answers, hints, tmp_path)


def test_an_untouched_learner_copy_fails_every_checkpoint_plainly(tmp_path: Path) -> None:
    out = run_graded(with_answers({}, ROUTINES), "port-alder", tmp_path)
    answers = {gid: text for gid, text in out.items() if gid.startswith("answer-")}
    assert all(text == "" for text in answers.values()), answers  # no NotImplementedError
    for gid in ("check-priority-metrics", "check-baseline", "check-target"):
        assert "is still empty" in out[gid], (gid, out[gid])
