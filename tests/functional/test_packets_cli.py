"""`cda packets` options reach run_packets, and failures make the command exit non-zero."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from cohort_tools.cli import packets_command
from cohort_tools.coaching_packets import engine
from cohort_tools.coaching_packets.engine import JobResult, PacketReport
from cohort_tools.core.errors import CdaError

app = typer.Typer()
app.command()(packets_command)


def fake_report(tmp_path: Path, *statuses: str) -> PacketReport:
    results = [JobResult("riverton", f"t{i}", s, 1.0, "k", "boom") for i, s in enumerate(statuses)]
    return PacketReport(tmp_path, tmp_path / "index.html", results, {}, 2.0)


def test_options_are_passed_through_and_success_exits_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def fake(**kwargs: Any) -> PacketReport:
        seen.update(kwargs)
        return fake_report(tmp_path, "ok", "cached")

    monkeypatch.setattr(engine, "run_packets", fake)
    args = ["--city", "riverton", "--city", "cedar-bend", "--template", "pre_session_brief"]
    args += ["--out", str(tmp_path), "--jobs", "2", "--force", "--quiet", "--timeout", "30"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert seen["cities"] == ["riverton", "cedar-bend"]
    assert seen["templates"] == ["pre_session_brief"]
    assert (seen["jobs"], seen["force"], seen["quiet"], seen["timeout"]) == (2, True, True, 30)
    assert "1 packet page(s) made, 1 unchanged" in result.output


def test_a_failed_packet_makes_the_command_exit_one_with_a_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "run_packets", lambda **_: fake_report(tmp_path, "ok", "error"))
    result = CliRunner().invoke(app, ["--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "FAILED riverton / t1: boom" in result.output


def test_bad_input_is_reported_on_stderr_with_exit_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**_: Any) -> PacketReport:
        raise CdaError.single("cohort.yaml", "there is no city 'atlantis'.", "use riverton.")

    monkeypatch.setattr(engine, "run_packets", refuse)
    result = CliRunner().invoke(app, ["--city", "atlantis"])
    assert result.exit_code == 1
    assert "atlantis" in result.output
