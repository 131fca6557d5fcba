"""Run a learner's notebook code where it can reach nothing but its own folder and its city's data.

The grader calls :func:`run_untrusted` (one notebook) or keeps a :class:`SandboxPool` (one per city,
warm across many jobs, thread-safe for ``jobs`` concurrent runs). A run executes the notebook's code
cells (the caller has already removed the checkpoint cells: hidden tests never enter) and returns a
:class:`SandboxOutcome`: per cell ok / error (name, value, a short traceback) / timeout / died / not
run, the text it printed or displayed (capped), and the values of the named answers as plain JSON data
(charts as their Vega-Lite spec, see :func:`rebuild_answer`). A learner's code can only ever spoil its
own outcome.

Isolation (``isolation=``):

``"warm"`` (the default as root, e.g. CI and the grading server)
    One bubblewrap sandbox per city (:mod:`_sandbox_zygote`): no network, its own pid, IPC and UTS
    namespaces, no environment beyond an allow-list, and read-only views of only the Python
    environment, the ``cohort_tools`` package (without the embedded demo cohort), the city's data
    folder at ``/city`` and its validated Parquet cache at ``/cache``. Inside, a zygote that keeps
    uid 0 with only CAP_SETUID/SETGID/KILL/CHOWN imports pandas, altair and cohort_tools once. Each job
    is a fork that sets rlimits and drops to its slot's own uid (``uid_base + slot``, no
    capabilities) in its own size-limited tmpfs ``/jobs/<slot>`` (mode 0700), so concurrent jobs cannot
    read, signal or trace each other or the zygote. The trusted side passes each job's two pipes to
    the zygote as file descriptors and reads the job's messages itself: the zygote never holds a
    notebook or an answer, so no later fork can find one in its memory.
``"cold"`` (the default when not root: a developer's laptop)
    One unprivileged bubblewrap (``--unshare-user``) per job, with the same views and limits; slower
    (each job imports pandas itself) but equally cut off from the course.
``"trusted"``
    No sandbox at all: the runner is a plain subprocess with limits. Only behind an explicit choice,
    with a warning in the log; for a single user grading their own notebooks.

What stays shared between the jobs of one warm sandbox (one city): the loopback network and abstract
Unix sockets (two jobs could talk to each other, never to anything outside), System V IPC (removed
after each job), the list of processes in ``/proc`` (not their memory, files or environment), and
the machine's CPU. What the coach must still trust: this grader process, bubblewrap and the Linux
kernel, and the Python environment and ``cohort_tools`` package the jobs run (read-only to them).

Time: the trusted side gives each cell ``timeout`` seconds of wall-clock time. Then the job gets a
SIGINT (KeyboardInterrupt in that cell, recorded as a timeout; the run goes on with the next cell,
like nbgrader's ``interrupt_on_timeout``), and ``grace`` seconds later a SIGKILL (recorded as died at
that cell; later cells are not run and answers are missing). RLIMIT_CPU is the backstop.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import itertools
import json
import logging
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import nbformat

from cohort_tools.core import paths
from cohort_tools.core.errors import CdaError
from cohort_tools.core.i18n import N_, Message

from ._sandbox_zygote import NOT_JSON, VEGA_LITE

__all__ = [
    "NOT_JSON",
    "SANDBOX_CITY_DIR",
    "SANDBOX_COHORT_FILE",
    "VEGA_LITE",
    "CellOutcome",
    "SandboxError",
    "SandboxLimits",
    "SandboxOutcome",
    "SandboxPool",
    "TextOutput",
    "bwrap_executable",
    "curriculum_data_files",
    "rebuild_answer",
    "run_untrusted",
]

log = logging.getLogger(__name__)

Isolation = Literal["auto", "warm", "cold", "trusted"]
CellStatus = Literal["ok", "error", "timeout", "died", "not_run"]
RunStatus = Literal["completed", "died", "failed"]

#: Where the city's data folder appears inside the sandbox (pass it as the notebook's ``city``).
SANDBOX_CITY_DIR = "/city"
#: Where the city's validated Parquet cache appears inside the sandbox (read-only).
SANDBOX_CACHE_DIR = "/cache"
#: Where a job finds its city's cohort file (that city only, no names; see SandboxPool's cohort).
SANDBOX_COHORT_FILE = "/cohort.yaml"
COHORT_FILE_NAME = "cohort.yaml"
TRUSTED_COHORT_FILE_NAME = "cohort-trusted.yaml"
ZYGOTE_MODULE = "cohort_tools.notebooks._sandbox_zygote"
BWRAP_DEBIAN = Path("/usr/bin/bwrap")
BWRAP_HINT = "install bubblewrap (`apt-get install bubblewrap` on Debian and Ubuntu)"
#: uids of job slots in the warm sandbox: ``uid_base + slot`` (no /etc/passwd entry needed).
DEFAULT_UID_BASE = 200_000


class SandboxError(CdaError):
    """The sandbox could not be started (not a learner's fault)."""


@dataclass(frozen=True)
class SandboxLimits:
    """Limits of one job. Sizes in bytes, times in seconds."""

    timeout: float = 120.0  # wall-clock time per cell, then SIGINT
    grace: float = 5.0  # after the SIGINT, then SIGKILL
    memory_bytes: int = 4 << 30  # RLIMIT_AS per process (virtual: pyarrow reserves a lot)
    processes: int = 64  # RLIMIT_NPROC (threads count): exact per job, each job has its uid
    cpu_seconds: int = 600  # RLIMIT_CPU per process: the backstop behind the wall-clock limit
    file_bytes: int = 64 << 20  # RLIMIT_FSIZE: the largest file a job may write
    open_files: int = 256  # RLIMIT_NOFILE
    job_dir_bytes: int = 256 << 20  # size of the job's own tmpfs
    cell_output_bytes: int = 64 << 10  # text kept per cell
    output_bytes: int = 1 << 20  # text kept per job
    answers_bytes: int = 1 << 20  # all answers of a job, as JSON

    def rlimits(self) -> dict[str, int]:
        return {
            "memory_bytes": self.memory_bytes,
            "processes": self.processes,
            "cpu_seconds": self.cpu_seconds,
            "file_bytes": self.file_bytes,
            "open_files": self.open_files,
        }

    def caps(self) -> dict[str, int]:
        return {
            "cell_output_bytes": self.cell_output_bytes,
            "output_bytes": self.output_bytes,
            "answers_bytes": self.answers_bytes,
        }


@dataclass(frozen=True)
class TextOutput:
    """Text a cell produced: ``stdout``, ``stderr``, ``display`` (markdown or plain) or ``result``."""

    kind: str
    text: str


@dataclass(frozen=True)
class CellOutcome:
    index: int | None  # position in the notebook's cells; None for the injected parameters
    grade_id: str | None
    status: CellStatus
    ename: str = ""
    evalue: str = ""
    traceback: str = ""
    outputs: tuple[TextOutput, ...] = ()
    dropped_bytes: int = 0  # output beyond the caps, not kept
    seconds: float = 0.0  # as measured inside the sandbox

    def text(self) -> str:
        return "".join(o.text for o in self.outputs)


@dataclass(frozen=True)
class SandboxOutcome:
    status: RunStatus  # completed: every cell ran (some may have failed); died; failed: not run
    cells: tuple[CellOutcome, ...]
    answers: dict[str, Any]  # plain JSON data, see to_plain in _sandbox_zygote
    missing: tuple[str, ...]  # requested names the notebook did not define (or never reached)
    message: str = ""  # one plain line when not completed
    isolation: str = ""
    seconds: float = 0.0

    @property
    def died_at(self) -> int | None:
        """Notebook index of the cell during which the job died (None if it did not)."""
        return next((c.index for c in self.cells if c.status == "died"), None)

    def cell(self, index: int) -> CellOutcome:
        return next(c for c in self.cells if c.index == index)

    def notes(self) -> list[str]:
        """Plain lines for cells that did not run cleanly, and for a job that stopped."""
        lines = []
        for n, c in enumerate(self.cells, start=1):
            label = f"cell {n}" + (f" ('{c.grade_id}')" if c.grade_id else "")
            if c.status == "timeout":
                lines.append(f"{label} ran past the time limit and was interrupted.")
            elif c.status == "error":
                lines.append(f"{label} stopped with {c.ename}: {c.evalue}"[:300])
            elif c.status == "died":
                lines.append(f"{label} ended the notebook's process: {self.message}"[:300])
        if self.status == "failed":
            lines.append(self.message)
        return lines


def rebuild_answer(value: Any) -> Any:
    """A chart answer (``{VEGA_LITE: {"class", "spec"}}``) as an Altair chart; other values as-is."""
    if isinstance(value, dict) and set(value) == {VEGA_LITE}:
        inner = value[VEGA_LITE]
        import altair as alt

        classes = {
            "Chart",
            "LayerChart",
            "HConcatChart",
            "VConcatChart",
            "ConcatChart",
            "FacetChart",
            "RepeatChart",
        }
        name = inner.get("class") if isinstance(inner, dict) else None
        if name not in classes or not isinstance(inner.get("spec"), dict):
            raise ValueError("not a chart answer")
        return getattr(alt, str(name)).from_dict(inner["spec"])
    return value


# -- the plan: what runs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _PlanCell:
    index: int | None
    grade_id: str | None
    source: str


def _read_notebook(notebook: Path | nbformat.NotebookNode) -> nbformat.NotebookNode:
    if isinstance(notebook, Path):
        try:
            nb: nbformat.NotebookNode = nbformat.read(str(notebook), as_version=4)
            return nb
        except Exception as exc:
            raise CdaError.single(
                notebook, f"this notebook cannot be read ({exc}).", "submit a valid .ipynb file."
            ) from exc
    return notebook


def _plan(nb: nbformat.NotebookNode, parameters: Mapping[str, Any]) -> list[_PlanCell]:
    cells: list[_PlanCell] = []
    after = -1
    for i, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {}) or {}
        tags = meta.get("tags", []) or []
        if "parameters" in tags or "injected-parameters" in tags:
            after = len(cells)
        gid = (meta.get("nbgrader", {}) or {}).get("grade_id")
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        cells.append(_PlanCell(i, str(gid) if gid else None, str(source)))
    if parameters:
        from papermill.translators import translate_parameters

        text = translate_parameters("python3", "python", dict(parameters), "Parameters")
        cells.insert(after + 1, _PlanCell(None, "injected-parameters", text))
    return cells


# -- bubblewrap ------------------------------------------------------------------------------------


def bwrap_executable() -> str:
    """The bwrap binary, or a SandboxError that says how to install it."""
    found = shutil.which("bwrap") or (str(BWRAP_DEBIAN) if BWRAP_DEBIAN.exists() else None)
    if not found:
        raise SandboxError.single(
            "bwrap",
            "bubblewrap is not installed, and learner code is only run inside it.",
            f"{BWRAP_HINT}; only a single user grading their own notebooks may choose the "
            "unsandboxed 'trusted' mode instead.",
        )
    return found


def _package_dir() -> Path:
    import cohort_tools

    return Path(cohort_tools.__file__).resolve().parent


def _package_path() -> dict[str, str]:
    """``PYTHONPATH`` naming the folder that holds the ``cohort_tools`` the grader imported, when
    that package is not inside the Python environment (an editable install, or a checkout on the
    grader's ``PYTHONPATH``): the sandbox then imports the same package, bound read-only at the
    same path (only the package is mounted there, nothing else of that folder)."""
    package = _package_dir()
    prefixes = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix)}
    if any(package.is_relative_to(p) for p in prefixes):
        return {}
    return {"PYTHONPATH": str(package.parent)}


def sandbox_env() -> dict[str, str]:
    """The whole environment inside the sandbox: an allow-list, never the grader's variables."""
    return _package_path() | {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "HOME": "/jobs",
        "TMPDIR": "/jobs",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "PYTHONSAFEPATH": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "NUMEXPR_NUM_THREADS": "1",
        # pyarrow's jemalloc starts a background thread at import: a zygote must fork with none.
        "JE_ARROW_MALLOC_CONF": "background_thread:false",
        "MPLBACKEND": "Agg",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "JUPYTER_PLATFORM_DIRS": "1",
        "CDA_CACHE_DIR": SANDBOX_CACHE_DIR,
        "CDA_SANDBOX": "1",
        # A job returns only text: its charts are handed on as specs, never drawn (drawing starts
        # vl-convert's JavaScript engine afresh in every job; the learner's charts are drawn, if
        # at all, by the grader from the values the job returns).
        # (render.charts.CHARTS_AFTER_THE_RUN, written out: render is this layer's peer)
        "CDA_CHARTS": "after-the-run",
        # the curriculum's own data (programme, facts, references, word lists), read-only inside
        "CDA_HOME": str(paths.project_root()),
    }


def _root_binds() -> list[str]:
    args: list[str] = []
    for top in ("usr", "bin", "sbin", "lib", "lib64", "lib32", "libx32"):
        path = Path("/") / top
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    return args


def _etc_files(workdir: Path) -> list[str]:
    """/etc: only what Python needs, and a passwd/group with root and nobody only."""
    passwd = workdir / "passwd"
    passwd.write_text("root:x:0:0:root:/jobs:/bin/false\nnobody:x:65534:65534::/:/bin/false\n")
    group = workdir / "group"
    group.write_text("root:x:0:\nnogroup:x:65534:\n")
    args = ["--ro-bind", str(passwd), "/etc/passwd", "--ro-bind", str(group), "/etc/group"]
    for name in ("ld.so.cache", "localtime", "mime.types", "fonts"):
        path = Path("/etc") / name
        if path.exists():
            args += ["--ro-bind", str(path.resolve()), str(path)]
    cohort = workdir / COHORT_FILE_NAME
    if cohort.is_file():  # the city-only cohort the pool was given (see SandboxPool)
        args += ["--ro-bind", str(cohort), SANDBOX_COHORT_FILE]
    return args


def curriculum_data_files() -> list[Path]:
    """The curriculum files a job may read: the YAML data in ``curriculum/`` and its word lists."""
    folder = paths.curriculum_dir().resolve()
    found = sorted(folder.glob("*.yaml")) + sorted((folder / "language").glob("*.yaml"))
    return [p.resolve() for p in found if p.is_file()]


def _python_binds() -> list[str]:
    args: list[str] = []
    seen: set[str] = set()
    for raw in (sys.base_prefix, sys.prefix, str(Path(sys.executable).parent)):
        for path in (Path(raw), Path(raw).resolve()):
            text = str(path)
            if text in seen or text.startswith(("/usr/", "/bin/", "/lib")) or text == "/usr":
                continue
            if any(text.startswith(s + "/") for s in seen):
                continue
            seen.add(text)
            args += ["--ro-bind", text, text]
    package = _package_dir()
    if not any(str(package).startswith(s + "/") for s in seen):
        args += ["--ro-bind", str(package), str(package)]
    # The curriculum's data files (programme.yaml, facts.yaml, references.yaml, the word lists),
    # read by nb.start and the lessons; none holds a workshop, a solution or a hidden test.
    for path in curriculum_data_files():
        args += ["--ro-bind", str(path), str(path)]
    demo = package / "demo_cohort"
    if demo.is_dir():  # the embedded demo cohort holds every demo city's data: hidden
        args += ["--perms", "0555", "--tmpfs", str(demo), "--remount-ro", str(demo)]
    return args


_MOUNT_OPTIONS = frozenset({"--ro-bind", "--bind", "--tmpfs", "--symlink"})


def _parent_dirs(mounts: list[str]) -> list[str]:
    """``--dir`` (mode 0755) for every folder above a mount point.

    bubblewrap makes missing mount points private (0700), which would shut the jobs' uids out of
    e.g. /root/.pyenv/... ; only the folders themselves are created, nothing in them is visible.
    """
    wanted: list[str] = []
    for i, option in enumerate(mounts[:-1]):
        if option not in _MOUNT_OPTIONS:
            continue
        dest = Path(mounts[i + 2] if option != "--tmpfs" else mounts[i + 1])
        for parent in reversed(dest.parents):
            text = str(parent)
            if text != "/" and text not in wanted:
                wanted.append(text)
    args: list[str] = []
    for text in wanted:
        args += ["--perms", "0755", "--dir", text]
    return args


def bwrap_args(
    *,
    city_dir: Path,
    cache_dir: Path,
    workdir: Path,
    slots: int,
    job_dir_bytes: int,
    user_namespace: bool,
    cache_writable: bool = False,
    caps: Sequence[str] = (),
    info_fd: int | None = None,
) -> list[str]:
    """The bubblewrap command line (without the command run inside)."""
    args = [
        bwrap_executable(),
        "--unshare-ipc",
        "--unshare-net",
        "--unshare-uts",
        "--unshare-pid",
        "--unshare-cgroup-try",
        "--hostname",
        "cda-sandbox",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
        "--cap-drop",
        "ALL",
    ]
    if user_namespace:
        args += ["--unshare-user", "--disable-userns"]
    for cap in caps:
        args += ["--cap-add", cap]
    if info_fd is not None:
        args += ["--info-fd", str(info_fd)]
    mounts = _root_binds() + _etc_files(workdir) + _python_binds()
    mounts += ["--ro-bind", str(city_dir), SANDBOX_CITY_DIR]
    mounts += ["--bind" if cache_writable else "--ro-bind", str(cache_dir), SANDBOX_CACHE_DIR]
    args += _parent_dirs(mounts) + mounts
    # /dev read-only: its tmpfs has no size limit (the device nodes in it stay usable).
    args += ["--proc", "/proc", "--dev", "/dev", "--remount-ro", "/dev"]
    args += ["--perms", "0755", "--dir", "/jobs"]
    for slot in range(slots):
        args += ["--perms", "0700", "--size", str(job_dir_bytes), "--tmpfs", f"/jobs/{slot}"]
    args += ["--remount-ro", "/", "--chdir", "/"]
    for key, value in sandbox_env().items():
        args += ["--setenv", key, value]
    return args


def _default_cache_dir(city_dir: Path) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    digest = hashlib.blake2b(str(city_dir.resolve()).encode(), digest_size=8).hexdigest()
    return base / "cohort-tools" / "sandbox-citydata" / digest


# -- jobs ------------------------------------------------------------------------------------------


class _Job:
    """One running job as the driver sees it: a message pipe, an exit signal, a way to signal."""

    def __init__(self, job_id: str) -> None:
        self.id = job_id
        self.out_fd = -1
        self.wake_r, self.wake_w = os.pipe2(os.O_CLOEXEC | os.O_NONBLOCK)
        self.exit_code: int | None = None
        self.started = threading.Event()
        self.pid = 0
        self.refused: str | None = None

    def mark_exited(self, code: int) -> None:
        self.exit_code = code
        with contextlib.suppress(OSError):
            os.write(self.wake_w, b"x")

    def signal(self, signum: int) -> None:  # overridden per isolation
        raise NotImplementedError

    def close(self) -> None:
        for fd in (self.out_fd, self.wake_r, self.wake_w):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.out_fd = self.wake_r = self.wake_w = -1


class _ProtocolError(Exception):
    pass


_OUTPUT_KINDS = frozenset({"stdout", "stderr", "display", "result"})


def _outputs(raw: Any) -> tuple[TextOutput, ...]:
    if not isinstance(raw, list):
        raise _ProtocolError("outputs")
    out = []
    for item in raw:
        if (
            not isinstance(item, list)
            or len(item) != 2
            or item[0] not in _OUTPUT_KINDS
            or not isinstance(item[1], str)
        ):
            raise _ProtocolError("output item")
        out.append(TextOutput(str(item[0]), item[1]))
    return tuple(out)


def _text(message: dict[str, Any], key: str, limit: int) -> str:
    value = message.get(key, "")
    if not isinstance(value, str):
        raise _ProtocolError(key)
    return value[:limit]


def _drive(
    job: _Job,
    plan: list[_PlanCell],
    answers: Sequence[str],
    limits: SandboxLimits,
    isolation: str,
    t0: float,
) -> SandboxOutcome:
    """Read the job's messages, enforce its time limits and caps, and build its outcome."""
    max_total = 2 * (limits.output_bytes + limits.answers_bytes) + (256 << 10) + 16_384 * len(plan)
    max_line = limits.cell_output_bytes * 2 + limits.answers_bytes * 2 + (64 << 10)
    wanted = set(answers)
    ended: dict[int, CellOutcome] = {}
    interrupted: set[int] = set()
    current: int | None = None
    values: dict[str, Any] = {}
    done = False
    killed = False
    problem = ""
    buffer = bytearray()
    total = 0
    now = time.monotonic()
    deadline = now + limits.timeout
    hard_deadline = now + (len(plan) + 3) * (limits.timeout + limits.grace) + 30
    poller = select.poll()
    poller.register(job.out_fd, select.POLLIN)
    poller.register(job.wake_r, select.POLLIN)
    out_open = True

    def kill(reason: str) -> None:
        nonlocal killed, problem, deadline
        if not problem:
            problem = reason
        if not killed:
            killed = True
            job.signal(signal.SIGKILL)
        deadline = time.monotonic() + 60

    def handle(line: bytes) -> None:
        nonlocal current, done, deadline
        message = json.loads(line)
        if not isinstance(message, dict):
            raise _ProtocolError("message")
        event = message.get("e")
        now = time.monotonic()
        if event == "ready":
            deadline = now + limits.timeout
        elif event == "start":
            cell = message.get("cell")
            if not isinstance(cell, int) or not 0 <= cell < len(plan) or cell in ended:
                raise _ProtocolError("start")
            current = cell
            deadline = now + limits.timeout
        elif event == "end":
            cell = message.get("cell")
            status = message.get("status")
            dropped = message.get("dropped", 0)
            seconds = message.get("seconds", 0.0)
            if cell != current or status not in ("ok", "error") or not isinstance(dropped, int):
                raise _ProtocolError("end")
            assert isinstance(cell, int)
            ename = _text(message, "ename", 200)
            final: CellStatus = "ok" if status == "ok" else "error"
            if cell in interrupted and ename == "KeyboardInterrupt":
                final = "timeout"
            ended[cell] = CellOutcome(
                plan[cell].index,
                plan[cell].grade_id,
                final,
                ename,
                _text(message, "evalue", 2000),
                _text(message, "traceback", 8000),
                _outputs(message.get("outputs", [])),
                max(0, dropped),
                float(seconds) if isinstance(seconds, int | float) else 0.0,
            )
            current = None
            deadline = now + limits.timeout
        elif event == "answers":
            raw = message.get("values")
            if not isinstance(raw, dict):
                raise _ProtocolError("answers")
            values.update({k: v for k, v in raw.items() if k in wanted})
            deadline = now + limits.timeout
        elif event == "done":
            done = True
            deadline = now + limits.grace + 5
        elif event == "fatal":
            raise _ProtocolError("the runner stopped: " + _text(message, "message", 500))
        else:
            raise _ProtocolError("event")

    def feed(data: bytes) -> None:
        nonlocal total
        total += len(data)
        if total > max_total:
            raise _ProtocolError("more output than the limits allow")
        buffer.extend(data)
        while True:
            end = buffer.find(b"\n")
            if end < 0:
                if len(buffer) > max_line:
                    raise _ProtocolError("a message longer than the limits allow")
                return
            line = bytes(buffer[:end])
            del buffer[: end + 1]
            if len(line) > max_line:
                raise _ProtocolError("a message longer than the limits allow")
            if line.strip():
                handle(line)

    while job.exit_code is None:
        now = time.monotonic()
        if now >= hard_deadline and not killed:
            kill(Message(N_("the notebook ran longer than its total time limit")))
        if now >= deadline:
            if killed:
                problem = problem or Message(N_("the notebook's process could not be stopped"))
                break
            if current is not None and current not in interrupted and not done:
                interrupted.add(current)
                job.signal(signal.SIGINT)
                deadline = now + limits.grace
            else:
                reason = (
                    Message(
                        N_(
                            "it was still running {seconds} s after it started and did not "
                            "stop when interrupted"
                        ),
                        seconds=f"{limits.timeout:g}",
                    )
                    if current is not None
                    else Message(N_("it stopped answering the grader"))
                )
                kill(reason)
            continue
        wait = max(0.0, min(deadline, hard_deadline) - now)
        for fd, _event in poller.poll(wait * 1000 + 1):
            if fd == job.wake_r:
                continue  # exit_code is set: the loop ends
            if not out_open:
                continue
            try:
                data = os.read(job.out_fd, 1 << 16)
            except BlockingIOError:
                continue
            if not data:
                poller.unregister(job.out_fd)
                out_open = False
                continue
            try:
                feed(data)
            except (_ProtocolError, ValueError, UnicodeDecodeError) as exc:
                poller.unregister(job.out_fd)
                out_open = False
                kill(Message(N_("its output could not be read ({error})"), error=str(exc)))
    # The process has ended: what it wrote before is still in the pipe.
    if out_open and not problem:
        flags = fcntl.fcntl(job.out_fd, fcntl.F_GETFL)
        fcntl.fcntl(job.out_fd, fcntl.F_SETFL, flags | os.O_NONBLOCK)
        with contextlib.suppress(BlockingIOError, _ProtocolError, ValueError, UnicodeDecodeError):
            while data := os.read(job.out_fd, 1 << 16):
                feed(data)

    cells = []
    for number, item in enumerate(plan):
        if number in ended:
            cells.append(ended[number])
        elif number == current:
            status: CellStatus = "died"
            cells.append(CellOutcome(item.index, item.grade_id, status))
        else:
            cells.append(CellOutcome(item.index, item.grade_id, "not_run"))
    if done and not problem:
        run: RunStatus = "completed"
        message = ""
    elif current is not None:
        run = "died"
        code = job.exit_code
        if problem:
            message = problem
        elif code is not None and code >= 0:
            message = Message(
                N_("the notebook's process ended during this cell (exit code {code})"),
                code=str(code),
            )
        elif code in (-9, -24):
            message = Message(
                N_("the process was killed by signal {signal} (memory or CPU limit?)"),
                signal=str(-code),
            )
        else:
            message = Message(
                N_("the process was killed by signal {signal}"), signal=str(-(code or 0))
            )
    else:
        run = "failed" if not ended else "died"
        message = problem or Message(
            N_("the notebook's process ended unexpectedly (exit code {code})"),
            code=str(job.exit_code),
        )
    missing = tuple(n for n in answers if n not in values)
    return SandboxOutcome(
        run,
        tuple(cells),
        values,
        missing,
        message,
        isolation,
        time.monotonic() - t0,
    )


def _payload(
    plan: list[_PlanCell],
    files: Mapping[str, bytes],
    answers: Sequence[str],
    limits: SandboxLimits,
    workdir: str,
    *,
    isolated: bool = True,
) -> bytes:
    for name in files:  # relative paths inside the job folder (sub-folders allowed)
        parts = name.split("/")
        if not name or "\\" in name or "\0" in name or any(p in ("", ".", "..") for p in parts):
            raise ValueError(f"job file names must be relative paths in the job: {name!r}")
    return json.dumps(
        {
            "workdir": workdir,
            "cells": [c.source for c in plan],
            "files": {k: base64.b64encode(v).decode() for k, v in files.items()},
            "answers": list(answers),
            "timeout": limits.timeout,
            "limits": limits.caps(),
            # On a timeout the runner kills the job's other processes with kill(-1): only where
            # that reaches nothing but the job (its own uid or pid namespace), never unsandboxed.
            "kill_strays": isolated,
        }
    ).encode()


def _write_payload(fd: int, payload: bytes) -> None:
    """Write the payload; a job that died before reading it shows up as died, not as an error."""
    try:
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
    except (BrokenPipeError, OSError):
        pass
    finally:
        os.close(fd)


# -- the warm zygote -------------------------------------------------------------------------------


class _Zygote:
    """One bubblewrap sandbox holding a warm zygote, and the thread that reads its messages."""

    def __init__(self, pool: SandboxPool) -> None:
        self.pool = pool
        self.lock = threading.Lock()
        self.jobs: dict[str, _Job] = {}
        self.cleans: dict[str, threading.Event] = {}
        self.alive = False
        self.retired = False
        self.active = 0
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.control = parent
        args = bwrap_args(
            city_dir=pool.city_dir,
            cache_dir=pool.cache_dir,
            workdir=pool._workdir,
            slots=pool.jobs,
            job_dir_bytes=pool.limits.job_dir_bytes,
            user_namespace=False,
            caps=("CAP_SETUID", "CAP_SETGID", "CAP_KILL", "CAP_CHOWN"),
        )
        command = [
            sys.executable,
            "-m",
            ZYGOTE_MODULE,
            "zygote",
            "--control-fd",
            str(child.fileno()),
            "--slots",
            str(pool.jobs),
            "--uid-base",
            str(pool.uid_base),
            "--city",  # its small tables are read once, before the zygote forks any job
            SANDBOX_CITY_DIR,
        ]
        self.log_path = pool._workdir / f"zygote-{time.monotonic_ns()}.log"
        with open(self.log_path, "wb") as log_file:
            self.process = subprocess.Popen(
                args + command,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=log_file,
                pass_fds=(child.fileno(),),
                start_new_session=True,
            )
        child.close()
        ready = self._receive(timeout=300)
        if ready is None or ready.get("op") != "ready":
            self.stop()
            detail = (
                f"it has {len(ready['threads'])} threads ({', '.join(ready['threads'])}); a zygote "
                "must fork with one"
                if ready and ready.get("reason") == "threads"
                else self.log_path.read_text(errors="replace")[-3000:]
            )
            raise SandboxError.single(
                str(pool.city_dir), f"the warm sandbox did not start: {detail}", BWRAP_HINT
            )
        self.alive = True
        self.reader = threading.Thread(
            target=self._read_loop, name="cda-sandbox-zygote", daemon=True
        )
        self.reader.start()

    def _receive(self, timeout: float | None = None) -> dict[str, Any] | None:
        try:
            self.control.settimeout(timeout)
            data = self.control.recv(1 << 16)
            self.control.settimeout(None)
        except (TimeoutError, OSError):
            return None
        if not data:
            return None
        message: dict[str, Any] = json.loads(data)
        return message

    def _read_loop(self) -> None:
        while True:
            message = self._receive()
            if message is None:
                break
            op = message.get("op")
            job_id = str(message.get("job", ""))
            with self.lock:
                job = self.jobs.get(job_id)
                clean = self.cleans.pop(job_id, None) if op == "exited" else None
            if op == "started" and job is not None:
                job.pid = int(message["pid"])
                job.started.set()
            elif op == "refused" and job is not None:
                job.refused = (
                    f"the zygote has {len(message.get('threads', []))} threads: "
                    + ", ".join(message.get("threads", []))
                )
                job.started.set()
            elif op == "exited" and message.get("kind") == "job" and job is not None:
                job.mark_exited(int(message.get("status", -1)))
            elif op == "exited" and message.get("kind") == "clean" and clean is not None:
                clean.set()
        self.alive = False
        with self.lock:
            jobs = list(self.jobs.values())
            cleans = list(self.cleans.values())
        for job in jobs:
            job.started.set()
            if job.exit_code is None:
                job.mark_exited(-1)
        for event in cleans:
            event.set()

    def send(self, message: dict[str, Any], fds: Sequence[int] = ()) -> bool:
        data = json.dumps(message).encode()
        try:
            with self.lock:
                if fds:
                    socket.send_fds(self.control, [data], list(fds))
                else:
                    self.control.send(data)
        except OSError:
            return False
        return True

    def start_job(self, job: _Job, slot: int, fds: Sequence[int]) -> bool:
        with self.lock:
            self.jobs[job.id] = job
        request = {"op": "run", "job": job.id, "slot": slot, "limits": self.pool.limits.rlimits()}
        if not self.send(request, fds):
            return False
        job.started.wait()
        return job.pid > 0 and job.refused is None

    def signal(self, job: _Job, signum: int) -> None:
        if job.pid > 0:
            self.send({"op": "signal", "pid": job.pid, "sig": int(signum)})

    def clean(self, job: _Job, slot: int) -> None:
        event = threading.Event()
        with self.lock:
            self.cleans[job.id] = event
        if self.send({"op": "clean", "job": job.id, "slot": slot}) and self.alive:
            event.wait(120)
        with self.lock:
            self.jobs.pop(job.id, None)
            self.cleans.pop(job.id, None)

    def stop(self) -> None:
        self.alive = False
        with contextlib.suppress(OSError):
            self.control.shutdown(socket.SHUT_RDWR)
        self.control.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


class _ZygoteJob(_Job):
    def __init__(self, job_id: str, zygote: _Zygote) -> None:
        super().__init__(job_id)
        self.zygote = zygote

    def signal(self, signum: int) -> None:
        self.zygote.signal(self, signum)


class _ProcessJob(_Job):
    """A job that is a process of ours: a cold bubblewrap, or the unsandboxed runner."""

    def __init__(self, job_id: str) -> None:
        super().__init__(job_id)
        self.process: subprocess.Popen[bytes] | None = None
        self.init_pid = 0  # cold sandbox: host pid of the sandbox's pid 1 (bubblewrap's reaper)
        self.runner_pid = 0  # cold sandbox: host pid of the runner, its only child

    def watch(self) -> None:
        assert self.process is not None

        def wait() -> None:
            assert self.process is not None
            self.mark_exited(self.process.wait())

        threading.Thread(target=wait, name=f"cda-sandbox-{self.id}", daemon=True).start()

    def _runner(self) -> int:
        if not self.runner_pid and self.init_pid:
            path = Path(f"/proc/{self.init_pid}/task/{self.init_pid}/children")
            with contextlib.suppress(OSError, ValueError):
                self.runner_pid = int(path.read_text().split()[0])
        return self.runner_pid

    def signal(self, signum: int) -> None:
        if self.exit_code is not None or self.process is None:
            return
        if signum == signal.SIGKILL:
            # The sandbox's pid 1 takes every process in its pid namespace with it.
            targets = [self.init_pid] if self.init_pid else []
            targets.append(-self.process.pid)
        else:
            targets = [self._runner() if self.init_pid else self.process.pid]
        for target in targets:
            if target:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(target, signum)


# -- the pool --------------------------------------------------------------------------------------

_UID_LOCK = threading.Lock()
_UIDS_IN_USE: set[int] = set()


def _uid_lock_dir() -> Path:
    run = Path("/run")
    base = run if os.access(run, os.W_OK) else Path(tempfile.gettempdir())
    folder = base / "cda-sandbox-uids"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


#: uid -> the open lock file that holds it for this process (see _allocate_uids)
_UID_LOCKS: dict[int, int] = {}


def _lock_uid(uid: int) -> bool:
    fd = os.open(_uid_lock_dir() / f"{uid}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False
    _UID_LOCKS[uid] = fd
    return True


def _unlock_uids(uids: range | list[int]) -> None:
    for uid in uids:
        fd = _UID_LOCKS.pop(uid, None)
        if fd is not None:
            os.close(fd)


def _allocate_uids(base: int, count: int) -> int:
    """A block of ``count`` uids from ``base`` used by no other pool, in this process or another
    (two graders on one machine, e.g. two cities graded at once, never share a job uid): each uid
    is held with an exclusive lock on a file named after it for as long as the pool lives."""
    with _UID_LOCK:
        start = base
        while True:
            block = range(start, start + count)
            if not any(u in _UIDS_IN_USE for u in block):
                held: list[int] = []
                for uid in block:
                    if not _lock_uid(uid):
                        break
                    held.append(uid)
                if len(held) == count:
                    _UIDS_IN_USE.update(block)
                    return start
                _unlock_uids(held)
            start += count


def _release_uids(start: int, count: int) -> None:
    with _UID_LOCK:
        _UIDS_IN_USE.difference_update(range(start, start + count))
        _unlock_uids(range(start, start + count))


def uid_held(uid: int) -> bool:
    """Whether a live pool, of this process or another, holds job uid ``uid`` now."""
    with _UID_LOCK:
        if uid in _UIDS_IN_USE:
            return True
        try:
            fd = os.open(_uid_lock_dir() / f"{uid}.lock", os.O_RDWR)
        except FileNotFoundError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        finally:
            os.close(fd)  # and with it the lock just taken, if it was
        return False


class SandboxPool:
    """Sandboxed runs of learner notebooks for one city; thread-safe for ``jobs`` concurrent runs.

    Use as a context manager: ``with SandboxPool(city_dir, jobs=2) as pool: pool.run(nb, ...)``.
    """

    def __init__(
        self,
        city_dir: Path,
        *,
        jobs: int = 1,
        isolation: Isolation = "auto",
        limits: SandboxLimits | None = None,
        uid_base: int = DEFAULT_UID_BASE,
        cache_dir: Path | None = None,
        city_parameter: str | None = "city",
        cohort: Mapping[str, Any] | None = None,
    ) -> None:
        """``cohort``: the cohort as this city's notebooks may see it, that city only and with no
        names or e-mails (``model.cohort.city_only_cohort(..., data_folder="city")``): jobs then
        get ``cohort_file`` and the city's id as parameters, so team roles read as they do outside.
        """
        self.city_dir = Path(city_dir).resolve()
        if not self.city_dir.is_dir():
            raise CdaError.single(
                city_dir, "this city data folder does not exist.", "check the path."
            )
        self.jobs = max(1, int(jobs))
        self.limits = limits or SandboxLimits()
        self.requested: Isolation = isolation
        self.isolation: str = ""
        self.cache_dir = Path(cache_dir) if cache_dir else _default_cache_dir(self.city_dir)
        self.city_parameter = city_parameter
        self._uid_request = uid_base
        self.uid_base = 0
        self._zygote: _Zygote | None = None
        self._old: list[_Zygote] = []
        self._lock = threading.Lock()
        self._slots: list[int] = []
        self._slot_ready = threading.Condition(self._lock)
        self._workdir = Path(tempfile.mkdtemp(prefix="cda-sandbox-"))
        self._city_id: str | None = None
        if cohort is not None:
            self._write_cohort(cohort)
        self._ids = itertools.count(1)
        self._started = False
        self._closed = False
        #: Cold sandbox in a user namespace even as root (as a developer's laptop runs it).
        self._userns = False

    # -- life cycle -------------------------------------------------------------------------------

    @property
    def city_path(self) -> str:
        """The city's data folder as the notebook sees it."""
        return str(self.city_dir) if self.isolation == "trusted" else SANDBOX_CITY_DIR

    def _write_cohort(self, cohort: Mapping[str, Any]) -> None:
        import yaml

        cities = list(cohort.get("cities") or [])
        if len(cities) != 1 or not isinstance(cities[0], Mapping) or "id" not in cities[0]:
            raise ValueError("a sandbox's cohort holds exactly one city (city_only_cohort)")
        self._city_id = str(cities[0]["id"])
        inside = {**cohort, "cities": [{**cities[0], "data_folder": SANDBOX_CITY_DIR.strip("/")}]}
        outside = {**cohort, "cities": [{**cities[0], "data_folder": str(self.city_dir)}]}
        for name, doc in ((COHORT_FILE_NAME, inside), (TRUSTED_COHORT_FILE_NAME, outside)):
            (self._workdir / name).write_text(yaml.safe_dump(doc, sort_keys=False))

    def _city_parameters(self) -> dict[str, str]:
        """The parameters that tell a job which city it is (and its cohort file, when given)."""
        if self._city_id is None:
            return {self.city_parameter: self.city_path} if self.city_parameter else {}
        if self.isolation == "trusted":
            cohort_file = str(self._workdir / TRUSTED_COHORT_FILE_NAME)
        else:
            cohort_file = SANDBOX_COHORT_FILE
        found = {"cohort_file": cohort_file}
        if self.city_parameter:
            found[self.city_parameter] = self._city_id
        return found

    def start(self) -> SandboxPool:
        if self._started:
            return self
        mode = self.requested
        if mode == "auto":
            mode = "warm" if os.geteuid() == 0 else "cold"
        if mode == "trusted":
            log.warning(
                "Learner code runs WITHOUT a sandbox (isolation='trusted'): it can read and change "
                "everything this user can. Use this only to grade your own notebooks."
            )
        else:
            bwrap_executable()
            if mode == "warm" and os.geteuid() != 0:
                raise SandboxError.single(
                    "sandbox",
                    "the warm sandbox gives each job its own uid, which needs root.",
                    "run the grader as root (as on the grading server and in CI), or use "
                    "isolation='cold'.",
                )
        self.isolation = mode
        self._slots = list(range(self.jobs))
        cache: subprocess.Popen[str] | None = None
        try:
            cache = self._start_cache() if mode != "trusted" else None
            # The zygote imports while the cache is prepared; no job starts before both are done.
            if mode == "warm" or (mode == "cold" and os.geteuid() == 0 and not self._userns):
                self.uid_base = _allocate_uids(self._uid_request, self.jobs)
            if mode == "warm":
                self._zygote = _Zygote(self)
            if cache is not None:
                self._finish_cache(cache)
        except BaseException:
            if cache is not None:
                if cache.poll() is None:
                    cache.kill()
                cache.communicate()  # reaps it and closes its pipes
            self.close()
            raise
        self._started = True
        return self

    def __enter__(self) -> SandboxPool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            zygotes = ([self._zygote] if self._zygote else []) + self._old
            self._zygote = None
            self._old = []
        for zygote in zygotes:
            zygote.stop()
        if self.uid_base:
            _release_uids(self.uid_base, self.jobs)
            self.uid_base = 0
        shutil.rmtree(self._workdir, ignore_errors=True)

    def _start_cache(self) -> subprocess.Popen[str]:
        """Validate the city's tables once, in a sandbox, into the cache every job reads."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        args = bwrap_args(
            city_dir=self.city_dir,
            cache_dir=self.cache_dir,
            workdir=self._workdir,
            slots=0,
            job_dir_bytes=self.limits.job_dir_bytes,
            user_namespace=os.geteuid() != 0,
            cache_writable=True,
        )
        command = [sys.executable, "-m", ZYGOTE_MODULE, "warm-cache", "--city", SANDBOX_CITY_DIR]
        return subprocess.Popen(
            args + command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )

    def _finish_cache(self, process: subprocess.Popen[str]) -> None:
        _out, err = process.communicate(timeout=1800)
        if process.returncode != 0:
            raise SandboxError.single(
                str(self.city_dir),
                f"the city's data could not be prepared in the sandbox: {err[-2000:]}",
                BWRAP_HINT,
            )
        # Jobs run as other uids: they must be able to read (never write) the cache.
        os.chmod(self.cache_dir, 0o755)
        for root, dirs, files in os.walk(self.cache_dir):
            for name in dirs:
                os.chmod(os.path.join(root, name), 0o755)
            for name in files:
                os.chmod(os.path.join(root, name), 0o644)

    @contextlib.contextmanager
    def _slot(self) -> Iterator[int]:
        with self._slot_ready:
            while not self._slots:
                self._slot_ready.wait()
            slot = self._slots.pop()  # the slot freed last: sequential runs share one uid
        try:
            yield slot
        finally:
            with self._slot_ready:
                self._slots.append(slot)
                self._slot_ready.notify()

    def _current_zygote(self) -> _Zygote:
        with self._lock:
            zygote = self._zygote
            if zygote is not None and zygote.alive and not zygote.retired:
                zygote.active += 1
                return zygote
            if zygote is not None:
                self._old.append(zygote)
            self._zygote = None
        fresh = _Zygote(self)
        with self._lock:
            if self._closed:
                fresh.stop()
                raise SandboxError.single("sandbox", "the sandbox pool is closed.")
            self._zygote = fresh
            fresh.active += 1
        return fresh

    def _done_with(self, zygote: _Zygote) -> None:
        stop = False
        with self._lock:
            zygote.active -= 1
            if zygote in self._old and zygote.active == 0:
                self._old.remove(zygote)
                stop = True
        if stop:
            zygote.stop()

    # -- runs -------------------------------------------------------------------------------------

    def run(
        self,
        notebook: Path | nbformat.NotebookNode,
        *,
        answers: Sequence[str] = (),
        files: Mapping[str, bytes] | None = None,
        parameters: Mapping[str, Any] | None = None,
        notebook_name: str | None = None,
        limits: SandboxLimits | None = None,
    ) -> SandboxOutcome:
        """Run the notebook's code cells in a sandbox; see the module docstring."""
        if not self._started:
            self.start()
        limits = limits or self.limits
        nb = _read_notebook(notebook)
        params = {**self._city_parameters(), **dict(parameters or {})}
        plan = _plan(nb, params)
        name = notebook_name or (notebook.name if isinstance(notebook, Path) else "notebook.ipynb")
        job_files = dict(files or {})
        job_files[name] = (
            notebook.read_bytes() if isinstance(notebook, Path) else nbformat.writes(nb).encode()
        )
        job_id = f"j{next(self._ids)}-{os.urandom(4).hex()}"
        t0 = time.monotonic()
        if self.isolation == "warm":
            return self._run_warm(job_id, plan, job_files, answers, limits, t0)
        return self._run_process(job_id, plan, job_files, answers, limits, t0)

    def _run_warm(
        self,
        job_id: str,
        plan: list[_PlanCell],
        files: dict[str, bytes],
        answers: Sequence[str],
        limits: SandboxLimits,
        t0: float,
    ) -> SandboxOutcome:
        with self._slot() as slot:
            for attempt in range(2):
                zygote = self._current_zygote()
                job = _ZygoteJob(job_id if attempt == 0 else f"{job_id}r", zygote)
                try:
                    payload = _payload(plan, files, answers, limits, f"/jobs/{slot}")
                    pay_r, pay_w = os.pipe2(os.O_CLOEXEC)
                    out_r, out_w = os.pipe2(os.O_CLOEXEC)
                    job.out_fd = out_r
                    try:
                        started = zygote.start_job(job, slot, (pay_r, out_w))
                    finally:
                        os.close(pay_r)
                        os.close(out_w)
                    if not started:
                        os.close(pay_w)
                        if job.refused:
                            log.error(
                                "sandbox zygote refused to fork (%s); restarting it", job.refused
                            )
                            zygote.retired = True
                            continue
                        return self._failed(plan, answers, "the sandbox stopped", t0)
                    writer = threading.Thread(
                        target=_write_payload, args=(pay_w, payload), daemon=True
                    )
                    writer.start()
                    outcome = _drive(job, plan, answers, limits, "warm", t0)
                    writer.join()
                    return outcome
                finally:
                    zygote.clean(job, slot)
                    job.close()
                    self._done_with(zygote)
        return self._failed(plan, answers, "the sandbox could not fork a clean job", t0)

    def _failed(
        self, plan: list[_PlanCell], answers: Sequence[str], message: str, t0: float
    ) -> SandboxOutcome:
        cells = tuple(CellOutcome(c.index, c.grade_id, "not_run") for c in plan)
        return SandboxOutcome(
            "failed", cells, {}, tuple(answers), message, self.isolation, time.monotonic() - t0
        )

    def _run_process(
        self,
        job_id: str,
        plan: list[_PlanCell],
        files: dict[str, bytes],
        answers: Sequence[str],
        limits: SandboxLimits,
        t0: float,
    ) -> SandboxOutcome:
        with self._slot() as slot:
            job = _ProcessJob(job_id)
            host_dir: Path | None = None
            info_r = info_w = -1
            try:
                pay_r, pay_w = os.pipe2(os.O_CLOEXEC)
                out_r, out_w = os.pipe2(os.O_CLOEXEC)
                job.out_fd = out_r
                runner = [
                    sys.executable,
                    "-m",
                    ZYGOTE_MODULE,
                    "job",
                    "--in-fd",
                    str(pay_r),
                    "--out-fd",
                    str(out_w),
                    "--limits",
                    json.dumps(limits.rlimits()),
                ]
                if self.isolation == "cold":
                    info_r, info_w = os.pipe2(os.O_CLOEXEC)
                    workdir = "/jobs/0"
                    # As root, the runner drops to the slot's uid itself (root is exempt from
                    # RLIMIT_NPROC even in a user namespace); otherwise a user namespace.
                    as_root = bool(self.uid_base)
                    if as_root:
                        runner += ["--uid", str(self.uid_base + slot), "--folder", workdir]
                    command = (
                        bwrap_args(
                            city_dir=self.city_dir,
                            cache_dir=self.cache_dir,
                            workdir=self._workdir,
                            slots=1,
                            job_dir_bytes=limits.job_dir_bytes,
                            user_namespace=not as_root,
                            caps=("CAP_SETUID", "CAP_SETGID", "CAP_CHOWN") if as_root else (),
                            info_fd=info_w,
                        )
                        + runner
                    )
                    env: dict[str, str] | None = None
                    cwd = None
                    pass_fds: tuple[int, ...] = (pay_r, out_w, info_w)
                else:
                    host_dir = Path(tempfile.mkdtemp(prefix="job-", dir=self._workdir))
                    workdir = str(host_dir)
                    command = runner
                    env = {**sandbox_env(), "HOME": workdir, "TMPDIR": workdir}
                    env["CDA_CACHE_DIR"] = str(self._workdir / "cache")
                    cwd = workdir
                    pass_fds = (pay_r, out_w)
                payload = _payload(
                    plan, files, answers, limits, workdir, isolated=self.isolation == "cold"
                )
                try:
                    job.process = subprocess.Popen(
                        command,
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                        pass_fds=pass_fds,
                        env=env,
                        cwd=cwd,
                        start_new_session=True,
                    )
                finally:
                    os.close(pay_r)
                    os.close(out_w)
                    if info_w >= 0:
                        os.close(info_w)
                if info_r >= 0:
                    job.init_pid = _read_child_pid(info_r)
                    os.close(info_r)
                    info_r = -1
                job.watch()
                writer = threading.Thread(target=_write_payload, args=(pay_w, payload), daemon=True)
                writer.start()
                outcome = _drive(job, plan, answers, limits, self.isolation, t0)
                writer.join()
                return outcome
            finally:
                if job.process is not None:
                    job.signal(signal.SIGKILL)  # no-op when it has ended
                    job.process.wait()
                    if job.init_pid:
                        # Killed, bubblewrap's pid 1 takes its namespace down after bwrap exits.
                        _wait_gone(job.init_pid)
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(job.process.pid, signal.SIGKILL)
                if info_r >= 0:
                    os.close(info_r)
                job.close()
                if host_dir is not None:
                    shutil.rmtree(host_dir, ignore_errors=True)


def _wait_gone(pid: int, timeout: float = 30.0) -> None:
    """Wait until the sandbox's pid 1 has exited. The kernel kills and reaps every process of its
    pid namespace before pid 1 becomes a zombie, so a zombie is as good as gone: waiting for it to
    be reaped would wait for the host's init, which may reap only every few seconds."""
    deadline = time.monotonic() + timeout
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.01)


def _running(pid: int) -> bool:
    """True while ``pid`` exists and has not exited (a zombie or a dead task is not running)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    # "pid (comm) state ...": the name may hold spaces and parentheses, the state follows the last ")".
    state = stat.rpartition(")")[2].split()[:1]
    return state not in (["Z"], ["X"], ["x"])


def _read_child_pid(fd: int) -> int:
    """bwrap's --info-fd JSON: the host pid of the sandbox's first process (our runner)."""
    data = b""
    while chunk := os.read(fd, 4096):
        data += chunk
        with contextlib.suppress(ValueError):
            return int(json.loads(data)["child-pid"])
    return 0


def run_untrusted(
    notebook: Path | nbformat.NotebookNode,
    *,
    city_dir: Path,
    answers: Sequence[str] = (),
    files: Mapping[str, bytes] | None = None,
    parameters: Mapping[str, Any] | None = None,
    isolation: Isolation = "auto",
    limits: SandboxLimits | None = None,
) -> SandboxOutcome:
    """Run one learner notebook for one city in a fresh sandbox (a pool of one, closed after)."""
    with SandboxPool(city_dir, jobs=1, isolation=isolation, limits=limits) as pool:
        return pool.run(notebook, answers=answers, files=files, parameters=parameters)
