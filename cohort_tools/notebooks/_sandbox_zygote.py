"""The untrusted side of the grading sandbox: runs INSIDE bubblewrap, never in the grader's process.

Started by :mod:`cohort_tools.notebooks.sandbox` as ``python -m cohort_tools.notebooks._sandbox_zygote
<command>``. Three commands:

``warm-cache``
    Validates the city's tables once and writes their normalised Parquet to ``/cache`` (bound
    read-write for this step only; every learner sandbox sees it read-only). Trusted code only.

``zygote --control-fd N --slots K --uid-base U [--city DIR]``
    The warm zygote of one city. It imports pandas, altair, IPython, ipywidgets and cohort_tools once,
    reads the city's small tables from ``/cache`` (``--city``: every job is a copy of the same city's
    tables, already in memory), checks that it is single-threaded, gives each job slot ``/jobs/<k>`` (its own size-limited tmpfs)
    to that slot's uid, and then serves requests on the control socket (``SOCK_SEQPACKET``, one JSON
    object per message). ``run`` requests carry two file descriptors (``SCM_RIGHTS``): the read end of
    the job's payload pipe and the write end of the job's message pipe. The zygote forks, and the child
    drops to the slot's uid and runs the job; the zygote itself never reads a payload nor a message.
    That matters: every later job is a copy of the zygote's memory, so a zygote that relayed job A's
    notebook or answers would hand them to job B.

``job --in-fd N --out-fd M``
    One job in this process (the cold sandbox: one bubblewrap per job; and the explicit unsandboxed
    "trusted" mode). Limits come in the payload and are applied before any learner code runs.

A job reads one JSON payload (cells to run, files to write, answer names, limits), writes the files
into its folder, and runs the cells in-process in an IPython ``InteractiveShell`` (no kernel, no
ZMQ, no network). It writes JSON lines on its own message pipe: ``start`` and ``end`` per cell (status,
error name/value, a short traceback, text outputs capped in bytes), ``answers`` (the named values as
plain data) and ``done``. The grader's side enforces time limits and caps; this side only cooperates.

Only the standard library is imported at module level: the heavy imports happen in :func:`_warm`.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import ctypes
import datetime as _dt
import gc
import io
import json
import math
import os
import resource
import selectors
import shutil
import signal
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: Marker for an answer that is not plain data (same key as cohort_tools.course.answers.NOT_JSON).
NOT_JSON = "__not_json__"
#: Marker for an answer that is an Altair chart: ``{VEGA_LITE: {"class": "Chart", "spec": {...}}}``.
VEGA_LITE = "__vega_lite__"

JOBS_ROOT = Path("/jobs")

WARM_MODULES = (
    "json",
    "yaml",
    "numpy",
    "pyarrow",
    "pyarrow.parquet",
    "pandas",
    "altair",
    "ipywidgets",
    "duckdb",  # the city-data queries of some workshops
    "nbgrader.api",  # the strategy studio reads the course's gradebook (0.8 s in each job otherwise)
    "IPython",
    "IPython.core.interactiveshell",
    "cohort_tools",
    "cohort_tools.nb",
    "cohort_tools.model.cohort",
    "cohort_tools.citydata",
    "cohort_tools.citydata.loader",
    "cohort_tools.policy.privacy",
    "cohort_tools.lessons.exhibits",
    "cohort_tools.lessons.checkpoints",
    "cohort_tools.render.charts",
    "cohort_tools.render.notebook_display",
)

_PR_SET_PDEATHSIG = 1
_PR_SET_DUMPABLE = 4
_PR_SET_NO_NEW_PRIVS = 38
_IPC_RMID = 0


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _prctl(option: int, value: int) -> None:
    if _libc().prctl(option, value, 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def thread_names() -> list[str]:
    """The names of this process's threads (one entry means single-threaded)."""
    names = []
    for tid in sorted(os.listdir("/proc/self/task")):
        try:
            names.append(Path(f"/proc/self/task/{tid}/comm").read_text().strip())
        except OSError:
            names.append("?")
    return names


# -- warming ---------------------------------------------------------------------------------------


def _warm(city: Path | None = None) -> None:
    """Import what notebooks use, exercise altair once and read what every notebook reads as it
    starts (as the kernel zygote does), and the city's small tables from its cache (``city``: its
    data folder); start no thread (checked by the caller)."""
    from cohort_tools.notebooks._zygote import READ_AT_START, warm

    # The products behind nb's providers too: the strategy studio reads the strategy (about 0.3 s
    # of imports in each of its jobs otherwise, 0.2 s once here).
    warm(WARM_MODULES, (*READ_AT_START, "cohort_tools.nb:warm_providers"))
    if city is not None:
        with contextlib.suppress(Exception):
            from cohort_tools.citydata.loader import preload

            preload(city)


def warm_cache_main(city: Path) -> int:
    """Write the city's normalised Parquet into CDA_CACHE_DIR (trusted code, before any job)."""
    from cohort_tools.citydata.check import scan_city
    from cohort_tools.citydata.loader import cached_table_path

    folder = scan_city(city)
    failed = []
    for table in folder.files:
        try:
            cached_table_path(folder, table)
        except Exception as exc:  # an invalid table: the notebook reports it when it loads it
            failed.append(f"{table}: {type(exc).__name__}")
    print(json.dumps({"cached": sorted(folder.files), "failed": failed}), flush=True)
    return 0


# -- plain data ------------------------------------------------------------------------------------


class _NotPlain(Exception):
    pass


_ALTAIR_CLASSES = frozenset(
    {
        "Chart",
        "LayerChart",
        "HConcatChart",
        "VConcatChart",
        "ConcatChart",
        "FacetChart",
        "RepeatChart",
    }
)


def _key(key: object) -> str:
    """A dict key as JSON writes it (json.dumps turns int, float, bool and None keys into text)."""
    if isinstance(key, str):
        return key
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return str(int(key))
    if isinstance(key, float) and math.isfinite(key):
        return repr(float(key))
    item = getattr(key, "item", None)  # numpy scalar keys
    if callable(item):
        return _key(item())
    raise _NotPlain(type(key).__name__)


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def to_plain(value: Any, depth: int = 0) -> Any:
    """``value`` as JSON data (numbers, text, lists, dicts, booleans, None), or raise _NotPlain.

    numpy/pandas scalars become Python numbers; dates become ISO text; tuples become lists and sets
    sorted lists (the same in every process); Altair charts become their Vega-Lite spec, tagged.
    """
    if depth > 50:
        raise _NotPlain("nested too deeply")
    if value is None or isinstance(value, bool):
        return bool(value) if value is not None else None
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _NotPlain("float (not a finite number)")
        return float.__float__(value)
    if isinstance(value, list | tuple):
        return [to_plain(v, depth + 1) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((to_plain(v, depth + 1) for v in value), key=_sort_key)
    if isinstance(value, dict):
        return {_key(k): to_plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, _dt.datetime | _dt.date | _dt.time):
        return value.isoformat()
    module = type(value).__module__ or ""
    if module.startswith("altair") and type(value).__name__ in _ALTAIR_CLASSES:
        spec = value.to_dict()
        return {VEGA_LITE: {"class": type(value).__name__, "spec": to_plain(spec, depth + 1)}}
    if module.startswith(("numpy", "pandas")):
        iso = getattr(value, "isoformat", None)
        if callable(iso) and type(value).__name__ == "Timestamp":
            return iso()
        item = getattr(value, "item", None)  # numpy and pandas scalars
        if callable(item) and getattr(value, "ndim", 0) == 0 and getattr(value, "shape", ()) == ():
            return to_plain(item(), depth + 1)
    raise _NotPlain(type(value).__name__)


def plain_answers(namespace: dict[str, Any], names: list[str], limit: int) -> dict[str, Any]:
    """The named values as plain data; a value that is not, or is larger than ``limit``, is marked."""
    out: dict[str, Any] = {}
    used = 0
    for name in names:
        if name not in namespace:
            continue
        value = namespace[name]
        try:
            plain = to_plain(value)
            size = len(json.dumps(plain, allow_nan=False))
        except BaseException:  # learner objects may raise anything while being read
            plain, size = {NOT_JSON: type(value).__name__}, 0
        if used + size > limit:
            plain = {NOT_JSON: f"{type(value).__name__} (larger than the {limit} byte limit)"}
            size = 0
        used += size
        out[name] = plain
    return out


# -- one job ---------------------------------------------------------------------------------------


class _Channel:
    """JSON lines on the job's own message pipe."""

    def __init__(self, fd: int, main_pid: int) -> None:
        self.fd = fd
        self.main_pid = main_pid

    def send(self, message: dict[str, Any]) -> None:
        if os.getpid() != self.main_pid:  # a process the learner's code forked: not the job
            os._exit(0)
        data = (json.dumps(message, ensure_ascii=True, allow_nan=False) + "\n").encode()
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]


def _clean_text(text: str) -> str:
    return text.encode("utf-8", "replace").decode("utf-8")


class _Capture:
    """Text a cell prints or displays, kept up to a per-cell and a per-job byte budget."""

    def __init__(self, cell_limit: int, job_limit: int) -> None:
        self.cell_limit = cell_limit
        self.job_left = job_limit
        self.items: list[list[str]] = []
        self.kept = 0
        self.dropped = 0

    def reset(self) -> None:
        self.items = []
        self.kept = 0
        self.dropped = 0

    def add(self, kind: str, text: str) -> None:
        if not isinstance(text, str):
            text = str(text)
        room = min(self.cell_limit - self.kept, self.job_left)
        size = len(text.encode("utf-8", "replace"))
        if size > room:
            self.dropped += size - max(room, 0)
            if room <= 0:
                return
            text = text.encode("utf-8", "replace")[:room].decode("utf-8", "ignore")
            size = len(text.encode("utf-8"))
        self.kept += size
        self.job_left -= size
        text = _clean_text(text)
        if self.items and self.items[-1][0] == kind:
            self.items[-1][1] += text
        else:
            self.items.append([kind, text])


class _Stream(io.TextIOBase):
    """sys.stdout / sys.stderr for learner code: into the capture, nowhere else."""

    def __init__(self, name: str, capture: _Capture) -> None:
        self.name_ = name
        self.capture = capture

    @property
    def encoding(self) -> str:  # type: ignore[override]  # a property where TextIO has one
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        self.capture.add(self.name_, text)
        return len(text)

    def flush(self) -> None:
        return None


def _make_shell(capture: _Capture) -> Any:
    """An IPython shell whose displays and results go into ``capture`` as text (no kernel)."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets import Type
    from traitlets.config import Config

    def text_of(data: dict[str, Any]) -> str | None:
        for mime in ("text/markdown", "text/plain"):
            if isinstance(data.get(mime), str):
                return str(data[mime])
        return None

    class Publisher(DisplayPublisher):
        def publish(self, data: Any, metadata: Any = None, *args: Any, **kwargs: Any) -> None:
            text = text_of(data) if isinstance(data, dict) else None
            if text is not None:
                capture.add("display", text + "\n")

        def clear_output(self, wait: bool = False) -> None:
            return None

    class Hook(DisplayHook):
        def write_output_prompt(self) -> None:
            return None

        def write_format_data(self, format_dict: Any, md_dict: Any = None) -> None:
            text = text_of(format_dict) if isinstance(format_dict, dict) else None
            if text is not None:
                capture.add("result", text + "\n")

        def finish_displayhook(self) -> None:
            return None

    class Shell(InteractiveShell):
        display_pub_class = Type(Publisher)
        displayhook_class = Type(Hook)

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    config.InteractiveShell.autocall = 0
    shell = Shell.instance(config=config)
    formatter: Any = shell.display_formatter
    # Text only: charts are not drawn (the grader takes answers as data), nothing is rendered to HTML.
    formatter.active_types = ["text/plain", "text/markdown"]
    formatter.mimebundle_formatter.enabled = False
    return shell


def _short(text: str, limit: int = 4000) -> str:
    lines = text.rstrip("\n").splitlines()
    if len(lines) > 40:
        lines = [*lines[:5], "   ...", *lines[-30:]]
    text = "\n".join(lines)
    return text if len(text) <= limit else "...\n" + text[-limit:]


def _read_all(fd: int, limit: int) -> bytes:
    chunks = []
    total = 0
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise ValueError("the job payload is larger than its limit")
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


def _safe_name(name: str) -> str:
    """A relative path inside the job folder (folders allowed, never ``..``, ``.`` or absolute)."""
    parts = name.split("/")
    if not name or "\\" in name or "\0" in name or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"not a plain file name: {name!r}")
    return name


class _CellClock:
    """Which cell runs and since when: a SIGINT that arrives late (for an earlier cell) is ignored."""

    started: float | None = None
    min_elapsed = 0.0
    kill_strays = False


def _on_sigint(signum: int, frame: Any) -> None:
    started = _CellClock.started
    if started is not None and time.monotonic() - started >= _CellClock.min_elapsed:
        if _CellClock.kill_strays:
            # The cell is over: so is every process it started (a fork bomb would otherwise starve
            # the interrupted cell of CPU). kill(-1) reaches only this job's own uid (warm
            # sandbox) or pid namespace (cold sandbox), never this process itself.
            with contextlib.suppress(OSError):
                os.kill(-1, signal.SIGKILL)
        raise KeyboardInterrupt


def run_job(in_fd: int, out_fd: int, payload_limit: int = 64 << 20) -> None:
    """Read the payload, run the cells, report; never returns (the process exits)."""
    channel = _Channel(out_fd, os.getpid())
    try:
        payload = json.loads(_read_all(in_fd, payload_limit))
        workdir = Path(payload["workdir"])
        os.chdir(workdir)
        for name, data in payload.get("files", {}).items():
            path = workdir / _safe_name(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(base64.b64decode(data))
        tmp = workdir / ".tmp"
        tmp.mkdir(exist_ok=True)
        os.environ.update(
            {
                "HOME": str(workdir),
                "TMPDIR": str(tmp),
                "XDG_CACHE_HOME": str(tmp / "cache"),
                "IPYTHONDIR": str(tmp / "ipython"),
                "MPLCONFIGDIR": str(tmp / "matplotlib"),
            }
        )
        import tempfile

        tempfile.tempdir = None
        sys.path.insert(0, str(workdir))
        limits = payload.get("limits", {})
        capture = _Capture(
            int(limits.get("cell_output_bytes", 65536)), int(limits.get("output_bytes", 1 << 20))
        )
        sys.stdout = _Stream("stdout", capture)
        sys.stderr = _Stream("stderr", capture)
        with contextlib.suppress(Exception):  # numpy's global generator is not reseeded by fork
            import numpy

            numpy.random.seed(None)
        shell = _make_shell(capture)
        errors: list[tuple[str, str, str]] = []

        def show_traceback(etype: Any, evalue: Any, stb: Any) -> None:
            errors.append(
                (
                    getattr(etype, "__name__", str(etype)),
                    str(evalue),
                    str(shell.InteractiveTB.stb2text(stb)),
                )
            )

        shell._showtraceback = show_traceback
        format_traceback = shell.showtraceback
        main_pid = os.getpid()

        def show_or_exit(*args: Any, **kwargs: Any) -> None:
            if (
                os.getpid() != main_pid
            ):  # a process forked by learner code: it has nowhere to report
                os._exit(1)
            format_traceback(*args, **kwargs)

        shell.showtraceback = show_or_exit
        _CellClock.kill_strays = bool(payload.get("kill_strays"))
        timeout = float(payload.get("timeout", 120))
        _CellClock.min_elapsed = timeout / 2
        signal.signal(signal.SIGINT, _on_sigint)
    except BaseException as exc:
        channel.send({"e": "fatal", "message": f"{type(exc).__name__}: {exc}"[:2000]})
        os._exit(3)

    names = [str(n) for n in payload.get("answers", [])]
    answers_bytes = int(payload.get("limits", {}).get("answers_bytes", 1 << 20))
    sent: dict[str, int] = {}  # answer name -> id() of the value last sent
    budget = [answers_bytes]  # what the cells' answers may still send before the final answers

    def send_new_answers() -> None:
        """The answers a cell assigned, sent as it ends: a job that dies later keeps them (the
        final answers, sent once every cell has run, replace them)."""
        fresh = [n for n in names if n in shell.user_ns and id(shell.user_ns[n]) != sent.get(n)]
        if not fresh or budget[0] <= 0:
            return
        try:
            values = plain_answers(shell.user_ns, fresh, budget[0])
            budget[0] -= len(json.dumps(values))
        except BaseException:  # learner objects may raise anything while being read
            return
        sent.update({n: id(shell.user_ns[n]) for n in fresh})
        channel.send({"e": "answers", "values": values})

    channel.send({"e": "ready"})
    for number, cell in enumerate(payload["cells"]):
        capture.reset()
        errors.clear()
        channel.send({"e": "start", "cell": number})
        _CellClock.started = time.monotonic()
        try:
            result = shell.run_cell(str(cell), store_history=True, silent=False)
            error = result.error_before_exec or result.error_in_exec
        except BaseException as exc:  # a KeyboardInterrupt between IPython's own steps
            error = exc
        seconds = time.monotonic() - (_CellClock.started or time.monotonic())
        _CellClock.started = None
        message: dict[str, Any] = {
            "e": "end",
            "cell": number,
            "status": "ok",
            "seconds": round(seconds, 4),
        }
        if error is not None:
            ename, evalue, tb = errors[-1] if errors else (type(error).__name__, str(error), "")
            message.update(
                status="error",
                ename=ename[:200],
                evalue=_clean_text(evalue)[:2000],
                traceback=_clean_text(_short(tb)),
            )
        message["outputs"] = capture.items
        message["dropped"] = capture.dropped
        channel.send(message)
        send_new_answers()
    try:
        values = plain_answers(shell.user_ns, names, answers_bytes)
    except BaseException as exc:
        values = {}
        channel.send({"e": "fatal", "message": f"answers: {type(exc).__name__}"})
    channel.send({"e": "answers", "values": values})
    channel.send({"e": "done"})
    os._exit(0)


# -- limits and privileges -------------------------------------------------------------------------

_RLIMITS = {
    "memory_bytes": resource.RLIMIT_AS,
    "processes": resource.RLIMIT_NPROC,
    "file_bytes": resource.RLIMIT_FSIZE,
    "open_files": resource.RLIMIT_NOFILE,
}


def apply_limits(limits: dict[str, Any]) -> None:
    """rlimits for this process and everything it starts (hard = soft: learner code cannot raise)."""
    for key, which in _RLIMITS.items():
        if limits.get(key):
            value = int(limits[key])
            resource.setrlimit(which, (value, value))
    if limits.get("cpu_seconds"):
        cpu = int(limits["cpu_seconds"])
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_MSGQUEUE, (0, 0))


_CAP_CHOWN = 0
_LINUX_CAPABILITY_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def drop_capability(cap: int) -> None:
    """Remove one capability from this process's effective and permitted sets, for good."""
    libc: Any = _libc()
    header = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    word, bit = divmod(cap, 32)
    data[word].effective &= ~(1 << bit) & 0xFFFFFFFF
    data[word].permitted &= ~(1 << bit) & 0xFFFFFFFF
    data[word].inheritable &= ~(1 << bit) & 0xFFFFFFFF
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


def _capabilities() -> tuple[int, int]:
    """(effective, permitted) capability sets of this process."""
    eff = prm = -1
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("CapEff:"):
            eff = int(line.split()[1], 16)
        elif line.startswith("CapPrm:"):
            prm = int(line.split()[1], 16)
    return eff, prm


def become(uid: int) -> None:
    """Drop to ``uid`` (no groups, no capabilities); die with the parent; refuse new privileges."""
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if _capabilities() != (0, 0) or os.getuid() != uid or os.getgid() != uid:
        os._exit(70)
    _prctl(_PR_SET_NO_NEW_PRIVS, 1)
    # Changing uid clears both: the job may read its own /proc entries, and dies with the zygote.
    _prctl(_PR_SET_DUMPABLE, 1)
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _remove_ipc_of(uid: int) -> None:
    """Remove the System V shared memory, queues and semaphores this uid left behind."""
    libc: Any = _libc()
    for kind, id_column in (("shm", "shmid"), ("msg", "msqid"), ("sem", "semid")):
        try:
            lines = Path(f"/proc/sysvipc/{kind}").read_text().splitlines()
        except OSError:
            continue
        if not lines:
            continue
        header = lines[0].split()
        for line in lines[1:]:
            fields = dict(zip(header, line.split(), strict=False))
            if fields.get("uid") != str(uid) or id_column not in fields:
                continue
            ident = int(fields[id_column])
            if kind == "shm":
                libc.shmctl(ident, _IPC_RMID, None)
            elif kind == "msg":
                libc.msgctl(ident, _IPC_RMID, None)
            else:
                libc.semctl(ident, 0, _IPC_RMID)


def live_processes(accept: Callable[[int], bool]) -> list[int]:
    """Processes (not zombies), other than this one, whose real uid ``accept`` takes."""
    me = os.getpid()
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == me:
            continue
        try:
            status = Path(f"/proc/{name}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("State", "").strip().startswith(("Z", "X")):
            continue
        uid = fields.get("Uid", "").split()[:1]
        if uid and accept(int(uid[0])):
            found.append(int(name))
    return found


def _live_processes_of(uid: int) -> list[int]:
    return live_processes(lambda seen: seen == uid)


def clean_slot(uid: int, folder: Path) -> None:
    """As the slot's uid: kill every process it still has, empty its folder, drop its IPC objects."""
    for _ in range(1000):
        # Every process this uid may signal (its own) in the sandbox's pid namespace, except this
        # one. kill(-1) also "succeeds" when it may signal nothing, so look in /proc afterwards.
        with contextlib.suppress(ProcessLookupError):
            os.kill(-1, signal.SIGKILL)
        if not _live_processes_of(uid):
            break
        time.sleep(0.002)

    def unlock(func: Callable[..., Any], path: str, exc: Any) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(path), 0o700)
            os.chmod(path, 0o700)
            func(path)

    os.chmod(folder, 0o700)
    for entry in os.scandir(folder):
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, onerror=unlock)
            else:
                os.unlink(entry.path)
    _remove_ipc_of(uid)


# -- the zygote ------------------------------------------------------------------------------------


def _keep_only_fds(keep: set[int]) -> None:
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd > 2 and fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    if devnull not in keep and devnull > 2:
        os.close(devnull)


def _child_common(keep: set[int]) -> None:
    signal.set_wakeup_fd(-1)
    for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _keep_only_fds(keep)


def _job_child(request: dict[str, Any], fds: list[int], zygote_pid: int, uid: int) -> None:
    code = 71
    try:
        in_fd, out_fd = fds
        _child_common({in_fd, out_fd})
        apply_limits(request.get("limits", {}))
        become(uid)
        if os.getppid() != zygote_pid:
            os._exit(72)
        folder = JOBS_ROOT / str(int(request["slot"]))
        clean_slot(uid, folder)
        os.umask(0o077)
        os.chdir(folder)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # until the runner installs its handler
        run_job(in_fd, out_fd)
    except BaseException:
        pass
    os._exit(code)


def _clean_child(slot: int, zygote_pid: int, uid: int) -> None:
    code = 73
    try:
        _child_common(set())
        become(uid)
        clean_slot(uid, JOBS_ROOT / str(slot))
        code = 0
    except BaseException:
        pass
    os._exit(code)


def zygote_main(control_fd: int, slots: int, uid_base: int, city: Path | None = None) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _warm(city)
    # The warm-up's objects stay put: a job's garbage collector never walks (so never copies, page
    # by page) what it shares copy-on-write with the zygote.
    gc.collect()
    gc.freeze()
    zygote_pid = os.getpid()
    control = socket.socket(fileno=control_fd)
    threads = thread_names()
    if len(threads) != 1:
        control.send(
            json.dumps({"op": "refused", "reason": "threads", "threads": threads}).encode()
        )
        return 2
    for slot in range(slots):
        folder = JOBS_ROOT / str(slot)
        os.chmod(folder, 0o700)
        os.chown(folder, uid_base + slot, uid_base + slot)
    drop_capability(_CAP_CHOWN)  # needed for the slot folders only

    wake_r, wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    signal.set_wakeup_fd(wake_w)
    children: dict[int, dict[str, Any]] = {}
    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ, "control")
    selector.register(wake_r, selectors.EVENT_READ, "wake")

    def send(message: dict[str, Any]) -> None:
        control.send(json.dumps(message).encode())

    send({"op": "ready", "pid": zygote_pid, "threads": threads})
    while True:
        for key, _ in selector.select():
            if key.data == "wake":
                with contextlib.suppress(BlockingIOError):
                    while os.read(wake_r, 512):
                        pass
                while True:
                    try:
                        pid, status = os.waitpid(-1, os.WNOHANG)
                    except ChildProcessError:
                        break
                    if pid == 0:
                        break
                    info = children.pop(pid, None)
                    if info is not None:
                        send(
                            {
                                **info,
                                "op": "exited",
                                "pid": pid,
                                "status": os.waitstatus_to_exitcode(status),
                            }
                        )
                continue
            data, fds, _flags, _addr = socket.recv_fds(control, 1 << 16, 4)
            if not data:
                return 0
            request = json.loads(data)
            op = request.get("op")
            if op == "run":
                threads = thread_names()
                if len(threads) != 1:
                    for fd in fds:
                        os.close(fd)
                    send(
                        {
                            "op": "refused",
                            "job": request["job"],
                            "reason": "threads",
                            "threads": threads,
                        }
                    )
                    continue
                slot = int(request["slot"])
                pid = os.fork()
                if pid == 0:
                    _job_child(request, fds, zygote_pid, uid_base + slot)
                for fd in fds:
                    os.close(fd)
                children[pid] = {"kind": "job", "job": request["job"]}
                send({"op": "started", "job": request["job"], "pid": pid})
            elif op == "clean":
                slot = int(request["slot"])
                pid = os.fork()
                if pid == 0:
                    _clean_child(slot, zygote_pid, uid_base + slot)
                children[pid] = {"kind": "clean", "job": request["job"], "slot": slot}
            elif op == "signal":
                pid = int(request["pid"])
                if children.get(pid, {}).get("kind") == "job":
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, int(request["sig"]))
            else:
                for fd in fds:
                    os.close(fd)


def job_main(
    in_fd: int, out_fd: int, limits: dict[str, Any], uid: int | None, folder: Path | None
) -> int:
    """One job as this process (cold sandbox or trusted mode): limits first, then the runner.

    With ``uid`` (the cold sandbox started by root) the job folder is given to that uid and the
    process drops to it, as a warm job does.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _keep_only_fds({in_fd, out_fd})
    apply_limits(limits)
    if uid is not None and folder is not None:
        os.chmod(folder, 0o700)
        os.chown(folder, uid, uid)
        become(uid)
        os.umask(0o077)
    with contextlib.suppress(OSError):
        _prctl(_PR_SET_NO_NEW_PRIVS, 1)
    run_job(in_fd, out_fd)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="_sandbox_zygote")
    sub = parser.add_subparsers(dest="command", required=True)
    cache = sub.add_parser("warm-cache")
    cache.add_argument("--city", type=Path, required=True)
    zygote = sub.add_parser("zygote")
    zygote.add_argument("--control-fd", type=int, required=True)
    zygote.add_argument("--slots", type=int, required=True)
    zygote.add_argument("--uid-base", type=int, required=True)
    zygote.add_argument("--city", type=Path, default=None)
    job = sub.add_parser("job")
    job.add_argument("--in-fd", type=int, required=True)
    job.add_argument("--out-fd", type=int, required=True)
    job.add_argument("--limits", default="{}")
    job.add_argument("--uid", type=int, default=None)
    job.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.command == "warm-cache":
        return warm_cache_main(args.city)
    if args.command == "zygote":
        return zygote_main(args.control_fd, args.slots, args.uid_base, args.city)
    return job_main(args.in_fd, args.out_fd, json.loads(args.limits), args.uid, args.folder)


if __name__ == "__main__":
    sys.exit(main())
