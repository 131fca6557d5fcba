"""A pool of warm, single-use IPython kernels forked from one pre-imported zygote process.

Design (measured on the 2-core project machine; see bench/packets.py and the engine docstring):

* A fresh ``python -m ipykernel`` per notebook costs about 0.6 s to start plus about 2 s to
  ``import altair`` - most of papermill's per-notebook time.
* Reusing one kernel with ``%reset -f`` between notebooks is fast but only *trusts* the reset: imported
  modules, module-level caches, ``os.environ``, the working directory, altair's theme registry and
  ``sys.modules`` entries for helper files all survive it.
* Here a zygote process imports the heavy libraries once and then, per notebook, ``fork()``s a child
  that becomes a new ipykernel. The child starts in well under a second with everything already
  imported, and it is *thrown away* after one notebook. Isolation is structural: city B's kernel is a
  copy of the zygote, which has never run any notebook code, so nothing of city A can be in it.

The run loop (:func:`cohort_tools.notebooks.run.run`) talks to a forked kernel through a normal
:class:`jupyter_client.AsyncKernelManager` whose provisioner is :class:`_ForkedProcess` (poll, signal,
kill by pid; attached by :func:`cohort_tools.core.compat.attach_provisioner`), so nbclient's
timeout, interrupt and dead-kernel detection work unchanged.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import zmq
import zmq.asyncio
from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

from cohort_tools.core.compat import attach_provisioner
from cohort_tools.core.paths import PRELOAD_CITIES_ENV


class KernelStartError(RuntimeError):
    """The zygote or a forked kernel could not be started."""


#: How soon a client tries again to reach a kernel that has not bound its ports yet (ms). A forked
#: kernel binds them about 40 ms after the fork, the client connects at once, and zmq's own wait
#: (100 ms, then longer) left each kernel idle for a tenth of a second or more.
RECONNECT_MS = 5
#: How long a client waits for the kernel's IOPub greeting before it falls back on
#: jupyter_client's handshake (which ends with 0.2 s of listening to a silent channel).
GREETING_WAIT = 5.0


class ForkedKernelClient(AsyncKernelClient):
    """The client of a freshly forked kernel: connects again after :data:`RECONNECT_MS`, and is
    ready as soon as the kernel greets its IOPub subscription (ipykernel 7's ``iopub_welcome``,
    JEP 65) and answers a ``kernel_info`` request: no output can be missed after that greeting, so
    jupyter_client's closing 0.2 s "flush" of IOPub is not needed."""

    @default("context")
    def _own_context(self) -> zmq.asyncio.Context:
        self._created_context = True
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_MS)
        return context

    async def _next(self, channel: Any, deadline: float) -> dict[str, Any] | None:
        """The channel's next message, or None once ``deadline`` has passed; RuntimeError when
        the kernel has died meanwhile."""
        from queue import Empty

        while True:
            try:
                msg: dict[str, Any] = await channel.get_msg(timeout=0.5)
                return msg
            except Empty:
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info") from None
                if time.monotonic() > deadline:
                    return None

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        limit = 60.0 if timeout is None else float(timeout)
        deadline = time.monotonic() + limit
        greeted_by = time.monotonic() + min(GREETING_WAIT, limit)
        while True:
            msg = await self._next(self.iopub_channel, greeted_by)
            if msg is None:  # a kernel that does not greet: jupyter_client's own handshake
                await super().wait_for_ready(timeout=max(deadline - time.monotonic(), 1.0))
                return
            if msg["msg_type"] == "iopub_welcome":
                break
        msg_id = self.kernel_info()
        while True:
            reply = await self._next(self.shell_channel, deadline)
            if reply is None:
                raise RuntimeError(f"Kernel didn't respond in {limit:.0f} seconds")
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return


def _parent_of(pid: int) -> int | None:
    """The parent pid of ``pid`` from /proc, or None if the process is gone (Linux)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name (field 2) is in parentheses and may contain spaces.
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[1])


class _ForkedProcess:
    """A provisioner for a forked pid (:class:`cohort_tools.core.compat.ProvisionerLike`)."""

    def __init__(self, pid: int, zygote_pid: int) -> None:
        self.pid = pid
        self.zygote_pid = zygote_pid

    def _alive(self) -> bool:
        if Path("/proc").is_dir():
            # Checking the parent guards against signalling a recycled pid.
            return _parent_of(self.pid) == self.zygote_pid
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    @property
    def has_process(self) -> bool:
        return True

    async def poll(self) -> int | None:
        return None if self._alive() else -1

    async def wait(self) -> int | None:
        import asyncio

        while self._alive():
            await asyncio.sleep(0.02)
        return -1

    async def send_signal(self, signum: int) -> None:
        if self._alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    async def kill(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGKILL)

    async def terminate(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGTERM)

    def kill_now(self) -> None:
        if self._alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)

    def get_shutdown_wait_time(self, recommended: float = 5.0) -> float:
        return recommended

    async def shutdown_requested(self, restart: bool = False) -> None:
        return None

    async def cleanup(self, restart: bool = False) -> None:
        return None


@dataclass
class ForkedKernel:
    """One single-use kernel: its manager (for nbclient) and its process."""

    km: AsyncKernelManager
    process: _ForkedProcess
    connection_file: Path
    log_file: Path
    extra: dict[str, Any] = field(default_factory=dict)

    def log_tail(self, limit: int = 4000) -> str:
        try:
            return self.log_file.read_text(errors="replace")[-limit:]
        except FileNotFoundError:
            return ""

    def kill(self) -> None:
        self.process.kill_now()
        deadline = time.monotonic() + 5
        while self.process._alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        for path in (self.connection_file, self.log_file):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        self.km.cleanup_ipc_files()  # its Unix sockets


#: Warm what ``nb.strategy_review`` loads (the strategy product and nbgrader's gradebook, about 1 s
#: in every kernel otherwise): for the strategy studio and the coaching templates that read the
#: strategy.
WARM_PROVIDERS = ("cohort_tools.nb:warm_providers", "nbgrader.api")
#: The zygote's call that reads the small tables of the city folders :class:`KernelPool` names in
#: ``CDA_PRELOAD_CITIES`` (by name: the engine does not import the city-data layer's code).
PRELOAD_CALL = "cohort_tools.citydata.loader:preload_from_environment"


class KernelPool:
    """Hands out fresh kernels forked from a warm zygote; thread-safe; always :meth:`close` it.

    ``size`` is how many notebooks may run at once (the engine runs that many worker threads).
    ``warm``: more to do once in the zygote, so every kernel starts with it done ("module" to
    import, "module:function" to call), e.g. :data:`WARM_PROVIDERS` for notebooks that read the
    strategy. ``preload``: city data folders whose small cached tables the zygote reads, so every
    kernel starts with them in memory (trusted kernels only: each one holds them all).
    Use as a context manager so the zygote and every kernel are shut down, even on Ctrl-C.
    """

    def __init__(
        self,
        size: int = 1,
        *,
        python: str | None = None,
        warm: Sequence[str] = (),
        preload: Sequence[Path] = (),
    ) -> None:
        self.size = max(1, size)
        self.warm = tuple(warm) + ((PRELOAD_CALL,) if preload else ())
        self.preload = tuple(str(p) for p in preload)
        self.python = python or sys.executable
        self._lock = threading.Lock()
        self._live: set[int] = set()
        self._kernels: dict[int, ForkedKernel] = {}
        self._dir = Path(tempfile.mkdtemp(prefix="cda-kernels-"))
        self._zygote: subprocess.Popen[str] | None = None
        self._zygote_log: Any = None
        self.zygote_pid = 0
        self.forks = 0

    # -- life cycle -------------------------------------------------------------------------------

    def start(self) -> KernelPool:
        if self._zygote is not None:
            return self
        env = dict(os.environ)
        env.pop("JPY_PARENT_PID", None)
        env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
        # The zygote forks kernels: no allocator thread may run in it then (pyarrow's jemalloc
        # starts one at import unless told not to).
        env["JE_ARROW_MALLOC_CONF"] = "background_thread:false"
        env[PRELOAD_CITIES_ENV] = os.pathsep.join(self.preload)
        self._zygote_log = open(self._dir / "zygote.log", "w")  # noqa: SIM115 - closed in close()
        try:
            self._zygote = subprocess.Popen(
                [self.python, "-m", "cohort_tools.notebooks._zygote", *self.warm],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._zygote_log,
                text=True,
                bufsize=1,
                env=env,
                cwd=str(self._dir),
                # Own session: a Ctrl-C in the terminal reaches the engine only, which then cleans up.
                start_new_session=True,
            )
        except OSError as exc:
            self.close()
            raise KernelStartError(f"the kernel zygote could not be started ({exc})") from exc
        assert self._zygote.stdout is not None
        line = self._zygote.stdout.readline()
        if not line:
            log = (self._dir / "zygote.log").read_text(errors="replace")[-2000:]
            self.close()
            raise KernelStartError(f"the kernel zygote did not start:\n{log}")
        self.zygote_pid = int(json.loads(line)["pid"])
        return self

    def __enter__(self) -> KernelPool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Kill every kernel still alive, stop the zygote, remove connection files."""
        with self._lock:
            kernels = list(self._kernels.values())
            self._kernels.clear()
        for kernel in kernels:
            kernel.kill()
        zygote, self._zygote = self._zygote, None
        if zygote is not None:
            with contextlib.suppress(Exception):
                assert zygote.stdin is not None
                zygote.stdin.close()
            try:
                zygote.wait(timeout=5)
            except subprocess.TimeoutExpired:
                zygote.kill()
                zygote.wait(timeout=5)
            if zygote.stdout is not None:
                zygote.stdout.close()
        if self._zygote_log is not None:
            self._zygote_log.close()
            self._zygote_log = None
        import shutil

        shutil.rmtree(self._dir, ignore_errors=True)

    # -- kernels ----------------------------------------------------------------------------------

    def fork_kernel(
        self, *, cwd: Path, sys_path: list[str] | None = None, env: dict[str, str] | None = None
    ) -> ForkedKernel:
        """Fork a new kernel whose working directory is ``cwd``; the caller must :meth:`discard` it."""
        if self._zygote is None:
            self.start()
        assert self._zygote is not None and self._zygote.stdin and self._zygote.stdout
        with self._lock:
            self.forks += 1
            name = f"kernel-{os.getpid()}-{self.forks}"
        # Unix sockets in the pool's own folder, not TCP ports: a port picked for one kernel can be
        # taken by another process before the kernel binds it (it then dies at start), and nobody
        # else on the machine can connect to a kernel.
        km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(self._dir / name))
        km.client_factory = ForkedKernelClient
        connection_file = self._dir / f"{name}.json"
        log_file = self._dir / f"{name}.log"
        km.connection_file = str(connection_file)
        km.write_connection_file()
        request = {
            "connection_file": str(connection_file),
            "cwd": str(cwd),
            "sys_path": sys_path or [],
            "env": env or {},
            "log_file": str(log_file),
        }
        with self._lock:
            try:
                self._zygote.stdin.write(json.dumps(request) + "\n")
                self._zygote.stdin.flush()
                reply = self._zygote.stdout.readline()
            except (BrokenPipeError, ValueError) as exc:
                raise KernelStartError("the kernel zygote has stopped") from exc
            if not reply:
                raise KernelStartError("the kernel zygote has stopped")
            pid = int(json.loads(reply)["pid"])
            process = _ForkedProcess(pid, self.zygote_pid)
            attach_provisioner(km, process)
            kernel = ForkedKernel(km, process, connection_file, log_file)
            self._kernels[pid] = kernel
        return kernel

    def discard(self, kernel: ForkedKernel) -> None:
        """Kill a used kernel. Kernels are never reused: isolation comes from a fresh process."""
        with self._lock:
            self._kernels.pop(kernel.process.pid, None)
        kernel.kill()

    def live_kernel_pids(self) -> list[int]:
        with self._lock:
            return [pid for pid, k in self._kernels.items() if k.process._alive()]
