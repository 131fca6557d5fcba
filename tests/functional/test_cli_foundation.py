"""The `cda` command for the programme manager's first job: check a roster, write the calendar."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import icalendar
import pytest
from typer.testing import CliRunner

from cohort_tools.cli import app
from tests.conftest import CohortFactory

runner = CliRunner()
CDA = [sys.executable, "-m", "cohort_tools.cli"]


def test_installed_cda_command_prints_programme_outline() -> None:
    done = subprocess.run([*CDA, "programme", "show"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Module 1: Data-informed leadership" in done.stdout
    assert "Deliverable: Citywide data strategy" in done.stdout


def test_cohort_check_on_demo_cohort_passes_and_prints_summary() -> None:
    result = runner.invoke(app, ["cohort", "check"])
    assert result.exit_code == 0, result.output
    assert "The cohort is valid." in result.output
    assert "Riverton" in result.output and "[fictional]" in result.output


def test_schedule_writes_ics_and_csv_that_parse(tmp_path: Path) -> None:
    ics, csv = tmp_path / "out" / "cal.ics", tmp_path / "out" / "cal.csv"
    result = runner.invoke(app, ["schedule", "--ics", str(ics), "--csv", str(csv)])
    assert result.exit_code == 0, result.output
    events = list(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    rows = csv.read_text().strip().splitlines()
    assert len(events) == len(rows) - 1 > 50
    assert f"wrote {ics}" in result.output


def test_schedule_for_one_city_writes_only_its_events(tmp_path: Path) -> None:
    ics = tmp_path / "riverton.ics"
    result = runner.invoke(app, ["schedule", "--ics", str(ics), "--city", "riverton"])
    assert result.exit_code == 0, result.output
    text = ics.read_text()
    assert "Riverton: Coaching session 1" in text and "Cedar Bend" not in text


def _team_of_five(d: dict[str, Any]) -> None:
    team = d["cities"][0]["senior_team"]
    team += [
        {"name": "A B", "email": "ab@riverton.example", "role": "policy_lead"},
        {"name": "C D", "email": "cd@riverton.example", "role": "communications_lead"},
    ]


def _duplicate_id(d: dict[str, Any]) -> None:
    d["cities"][1]["id"] = "riverton"


def _no_mayor(d: dict[str, Any]) -> None:
    del d["cities"][2]["mayor"]


def _bad_date(d: dict[str, Any]) -> None:
    d["start_date"] = "2027-13-45"


BAD_COHORTS = {
    "team-of-five": (_team_of_five, "5 members"),
    "duplicate-city-id": (_duplicate_id, "used twice"),
    "missing-mayor": (_no_mayor, "mayor"),
    "malformed-date": (_bad_date, "start_date"),
}


@pytest.mark.parametrize("case", list(BAD_COHORTS))
def test_bad_cohort_exits_1_names_the_problem_and_writes_nothing(
    case: str, make_cohort: CohortFactory, tmp_path: Path
) -> None:
    edit, expected = BAD_COHORTS[case]
    path = make_cohort(edit)
    before = path.read_bytes()
    out = tmp_path / "cal"
    for args in (
        ["cohort", "check", str(path)],
        ["schedule", str(path), "--ics", str(out / "c.ics"), "--csv", str(out / "c.csv")],
        ["demo", "--cohort", str(path), "--out", str(out / "demo")],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, (args, result.output)
        assert expected in result.output
        assert str(path) in result.output
    assert not out.exists(), "nothing may be written for an invalid cohort"
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [("", "is empty"), ("cities: [unclosed\n", "not valid YAML"), (None, "does not exist")],
    ids=["empty-file", "non-yaml-file", "missing-file"],
)
def test_unreadable_cohort_file_exits_1_with_plain_message(
    tmp_path: Path, content: str | None, expected: str
) -> None:
    path = tmp_path / "cohort.yaml"
    if content is not None:
        path.write_text(content)
    out = tmp_path / "cal.ics"
    for args in (["cohort", "check", str(path)], ["schedule", str(path), "--ics", str(out)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, result.output
        assert expected in result.output
        assert "Traceback" not in result.output
    assert not out.exists()


def test_real_cda_process_exits_1_on_a_bad_cohort(make_cohort: CohortFactory) -> None:
    path = make_cohort(_team_of_five)
    done = subprocess.run(
        [*CDA, "cohort", "check", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert "5 members" in done.stderr and "Traceback" not in done.stderr


def test_schedule_without_an_output_is_a_usage_error() -> None:
    result = runner.invoke(app, ["schedule"])
    assert result.exit_code == 1 and "--ics" in result.output


def test_demo_writes_every_product_and_says_where(demo_run: tuple[Any, Path]) -> None:
    result, out = demo_run
    assert result.exit_code == 0, result.output
    for name in ("cohort.ics", "cohort.csv", "riverton.ics", "cedar-bend.ics", "port-alder.ics",
                 "puerto-arrayan.ics"):  # fmt: skip
        assert (out / "calendar" / name).stat().st_size > 0
    assert "71 events" in result.output or "events from" in result.output
    for city in ("riverton", "cedar-bend", "port-alder", "puerto-arrayan"):
        for name in ("strategy.html", "strategy.pdf", "strategy.docx", "completeness.md"):
            assert (out / "strategy" / city / name).stat().st_size > 0
        for template in ("pre_session_brief", "strategy_review", "showcase_prep"):
            assert (out / "packets" / city / f"{template}.html").is_file()
    assert (out / "cohort-view" / "index.html").is_file()
    assert (out / "book" / "index.html").is_file() or (out / "book").is_dir()
    assert "sections complete" in result.output
