"""Plan, apply, start, stop and report on one cohort's hub.

* :func:`make_plan` checks every input and returns a plan, or raises one error listing all
  problems; nothing has been written then.
* :func:`apply` creates the system users and groups, the state folder and the configuration.
* :func:`launch` starts JupyterHub in the background (it starts the proxy, the idle culler and,
  on demand, each user's server) and waits until it answers through the proxy.
* :func:`stop` ends it and checks that nothing it started is still running.

One hub per cohort: the hub process holds an exclusive lock on ``private/hub.lock`` for its whole
life (the lock's file descriptor is handed to it at start), so a second ``cda hub start`` on the
same cohort is refused with the running hub's address, and the lock goes away with the process
however it ends.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.fileio import atomic_write_text
from cohort_tools.core.i18n import _
from cohort_tools.hub import accounts as acc
from cohort_tools.hub.environment import environment_problems, proxy_executable
from cohort_tools.hub.plan import (
    CourseService,
    HubPlan,
    cohort_slug,
    detect_cgroup,
    free_port,
    parse_mem_limit,
    port_problem,
    valid_ip_problem,
)
from cohort_tools.model.cohort import Cohort

CONFIG_TEMPLATE = """\
# Written by `cda hub start`. The configuration itself is cohort_tools.hub.jhconfig, driven by
# hub.json beside this file: change the hub with `cda hub start` options, not here.
from cohort_tools.hub.jhconfig import configure

configure(c, {state_dir!r})  # noqa: F821
"""

#: nbgrader's lab extensions (plugin ids) and server extensions, and who gets which.
LAB_PLUGINS = {
    "assignment-list": "@jupyter/nbgrader:assignment-list",
    "validate": "@jupyter/nbgrader:validate-assignment",
    "course-list": "@jupyter/nbgrader:course-list",
    "formgrader": "@jupyter/nbgrader:formgrader",
    "create-assignment": "@jupyter/nbgrader:create-assignment",
}
SERVER_EXTENSIONS = {
    "assignment-list": "nbgrader.server_extensions.assignment_list",
    "validate": "nbgrader.server_extensions.validate_assignment",
    "course-list": "nbgrader.server_extensions.course_list",
    "formgrader": "nbgrader.server_extensions.formgrader",
}
PANELS = {
    # learners: their city's assignments and the Validate button; nothing for graders
    "learner": {"assignment-list", "validate"},
    # coaches: the list of their cities' courses (each opens that course's grading server)
    "coach": {"course-list"},
    # a course's grading server: the formgrader (Create Assignment stays off: assignments come
    # from the workshops' MyST sources through `cda course build`)
    "grader": {"formgrader"},
}
#: The folders of Jupyter configuration: what every server reads, and one per kind of account.
CONFIG_KINDS = ("common", *PANELS)
STARTUP_TIMEOUT = 300.0  # a hang guard for the first start on a busy machine, not a speed target
STOP_TIMEOUT = 120.0


def is_root() -> bool:
    return os.geteuid() == 0


def require_root(verb: str) -> None:
    if not is_root():
        raise CdaError.single(
            f"cda hub {verb}",
            "the hub runs each person's server as their own system user, so this command "
            "must run as root.",
            f"run it with sudo: `sudo .venv/bin/cda hub {verb} ...`.",
        )


# -- the lock: one hub per cohort ------------------------------------------------------------------


def _try_lock(path: Path) -> IO[str] | None:
    """The lock file, locked by us; None when another process (a running hub) holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")  # noqa: SIM115 - handed to the hub process, closed by the caller
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def hub_running(state_dir: Path) -> bool:
    lock = state_dir / "private" / "hub.lock"
    if not lock.exists():
        return False
    handle = _try_lock(lock)
    if handle is None:
        return True
    handle.close()
    return False


def hub_pid(plan: HubPlan) -> int | None:
    try:
        return int(plan.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None


# -- planning --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartOptions:
    state_root: Path
    prefix: Path
    ip: str
    port: int
    mem_limit: str
    idle_timeout: int
    ssl_cert: Path | None = None
    ssl_key: Path | None = None
    home_root: Path = Path("/home")
    workshops: Path | None = None


def make_plan(
    cohort: Cohort, options: StartOptions
) -> tuple[HubPlan, dict[str, acc.Identity], list[Problem]]:
    """Check every input; return the plan, the private identities and warnings.

    Raises CdaError listing every problem (bad user names, port in use, missing proxy or hub
    environment, TLS files, a hub already running for this cohort, names taken on this machine).
    """
    accounts, people = acc.roster_accounts(cohort)  # raises for names that cannot be users
    slug = cohort_slug(cohort.name, cohort.path)
    state_dir = options.state_root / slug
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if hub_running(state_dir):
        plan_file = state_dir / "hub.json"
        url = ""
        with contextlib.suppress(OSError, ValueError, KeyError):
            data = json.loads(plan_file.read_text())
            url = (
                f" at {'https' if data.get('ssl_cert') else 'http'}://{data['ip']}:{data['port']}/"
            )
        problems.append(
            Problem(
                file=str(cohort.path),
                message=f"a hub for this cohort is already running{url} (state in {state_dir}).",
                fix="use it, or stop it first with `cda hub stop` and the same cohort file.",
            )
        )
    problems += environment_problems(options.prefix)
    ip_problem = valid_ip_problem(options.ip)
    if ip_problem:
        problems.append(ip_problem)
    elif not hub_running(state_dir):
        busy = port_problem(options.ip, options.port)
        if busy:
            problems.append(busy)
    if bool(options.ssl_cert) != bool(options.ssl_key):
        problems.append(
            Problem(
                file=str(options.ssl_cert or options.ssl_key),
                field="--ssl-cert/--ssl-key",
                message="TLS needs both the certificate and its key.",
                fix="give both --ssl-cert and --ssl-key, or neither (and serve on 127.0.0.1 or "
                "behind a reverse proxy that does TLS).",
            )
        )
    for path in (options.ssl_cert, options.ssl_key):
        if path is not None and not path.is_file():
            problems.append(
                Problem(str(path), "this TLS file does not exist.", "give the path of the file.")
            )
    try:
        mem = parse_mem_limit(options.mem_limit)
    except ValueError:
        mem = None
        problems.append(
            Problem(
                file=options.mem_limit,
                field="--mem-limit",
                message=f"'{options.mem_limit}' is not a memory size.",
                fix="write it like 2G or 512M, or 'none' for no limit.",
            )
        )
    if options.idle_timeout < 60:
        problems.append(
            Problem(
                file=str(options.idle_timeout),
                field="--idle-timeout",
                message="servers would be stopped after less than a minute without activity.",
                fix="give at least 60 seconds (the default is 3600).",
            )
        )
    if not options.home_root.is_dir():
        problems.append(
            Problem(
                str(options.home_root), "the folder for home folders does not exist.", "create it."
            )
        )
    if options.workshops is not None and not any(options.workshops.glob("*.md")):
        problems.append(
            Problem(
                str(options.workshops),
                "there are no workshop notebooks (*.md) here.",
                "give the folder of the MyST workshops (default: workshops/).",
                field="--workshops",
            )
        )
    problems += acc.taken_names(accounts, slug, cohort.path)
    if problems:
        raise CdaError(problems, headline="The hub was not started; nothing was changed.")
    cgroup, cgroup_dir = detect_cgroup(slug) if mem else (None, None)
    if mem and cgroup is None:
        warnings.append(
            Problem(
                file="/sys/fs/cgroup",
                severity="warning",
                message="memory limits are NOT enforced on this machine: its cgroups cannot be "
                "written (JupyterHub's LocalProcessSpawner has no limits of its own).",
                fix="run the hub on a machine (or VM) where root can write /sys/fs/cgroup, or use "
                "SystemdSpawner (The Littlest JupyterHub) or KubeSpawner; see the README.",
            )
        )
    plan = HubPlan(
        cohort_name=cohort.name,
        cohort_file=cohort.path,
        slug=slug,
        state_dir=state_dir,
        prefix=options.prefix,
        proxy=proxy_executable(options.prefix),
        ip=options.ip,
        port=options.port,
        hub_port=free_port(),
        proxy_api_port=free_port(),
        ssl_cert=options.ssl_cert.resolve() if options.ssl_cert else None,
        ssl_key=options.ssl_key.resolve() if options.ssl_key else None,
        mem_limit=mem,
        cgroup=cgroup,
        cgroup_dir=cgroup_dir,
        idle_timeout=options.idle_timeout,
        home_root=options.home_root,
        accounts=tuple(accounts),
        cities=tuple(c.id for c in cohort.cities),
        courses=tuple(
            CourseService(city=c.id, name=c.name, port=free_port(), language=c.lang)
            for c in cohort.cities
        ),
    )
    return plan, people, warnings


# -- applying ---------------------------------------------------------------------------------------


def jupyter_config(kind: str) -> dict[Path, dict[str, object]]:
    """The Jupyter configuration files of one kind of account (relative path -> JSON)."""
    on = PANELS.get(kind, set())
    if kind == "common":
        return {
            Path("jupyter_server_config.json"): {
                # offline: no news feed, no update checks
                "LabApp": {
                    "news_url": None,
                    "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
                },
            }
        }
    server: dict[str, object] = {
        "jpserver_extensions": {ext: name in on for name, ext in SERVER_EXTENSIONS.items()}
    }
    if kind == "learner":
        server["terminals_enabled"] = False  # learners have no login shell either
    return {
        Path("jupyter_server_config.json"): {"ServerApp": server},
        Path("labconfig/page_config.json"): {
            "disabledExtensions": {
                plugin: True for name, plugin in LAB_PLUGINS.items() if name not in on
            }
        },
    }


def write_jupyter_config(root: Path) -> None:
    """Every kind's configuration files, each kind in its folder under ``root`` (the hub's
    ``<state>/jupyter``; the test JupyterLab's state folder writes the same)."""
    for kind in CONFIG_KINDS:
        for relative, data in jupyter_config(kind).items():
            _write_public(root / kind / relative, json.dumps(data, indent=1))


def jupyter_config_path(root: Path, kind: str) -> str:
    """``JUPYTER_CONFIG_PATH`` of a server of one kind of account: its kind's folder first (its
    panels), then the settings common to all (folders written by :func:`write_jupyter_config`)."""
    return f"{root / kind}:{root / 'common'}"


def _write_public(path: Path, text: str) -> None:
    atomic_write_text(path, text)
    path.chmod(0o644)


def nbgrader_config(plan: HubPlan) -> dict[str, object]:
    """nbgrader's settings for every server: one exchange, one folder per course (city) in it, and
    the courses of each user from their hub groups (nbgrader-<city>, formgrade-<city>)."""
    return {
        "Exchange": {"root": str(plan.exchange_dir), "path_includes_course": True},
        "Authenticator": {"plugin_class": "nbgrader.auth.JupyterHubAuthPlugin"},
    }


def _prepare_courses(plan: HubPlan, cohort: Cohort) -> None:
    """The exchange (world-writable with the sticky bit, as nbgrader wants), each city's exchange
    folder (its grading account's; its team may enter) and course folder (grading account only),
    and each city's data with its public cohort file."""
    import grp

    from cohort_tools.hub.cities import publish_city

    plan.exchange_dir.mkdir(exist_ok=True)
    os.chown(plan.exchange_dir, 0, 0)
    plan.exchange_dir.chmod(0o1777)
    (plan.state_dir / "courses").mkdir(exist_ok=True)
    (plan.state_dir / "courses").chmod(0o755)
    for city in cohort.cities:
        grader = acc.system_user(acc.grader_user_name(city.id))
        assert grader is not None
        team = grp.getgrnam(acc.city_group(city.id)).gr_gid
        publish_city(plan.state_dir, cohort, city)
        exchange = plan.exchange_dir / city.id
        exchange.mkdir(exist_ok=True)
        os.chown(exchange, grader.pw_uid, team)
        exchange.chmod(0o750)
        course = plan.course_dir(city.id)
        course.mkdir(exist_ok=True)
        os.chown(course, grader.pw_uid, grader.pw_gid)
        course.chmod(0o700)


def apply(plan: HubPlan, people: dict[str, acc.Identity], cohort: Cohort) -> dict[str, str]:
    """Create users, groups and the state folder; write the plan and configuration.

    Returns the initial passwords of the accounts created now (existing accounts keep theirs).
    """
    plan.state_dir.mkdir(parents=True, exist_ok=True)
    plan.state_dir.chmod(0o755)
    plan.private_dir.mkdir(exist_ok=True)
    plan.private_dir.chmod(0o700)
    passwords: dict[str, str] = {}
    for account in plan.accounts:
        password = acc.ensure_user(account, plan.slug, plan.home_root)
        if password:
            passwords[account.name] = password
    acc.write_private(plan.accounts_file, list(plan.accounts), people, passwords)
    _prepare_courses(plan, cohort)
    _write_public(
        plan.jupyter_dir("common") / "nbgrader_config.json",
        json.dumps(nbgrader_config(plan), indent=1),
    )
    write_jupyter_config(plan.jupyter_root)
    for folder in {plan.jupyter_root, *plan.jupyter_root.rglob("*")}:
        if folder.is_dir():
            folder.chmod(0o755)
    plan.save()
    _write_public(plan.config_file, CONFIG_TEMPLATE.format(state_dir=str(plan.state_dir)))
    return passwords


# -- starting ---------------------------------------------------------------------------------------


def _hub_env(plan: HubPlan) -> dict[str, str]:
    """A clean environment for JupyterHub: none of the caller's virtualenv or project settings."""
    env = {
        "PATH": f"{plan.prefix / 'bin'}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": str(plan.private_dir),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "JUPYTER_PLATFORM_DIRS": "1",
    }
    return env


def _get(url: str, timeout: float = 5) -> int:
    import ssl

    context = ssl.create_default_context()
    if url.startswith("https://"):
        # the hub's own certificate may be self-signed or name another host: this is a liveness
        # check on this machine, not a trust decision
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=context) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0


def log_tail(plan: HubPlan, lines: int = 40) -> str:
    try:
        text = plan.log_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def launch(plan: HubPlan, timeout: float = STARTUP_TIMEOUT) -> int:
    """Start JupyterHub in the background; wait until it answers through the proxy; return its pid.

    ``setsid --fork`` makes the hub a session of its own whose parent is init: it outlives this
    command, Ctrl-C here does not reach it, and nobody has to reap it. The lock's descriptor is
    inherited by the hub, which holds it as long as it lives, so "the lock is free" is how this
    function (and a second start, and `cda hub stop`) tells that the hub has ended.
    """
    lock = _try_lock(plan.lock_file)
    if lock is None:
        raise CdaError.single(
            plan.cohort_file,
            "a hub for this cohort is already running.",
            "stop it first with `cda hub stop`.",
        )
    plan.pid_file.unlink(missing_ok=True)
    try:
        with plan.log_file.open("ab") as log:
            plan.log_file.chmod(0o600)
            subprocess.run(
                [
                    "setsid",
                    "--fork",
                    str(plan.prefix / "bin" / "jupyterhub"),
                    "-f",
                    str(plan.config_file),
                ],
                cwd=plan.private_dir,
                env=_hub_env(plan),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=(lock.fileno(),),
                check=True,
            )
    finally:
        lock.close()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not hub_running(plan.state_dir):
            raise CdaError.single(
                plan.log_file,
                f"JupyterHub stopped while starting:\n{log_tail(plan)}",
                "fix what the log says, then run `cda hub start` again.",
            )
        pid = hub_pid(plan)
        if pid and _get(f"{plan.url}hub/api/") == 200:
            return pid
        time.sleep(0.5)
    pid = hub_pid(plan)
    if pid:
        _terminate_tree(pid)
    raise CdaError.single(
        plan.log_file,
        f"JupyterHub did not answer at {plan.url} within {timeout:.0f} s:\n{log_tail(plan)}",
        "look at the log; then run `cda hub start` again.",
    )


# -- stopping ---------------------------------------------------------------------------------------


def _descendants(pid: int) -> list[Any]:
    import psutil

    try:
        process = psutil.Process(pid)
        return [process, *process.children(recursive=True)]
    except psutil.Error:
        return []


def _terminate_tree(pid: int) -> None:
    import psutil

    procs = _descendants(pid)
    for p in procs:
        with contextlib.suppress(psutil.Error):
            p.terminate()
    _, alive = psutil.wait_procs(procs, timeout=20)
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.kill()
    psutil.wait_procs(alive, timeout=10)


def user_processes(plan: HubPlan) -> list[tuple[int, str, str]]:
    """(pid, user, command) of every process running as one of the hub's accounts."""
    import psutil

    uids: dict[int, str] = {}
    for name in plan.names():
        entry = acc.system_user(name)
        if entry is not None and acc.ours(name, plan.slug):
            uids[entry.pw_uid] = name
    found = []
    for p in psutil.process_iter(["pid", "uids", "name"]):
        with contextlib.suppress(psutil.Error):
            uid = p.info["uids"].real if p.info["uids"] else None
            if uid in uids:
                found.append((int(p.info["pid"]), uids[uid], str(p.info["name"])))
    return found


def _proxy_processes(plan: HubPlan) -> list[int]:
    import psutil

    pids = []
    try:
        pid = int(plan.proxy_pid_file.read_text().strip())
    except (OSError, ValueError):
        return []
    with contextlib.suppress(psutil.Error):
        if "configurable-http-proxy" in " ".join(psutil.Process(pid).cmdline()):
            pids.append(pid)
    return pids


@dataclass
class StopReport:
    was_running: bool
    pid: int | None
    ended: list[str] = field(default_factory=list)  # leftovers ended by pid
    left: list[str] = field(default_factory=list)  # still running (should be empty)

    def summary(self) -> str:
        if not self.was_running and not self.ended:
            return _("No hub is running for this cohort; nothing to stop.")
        lines = [
            _("Stopped the hub (process {pid}) and every server it started.").format(pid=self.pid)
        ]
        if self.ended:
            lines.append(
                _("Also ended {count} leftover process(es): {pids}").format(
                    count=len(self.ended), pids=", ".join(self.ended)
                )
            )
        lines.append(_("Nothing of the hub is running now."))
        return "\n".join(lines)


def stop(plan: HubPlan, timeout: float = STOP_TIMEOUT) -> StopReport:
    """Stop the hub (it stops the servers, the proxy and its services); end any leftovers."""
    import psutil

    running = hub_running(plan.state_dir)
    pid = hub_pid(plan)
    report = StopReport(was_running=running, pid=pid)
    tree = _descendants(pid) if (running and pid) else []
    if running and pid:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)  # JupyterHub's own clean shutdown
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and hub_running(plan.state_dir):
            time.sleep(0.25)
        if hub_running(plan.state_dir):
            _terminate_tree(pid)
    # anything the hub started that outlived it: servers, kernels, the proxy, services
    leftovers: dict[int, str] = {}
    for p in tree:
        with contextlib.suppress(psutil.Error):
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                leftovers[p.pid] = p.name()
    for upid, user, name in user_processes(plan):
        leftovers[upid] = f"{name} of {user}"
    for ppid in _proxy_processes(plan):
        leftovers[ppid] = "configurable-http-proxy"
    for lpid, name in leftovers.items():
        with contextlib.suppress(ProcessLookupError):
            os.kill(lpid, signal.SIGKILL)
        report.ended.append(f"{name} ({lpid})")
    if leftovers:
        psutil.wait_procs([p for p in map(_process, leftovers) if p is not None], timeout=10)
    _remove_cgroups(plan)
    report.left = [f"{name} of {user} ({upid})" for upid, user, name in user_processes(plan)]
    if hub_running(plan.state_dir):
        report.left.append(f"jupyterhub ({pid})")
    if report.left:
        raise CdaError.single(
            plan.state_dir,
            "some of the hub's processes could not be stopped: " + ", ".join(report.left),
            "end them by their process id (kill -9 PID) and run `cda hub stop` again.",
        )
    return report


def _process(pid: int) -> Any:
    import psutil

    try:
        return psutil.Process(pid)
    except psutil.Error:
        return None


def _remove_cgroups(plan: HubPlan) -> None:
    if plan.cgroup_dir is None or not plan.cgroup_dir.is_dir():
        return
    from cohort_tools.hub.cgroups import end_cgroup

    for folder in plan.cgroup_dir.iterdir():
        if folder.is_dir():
            end_cgroup(folder)
    with contextlib.suppress(OSError):
        plan.cgroup_dir.rmdir()
