"""SPD 15 (2024): the categories as data, the 1997 mapper's rules, and the inventory checker."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cohort_tools.core.errors import CdaError
from cohort_tools.policy.standards import (
    MINIMUM_CODES,
    SOURCE_URL,
    assess_inventory,
    check_city_standard,
    load_spd15,
    map_two_question,
    reporting_code,
)
from cohort_tools.policy.standards.spd15 import (
    HISPANIC_ORIGIN_MISSING,
    MEETS,
    MENA_NOT_RECOVERABLE,
    MISSES,
    NO_RESPONSE,
    NOT_APPLICABLE,
    PARTLY,
    SOME_OTHER_RACE_FLAG,
    map_two_question_frame,
)


def test_the_seven_minimum_categories_include_mena_and_cite_the_source() -> None:
    assert set(MINIMUM_CODES) == {"AIAN", "ASIAN", "BLACK", "HISPANIC", "MENA", "NHPI", "WHITE"}
    cats = load_spd15()
    assert cats["MENA"].new_in_2024 and not cats["WHITE"].new_in_2024
    assert "Lebanese" in cats["MENA"].detailed_examples
    assert "Somali" in cats["BLACK"].detailed_examples
    assert SOURCE_URL.startswith("https://spd15revision.gov/")


def test_the_minimum_codes_match_the_city_data_schema() -> None:
    from cohort_tools.citydata.schemas import RACE_ETHNICITY_CODES

    assert set(RACE_ETHNICITY_CODES) == {*MINIMUM_CODES, "MULTIPLE"}


def test_r1_hispanic_and_white_selects_both() -> None:
    mapped = map_two_question("yes", ["White"])
    assert mapped.codes == ("HISPANIC", "WHITE")
    assert mapped.reporting_code == "MULTIPLE"


def test_r1_hispanic_alone_is_hispanic() -> None:
    assert map_two_question(True, []).codes == ("HISPANIC",)


def test_r2_several_races_are_all_kept() -> None:
    mapped = map_two_question(
        "no", ["Black or African American", "American Indian or Alaska Native"]
    )
    assert mapped.codes == ("AIAN", "BLACK")
    assert reporting_code(mapped.codes) == "MULTIPLE"


def test_r2_one_race_reports_that_code() -> None:
    assert map_two_question("no", "Asian").reporting_code == "ASIAN"


def test_r3_white_from_1997_data_is_flagged_because_mena_cannot_be_recovered() -> None:
    mapped = map_two_question("no", ["White"])
    assert mapped.codes == ("WHITE",)
    assert MENA_NOT_RECOVERABLE in mapped.flags
    assert "MENA" not in mapped.codes
    assert MENA_NOT_RECOVERABLE not in map_two_question("no", ["Asian"]).flags


def test_r4_some_other_race_with_hispanic_origin_is_covered_by_hispanic() -> None:
    mapped = map_two_question("yes", ["Some other race"])
    assert mapped.codes == ("HISPANIC",)
    assert SOME_OTHER_RACE_FLAG not in mapped.flags


def test_r4_some_other_race_alone_is_left_uncoded_and_flagged() -> None:
    mapped = map_two_question("no", ["Some other race"])
    assert mapped.codes == ()
    assert mapped.reporting_code is None
    assert SOME_OTHER_RACE_FLAG in mapped.flags


def test_r4_some_other_race_beside_a_race_keeps_the_race_and_flags() -> None:
    mapped = map_two_question("no", ["Black", "Some other race"])
    assert mapped.codes == ("BLACK",)
    assert SOME_OTHER_RACE_FLAG in mapped.flags


def test_r5_missing_hispanic_origin_is_flagged() -> None:
    mapped = map_two_question(None, ["Asian"])
    assert mapped.codes == ("ASIAN",)
    assert HISPANIC_ORIGIN_MISSING in mapped.flags
    assert map_two_question("", None).flags == (NO_RESPONSE,)


def test_r6_labels_are_matched_loosely_and_unknown_answers_are_refused() -> None:
    assert map_two_question("Y", "black; pacific islander").codes == ("BLACK", "HISPANIC", "NHPI")
    with pytest.raises(ValueError, match="Martian"):
        map_two_question("no", ["Martian"])
    with pytest.raises(ValueError, match="maybe"):
        map_two_question("maybe", ["White"])


def test_a_table_of_1997_answers_is_mapped_row_by_row() -> None:
    frame = pd.DataFrame({"hisp": ["yes", "no", "no"], "race": ["White", "Asian;White", None]})
    out = map_two_question_frame(frame, hispanic_col="hisp", race_col="race")
    assert out["spd15_codes"].tolist() == ["HISPANIC;WHITE", "ASIAN;WHITE", ""]
    assert out["spd15"].tolist()[:2] == ["MULTIPLE", "MULTIPLE"]
    assert pd.isna(out["spd15"].iloc[2])
    assert list(frame.columns) == ["hisp", "race"]  # input not modified


def _inventory(rows: list[tuple[str, bool, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"dataset_id": f"DS{i}", "dataset": f"d{i}", "contains_personal_data": personal,
             "demographic_fields": fields, "race_ethnicity_format": fmt}
            for i, (_, personal, fields, fmt) in enumerate(rows)
        ]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("personal", "fields", "fmt", "verdict", "says"),
    [
        (True, "age;race_ethnicity", "spd15_2024_combined", MEETS, "combined"),
        (True, "age", "spd15_2024_combined", PARTLY, "disagrees"),
        (True, "race_ethnicity", "two_question_1997", PARTLY, "MENA"),
        (True, "race_ethnicity", "custom", PARTLY, "MENA"),
        (True, "race_ethnicity", "none", MISSES, "format is none"),
        (True, "age;sex", "none", MISSES, "no race/ethnicity"),
        (False, "", "none", NOT_APPLICABLE, "no data about people"),
    ],
)
def test_each_inventory_entry_gets_a_verdict_with_a_reason(
    personal: bool, fields: str, fmt: str, verdict: str, says: str
) -> None:
    [result] = assess_inventory(_inventory([("x", personal, fields, fmt)]))
    assert result.verdict == verdict
    assert any(says in r for r in result.reasons)


def test_a_city_folder_inventory_is_checked(tmp_path: Path) -> None:
    _inventory([("x", True, "race_ethnicity", "two_question_1997")]).to_csv(
        tmp_path / "data_inventory.csv", index=False
    )
    [result] = check_city_standard(tmp_path)
    assert result.verdict == PARTLY


def test_a_city_without_an_inventory_gets_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CdaError, match="no data_inventory"):
        check_city_standard(tmp_path)
