"""Everything one hub needs, decided and checked before anything is written.

:func:`make_plan` reads the cohort, derives the accounts and checks every input (user names, ports,
the proxy, the hub environment, TLS files, a hub already running for the cohort). It reports all
problems in one :class:`~cohort_tools.core.errors.CdaError`; only a plan without problems is ever
applied, so a bad input leaves nothing half-configured.

The plan is saved as ``hub.json`` in the hub's state folder; the hub's ``jupyterhub_config.py``
only loads it (:mod:`cohort_tools.hub.jhconfig`), so the configuration is typed data, not code
written from templates.

State folder (default ``/srv/cda-hub/<cohort slug>/``)::

    hub.json                  the plan (no secrets, no names)
    jupyterhub_config.py      two lines: load hub.json
    jupyter/<kind>/           Jupyter configuration per kind of account (which panels, nbgrader)
    private/                  root only (0700): accounts.csv (names, initial passwords),
                              jupyterhub.sqlite, cookie secret, hub.log, hub.lock, pid files
"""

from __future__ import annotations

import errno
import hashlib
import ipaddress
import os
import re
import socket
from pathlib import Path
from typing import Literal

from cohort_tools.core.config import StrictModel
from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.fileio import atomic_write_text
from cohort_tools.core.i18n import SOURCE_LANGUAGE
from cohort_tools.hub.accounts import Account

DEFAULT_STATE_ROOT = Path("/srv/cda-hub")
DEFAULT_PREFIX = Path("/opt/cda-hub")
DEFAULT_PORT = 8000
DEFAULT_IP = "127.0.0.1"
DEFAULT_MEM_LIMIT = "2G"
DEFAULT_IDLE_TIMEOUT = 3600  # seconds without activity before a server is stopped
PLAN_FILE = "hub.json"
CONFIG_FILE = "jupyterhub_config.py"

CgroupMode = Literal["v2", "v1"]


class CourseService(StrictModel):
    """One city's course: its grading page runs as a hub service at /services/<city>/."""

    city: str
    name: str  # the city's name, for people
    port: int  # the service listens on 127.0.0.1:<port>; the proxy routes to it
    language: str = SOURCE_LANGUAGE  # the city's: its grading page is written in it


class HubPlan(StrictModel):
    """One hub for one cohort (saved as hub.json; read by the hub's configuration)."""

    cohort_name: str
    cohort_file: Path
    slug: str
    state_dir: Path
    prefix: Path  # the hub environment
    proxy: Path  # configurable-http-proxy executable
    ip: str
    port: int
    hub_port: int  # the hub's own API, on 127.0.0.1 only
    proxy_api_port: int  # the proxy's REST API, on 127.0.0.1 only
    ssl_cert: Path | None = None
    ssl_key: Path | None = None
    mem_limit: int | None  # bytes per user (server + kernels); None = no limit
    cgroup: CgroupMode | None  # how the limit is enforced; None = not enforced here
    cgroup_dir: Path | None
    idle_timeout: int
    home_root: Path
    accounts: tuple[Account, ...]
    cities: tuple[str, ...]
    courses: tuple[CourseService, ...] = ()

    # -- where things are ---------------------------------------------------------------------
    @property
    def private_dir(self) -> Path:
        return self.state_dir / "private"

    @property
    def plan_file(self) -> Path:
        return self.state_dir / PLAN_FILE

    @property
    def config_file(self) -> Path:
        return self.state_dir / CONFIG_FILE

    @property
    def accounts_file(self) -> Path:
        return self.private_dir / "accounts.csv"

    @property
    def log_file(self) -> Path:
        return self.private_dir / "hub.log"

    @property
    def lock_file(self) -> Path:
        return self.private_dir / "hub.lock"

    @property
    def pid_file(self) -> Path:
        return self.private_dir / "jupyterhub.pid"

    @property
    def proxy_pid_file(self) -> Path:
        return self.private_dir / "proxy.pid"

    @property
    def exchange_dir(self) -> Path:
        return self.state_dir / "exchange"

    def course_dir(self, city: str) -> Path:
        return self.state_dir / "courses" / city

    def city_cohort_file(self, city: str) -> Path:
        return self.state_dir / "cities" / city / "cohort.yaml"

    def account(self, name: str) -> Account | None:
        return next((a for a in self.accounts if a.name == name), None)

    @property
    def jupyter_root(self) -> Path:
        return self.state_dir / "jupyter"

    def jupyter_dir(self, kind: str) -> Path:
        return self.jupyter_root / kind

    @property
    def scheme(self) -> str:
        return "https" if self.ssl_cert else "http"

    @property
    def url(self) -> str:
        host = f"[{self.ip}]" if ":" in self.ip else self.ip
        return f"{self.scheme}://{host}:{self.port}/"

    @property
    def hub_api(self) -> str:
        return f"http://127.0.0.1:{self.hub_port}/hub/api"

    def names(self, kind: str | None = None) -> list[str]:
        return [a.name for a in self.accounts if kind is None or a.kind == kind]

    def save(self) -> None:
        atomic_write_text(self.plan_file, self.model_dump_json(indent=1))
        os.chmod(self.plan_file, 0o644)


def load_plan(state_dir: Path) -> HubPlan:
    path = state_dir / PLAN_FILE
    if not path.is_file():
        raise CdaError.single(
            state_dir,
            "no hub has been set up for this cohort here.",
            "start one with `cda hub start COHORT.yaml`.",
        )
    return HubPlan.model_validate_json(path.read_text(encoding="utf-8"))


def cohort_slug(name: str, path: Path) -> str:
    """A short, stable folder name for a cohort: its name, and a hash of its file's location."""
    words = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:24].strip("-") or "cohort"
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:6]
    return f"{words}-{digest}"


def parse_mem_limit(value: str) -> int | None:
    """'2G', '512M', '1.5G' or 'none' -> bytes (None for no limit); raise ValueError otherwise."""
    text = value.strip().upper()
    if text in {"NONE", "0", ""}:
        return None
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMGT]?)I?B?", text)
    if not match:
        raise ValueError(value)
    scale = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}[match.group(2)]
    return int(float(match.group(1)) * scale)


def free_port(ip: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((ip, 0))
        return int(sock.getsockname()[1])


def port_problem(ip: str, port: int) -> Problem | None:
    """Whether ``ip:port`` can be listened on; the problem names what holds it, when known."""
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((ip, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return Problem(
                    file=f"{ip}:{port}",
                    field="--port",
                    message=f"port {port} on {ip} is already in use{_holder(port)}.",
                    fix="stop the program that uses it, or choose another port with --port.",
                )
            return Problem(
                file=f"{ip}:{port}",
                field="--ip",
                message=f"the hub cannot listen on {ip}:{port}: {exc.strerror}.",
                fix="use an address of this machine (127.0.0.1 by default).",
            )
    return None


def _holder(port: int) -> str:
    import psutil

    try:
        for conn in psutil.net_connections(kind="inet"):
            listening = conn.status == psutil.CONN_LISTEN
            if conn.laddr and conn.laddr.port == port and listening and conn.pid:
                return f" (by process {conn.pid}, {psutil.Process(conn.pid).name()})"
    except (psutil.Error, OSError):
        pass
    return ""


def valid_ip_problem(ip: str) -> Problem | None:
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        return Problem(
            file=ip,
            field="--ip",
            message=f"'{ip}' is not an IP address.",
            fix="give an address such as 127.0.0.1 (the default, this machine only) or 0.0.0.0 "
            "(every network interface; serve it behind TLS, see the README).",
        )
    return None


def detect_cgroup(slug: str) -> tuple[CgroupMode | None, Path | None]:
    """Where per-user memory limits can be enforced: cgroup v2, the v1 memory controller, or none.

    LocalProcessSpawner itself cannot enforce memory limits (JupyterHub passes MEM_LIMIT to the
    server as a hint only). The hub's spawner puts each user's server, and so its kernels, in a
    cgroup of its own with a memory limit - when this machine lets root write cgroups.
    """
    root = Path(os.environ.get("CDA_CGROUP_ROOT", "/sys/fs/cgroup"))
    controllers = root / "cgroup.controllers"
    name = f"cda-hub-{slug}"
    if controllers.is_file():
        if "memory" in controllers.read_text().split() and os.access(root, os.W_OK):
            return "v2", root / name
        return None, None
    v1 = root / "memory"
    if (v1 / "memory.limit_in_bytes").is_file() and os.access(v1, os.W_OK):
        return "v1", v1 / name
    return None, None
