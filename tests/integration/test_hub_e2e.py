"""The live cohort end to end: a real JupyterHub 6 on 127.0.0.1, real system users, Chromium.

One hub is started for the module (``cda hub start``'s own function) on a copy of the demo cohort
whose emails are changed, so its user names are its own; it is removed at the end with its users
(``cda hub remove``). Needs root (system users), Debian's Chromium, and the hub environment from
`cda hub install` (CDA_HUB_PREFIX, default /opt/cda-hub); without them the test skips, except under
CI=true (``.ci/run`` installs them), where it fails.
"""

from __future__ import annotations

import csv
import os
import secrets
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from cohort_tools.core import paths
from tests.integration.conftest import CHROMIUM_ARGS, require_chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PREFIX = Path(os.environ.get("CDA_HUB_PREFIX", "/opt/cda-hub"))
STATE_BASE = Path("/srv/cda-hub-tests")  # not under pytest's tmp folders: those are root-only
SPAWN_TIMEOUT_MS = 300_000  # a hang guard for a first server start on a busy machine
SHOTS = Path(os.environ.get("CDA_HUB_SHOTS", "")) if os.environ.get("CDA_HUB_SHOTS") else None


def _require_hub_machine() -> None:
    problems = []
    if os.geteuid() != 0:
        problems.append("it must run as root (it creates system users)")
    from cohort_tools.hub.environment import environment_problems

    problems += [str(p) for p in environment_problems(PREFIX)]
    if not problems:
        return
    reason = "the hub test needs: " + "; ".join(problems)
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(
            f"{reason}. CI must run the hub test (.ci/run installs the hub).", pytrace=False
        )
    pytest.skip(reason)


@dataclass
class Hub:
    info: Any  # cohort_tools.hub.api.HubInfo
    cohort_file: Path
    state_root: Path
    passwords: dict[str, str]
    rows: list[dict[str, str]]

    @property
    def url(self) -> str:
        return str(self.info.plan.url).rstrip("/")

    def users(self, kind: str, city: str | None = None) -> list[str]:
        return [
            r["user"]
            for r in self.rows
            if r["kind"] == kind and (city is None or city in r["cities"].split())
        ]


def _cohort_copy(folder: Path) -> Path:
    """The demo cohort with its data, renamed and with its own emails (so its own user names)."""
    shutil.copytree(paths.DEMO_DIR, folder, ignore=shutil.ignore_patterns(".cda-cache"))
    cohort_file = folder / "cohort.yaml"
    data = yaml.safe_load(cohort_file.read_text(encoding="utf-8"))
    data["name"] = "Hub test cohort"
    for city in data["cities"]:
        for member in city["senior_team"]:
            member["email"] = member["email"].replace(".example", "-hubtest.example")
        city["coach"]["email"] = city["coach"]["email"].replace(".example", "-hubtest.example")
    cohort_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return cohort_file


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def hub() -> Iterator[Hub]:
    require_chromium()
    _require_hub_machine()
    from cohort_tools.hub import api

    root = STATE_BASE / secrets.token_hex(4)
    root.mkdir(parents=True)
    STATE_BASE.chmod(0o755)
    root.chmod(0o755)
    (root / "home").mkdir()
    cohort_file = _cohort_copy(root / "cohort")
    info = None
    try:
        info = api.start(
            cohort=cohort_file,
            state_root=root / "state",
            prefix=PREFIX,
            port=_free_port(),
            home_root=root / "home",
        )
        with info.plan.accounts_file.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        passwords = {r["user"]: r["initial_password"] for r in rows}
        yield Hub(info, cohort_file, root / "state", passwords, rows)
    finally:
        if info is not None:
            api.remove(cohort=cohort_file, state_root=root / "state", yes=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def log_in(browser: Any, hub: Hub, user: str) -> Any:
    """A new browser context logged in as ``user``; returns its page, on the user's JupyterLab."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub.passwords[user])
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{user}/lab**", timeout=SPAWN_TIMEOUT_MS)
    page.locator(".jp-LauncherCard").first.wait_for(timeout=SPAWN_TIMEOUT_MS)
    return page


def shot(page: Any, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"))


def _server_processes(user: str) -> list[Any]:
    import psutil

    return [
        p
        for p in psutil.process_iter(["username", "cmdline"])
        if p.info["username"] == user
        and "jupyterhub-singleuser" in " ".join(p.info["cmdline"] or [])
    ]


def test_wrong_password_is_refused(chromium: Any, hub: Hub) -> None:
    context = chromium.new_context()
    page = context.new_page()
    try:
        page.goto(f"{hub.url}/hub/login")
        page.fill("#username_input", hub.users("learner")[0])
        page.fill("#password_input", "not-the-password")
        page.click("#login_submit")
        page.locator(".login_error, .alert-danger").first.wait_for()
        assert "/hub/login" in page.url
    finally:
        context.close()


def test_learner_logs_in_and_their_server_runs_as_their_own_user_with_a_memory_limit(
    chromium: Any, hub: Hub
) -> None:
    from playwright.sync_api import expect

    learner = hub.users("learner", "riverton")[0]
    page = log_in(chromium, hub, learner)
    try:
        shot(page, "learner-lab")
        # learner panels only: no formgrader, no course list, no terminal
        page.locator(".lm-MenuBar-item", has_text="Nbgrader").click()
        menu = page.locator(".lm-Menu")
        expect(menu).to_contain_text("Assignment List")
        expect(menu).not_to_contain_text("Formgrader")
        expect(menu).not_to_contain_text("Course List")
        page.keyboard.press("Escape")
        expect(page.locator(".jp-LauncherCard", has_text="Terminal")).to_have_count(0)
        servers = _server_processes(learner)
        assert len(servers) == 1
        home = Path(hub.info.plan.home_root) / learner
        assert servers[0].cwd() == str(home)
        assert home.stat().st_mode & 0o077 == 0  # nobody else may enter
        plan = hub.info.plan
        if plan.cgroup == "v1":
            cgroup = Path(str(plan.cgroup_dir)) / learner
            assert str(servers[0].pid) in (cgroup / "cgroup.procs").read_text().split()
            assert int((cgroup / "memory.limit_in_bytes").read_text()) == plan.mem_limit
        elif plan.cgroup == "v2":
            cgroup = Path(str(plan.cgroup_dir)) / learner
            assert str(servers[0].pid) in (cgroup / "cgroup.procs").read_text().split()
            assert int((cgroup / "memory.max").read_text()) == plan.mem_limit
    finally:
        page.context.close()


def test_one_learner_cannot_read_another_learners_files(hub: Hub) -> None:
    import subprocess

    a, b = hub.users("learner", "riverton")[0], hub.users("learner", "cedar-bend")[0]
    home_a = Path(hub.info.plan.home_root) / a
    secret = home_a / "notes.txt"
    subprocess.run(["runuser", "-u", a, "--", "sh", "-c", f"echo mine > {secret}"], check=True)
    as_b = subprocess.run(
        ["runuser", "-u", b, "--", "cat", str(secret)], capture_output=True, text=True
    )
    assert as_b.returncode != 0 and "Permission denied" in as_b.stderr


def test_second_hub_for_the_same_cohort_is_refused(hub: Hub) -> None:
    from cohort_tools.core.errors import CdaError
    from cohort_tools.hub import api

    with pytest.raises(CdaError, match="a hub for this cohort is already running at"):
        api.start(
            cohort=hub.cohort_file, state_root=hub.state_root, prefix=PREFIX, port=_free_port()
        )


def test_status_lists_the_servers_that_run(chromium: Any, hub: Hub) -> None:
    from cohort_tools.hub import api

    status = api.status(cohort=hub.cohort_file, state_root=hub.state_root)
    assert status.running and status.pid == hub.info.pid
    assert f"running at {hub.info.plan.url}" in status.summary()


def test_stop_leaves_nothing_running(hub: Hub) -> None:
    """Last in this module (it stops the hub): servers, kernels, proxy, culler all gone."""
    import psutil

    from cohort_tools.hub import api
    from cohort_tools.hub.process import user_processes

    pid = hub.info.pid
    tree = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    assert any("configurable-http-proxy" in " ".join(p.cmdline()) for p in tree)
    report = api.stop(cohort=hub.cohort_file, state_root=hub.state_root)
    assert report.left == [] and "Nothing of the hub is running now." in report.summary()
    alive = [p for p in tree if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert alive == []
    assert user_processes(hub.info.plan) == []
    assert not api.status(cohort=hub.cohort_file, state_root=hub.state_root).running
