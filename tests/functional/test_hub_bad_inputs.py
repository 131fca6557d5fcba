"""`cda hub start` with bad input: one clear message each, exit code 1, nothing configured.

These run the real command as root (CI runs as root); nothing here starts a hub. "Nothing
configured" means: no state folder for the cohort and no system user of its roster.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cohort_tools.cli import app
from cohort_tools.hub import accounts as acc
from cohort_tools.hub.environment import RECORD, proxy_executable, source_fingerprint
from cohort_tools.hub.plan import cohort_slug
from cohort_tools.model.cohort import load_cohort
from tests.conftest import CohortFactory

runner = CliRunner()

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 and os.environ.get("CI") != "true",
    reason="cda hub start needs root (CI runs as root)",
)


def _unique_emails(d: dict[str, Any]) -> None:
    """A roster no other test or hub on this machine uses (user names come from the emails)."""
    d["name"] = "Bad input cohort"
    for city in d["cities"]:
        for member in city["senior_team"]:
            member["email"] = member["email"].replace(".example", "-badinput.example")


def _prefix(tmp_path: Path, proxy: bool = True) -> Path:
    """A hub environment as `cda hub install` leaves it, without the large parts."""
    prefix = tmp_path / "hubenv"
    (prefix / "bin").mkdir(parents=True)
    (prefix / "bin" / "jupyterhub-singleuser").write_text("", encoding="utf-8")
    (prefix / RECORD).write_text(json.dumps({"fingerprint": source_fingerprint()}))
    if proxy:
        chp = proxy_executable(prefix)
        chp.parent.mkdir(parents=True)
        chp.write_text("", encoding="utf-8")
    return prefix


def _start(cohort: Path, state: Path, prefix: Path, *extra: str) -> Any:
    args = [
        "hub",
        "start",
        str(cohort),
        "--state-root",
        str(state),
        "--prefix",
        str(prefix),
        *extra,
    ]
    return runner.invoke(app, args)


def _nothing_configured(cohort_file: Path, state: Path) -> None:
    from cohort_tools.course.layout import student_id

    cohort = load_cohort(cohort_file)
    assert not (state / cohort_slug(cohort.name, cohort.path)).exists()
    for city in cohort.cities:
        for member in city.senior_team:
            assert acc.system_user(student_id(city.id, str(member.email))) is None


@pytest.fixture
def free_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    yield port


def test_city_id_that_is_not_a_valid_system_name_is_refused_before_anything_is_made(
    make_cohort: CohortFactory, tmp_path: Path, free_port: int
) -> None:
    def bad(d: dict[str, Any]) -> None:
        _unique_emails(d)
        d["cities"][0]["id"] = "3rivers"

    cohort = make_cohort(bad)
    result = _start(cohort, tmp_path / "state", _prefix(tmp_path), "--port", str(free_port))
    assert result.exit_code == 1
    assert "'3rivers-" in result.output and "starts with a digit" in result.output
    assert "city '3rivers'" in result.output and "field 'cities[0].id'" in result.output
    _nothing_configured(cohort, tmp_path / "state")


def test_port_in_use_is_named_with_what_holds_it(
    make_cohort: CohortFactory, tmp_path: Path
) -> None:
    cohort = make_cohort(_unique_emails)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _start(cohort, tmp_path / "state", _prefix(tmp_path), "--port", str(port))
    assert result.exit_code == 1
    assert f"port {port} on 127.0.0.1 is already in use (by process {os.getpid()}" in result.output
    assert "choose another port with --port" in result.output
    _nothing_configured(cohort, tmp_path / "state")


def test_missing_proxy_says_how_to_install_it(
    make_cohort: CohortFactory, tmp_path: Path, free_port: int
) -> None:
    cohort = make_cohort(_unique_emails)
    prefix = _prefix(tmp_path, proxy=False)
    result = _start(cohort, tmp_path / "state", prefix, "--port", str(free_port))
    assert result.exit_code == 1
    assert "configurable-http-proxy is missing" in result.output
    assert f"cda hub install --prefix {prefix}" in result.output
    _nothing_configured(cohort, tmp_path / "state")


def test_missing_hub_environment_says_how_to_make_it(
    make_cohort: CohortFactory, tmp_path: Path, free_port: int
) -> None:
    cohort = make_cohort(_unique_emails)
    result = _start(cohort, tmp_path / "state", tmp_path / "nowhere", "--port", str(free_port))
    assert result.exit_code == 1
    assert "the hub environment is not installed here" in result.output
    _nothing_configured(cohort, tmp_path / "state")


def test_second_hub_on_the_same_cohort_is_refused_with_the_running_hubs_address(
    make_cohort: CohortFactory, tmp_path: Path, free_port: int
) -> None:
    cohort_file = make_cohort(_unique_emails)
    cohort = load_cohort(cohort_file)
    state = tmp_path / "state"
    hub_dir = state / cohort_slug(cohort.name, cohort.path)
    (hub_dir / "private").mkdir(parents=True)
    (hub_dir / "hub.json").write_text(json.dumps({"ip": "127.0.0.1", "port": 8123}))
    # a running hub holds this lock for its whole life (see cohort_tools.hub.process)
    with open(hub_dir / "private" / "hub.lock", "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        result = _start(cohort_file, state, _prefix(tmp_path), "--port", str(free_port))
    assert result.exit_code == 1
    assert "a hub for this cohort is already running at http://127.0.0.1:8123/" in result.output
    assert "cda hub stop" in result.output
    assert sorted(p.name for p in hub_dir.iterdir()) == ["hub.json", "private"]  # untouched


def test_every_problem_is_reported_in_one_run(make_cohort: CohortFactory, tmp_path: Path) -> None:
    cohort = make_cohort(_unique_emails)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _start(
            cohort,
            tmp_path / "state",
            _prefix(tmp_path, proxy=False),
            "--port",
            str(port),
            "--mem-limit",
            "lots",
            "--ssl-cert",
            str(tmp_path / "missing.pem"),
        )
    assert result.exit_code == 1
    for expected in (
        "configurable-http-proxy is missing",
        f"port {port} on 127.0.0.1 is already in use",
        "'lots' is not a memory size",
        "TLS needs both the certificate and its key",
        "this TLS file does not exist",
    ):
        assert expected in result.output
    assert "nothing was changed" in result.output
    _nothing_configured(cohort, tmp_path / "state")
