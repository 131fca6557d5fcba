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
from tests.integration.conftest import require_chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PREFIX = Path(os.environ.get("CDA_HUB_PREFIX", "/opt/cda-hub"))
STATE_BASE = Path("/srv/cda-hub-tests")  # not under pytest's tmp folders: those are root-only
SPAWN_TIMEOUT_MS = 300_000  # a hang guard for a first server start on a busy machine
SHOTS = Path(os.environ.get("CDA_HUB_SHOTS", "")) if os.environ.get("CDA_HUB_SHOTS") else None
WORKSHOP = "m1_workshop_a_data_routines"
WRONG_ON_PURPOSE = "answer-target"  # its checkpoint must fail
CITY_A, CITY_B = "riverton", "cedar-bend"


def _require_hub_machine() -> None:
    problems = []
    if os.geteuid() != 0:
        problems.append("it must run as root (it creates system users)")
    from cohort_tools.hub.accounts import grader_user_name, system_user
    from cohort_tools.hub.environment import environment_problems

    problems += [str(p) for p in environment_problems(PREFIX)]
    taken = [
        n for n in map(grader_user_name, ("riverton", "cedar-bend", "port-alder")) if system_user(n)
    ]
    if taken:  # a hub of the demo cohort runs on this machine (its grading accounts have these)
        problems.append(
            f"the system users {', '.join(taken)} exist (remove that hub: `cda hub remove --yes`)"
        )
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
    workshops = root / "workshops"
    workshops.mkdir()
    shutil.copy2(paths.workshops_dir() / f"{WORKSHOP}.md", workshops)
    info = None
    try:
        info = api.start(
            cohort=cohort_file,
            state_root=root / "state",
            prefix=PREFIX,
            port=_free_port(),
            home_root=root / "home",
            workshops=workshops,
        )
        with info.plan.accounts_file.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        passwords = {r["user"]: r["initial_password"] for r in rows}
        yield Hub(info, cohort_file, root / "state", passwords, rows)
    finally:
        if info is not None:
            api.remove(cohort=cohort_file, state_root=root / "state", yes=True)
        shutil.rmtree(root, ignore_errors=True)


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


def test_wrong_password_is_refused(browser: Any, hub: Hub) -> None:
    context = browser.new_context()
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
    browser: Any, hub: Hub
) -> None:
    from playwright.sync_api import expect

    learner = hub.users("learner", "riverton")[0]
    page = log_in(browser, hub, learner)
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


def _open_assignments(page: Any) -> Any:
    page.locator(".lm-MenuBar-item", has_text="Nbgrader").click()
    page.locator(".lm-Menu-item", has_text="Assignment List").click()
    panel = page.locator("#nbgrader-assignment-list")
    panel.locator("#released_assignments_list").wait_for()
    return panel


def _learner_answers(hub: Hub) -> list[Any]:
    """The answer cells of the learner's copy, with what the learner types into each."""
    import nbformat

    from cohort_tools.course.layout import Course
    from cohort_tools.course.samples import WRONG_ANSWERS, sample_notebook
    from tests.integration.lab_pages import STUB, Answer

    course = Course(hub.info.plan.course_dir(CITY_A))
    released = nbformat.read(course.release(WORKSHOP) / f"{WORKSHOP}.ipynb", as_version=4)
    solved = sample_notebook(course, WORKSHOP, "correct")
    typed = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in solved.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    typed[WRONG_ON_PURPOSE] = WRONG_ANSWERS[WRONG_ON_PURPOSE]
    answers: list[Any] = []
    for index, cell in enumerate(c for c in released.cells if c.cell_type == "code"):
        grading = cell.metadata.get("nbgrader", {})
        if STUB in cell.source or grading.get("solution"):
            answers.append(Answer(grading["grade_id"], index, typed[grading["grade_id"]], None))
    return answers


def _checkpoint_titles(hub: Hub) -> dict[str, str]:
    import re

    import nbformat

    from cohort_tools.course.layout import Course

    source = Course(hub.info.plan.course_dir(CITY_A)).source(WORKSHOP) / f"{WORKSHOP}.ipynb"
    titles = {}
    for cell in nbformat.read(source, as_version=4).cells:
        match = re.search(r'Checkpoint\("([^"]+)"\)', cell.source)
        if match and cell.metadata.get("nbgrader", {}).get("grade"):
            titles[cell.metadata["nbgrader"]["grade_id"]] = match.group(1)
    return titles


def _run_as(user: str, *command: str) -> Any:
    import subprocess

    return subprocess.run(["runuser", "-u", user, "--", *command], capture_output=True, text=True)


def test_live_cohort_learner_submits_coach_grades_with_the_rubric_learner_reads_feedback(
    browser: Any, hub: Hub, tmp_path: Path
) -> None:
    """The issue's end-to-end case, in the order people do it."""
    from playwright.sync_api import expect

    from tests.integration.lab_pages import (
        CHECKPOINT_FAILED,
        run_all,
        save,
        type_answer,
        validate,
        wait_kernel_idle,
    )

    plan = hub.info.plan
    learner_a = hub.users("learner", CITY_A)[0]
    learner_b = hub.users("learner", CITY_B)[0]
    coach = next(
        r["user"] for r in hub.rows if r["kind"] == "coach" and CITY_A in r["cities"].split()
    )
    titles = _checkpoint_titles(hub)
    wrong_check = "check-target"
    pages: list[Any] = []
    step = "learner fetches"
    try:
        # 1. the learner of city A fetches Module 1 workshop A from their city's course
        page = log_in(browser, hub, learner_a)
        pages.append(page)
        panel = _open_assignments(page)
        expect(panel.locator("#released_assignments_list")).to_contain_text(WORKSHOP)
        expect(panel).to_contain_text(CITY_A)
        expect(panel).not_to_contain_text(CITY_B)
        panel.locator("#released_assignments_list").get_by_role("button", name="Fetch").click()
        expect(panel.locator("#fetched_assignments_list")).to_contain_text(WORKSHOP)
        shot(page, "learner-assignments")

        # 2. opens it: the city's data, from the city's own folder; answers, one wrong on purpose
        step = "learner answers"
        notebook = f"{CITY_A}/{WORKSHOP}/{WORKSHOP}.ipynb"
        page.goto(f"{hub.url}/user/{learner_a}/lab/tree/{notebook}")
        page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(state="visible")
        wait_kernel_idle(page)
        run_all(page)
        page.locator(".jp-OutputArea-output", has_text="uses the data of Riverton").wait_for(
            timeout=SPAWN_TIMEOUT_MS
        )
        wait_kernel_idle(page)
        for answer in _learner_answers(hub):
            type_answer(page, answer)
        save(page)
        shot(page, "learner-notebook")
        step = "learner validates"
        outcome, text = validate(page)
        assert outcome == "failed", text
        failed = {t for g, t in titles.items() if f"{CHECKPOINT_FAILED}: {t}" in text}
        assert failed == {titles[wrong_check]}, text

        # 3. submits
        step = "learner submits"
        panel = _open_assignments(page)
        panel.locator("#fetched_assignments_list").get_by_role("button", name="Submit").click()
        expect(panel.locator("#submitted_assignments_list")).to_contain_text(WORKSHOP)
        shot(page, "learner-submitted")

        # 4. a learner of city B sees neither city A's course nor its files
        step = "other city"
        page_b = log_in(browser, hub, learner_b)
        pages.append(page_b)
        panel_b = _open_assignments(page_b)
        # its own city's course has loaded (the same workshop, released for city B)...
        expect(panel_b.locator("#released_assignments_list")).to_contain_text(CITY_B)
        # ...and nothing of city A's is in it (checked before the list loaded, this passed on an
        # empty panel; with the list loaded, the workshop's name is there, as city B's own)
        expect(panel_b).not_to_contain_text(CITY_A)
        response = page_b.goto(f"{hub.url}/user/{learner_a}/lab")
        assert response is not None and response.status == 403
        for path in (
            plan.exchange_dir / CITY_A,
            plan.state_dir / "cities" / CITY_A,
            plan.course_dir(CITY_A),
            plan.home_root / learner_a,
        ):
            listing = _run_as(learner_b, "ls", str(path))
            assert listing.returncode != 0 and "Permission denied" in listing.stderr, path
        stolen = _run_as(learner_b, "cat", str(plan.city_cohort_file(CITY_A)))
        assert stolen.returncode != 0

        # 5. the coach collects and grades, grades the reflection with its rubric, releases
        step = "coach collects"
        coach_page = log_in_coach(browser, hub, coach)
        pages.append(coach_page)
        expect(coach_page.locator("h1")).to_contain_text("Riverton")
        coach_page.get_by_role("button", name="Collect and grade new submissions").click()
        expect(coach_page.locator(".notice")).to_contain_text(
            "Collected 1 new submission", timeout=SPAWN_TIMEOUT_MS
        )
        row = coach_page.locator("tr", has_text=learner_a)
        expect(row).to_contain_text("0 of 1 graded")
        shot(coach_page, "coach-submissions")
        step = "coach grades"
        row.get_by_role("link", name="Grade with the rubric").click()
        item = coach_page.locator("section.item").first
        expect(item).to_contain_text("misses its target two months in a row")
        expect(item.locator(".answer").first).to_contain_text("recovery plan")
        expect(item.locator("legend")).to_have_text(
            ["Who notices and who decides", "What changes, and when it is checked"]
        )
        item.get_by_label("Clear").first.check()
        item.locator("fieldset").nth(1).get_by_label("Partly").check()
        comment = "Good: roles are named. Say when the recovery plan comes back."
        item.locator("textarea").fill(comment)
        shot(coach_page, "coach-rubric")
        item.get_by_role("button", name="Save this grade").click()
        expect(coach_page.locator(".notice")).to_contain_text("Saved: 1.5 points")
        expect(coach_page.locator("tr", has_text=learner_a)).to_contain_text("all 1 graded")
        step = "coach releases"
        coach_page.get_by_role("button", name="Release feedback to the team").click()
        expect(coach_page.locator(".notice")).to_contain_text(
            "released to the learners", timeout=SPAWN_TIMEOUT_MS
        )
        expect(coach_page.locator("tr", has_text=learner_a)).to_contain_text("released")

        # 6. the learner fetches the feedback: checkpoint verdicts and the comment, no hidden test
        step = "learner reads feedback"
        page.goto(f"{hub.url}/user/{learner_a}/lab")
        panel = _open_assignments(page)
        panel.locator("#submitted_assignments_list").get_by_role(
            "button", name="Fetch Feedback"
        ).first.click()
        feedback_dir = plan.home_root / learner_a / CITY_A / WORKSHOP / "feedback"
        import time

        deadline = time.monotonic() + 60
        while not list(feedback_dir.glob("*/*.html")) and time.monotonic() < deadline:
            time.sleep(0.5)
        html_file = next(feedback_dir.glob("*/*.html"))
        relative = html_file.relative_to(plan.home_root / learner_a)
        page.goto(f"{hub.url}/user/{learner_a}/files/{relative}")
        body = page.locator("body")
        expect(body).to_contain_text(comment)
        expect(body).to_contain_text(f"{CHECKPOINT_FAILED}: {titles[wrong_check]}")
        text = body.inner_text()
        assert "HIDDEN TESTS" not in text and "assert " not in text
        shot(page, "learner-feedback")
    except Exception as exc:
        for n, pg in enumerate(pages):
            with __import__("contextlib").suppress(Exception):
                pg.screenshot(path=str(tmp_path / f"failure-{n}.png"), full_page=True)
        from cohort_tools.hub.process import log_tail

        raise AssertionError(
            f"step '{step}' failed: {exc}\nscreenshots: {tmp_path}\nhub log:\n{log_tail(plan)}"
        ) from exc
    finally:
        for pg in pages:
            pg.context.close()

    # 7. the grades, the coach's score included, in the progress table and the cohort view
    from cohort_tools.cohort_view.page import cohort_rows
    from cohort_tools.course.layout import Course
    from cohort_tools.course.report import progress, progress_rows

    courses = plan.state_dir / "courses"
    rows = [r for r in progress_rows(Course(courses)) if r.learner == learner_a]
    assert len(rows) == 1 and rows[0].status == "graded" and not rows[0].awaiting_coach
    table = progress(course_dir=courses)
    assert learner_a in table and "(+coach)" not in table.split(learner_a)[1].splitlines()[0]
    city_rows, _ = cohort_rows(cohort=hub.cohort_file, course_dir=courses)
    riverton = next(r for r in city_rows if r.city == "Riverton")  # the cohort view names cities
    assert riverton.workshops_done == 1
    score, max_score = rows[0].score, rows[0].max_score
    assert score is not None and max_score  # graded above
    assert riverton.best_score_share == pytest.approx(score / max_score)


def log_in_coach(browser: Any, hub: Hub, user: str) -> Any:
    """A coach logs in and lands on the grading page of their first city."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub.passwords[user])
    page.click("#login_submit")
    page.wait_for_url("**/services/*/", timeout=SPAWN_TIMEOUT_MS)
    return page


def test_status_lists_the_servers_that_run(browser: Any, hub: Hub) -> None:
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
