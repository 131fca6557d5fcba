"""check_city: every kind of bad input gets a clear problem naming file, column and rows."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import openpyxl
import pytest

from cohort_tools.citydata import TABLES, check_city
from cohort_tools.core.errors import Problem

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "citydata" / "valid_city"


@pytest.fixture
def city(tmp_path: Path) -> Path:
    target = tmp_path / "testville"
    shutil.copytree(VALID, target)
    return target


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def only_error(city: Path) -> Problem:
    before = snapshot(city)
    found = errors(check_city(city))
    assert snapshot(city) == before, "check_city must never modify its inputs"
    assert len(found) == 1, "\n".join(str(p) for p in found)
    return found[0]


def test_valid_city_has_no_problems(city: Path) -> None:
    assert check_city(city) == []


def test_every_schema_column_has_a_description() -> None:
    for name, schema in TABLES.items():
        for column_name, column in schema.columns.items():
            assert column.description, f"{name}.{column_name} has no description"


def test_missing_required_column_is_named_with_the_columns_found(city: Path) -> None:
    path = city / "departments.csv"
    path.write_text(
        path.read_text()
        .replace(",data_roles", "")
        .replace(",3\n", "\n")
        .replace(",0\n", "\n")
        .replace(",2\n", "\n")
    )
    problem = only_error(city)
    assert problem.file.endswith("departments.csv")
    assert problem.field == "data_roles"
    assert "required column 'data_roles' is missing" in problem.message
    assert "Columns found: department_id" in problem.fix


def test_unknown_demographic_code_is_reported_with_row_numbers(city: Path) -> None:
    path = city / "neighbourhood_demographics.csv"
    path.write_text(
        path.read_text().replace("N2,race_ethnicity,HISPANIC", "N2,race_ethnicity,LATINO")
    )
    problem = only_error(city)
    assert problem.field == "category"
    assert "'LATINO'" in problem.message and "row 9" in problem.message
    assert "HISPANIC" in problem.fix


def test_age_code_under_the_wrong_dimension_is_reported(city: Path) -> None:
    path = city / "neighbourhood_demographics.csv"
    path.write_text(path.read_text().replace("N1,age,0-4", "N1,age,WHITE"))
    problem = only_error(city)
    assert problem.field == "category" and "row 5" in problem.message


def test_negative_count_is_reported_with_row_numbers(city: Path) -> None:
    path = city / "neighbourhood_demographics.csv"
    text = path.read_text().replace(",3000", ",-3000").replace(",120\n", ",-120\n")
    path.write_text(text)
    problem = only_error(city)
    assert problem.field == "count"
    assert "rows 2, 6" in problem.message and "-3000" in problem.message
    assert "negative" in problem.message


def test_successes_above_participants_are_reported(city: Path) -> None:
    path = city / "programme_outcomes.csv"
    path.write_text(path.read_text().replace("40,22", "40,52"))
    problem = only_error(city)
    assert problem.field == "successes" and "row 2" in problem.message


def test_dates_in_mixed_formats_are_reported(city: Path) -> None:
    path = city / "data_use_log.csv"
    path.write_text(path.read_text().replace("2024-04-02", "04/02/2024"))
    problem = only_error(city)
    assert problem.field == "date"
    assert "mixed formats" in problem.message and "row 3" in problem.message
    assert "'04/02/2024'" in problem.message
    assert "YYYY-MM-DD" in problem.fix


def test_non_iso_dates_suggest_a_date_format(city: Path) -> None:
    path = city / "maturity_assessment.csv"
    path.write_text(path.read_text().replace("2024-04-01", "04/15/2024"))
    problem = only_error(city)
    assert "not in ISO 8601" in problem.message
    assert "date_format: '%m/%d/%Y'" in problem.fix


def test_date_format_in_city_yaml_is_honoured(city: Path) -> None:
    path = city / "maturity_assessment.csv"
    path.write_text(path.read_text().replace("2024-04-01", "04/15/2024"))
    with (city / "city.yaml").open("a") as handle:
        handle.write("tables:\n  maturity_assessment:\n    date_format: '%m/%d/%Y'\n")
    assert errors(check_city(city)) == []


def test_duplicate_ids_are_reported_with_both_rows(city: Path) -> None:
    path = city / "data_inventory.csv"
    path.write_text(path.read_text().replace("D2,Benefit", "D1,Benefit"))
    problem = only_error(city)
    assert problem.field == "dataset_id"
    assert "'D1'" in problem.message and "rows 2, 3" in problem.message


def test_duplicate_respondent_skill_pair_is_reported(city: Path) -> None:
    path = city / "staff_survey.csv"
    path.write_text(
        path.read_text().replace("R001,PW,analyst,statistics", "R001,PW,analyst,data_analysis")
    )
    problem = only_error(city)
    assert "respondent_id + skill" in problem.message and "rows 2, 3" in problem.message


def test_empty_file_is_reported(city: Path) -> None:
    (city / "departments.csv").write_bytes(b"")
    found = errors(check_city(city))
    assert any(p.file.endswith("departments.csv") and "empty" in p.message for p in found)
    assert (city / "departments.csv").read_bytes() == b""


def test_header_only_file_is_a_warning(city: Path) -> None:
    (city / "maturity_assessment.csv").write_text("practice_area,criterion_id,rating,assessed_on\n")
    problems = check_city(city)
    assert errors(problems) == []
    assert any("no rows" in p.message for p in problems)


def test_truncated_excel_file_is_reported(city: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["practice_area", "criterion_id", "rating", "assessed_on"])
    sheet.append(["governance", "GOV1", 2, "2024-04-01"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    (city / "maturity_assessment.csv").unlink()
    (city / "maturity_assessment.xlsx").write_bytes(data[: len(data) // 2])
    problem = only_error(city)
    assert problem.file.endswith("maturity_assessment.xlsx")
    assert "not a readable Excel" in problem.message and "truncated" in problem.message


def test_valid_excel_table_is_read_with_excel_row_numbers(city: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["practice_area", "criterion_id", "rating", "assessed_on"])
    sheet.append(["governance", "GOV1", 2, "2024-04-01"])
    sheet.append(["analytics", "ANA1", 7, "2024-04-01"])
    (city / "maturity_assessment.csv").unlink()
    book.save(city / "maturity_assessment.xlsx")
    problem = only_error(city)
    assert (
        problem.field == "rating"
        and "row 3" in problem.message
        and "between 0 and 3" in problem.message
    )


def test_file_declared_utf8_but_written_in_cp1252_is_reported(city: Path) -> None:
    path = city / "departments.csv"
    path.write_bytes(path.read_text().replace("Parks", "Parcs et Loisirs é").encode("cp1252"))
    with (city / "city.yaml").open("a") as handle:
        handle.write("tables:\n  departments:\n    encoding: utf-8\n")
    before = path.read_bytes()
    problem = only_error(city)
    assert problem.file.endswith("departments.csv")
    assert "declared as utf-8" in problem.message and "line 3" in problem.message
    assert "cp1252" in problem.message
    assert path.read_bytes() == before


def test_cp1252_file_is_read_with_a_warning_when_encoding_is_auto(city: Path) -> None:
    path = city / "departments.csv"
    path.write_bytes(path.read_text().replace("Parks", "Parcs é").encode("cp1252"))
    problems = check_city(city)
    assert errors(problems) == []
    assert any("Windows-1252" in p.message for p in problems)


def test_undecodable_file_is_reported(city: Path) -> None:
    path = city / "departments.csv"
    path.write_bytes(path.read_bytes() + b"XX,\x81\x8d\x8f\x90\x9d\xff\xfe\x00,1,1,1\n")
    found = errors(check_city(city))
    assert any("departments.csv" in p.file and "encoding" in p.message for p in found), found


def test_utf8_with_bom_and_semicolons_is_read(city: Path) -> None:
    path = city / "departments.csv"
    text = path.read_text().replace(",", ";").replace("2100000.50", "2100000.5")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert check_city(city) == []


def test_ragged_rows_are_reported_with_row_numbers(city: Path) -> None:
    path = city / "staff_survey.csv"
    lines = path.read_text().splitlines()
    lines[2] += ",extra"
    lines[3] = "R002,PK,frontline"
    path.write_text("\n".join(lines) + "\n")
    found = errors(check_city(city))
    assert len(found) == 2, found
    many, few = sorted(found, key=lambda p: p.message.find("fewer"))
    assert "row 3" in many.message and "more fields" in many.message
    assert "row 4" in few.message and "fewer fields" in few.message


def test_unknown_foreign_key_is_reported(city: Path) -> None:
    path = city / "performance_metrics.csv"
    path.write_text(path.read_text().replace("M2,Park visits,PK", "M2,Park visits,XX"))
    problem = only_error(city)
    assert problem.field == "department_id" and "'XX'" in problem.message
    assert "departments.csv" in problem.message


def test_outcome_group_must_be_a_known_neighbourhood(city: Path) -> None:
    path = city / "programme_outcomes.csv"
    path.write_text(path.read_text().replace("neighbourhood,N1", "neighbourhood,N9"))
    problem = only_error(city)
    assert problem.field == "group" and "'N9'" in problem.message


def test_email_as_respondent_id_is_an_error(city: Path) -> None:
    path = city / "staff_survey.csv"
    path.write_text(path.read_text().replace("R002,", "bob@city.gov,"))
    problem = only_error(city)
    assert problem.field == "respondent_id" and "e-mail" in problem.message


def test_name_column_in_survey_is_a_warning(city: Path) -> None:
    path = city / "staff_survey.csv"
    lines = path.read_text().splitlines()
    lines = [lines[0] + ",Full Name,E-mail"] + [
        f"{line},Jane Doe,jane@city.gov" for line in lines[1:]
    ]
    path.write_text("\n".join(lines) + "\n")
    problems = check_city(city)
    assert errors(problems) == []
    assert any("'Full Name'" in p.message and "'E-mail'" in p.message for p in problems)


def test_many_problems_are_all_reported_in_one_run(city: Path) -> None:
    (city / "departments.csv").write_bytes(b"")
    path = city / "neighbourhood_demographics.csv"
    path.write_text(path.read_text().replace(",3000", ",-3000"))
    path = city / "data_inventory.csv"
    path.write_text(path.read_text().replace("D2,Benefit", "D1,Benefit"))
    found = errors(check_city(city))
    files = {Path(p.file).name for p in found}
    assert {"departments.csv", "neighbourhood_demographics.csv", "data_inventory.csv"} <= files


def test_many_bad_rows_show_the_first_five_and_a_count(city: Path) -> None:
    path = city / "staff_survey.csv"
    header = path.read_text().splitlines()[0]
    rows = [f"R{i:03d},PW,wizard,statistics,expert,yes" for i in range(12)]
    path.write_text("\n".join([header, *rows]) + "\n")
    problem = only_error(city)
    assert "rows 2, 3, 4, 5, 6 and 7 more (12 rows)" in problem.message


def test_invalid_city_yaml_is_reported_with_its_line(city: Path) -> None:
    (city / "city.yaml").write_text(
        "id: Test Ville\nname: Testville\ncountry: US\npopulation: 5\ntimezone: Mars/Olympus\n"
    )
    found = errors(check_city(city))
    fields = {p.field for p in found}
    assert {"id", "timezone"} <= fields
    assert all(p.line for p in found)


def test_unknown_file_in_folder_is_a_warning_with_a_suggestion(city: Path) -> None:
    (city / "departmens.csv").write_text("a,b\n1,2\n")
    problems = check_city(city)
    assert errors(problems) == []
    assert any("departmens.csv" in p.file and "departments" in p.fix for p in problems)


def test_missing_tables_are_warnings_not_errors(tmp_path: Path) -> None:
    folder = tmp_path / "bare"
    folder.mkdir()
    shutil.copy(VALID / "city.yaml", folder / "city.yaml")
    problems = check_city(folder)
    assert errors(problems) == []
    assert len(problems) == len(TABLES)


def test_a_us_city_with_colombian_ethnic_groups_is_told_its_own_standard(city: Path) -> None:
    path = city / "neighbourhood_demographics.csv"
    path.write_text(
        path.read_text().replace("N2,race_ethnicity,HISPANIC", "N2,race_ethnicity,AFRO")
    )
    problem = only_error(city)
    assert problem.field == "category" and "row 9" in problem.message
    assert "AFRO" in problem.message and "SPD 15 (2024)" in problem.message
    assert "HISPANIC" in problem.fix and "AFRO" not in problem.fix


def test_a_colombian_city_uses_the_dane_2018_groups(city: Path) -> None:
    yaml_path = city / "city.yaml"
    yaml_path.write_text(yaml_path.read_text().replace("country: US", "country: CO"))
    dane = {"WHITE": "NINGUNO", "BLACK": "AFRO", "MULTIPLE": "NO_INFORMA", "HISPANIC": "INDIGENA"}
    for name in ("neighbourhood_demographics.csv", "programme_outcomes.csv"):
        path = city / name
        text = path.read_text()
        for us, co in dane.items():
            text = text.replace(f",race_ethnicity,{us},", f",race_ethnicity,{co},")
        path.write_text(text)
    assert errors(check_city(city)) == []
    # and a US code in a Colombian city is named against DANE 2018
    path = city / "neighbourhood_demographics.csv"
    path.write_text(path.read_text().replace(",race_ethnicity,AFRO,", ",race_ethnicity,BLACK,"))
    problem = only_error(city)
    assert "BLACK" in problem.message and "DANE CNPV 2018" in problem.message
    assert "NINGUNO" in problem.fix and "BLACK" not in problem.fix


def test_a_country_without_a_standard_is_named_with_the_choices(city: Path) -> None:
    yaml_path = city / "city.yaml"
    yaml_path.write_text(yaml_path.read_text().replace("country: US", "country: FR"))
    warnings = [p for p in check_city(city) if "no demographic data standard" in p.message]
    # one per table with race_ethnicity rows (neighbourhood demographics, programme outcomes)
    assert {Path(p.file).name for p in warnings} == {
        "neighbourhood_demographics.csv",
        "programme_outcomes.csv",
    }
    assert "'FR'" in warnings[0].message and "US (SPD 15 (2024))" in warnings[0].message
    assert "CO (DANE CNPV 2018)" in warnings[0].message
