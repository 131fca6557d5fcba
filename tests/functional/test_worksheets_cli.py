"""`cda worksheets build`: bad input names what is wrong and exits one, writing nothing."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cohort_tools.cli import app


def test_an_unknown_workshop_is_named_with_the_ones_that_exist_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    out = tmp_path / "worksheets"
    result = CliRunner().invoke(
        app, ["worksheets", "build", "--workshop", "m9_nonsense", "--out", str(out)]
    )
    assert result.exit_code == 1
    assert "no workshop named m9_nonsense" in result.output
    assert "m1_workshop_a_data_routines" in result.output  # the fix lists the real ones
    assert not out.exists()


def test_an_unknown_city_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "worksheets"
    result = CliRunner().invoke(
        app, ["worksheets", "build", "--city", "atlantis", "--out", str(out), "--quiet"]
    )
    assert result.exit_code == 1
    assert "atlantis" in result.output
    assert not out.exists()


def test_a_broken_cohort_file_is_named_with_its_line(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort.yaml"
    cohort.write_text("name: [unclosed\n", encoding="utf-8")
    out = tmp_path / "worksheets"
    result = CliRunner().invoke(
        app, ["worksheets", "build", "--cohort", str(cohort), "--out", str(out)]
    )
    assert result.exit_code == 1
    assert "cohort.yaml" in result.output and "Traceback" not in result.output
    assert not out.exists()
