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
from cohort_tools.core.i18n import N_, _, current_language, format_number
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
        """For the operator, in their language (``cda --language``; English by default)."""
        plan = self.plan
        stop = "cda hub stop" + ("" if _is_demo(plan) else f" {plan.cohort_file}")
        lines = [
            _("The hub for {cohort} is running at {url}").format(
                cohort=plan.cohort_name, url=plan.url
            ),
            "  "
            + _("(process {pid}; log: {log}; stop it with `{stop}`)").format(
                pid=self.pid, log=plan.log_file, stop=stop
            ),
            "",
            _(
                "Accounts (pseudonymous user names; the names behind them are only in the "
                "private accounts file):"
            ),
        ]
        width = max(len(a.name) for a in plan.accounts)
        roles = _role_titles()
        city_names = {course.city: course.name for course in plan.courses}
        for account in plan.accounts:
            if account.kind == "grader":
                continue
            cities = ", ".join(city_names.get(c, c) for c in account.cities)
            if account.kind == "learner":
                cities += ", " + roles.get(account.role, account.role)
            lines.append(f"  {account.name:<{width}}  {_(ACCOUNT_KINDS[account.kind])} ({cities})")
        lines += ["", _("Courses (one per city; its coach grades at the address shown):")]
        for course in plan.courses:
            lines.append(f"  {course.name}: {plan.url}services/{course.city}/")
        lines += [f"  {line}" for line in self.released]
        lines += [
            "",
            _(
                "How to log in: open the address above in a browser and sign in with the user "
                "name and its initial password."
            ),
            "  "
            + _(
                "Initial passwords: {file} (readable by root only; give each person their own)."
            ).format(file=plan.accounts_file),
            "  "
            + _(
                "{count} account(s) were created now; existing accounts kept their password."
            ).format(count=len(self.new_accounts)),
        ]
        if plan.mem_limit:
            how = (
                _("enforced through cgroup {cgroup}").format(cgroup=plan.cgroup)
                if plan.cgroup
                else _("NOT enforced on this machine")
            )
            gib = format_number(plan.mem_limit / 2**30, digits=1)
            lines.append("  " + _("Memory per user: {gib} GiB ({how}).").format(gib=gib, how=how))
        lines.append(
            "  "
            + _("Servers idle for {minutes} minutes are stopped (work is saved).").format(
                minutes=plan.idle_timeout // 60
            )
        )
        if plan.ip in {"127.0.0.1", "::1"}:
            lines.append(
                "  "
                + _(
                    "The hub listens on this machine only; see the README to serve it on a "
                    "network with TLS."
                )
            )
        for w in self.warnings:
            lines.append(_("warning: {problem}").format(problem=w))
        return "\n".join(lines)


#: How the operator's summary names each kind of account it lists (catalog messages).
ACCOUNT_KINDS = {"learner": N_("learner"), "coach": N_("coach")}


def _role_titles() -> dict[str, str]:
    """Each team role's title in the current language (the programme's names for its ids)."""
    from cohort_tools.model.programme import load_programme, role_titles

    return role_titles(load_programme(), current_language())


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
        plan = self.plan
        if not self.running:
            return _("The hub for {cohort} is not running (state in {folder}).").format(
                cohort=plan.cohort_name, folder=plan.state_dir
            )
        lines = [
            _("The hub for {cohort} is running at {url} (process {pid}).").format(
                cohort=plan.cohort_name, url=plan.url, pid=self.pid
            )
        ]
        if self.servers:
            lines.append(
                _("{count} user(s) have a server running:").format(count=len(self.servers))
            )
            lines += [
                "  " + _("{user}: {count} process(es)").format(user=user, count=n)
                for user, n in sorted(self.servers.items())
            ]
        else:
            lines.append(_("No user has a server running."))
        return "\n".join(lines)


def status(*, cohort: Path | None = None, state_root: Path = DEFAULT_STATE_ROOT) -> HubStatus:
    """Whether the cohort's hub is running, and whose servers are."""
    plan = _plan_for(cohort, state_root)
    running = proc.hub_running(plan.state_dir)
    servers: dict[str, int] = {}
    for _pid, user, _command in proc.user_processes(plan):
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
        return _(
            "Removed the hub's state ({folder}) and {count} system user(s) with their home folders."
        ).format(folder=self.state_dir, count=len(self.users))


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
