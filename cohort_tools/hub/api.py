"""The hub's verbs: ``cda hub install | start | stop | status | remove`` as plain typed functions.

Every verb takes keyword arguments only and returns a report whose ``summary()`` is what the
command prints. ``start``, ``stop`` and ``remove`` need root (they manage system users and run
servers as them); ``install`` needs root to write the default prefix ``/opt/cda-hub``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import Field

from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.hub import accounts as acc
from cohort_tools.hub import environment
from cohort_tools.hub import process as proc
from cohort_tools.hub.plan import (
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_IP,
    DEFAULT_MEM_LIMIT,
    DEFAULT_PORT,
    DEFAULT_PREFIX,
    DEFAULT_STATE_ROOT,
    HubPlan,
    cohort_slug,
    load_plan,
)
from cohort_tools.model.cohort import load_cohort

KIND_LABELS = {"learner": "learner", "coach": "coach", "grader": "course grading account"}


def install(
    *,
    prefix: Path = DEFAULT_PREFIX,
    python: Path = environment.DEFAULT_PYTHON,
    project: Path | None = None,
) -> environment.InstallReport:
    """Make the hub environment at ``prefix`` (readable by every user) and install the proxy."""
    return environment.install(prefix=prefix, python=python, project=project)


@dataclass
class HubInfo:
    """A running hub: where it is, who may log in, and what the operator should know."""

    plan: HubPlan
    pid: int
    new_accounts: list[str]
    warnings: list[Problem] = field(default_factory=list)
    released: list[str] = field(default_factory=list)

    def summary(self) -> str:
        plan = self.plan
        lines = [
            f"The hub for {plan.cohort_name} is running at {plan.url}",
            f"  (process {self.pid}; log: {plan.log_file}; stop it with `cda hub stop"
            f"{'' if _is_demo(plan) else ' ' + str(plan.cohort_file)}`)",
            "",
            "Accounts (pseudonymous user names; the names behind them are only in the private "
            "accounts file):",
        ]
        width = max(len(a.name) for a in plan.accounts)
        for account in plan.accounts:
            if account.kind == "grader":
                continue
            cities = ", ".join(account.cities)
            role = f", {account.role}" if account.kind == "learner" else ""
            lines.append(f"  {account.name:<{width}}  {account.kind} ({cities}{role})")
        lines += ["", "Courses (one per city; its coach grades at the address shown):"]
        for course in plan.courses:
            lines.append(f"  {course.name}: {plan.url}services/{course.city}/")
        lines += [f"  {line}" for line in self.released]
        lines += [
            "",
            "How to log in: open the address above in a browser and sign in with the user name "
            "and its initial password.",
            f"  Initial passwords: {plan.accounts_file} (readable by root only; give each person "
            "their own).",
            f"  {len(self.new_accounts)} account(s) were created now; existing accounts kept "
            "their password.",
        ]
        if plan.mem_limit:
            how = (
                f"enforced through cgroup {plan.cgroup}"
                if plan.cgroup
                else "NOT enforced on this machine"
            )
            lines.append(f"  Memory per user: {plan.mem_limit / 2**30:.1f} GiB ({how}).")
        lines.append(
            f"  Servers idle for {plan.idle_timeout // 60} minutes are stopped (work is saved)."
        )
        if plan.ip in {"127.0.0.1", "::1"}:
            lines.append(
                "  The hub listens on this machine only; see the README to serve it on a network "
                "with TLS."
            )
        for w in self.warnings:
            lines.append(f"warning: {w}")
        return "\n".join(lines)


def _is_demo(plan: HubPlan) -> bool:
    from cohort_tools.core import paths

    return plan.cohort_file == paths.DEMO_COHORT_FILE.resolve()


def start(
    *,
    cohort: Path | None = None,
    state_root: Path = DEFAULT_STATE_ROOT,
    prefix: Path = DEFAULT_PREFIX,
    ip: str = DEFAULT_IP,
    port: Annotated[int, Field(ge=1, le=65535)] = DEFAULT_PORT,
    mem_limit: str = DEFAULT_MEM_LIMIT,
    idle_timeout: Annotated[int, Field(ge=60)] = DEFAULT_IDLE_TIMEOUT,
    ssl_cert: Path | None = None,
    ssl_key: Path | None = None,
    home_root: Path = Path("/home"),
    workshops: Path | None = None,
) -> HubInfo:
    """Check everything, then set up and start the cohort's hub; return where it runs and who may log in.

    Nothing is changed when any input is bad (all problems are reported together).
    """
    proc.require_root("start")
    loaded = load_cohort(cohort)
    options = proc.StartOptions(
        state_root=state_root,
        prefix=prefix,
        ip=ip,
        port=port,
        mem_limit=mem_limit,
        idle_timeout=idle_timeout,
        ssl_cert=ssl_cert,
        ssl_key=ssl_key,
        home_root=home_root,
        workshops=workshops,
    )
    plan, people, warnings = proc.make_plan(loaded, options)
    passwords = proc.apply(plan, people, loaded)
    from cohort_tools.hub.courses import build_and_release

    released = build_and_release(plan, loaded, workshops)
    pid = proc.launch(plan)
    return HubInfo(
        plan=plan,
        pid=pid,
        new_accounts=sorted(passwords),
        warnings=warnings,
        released=released,
    )


def state_dir_for(cohort: Path | None, state_root: Path) -> Path:
    loaded = load_cohort(cohort)
    return state_root / cohort_slug(loaded.name, loaded.path)


def _plan_for(cohort: Path | None, state_root: Path) -> HubPlan:
    return load_plan(state_dir_for(cohort, state_root))


def stop(*, cohort: Path | None = None, state_root: Path = DEFAULT_STATE_ROOT) -> proc.StopReport:
    """Stop the cohort's hub and everything it started; fail if anything is left running."""
    proc.require_root("stop")
    return proc.stop(_plan_for(cohort, state_root))


@dataclass
class HubStatus:
    plan: HubPlan
    running: bool
    pid: int | None
    servers: dict[str, int]  # user -> number of processes running as them

    def summary(self) -> str:
        if not self.running:
            return f"The hub for {self.plan.cohort_name} is not running (state in {self.plan.state_dir})."
        lines = [
            f"The hub for {self.plan.cohort_name} is running at {self.plan.url} (process {self.pid})."
        ]
        if self.servers:
            lines.append(f"{len(self.servers)} user(s) have a server running:")
            lines += [f"  {user}: {n} process(es)" for user, n in sorted(self.servers.items())]
        else:
            lines.append("No user has a server running.")
        return "\n".join(lines)


def status(*, cohort: Path | None = None, state_root: Path = DEFAULT_STATE_ROOT) -> HubStatus:
    """Whether the cohort's hub is running, and whose servers are."""
    plan = _plan_for(cohort, state_root)
    running = proc.hub_running(plan.state_dir)
    servers: dict[str, int] = {}
    for _, user, _ in proc.user_processes(plan):
        servers[user] = servers.get(user, 0) + 1
    return HubStatus(plan, running, proc.hub_pid(plan) if running else None, servers)


@dataclass
class GradeReport:
    lines: list[str]
    ok: bool

    def summary(self) -> str:
        return "\n".join(self.lines)


def grade(
    *,
    cohort: Path | None = None,
    state_root: Path = DEFAULT_STATE_ROOT,
    city: str | None = None,
) -> GradeReport:
    """The routine part of grading, for one city's course or every one: collect new submissions
    from the exchange, grade them with the project's grader, write and release feedback.

    Runs as each course's grading account (like the grading page's buttons). Reflections are graded
    by coaches on the grading page; their scores are kept when submissions are graded again.
    """
    from cohort_tools.hub.courses import run_as_grader

    proc.require_root("grade")
    plan = _plan_for(cohort, state_root)
    cities = [city] if city else list(plan.cities)
    unknown = [c for c in cities if c not in plan.cities]
    if unknown:
        raise CdaError.single(
            plan.cohort_file,
            f"there is no course '{unknown[0]}' on this hub.",
            f"use one of: {', '.join(plan.cities)}.",
            field="--city",
        )
    lines, ok = [], True
    for c in cities:
        try:
            lines += [
                f"{c}:",
                *("  " + line for line in run_as_grader(plan, c, "grade").splitlines()),
            ]
        except CdaError as exc:
            ok = False
            lines.append(str(exc))
    return GradeReport(lines, ok)


@dataclass
class RemoveReport:
    state_dir: Path
    users: list[str]

    def summary(self) -> str:
        return (
            f"Removed the hub's state ({self.state_dir}) and {len(self.users)} system user(s) "
            "with their home folders."
        )


def remove(
    *, cohort: Path | None = None, state_root: Path = DEFAULT_STATE_ROOT, yes: bool = False
) -> RemoveReport:
    """Stop the hub, delete the system users it created (and their home folders) and its state."""
    import shutil

    proc.require_root("remove")
    plan = _plan_for(cohort, state_root)
    if not yes:
        raise CdaError.single(
            plan.state_dir,
            f"this deletes {len(plan.accounts)} system user(s) with their home folders (the "
            "learners' work) and the hub's state.",
            "copy what you need to keep, then run again with --yes.",
        )
    proc.stop(plan)
    removed = [a.name for a in plan.accounts if acc.remove_user(a.name, plan.slug)]
    for city in plan.cities:
        acc.remove_group(acc.city_group(city))
    shutil.rmtree(plan.state_dir, ignore_errors=True)
    return RemoveReport(plan.state_dir, removed)
