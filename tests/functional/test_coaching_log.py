"""The coaching log: validated on every read and write; bad entries never land; roles, not names."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cohort_tools.citydata.demo import DEMO_CITIES_DIR
from cohort_tools.cli import app
from cohort_tools.core.errors import CdaError
from cohort_tools.model.coaching import LOG_FILE, add_entry, check_log, load_log, update_commitment

runner = CliRunner()


@pytest.fixture
def city_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "riverton"
    shutil.copytree(DEMO_CITIES_DIR / "riverton", folder)
    return folder


def _cohort_with(city_dir: Path, tmp_path: Path) -> Path:
    """The demo cohort file, with the copied city's data folder pointing at the copy."""
    text = (DEMO_CITIES_DIR.parent / "cohort.yaml").read_text(encoding="utf-8")
    text = text.replace(f"data_folder: cities/{city_dir.name}", f"data_folder: {city_dir}")
    text = text.replace("data_folder: cities/", f"data_folder: {DEMO_CITIES_DIR}/")
    cohort = tmp_path / "cohort.yaml"
    cohort.write_text(text, encoding="utf-8")
    return cohort


def test_the_demo_logs_are_valid_and_have_open_commitments() -> None:
    for city in ("riverton", "cedar-bend", "port-alder", "puerto-arrayan"):
        log = load_log(DEMO_CITIES_DIR / city, city=city)
        assert log is not None and log.sessions and log.open_commitments(), city


def test_an_added_entry_round_trips_and_keeps_the_header_comment(city_dir: Path) -> None:
    before = len(load_log(city_dir, city="riverton").sessions)  # type: ignore[union-attr]
    add_entry(
        city_dir=city_dir,
        city="riverton",
        date=dt.date(2027, 4, 6),
        attendees=["cda_lead", "coach"],
        discussion="Reviewed the stat meeting write-up.",
        commitments=["Share the write-up with two departments | cda_lead | 2027-04-20"],
    )
    log = load_log(city_dir, city="riverton")
    assert log is not None and len(log.sessions) == before + 1
    assert log.sessions[-1].commitments[0].owner_role == "cda_lead"
    assert (
        (city_dir / LOG_FILE).read_text(encoding="utf-8").startswith("# Coaching log for riverton")
    )


@pytest.mark.parametrize(
    "attendees,commitment,expected",
    [
        (["Priya Raman"], "Draft | chief_of_staff | 2027-04-20", "'Priya Raman' is not a role"),
        (["coach"], "Draft | Sam Okafor | 2027-04-20", "'Sam Okafor' is not a role"),
        (["coach"], "Draft | cda_lead | 2027-03-01", "before the session it was made in"),
        (["coach"], "Draft the agenda, cda_lead, 2027-04-20", "three parts separated by '|'"),
        (["coach"], "Draft | cda_lead | 20 April", "is not a date"),
    ],
)
def test_a_bad_entry_is_refused_with_its_reason_and_the_file_is_unchanged(
    city_dir: Path, attendees: list[str], commitment: str, expected: str
) -> None:
    before = (city_dir / LOG_FILE).read_bytes()
    with pytest.raises(CdaError) as err:
        add_entry(
            city_dir=city_dir,
            city="riverton",
            date=dt.date(2027, 4, 6),
            attendees=attendees,
            discussion="x",
            commitments=[commitment],
        )
    assert expected in str(err.value)
    assert (city_dir / LOG_FILE).read_bytes() == before


@pytest.mark.parametrize(
    "edit,expected_line,expected",
    [
        (lambda t: t.replace("status: done}", "status: finished}", 1), 12, "'finished'"),
        (lambda t: t.replace("date: 2027-02-09", "date: 9 Feb 2027", 1), 14, "date"),
        (lambda t: t.replace("    discussion: >-\n", "    discusion: >-\n", 1), 8, "discusion"),
        (lambda t: t.replace("sessions:", "sessions:\n  - [", 1), None, "not valid YAML"),
    ],
    ids=["bad-status", "bad-date", "misspelt-field", "broken-yaml"],
)
def test_a_malformed_log_is_reported_with_file_line_and_field(
    city_dir: Path, edit: object, expected_line: int | None, expected: str
) -> None:
    path = city_dir / LOG_FILE
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    log, problems = check_log(path, city="riverton")
    assert log is None and problems
    text = "\n".join(str(p) for p in problems)
    assert expected in text and str(path) in text
    if expected_line is not None:
        assert any(p.line == expected_line for p in problems), [str(p) for p in problems]


def test_cli_adds_an_entry_and_refuses_a_name_for_a_role(city_dir: Path, tmp_path: Path) -> None:
    cohort = _cohort_with(city_dir, tmp_path)
    ok = runner.invoke(
        app,
        [
            "coaching", "log", "--cohort", str(cohort), "--city", "riverton", "--date",
            "2027-04-06", "--attendee", "cda_lead", "--attendee", "coach", "--discussion",
            "Planned the final showcase.", "--commitment",
            "Pick the practice to show | chief_of_staff | 2027-04-20",
        ],
    )  # fmt: skip
    assert ok.exit_code == 0, ok.output
    before = (city_dir / LOG_FILE).read_bytes()
    bad = runner.invoke(
        app,
        [
            "coaching", "log", "--cohort", str(cohort), "--city", "riverton", "--date",
            "2027-04-07", "--attendee", "Priya Raman", "--discussion", "x",
        ],
    )  # fmt: skip
    assert bad.exit_code == 1 and "not a role" in bad.output
    assert (city_dir / LOG_FILE).read_bytes() == before
    check = runner.invoke(app, ["coaching", "check", "--cohort", str(cohort), "--city", "riverton"])
    assert check.exit_code == 0 and "open commitment" in check.output


def test_cli_check_fails_on_a_malformed_log(city_dir: Path, tmp_path: Path) -> None:
    cohort = _cohort_with(city_dir, tmp_path)
    path = city_dir / LOG_FILE
    path.write_text(path.read_text().replace("owner_role: cda_lead", "owner_role: Sam"), "utf-8")
    result = runner.invoke(app, ["coaching", "check", "--cohort", str(cohort)])
    assert result.exit_code == 1 and "'Sam' is not a role" in result.output


def test_a_commitment_can_be_closed_and_stops_being_open(city_dir: Path) -> None:
    open_before = len(load_log(city_dir, city="riverton").open_commitments())  # type: ignore[union-attr]
    done = update_commitment(
        city_dir=city_dir, city="riverton", date=dt.date(2027, 2, 9), number=1, status="done"
    )
    assert done.status == "done"
    assert len(load_log(city_dir, city="riverton").open_commitments()) == open_before - 1  # type: ignore[union-attr]
    with pytest.raises(CdaError, match="no number 9"):
        update_commitment(
            city_dir=city_dir, city="riverton", date=dt.date(2027, 2, 9), number=9, status="done"
        )


def test_a_spanish_city_s_coach_reads_the_coaching_commands_in_spanish(tmp_path: Path) -> None:
    city_dir = tmp_path / "puerto-arrayan"
    shutil.copytree(DEMO_CITIES_DIR / "puerto-arrayan", city_dir)
    cohort = _cohort_with(city_dir, tmp_path)
    where = ["--cohort", str(cohort), "--city", "puerto-arrayan"]
    ok = runner.invoke(
        app,
        [
            "coaching", "log", *where, "--date", "2027-04-06", "--attendee", "cda_lead",
            "--discussion", "Planeamos la muestra final.", "--commitment",
            "Elegir la práctica | chief_of_staff | 2027-04-20",
        ],
    )  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert "Se añadió la sesión del" in ok.output and "Puerto Arrayán" in ok.output
    before = (city_dir / LOG_FILE).read_bytes()
    bad = runner.invoke(
        app,
        [
            "coaching",
            "log",
            *where,
            "--date",
            "2027-04-07",
            "--attendee",
            "Ana",
            "--discussion",
            "x",
        ],
    )
    assert bad.exit_code == 1
    assert "No se añadió nada a la bitácora de coaching." in bad.output
    assert "'Ana' no es un cargo." in bad.output and "Cómo corregirlo:" in bad.output
    assert (city_dir / LOG_FILE).read_bytes() == before
    update = ["coaching", "update", *where, "--date", "2027-04-06", "--commitment", "1"]
    done = runner.invoke(app, [*update, "--status", "done"])
    assert done.exit_code == 0 and "'Elegir la práctica' ahora está cumplido." in done.output
    missing = runner.invoke(app, [*update, "--status", "done", "--commitment", "5"])
    assert missing.exit_code == 1 and "no hay ningún número 5" in missing.output
    check = runner.invoke(app, ["coaching", "check", *where])
    assert check.exit_code == 0 and "compromiso(s) abierto(s)" in check.output
    english = runner.invoke(app, ["--language", "en", "coaching", "check", *where])
    assert "open commitment(s)" in english.output
