"""The warm parent process that forks one fresh IPython kernel per notebook.

Run as ``python -m cohort_tools.notebooks._zygote``. It imports the heavy libraries once (pandas, altair,
cohort_tools, IPython, ipykernel), warms altair's schema validation with a throw-away chart built from
constant data, then waits for requests on stdin, one JSON object per line::

    {"connection_file": "/tmp/.../kernel-x.json", "cwd": "/path", "sys_path": ["/path"]}

For each request it forks. The child becomes an ipykernel bound to the given connection file; the
zygote answers with ``{"pid": <child pid>}`` at once, and the child finishes starting on its own.
The zygote never runs notebook code, so every child starts from the same clean, warm state.

It is single-threaded on purpose: ``fork`` copies only the calling thread, and a library thread alive
at fork time would be missing (and its locks possibly held) in the child.

Children die with the zygote (``PR_SET_PDEATHSIG``) and the zygote exits when its stdin closes, so a
crashed engine cannot leave kernels behind.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any

# Several kernels run side by side on a few cores: one math thread each avoids oversubscription.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

WARM_MODULES = (
    "json",
    "math",
    "pathlib",
    "yaml",
    "numpy",
    "pandas",
    "altair",
    "IPython",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",  # each kernel imports it as it starts (debugpy: about 50 ms)
    "ipywidgets",  # every workshop's forms (about 0.1 s in each kernel otherwise)
    "duckdb",  # the city-data queries of some workshops
    "cohort_tools",
    "cohort_tools.nb",  # the notebooks' one import; it brings the lesson helpers and city data
)

#: Set-up calls made once in the zygote ("module:function"), named like WARM_MODULES so the engine
#: layer does not import the layers above it: every chart is an offline figure with alt text, even
#: one shown without nb.start (a packet kernel hands the spec to the engine instead; see
#: cohort_tools/render/charts.py).
#: What every notebook reads as it starts (together about 0.15 s in each kernel otherwise): the
#: catalogs of every language, the programme, the countries with a holiday calendar. The sandbox's
#: zygote reads them too.
READ_AT_START = (
    "cohort_tools.core.i18n:load_catalogs",
    "cohort_tools.model.programme:load_programme",
    "cohort_tools.model.cohort:supported_countries",
)
WARM_CALLS = ("cohort_tools.render.charts:enable_offline_charts", *READ_AT_START)


def warm(modules: Sequence[str], calls: Sequence[str]) -> None:
    """Import ``modules``, draw a chart once, make ``calls`` ("module" or "module:function").
    Starts no thread. What fails here is left to the notebook, which imports or reads it itself."""
    import importlib

    for name in modules:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    with contextlib.suppress(Exception):
        import altair as alt
        import pandas as pd

        frame = pd.DataFrame({"x": [1.0, 2.0], "y": [3.0, 4.0]})
        alt.Chart(frame).mark_bar().encode(x="x:Q", y="y:Q").to_dict()
    for call in calls:
        module, _, function = call.partition(":")
        with contextlib.suppress(Exception):
            imported = importlib.import_module(module)
            if function:
                getattr(imported, function)()


def _warm(extra: list[str]) -> None:
    """:func:`warm` with :data:`WARM_MODULES`, :data:`WARM_CALLS` and ``extra`` (what the pool's
    user asked for)."""
    warm(WARM_MODULES, (*WARM_CALLS, *extra))


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when the zygote dies (no-op elsewhere)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)


def _become_kernel(request: dict[str, Any], zygote_pid: int) -> None:
    """Runs in the forked child: turn into an ipykernel and never return."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _die_with_parent()
        if os.getppid() != zygote_pid:  # the zygote died between fork and prctl
            os._exit(1)
        devnull = os.open(os.devnull, os.O_RDWR)
        log_path = request.get("log_file")
        log_fd = (
            os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            if log_path
            else devnull
        )
        os.dup2(devnull, 0)
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        os.chdir(request["cwd"])
        for entry in reversed(request.get("sys_path", [])):
            sys.path.insert(0, entry)
        os.environ.update(request.get("env", {}))
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize(
            [
                "-f",
                request["connection_file"],
                f"--IPKernelApp.parent_handle={zygote_pid}",
                "--IPKernelApp.log_level=40",
                # No history database: it would keep every cell run (hidden tests among them).
                "--HistoryManager.enabled=False",
            ]
        )
        app.start()
        code = 0
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def main() -> None:
    _warm(sys.argv[1:])
    # What the warm-up made stays put: a kernel's garbage collector then never walks (and so never
    # copies, page by page) the zygote's objects it shares copy-on-write.
    gc.collect()
    gc.freeze()
    # Children are reaped by the kernel (no zombies), so a dead kernel's pid disappears at once.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    zygote_pid = os.getpid()
    out = sys.stdout
    out.write(json.dumps({"ready": True, "pid": zygote_pid}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _become_kernel(request, zygote_pid)
        out.write(json.dumps({"pid": pid}) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
