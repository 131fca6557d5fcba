"""THE run loop: execute one notebook in a fresh kernel and say plainly how it went.

Everything in cohort_tools that executes a notebook calls :func:`run`: the packet engine, the
autograder, the book build and the tests' helpers. It

1. forks a fresh kernel from the warm zygote (:class:`cohort_tools.notebooks.kernels.KernelPool`) in
   the given working folder, with extra ``sys.path`` entries and environment variables;
2. executes the notebook in place with nbclient, with a per-cell time limit, either stopping at the
   first error (``stop_on_error=True``: packets, the book) or keeping going with errors recorded as
   outputs (``stop_on_error=False``: grading, tests); optional ``after`` code runs silently in the
   same kernel once every cell has run (it is not added to the notebook);
3. kills the kernel (kernels are never reused), and
4. returns a :class:`RunOutcome` whose ``kind`` is one of :data:`OutcomeKind`:

   ``ok``          every cell ran (with ``stop_on_error=False``, no cell failed either);
   ``error``       a cell raised an error (``failure`` names the cell: index, code-cell number,
                   source, ``ename``, ``evalue``, traceback);
   ``timeout``     a cell was still running at the time limit;
   ``died``        the kernel process stopped (crash, ``os._exit``, out of memory, killed);
   ``not_started`` the kernel could not be started, or the run broke outside the notebook's code
                   (``message`` says why).

Failures are classified here, once: from nbclient's ``on_cell_error`` hook (the kernel's
execute reply) and from its exceptions. Callers only turn an outcome into their own words (an error
page, a grading note, a build error naming the page).

With ``stop_on_error=False`` a cell over the time limit is interrupted, gets a ``CellTimeoutError``
result and the run goes on (nbgrader's behaviour); ``client_options`` can pass any other
``NotebookClient`` setting (the grader passes nbgrader's, see :func:`.compat.execute_options`).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from nbformat import NotebookNode

    from cohort_tools.notebooks.kernels import ForkedKernel, KernelPool

OutcomeKind = Literal["ok", "error", "timeout", "died", "not_started"]
FailureKind = Literal["error", "timeout", "died"]

#: The error name a cell stopped at the time limit gets when the run keeps going (nbgrader's too).
TIMEOUT_ENAME = "CellTimeoutError"
INJECTED_TAG = "injected-parameters"  # papermill's tag on the cell it adds
_CONTINUE_TIMEOUT_ERROR = {
    "ename": TIMEOUT_ENAME,
    "evalue": "",
    "traceback": [f"{TIMEOUT_ENAME}: No reply from kernel before timeout"],
}
# Hooks run() sets itself; callers pass theirs as run()'s on_cell_start.
_RESERVED_OPTIONS = {"on_cell_start", "on_cell_error", "allow_errors", "timeout", "km", "nb"}


@dataclass(frozen=True)
class CellFailure:
    """One cell that did not run cleanly."""

    kind: FailureKind
    index: int  # position in the notebook's cells
    code_cell: int  # 1-based among the notebook's code cells
    template_cell: int  # 1-based among code cells not added by papermill (as in the source file)
    source: str
    ename: str = ""
    evalue: str = ""
    traceback: str = ""


@dataclass(frozen=True)
class RunOutcome:
    """How one notebook run went (see the module docstring for the kinds)."""

    kind: OutcomeKind
    failures: tuple[CellFailure, ...] = ()
    stopped_early: bool = False  # the run ended before the last cell (stop, timeout, death)
    message: str = ""  # for not_started: why
    kernel_log: str = field(default="", repr=False)  # the kernel's stderr tail (died, not_started)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.kind == "ok"

    @property
    def failure(self) -> CellFailure | None:
        """The failure that decided :attr:`kind` (the first one of that kind), if any."""
        return next((f for f in self.failures if f.kind == self.kind), None)

    def describe(self) -> str:
        """One plain line, e.g. ``error in code cell 3: ValueError: bad``."""
        if self.kind == "not_started":
            return f"the notebook could not be run: {self.message}"
        f = self.failure
        if f is None:
            return "ran to the end"
        where = f"code cell {f.code_cell}"
        if f.kind == "error":
            return f"error in {where}: {f.ename}: {f.evalue}"
        if f.kind == "timeout":
            return f"{where} was still running at the time limit"
        return f"the kernel died in {where}"


def code_cell_numbers(nb: NotebookNode, index: int) -> tuple[int, int]:
    """(number among all code cells, number among code cells not added by papermill), 1-based."""
    number = template = 0
    for cell in nb.cells[: index + 1]:
        if cell.cell_type == "code":
            number += 1
            if INJECTED_TAG not in cell.get("metadata", {}).get("tags", []):
                template += 1
    return number, template


def _failure(
    nb: NotebookNode, kind: FailureKind, index: int, content: Mapping[str, Any] | None = None
) -> CellFailure:
    number, template = code_cell_numbers(nb, index)
    content = content or {}
    trace = content.get("traceback") or []
    return CellFailure(
        kind=kind,
        index=index,
        code_cell=number,
        template_cell=template,
        source=str(nb.cells[index].source),
        ename=str(content.get("ename", "")),
        evalue=str(content.get("evalue", "")),
        traceback="\n".join(str(line) for line in trace),
    )


@dataclass
class _Progress:
    index: int | None = None  # the cell being run
    errors: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def _kind_of(failures: Sequence[CellFailure]) -> OutcomeKind:
    """The most serious failure decides: died, then timeout, then error."""
    kinds = {f.kind for f in failures}
    if "died" in kinds:
        return "died"
    if "timeout" in kinds:
        return "timeout"
    return "error" if kinds else "ok"


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


@functools.cache
def sliced_notebook_client() -> type[Any]:
    """nbclient's ``NotebookClient`` whose kernel client waits for replies in 1 s slices
    (:func:`cohort_tools.core.compat.poll_in_slices`): a missed wake-up (jupyter/nbclient#312)
    costs a second, not the cell's whole time limit. For any notebook run outside THE run loop too
    (test helpers that need a plain kernel)."""
    from nbclient import NotebookClient

    from cohort_tools.core.compat import poll_in_slices

    class SlicedNotebookClient(NotebookClient):
        async def async_start_new_kernel_client(self) -> Any:
            kc = await super().async_start_new_kernel_client()
            poll_in_slices(kc.shell_channel)
            poll_in_slices(kc.iopub_channel)
            return kc

    return SlicedNotebookClient


async def _execute(
    nb: NotebookNode,
    kernel: ForkedKernel,
    *,
    timeout: int | None,
    stop_on_error: bool,
    after: str | None,
    on_cell_start: Callable[[Any, int], None] | None,
    options: dict[str, Any],
    startup_timeout: int,
) -> tuple[list[CellFailure], bool, str]:
    """Run the cells; return (failures, stopped early, not-started message or "")."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    Client = sliced_notebook_client()
    progress = _Progress()

    def cell_start(cell: Any, cell_index: int) -> None:
        progress.index = cell_index
        if on_cell_start is not None:
            on_cell_start(cell, cell_index)

    def cell_error(cell: Any, cell_index: int, execute_reply: dict[str, Any]) -> None:
        progress.errors.append((cell_index, dict(execute_reply.get("content", {}))))

    settings: dict[str, Any] = {"kernel_name": "python3", "startup_timeout": startup_timeout}
    if not stop_on_error:
        settings |= {"interrupt_on_timeout": True, "error_on_timeout": _CONTINUE_TIMEOUT_ERROR}
    settings |= options
    timeout_ename = str((settings.get("error_on_timeout") or {}).get("ename", TIMEOUT_ENAME))
    client = Client(
        nb,
        km=kernel.km,
        timeout=timeout,
        allow_errors=not stop_on_error,
        on_cell_start=cell_start,
        on_cell_error=cell_error,
        **settings,
    )

    def recorded(*, raised: bool = False) -> list[CellFailure]:
        errors = progress.errors
        if stop_on_error:
            # Errors nbclient let pass (cells tagged raises-exception) are no failures; the one
            # that stopped the run is the last one recorded.
            errors = errors[-1:] if raised else []
        return [
            _failure(nb, "timeout" if c.get("ename") == timeout_ename else "error", i, c)
            for i, c in errors
        ]

    try:
        await client.async_execute()
        if after and client.kc is not None:
            msg_id = await _maybe_await(client.kc.execute(after, store_history=False))
            await client.async_wait_for_reply(msg_id)
    except CellTimeoutError:
        if progress.index is None:
            return [], True, "the kernel did not answer in time"
        return (
            [*_before(recorded(), progress.index), _failure(nb, "timeout", progress.index)],
            True,
            "",
        )
    except DeadKernelError:
        if progress.index is None:
            return [], True, "the kernel stopped before the first cell ran"
        return (
            [*_before(recorded(), progress.index), _failure(nb, "died", progress.index)],
            True,
            "",
        )
    except CellExecutionError as exc:
        found = recorded(raised=True)
        if not found and progress.index is not None:
            content = {"ename": exc.ename, "evalue": exc.evalue, "traceback": [str(exc)]}
            found = [_failure(nb, "error", progress.index, content)]
        return found, True, ""
    except Exception as exc:  # the kernel did not start, or nbclient failed outside a cell
        return recorded(), True, f"{type(exc).__name__}: {exc}"
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
    return recorded(), False, ""


def _before(failures: list[CellFailure], index: int) -> list[CellFailure]:
    return [f for f in failures if f.index < index]


def _in_own_loop(factory: Callable[[], Any]) -> Any:
    """``asyncio.run(factory())`` here, or in a helper thread when this thread runs a loop already
    (Playwright's sync API leaves one running in the main thread)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    with ThreadPoolExecutor(1, thread_name_prefix="cda-run") as worker:
        return worker.submit(lambda: asyncio.run(factory())).result()


def run(
    nb: NotebookNode,
    *,
    cwd: Path,
    timeout: int | None,
    pool: KernelPool | None = None,
    env: Mapping[str, str] | None = None,
    sys_path: Sequence[str] = (),
    stop_on_error: bool = True,
    after: str | None = None,
    on_cell_start: Callable[[Any, int], None] | None = None,
    client_options: Mapping[str, Any] | None = None,
    startup_timeout: int = 60,
) -> RunOutcome:
    """Execute ``nb`` in place in a fresh kernel forked from ``pool``; return how it went.

    ``cwd`` is the kernel's working folder; ``timeout`` the seconds one cell may run (None: no
    limit); ``env`` and ``sys_path`` are added in the kernel; ``on_cell_start(cell, index)`` is
    called before each cell. Without a ``pool``, one is started for this notebook and closed after.
    Never raises for anything the notebook does; KeyboardInterrupt and similar propagate after the
    kernel is killed.
    """
    if pool is None:
        from cohort_tools.notebooks.kernels import KernelPool

        with KernelPool(1) as own:
            return run(
                nb,
                cwd=cwd,
                timeout=timeout,
                pool=own,
                env=env,
                sys_path=sys_path,
                stop_on_error=stop_on_error,
                after=after,
                on_cell_start=on_cell_start,
                client_options=client_options,
                startup_timeout=startup_timeout,
            )
    options = dict(client_options or {})
    reserved = _RESERVED_OPTIONS & set(options)
    if reserved:
        raise ValueError(f"run() sets {', '.join(sorted(reserved))} itself; pass them as arguments")
    start = time.monotonic()
    try:
        kernel = pool.fork_kernel(cwd=Path(cwd), sys_path=list(sys_path), env=dict(env or {}))
    except Exception as exc:
        return RunOutcome(
            "not_started",
            stopped_early=True,
            message=f"{type(exc).__name__}: {exc}",
            seconds=time.monotonic() - start,
        )
    try:
        failures, stopped, message = _in_own_loop(
            lambda: _execute(
                nb,
                kernel,
                timeout=timeout,
                stop_on_error=stop_on_error,
                after=after,
                on_cell_start=on_cell_start,
                options=options,
                startup_timeout=startup_timeout,
            )
        )
        kind: OutcomeKind = "not_started" if message else _kind_of(failures)
        log = kernel.log_tail() if kind in ("died", "not_started") else ""
    finally:
        pool.discard(kernel)
    return RunOutcome(
        kind,
        failures=tuple(failures),
        stopped_early=stopped,
        message=message,
        kernel_log=log,
        seconds=time.monotonic() - start,
    )


__all__ = [
    "TIMEOUT_ENAME",
    "CellFailure",
    "FailureKind",
    "OutcomeKind",
    "RunOutcome",
    "code_cell_numbers",
    "run",
]
