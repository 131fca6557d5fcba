"""Module 3 workshops C (demographic data standard) and D (transparency): common wrong answers fail
with the matching plain hint, the named outputs have the shape `cda strategy` reads, and the
standard follows the city's own small-numbers threshold."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from notebook_runs import (
    assert_hints,
    cell_text,
    check_wrong_answers,
    execute,
    run_graded,
    with_answers,
    wrong_answer_cases,
)

from cohort_tools.citydata.schemas import DEMOGRAPHIC_FIELDS, UPDATE_FREQUENCIES
from cohort_tools.core import paths
from cohort_tools.model.cohort import load_cohort
from cohort_tools.notebooks.myst import read_myst
from cohort_tools.policy.standards import standard_for

pytestmark = pytest.mark.slow

DEMOGRAPHICS = paths.workshops_dir() / "m3_workshop_c_demographics.md"
TRANSPARENCY = paths.workshops_dir() / "m3_workshop_d_transparency.md"

STANDARD = (
    '{"race_ethnicity_format": "spd15_2024_combined", '
    '"fields": ["race_ethnicity", "age", "disability", "language"], '
    '"age": "census_5_year_bands", "disability": "washington_group_short_set", '
    '"language": "acs_language_and_english_ability", "optional": True, '
    '"when_collected": "at enrolment", "small_numbers_threshold": THRESHOLD, '
    '"access": {"public": "tables with small counts hidden", "analysts": "records, no names"}, '
    '"review_cadence": "every two years"}'
)

COMMON_WRONG_DEMOGRAPHICS = [
    (
        {
            # every dataset that asks about race, including those already on the 2024 question
            "answer-datasets-to-update": 'datasets_to_update = sorted(audit.index[audit["collects_race"]])',
            # the best overall rate, read as "the programme to look at"
            "answer-widest-gap": 'widest_gap_programme = str(gaps["overall_rate"].idxmax())',
            # a group whose rate is hidden because it is small (Riverton's Workforce Pathways)
            "answer-lowest-group": 'lowest_group = "AIAN"',
            "answer-demographic-standard": "demographic_standard = "
            + STANDARD.replace("THRESHOLD", "5").replace('"optional": True', '"optional": False'),
        },
        {
            "check-datasets-to-update": "already use the 2024 combined question",
            "check-widest-gap": "the best overall rate, not the widest gap",
            "check-lowest-group": "the rate of AIAN is suppressed",
            "check-demographic-standard": "looser than the city's rule",
        },
    ),
    (
        {
            # only the 1997 format, forgetting the custom lists
            "answer-datasets-to-update": 'datasets_to_update = sorted(audit.index[audit["race_format"] == "two_question_1997"])',
            "answer-widest-gap": 'widest_gap_programme = "Workforce Pathways"',
            # the better-served group of the widest gap
            "answer-lowest-group": 'lowest_group = "not_lep"',
            "answer-demographic-standard": "demographic_standard = "
            + STANDARD.replace("THRESHOLD", "11")
            .replace("spd15_2024_combined", "two_question_1997")
            .replace('"disability", "language"', '"sex"'),
        },
        {
            "check-datasets-to-update": "a custom list of groups needs the new question too",
            "check-widest-gap": "'widest_gap_programme' is the text 'Workforce Pathways'",
            "check-lowest-group": "another group of WFP has a lower rate",
            "check-demographic-standard": "leaves out disability, language",
        },
    ),
]

COMMON_WRONG_TRANSPARENCY = [
    (
        {
            "answer-share-published": "share_published = 100 * metrics.published",
            # every stale dataset, published or not
            "answer-stale-published": 'stale_published = sorted(fresh.index[~fresh["fresh"].astype(bool)])',
            "answer-publication-plan": "publication_plan = ["
            '{"dataset_id": "DS001", "year": 1, "frequency": "daily", "aggregated": False}, '
            '{"dataset_id": "DS004", "year": 2, "frequency": "daily", "aggregated": False}, '
            '{"dataset_id": "DS003", "year": 3, "frequency": "monthly", "aggregated": False}]',
            "answer-transparency-targets": 'transparency_targets = {"published": 1.0, "documented": 1.0, "fresh": 1.0}',
        },
        {
            "check-share-published": "looks like a percentage",
            "check-stale-published": "is not published",
            "check-publication-plan": "holds data about people and would be published as records",
            "check-transparency-targets": "is not reachable",
        },
    ),
    (
        {
            "answer-share-published": 'share_published = int(inventory["published_openly"].sum())',
            "answer-stale-published": 'stale_published = ["DS024"]',
            "answer-publication-plan": "publication_plan = ["
            '{"dataset_id": "DS003", "year": 4, "frequency": "daily", "aggregated": False}]',
            "answer-transparency-targets": 'transparency_targets = {"published": 45, "documented": 80, "fresh": 90}',
        },
        {
            "check-share-published": "the number of published datasets, not a share",
            "check-stale-published": "the list is incomplete",
            "check-publication-plan": "more often than it is updated",
            "check-transparency-targets": "looks like a percentage",
        },
    ),
]

WRONG_CASES = wrong_answer_cases(
    demographics=(DEMOGRAPHICS, COMMON_WRONG_DEMOGRAPHICS),
    transparency=(TRANSPARENCY, COMMON_WRONG_TRANSPARENCY),
)


@pytest.mark.parametrize("source,answers,hints", WRONG_CASES)
def test_common_wrong_answers_fail_with_the_matching_plain_hint(
    source: Path, answers: dict[str, str], hints: dict[str, str], tmp_path: Path
) -> None:
    check_wrong_answers(source, answers, hints, tmp_path)


def test_an_untouched_demographic_standard_fails_plainly(tmp_path: Path) -> None:
    out = run_graded(with_answers({}, DEMOGRAPHICS), "cedar-bend", tmp_path)
    for gid in ("check-datasets-to-update", "check-widest-gap", "check-lowest-group"):
        assert "is still empty" in out[gid], (gid, out[gid])
    assert "'race_ethnicity_format' is still empty" in out["check-demographic-standard"]


def _named_outputs(source: Path, names: list[str], city: str, tmp_path: Path) -> dict:
    """Execute the solutions and read the named outputs back as JSON, as `cda strategy` would."""
    nb = read_myst(source.read_text(encoding="utf-8"))
    dump = "import json\nprint(json.dumps({" + ", ".join(f"{n!r}: {n}" for n in names) + "}))"
    nb.cells.append(nbformat.v4.new_code_cell(dump, metadata={"tags": []}))
    executed = execute(nb, city, tmp_path)
    return json.loads(cell_text(executed.cells[-1]).strip().splitlines()[-1])


@pytest.mark.parametrize("city", [c.id for c in load_cohort(None).cities])
def test_demographic_standard_has_the_shape_the_strategy_reads(city: str, tmp_path: Path) -> None:
    out = _named_outputs(
        DEMOGRAPHICS, ["demographic_standard", "datasets_to_update"], city, tmp_path
    )
    std = out["demographic_standard"]
    country = next(c.country for c in load_cohort(None).cities if c.id == city)
    # each city's own standard: SPD 15 for the US cities, DANE CNPV 2018 for Puerto Arrayán
    assert std["race_ethnicity_format"] == standard_for(country).format_code
    assert std["race_ethnicity_format"] == (
        "dane_cnpv_2018" if city == "puerto-arrayan" else "spd15_2024_combined"
    )
    assert set(std["fields"]) <= set(DEMOGRAPHIC_FIELDS)
    assert std["optional"] is True
    assert isinstance(std["small_numbers_threshold"], int) and std["small_numbers_threshold"] >= 11
    assert "public" in std["access"] and all(isinstance(v, str) for v in std["access"].values())
    for key in ("age", "disability", "language", "when_collected", "review_cadence"):
        assert isinstance(std[key], str) and std[key]
    assert out["datasets_to_update"] and all(d.startswith("DS") for d in out["datasets_to_update"])


@pytest.mark.parametrize("city", [c.id for c in load_cohort(None).cities])
def test_publication_plan_and_targets_have_the_shape_the_strategy_reads(
    city: str, tmp_path: Path
) -> None:
    out = _named_outputs(TRANSPARENCY, ["publication_plan", "transparency_targets"], city, tmp_path)
    plan, targets = out["publication_plan"], out["transparency_targets"]
    assert plan
    for entry in plan:
        assert set(entry) == {"dataset_id", "year", "frequency", "aggregated"}
        assert entry["year"] in (1, 2, 3) and entry["frequency"] in UPDATE_FREQUENCIES
        assert isinstance(entry["aggregated"], bool)
    assert {e["year"] for e in plan} == {1, 2, 3}
    assert set(targets) == {"published", "documented", "fresh"}
    assert all(0 <= v <= 1 for v in targets.values())
    assert targets["documented"] >= targets["published"]


def test_the_standard_follows_a_city_with_a_stricter_threshold(tmp_path: Path) -> None:
    riverton = next(c for c in load_cohort(None).cities if c.id == "riverton")
    strict = tmp_path / "strict"
    shutil.copytree(riverton.data_dir, strict, ignore=shutil.ignore_patterns(".cda-cache*"))
    yaml = strict / "city.yaml"
    yaml.write_text(
        yaml.read_text(encoding="utf-8").replace(
            "suppression_threshold: 11", "suppression_threshold: 15"
        ),
        encoding="utf-8",
    )
    solved = run_graded(read_myst(DEMOGRAPHICS.read_text(encoding="utf-8")), str(strict), tmp_path)
    assert "Checkpoint passed" in solved["check-demographic-standard"]
    answers = {
        "answer-demographic-standard": "demographic_standard = "
        + STANDARD.replace("THRESHOLD", "11")
    }
    out = run_graded(with_answers(answers, DEMOGRAPHICS), str(strict), tmp_path)
    assert_hints(out, {"check-demographic-standard": "hides counts under 15"})


ES_DEMOGRAPHICS = paths.workshops_dir() / "es" / "m3_workshop_c_demographics.md"


def test_the_spanish_edition_teaches_dane_2018_on_puerto_arrayan(tmp_path: Path) -> None:
    solved = run_graded(
        read_myst(ES_DEMOGRAPHICS.read_text(encoding="utf-8")), "puerto-arrayan", tmp_path
    )
    for gid in (
        "check-datasets-to-update",
        "check-widest-gap",
        "check-lowest-group",
        "check-demographic-standard",
    ):
        assert "Punto de control superado" in solved[gid], (gid, solved[gid])
    out = _named_outputs(ES_DEMOGRAPHICS, ["demographic_standard"], "puerto-arrayan", tmp_path)
    assert out["demographic_standard"]["race_ethnicity_format"] == "dane_cnpv_2018"
    assert out["demographic_standard"]["language"] == "home_language_and_spanish_ability"
    answers = {
        # every dataset that asks about ethnic group, including those already on DANE 2018
        "answer-datasets-to-update": 'datasets_to_update = sorted(audit.index[audit["collects_race"]])',
        # the best overall rate, read as "the programme to look at"
        "answer-widest-gap": 'widest_gap_programme = str(gaps["overall_rate"].idxmax())',
        # a group whose rate is hidden because it is small (Rutas de Empleo's Rrom participants)
        "answer-lowest-group": 'lowest_group = "RROM"',
    }
    out = run_graded(with_answers(answers, ES_DEMOGRAPHICS), "puerto-arrayan", tmp_path)
    for gid, hint in {
        "check-datasets-to-update": "ya usan",
        "check-widest-gap": "ese es el programa con la mejor tasa general",
        "check-lowest-group": "la tasa de RROM está suprimida",
    }.items():
        assert "Punto de control aún no superado" in out[gid], (gid, out[gid])
        assert hint in out[gid] and "Traceback" not in out[gid], (gid, out[gid])
