"""The book's session notebooks, executed through THE run loop before Sphinx reads them.

jupyter-book's myst-nb does not execute anything (``execute_notebooks: "off"``): each prepared
notebook (solutions stripped, city injected: :mod:`cohort_tools.book.notebooks`) is executed by
:func:`cohort_tools.notebooks.run.run` in a fresh kernel forked from the warm zygote, several at once,
and the executed ``.ipynb`` is what gets staged. myst-nb then renders the stored outputs.

Only changed pages are re-executed: executed notebooks are kept in a content-addressed cache keyed
by the prepared notebook's bytes (its source, parameters and preparation code), the city it runs on,
a digest of the cohort's data and the package version. An unchanged notebook is staged from the
cache byte for byte, so Sphinx does not re-read its page either. Only successful runs are cached.

A notebook that fails (an error in a cell, a cell over the time limit, a kernel that dies) fails the
build with a problem naming the page's source file, the cell and the error; nothing is staged or
published, and the last good site is kept.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cohort_tools import __version__
from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.fileio import atomic_write_bytes
from cohort_tools.notebooks.digest import folder_digest, json_digest, sha256_hex
from cohort_tools.notebooks.run import RunOutcome

if TYPE_CHECKING:
    from cohort_tools.notebooks.kernels import KernelPool

RUN_FORMAT = "1"  # bump when how the book executes notebooks changes, to re-execute every page


@dataclass(frozen=True)
class Executed:
    """The outcome of one page's notebook: its executed bytes, or why it failed."""

    rel: str
    data: bytes | None
    outcome: RunOutcome | None  # None: taken from the cache


def cohort_data_digest(cohort_file: Path, data_dirs: list[Path]) -> str:
    """A digest of the cohort the book's notebooks read: its folder and every city's data."""
    folder = cohort_file.parent
    outside = sorted(str(d) for d in data_dirs if not d.resolve().is_relative_to(folder.resolve()))
    return json_digest(
        {
            "cohort": folder_digest(folder),
            "data": [folder_digest(Path(d)) for d in outside],
        }
    )


def execution_key(
    prepared: bytes, *, city: str, data_digest: str, timeout: int | None, stop: bool
) -> str:
    return json_digest(
        {
            "format": RUN_FORMAT,
            "notebook": sha256_hex(prepared),
            "city": city,
            "data": data_digest,
            "package": __version__,
            "timeout": timeout,
            "stop_on_error": stop,
        }
    )


def _run_one(
    rel: str, prepared: bytes, pool: KernelPool, timeout: int | None, stop_on_error: bool
) -> Executed:
    import nbformat

    from cohort_tools.book.notebooks import to_ipynb_text
    from cohort_tools.notebooks.run import run

    nb = nbformat.reads(prepared.decode("utf-8"), as_version=4)
    # Each notebook runs in its own empty scratch folder (removed afterwards): what a notebook
    # writes never lands in the staged book.
    scratch = Path(tempfile.mkdtemp(prefix="cda-book-"))
    try:
        outcome = run(nb, pool=pool, cwd=scratch, timeout=timeout, stop_on_error=stop_on_error)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    # With allow_errors (stop_on_error=False) errors are part of the page; a cell over the time
    # limit or a dead kernel never is.
    good = outcome.ok or (not stop_on_error and outcome.kind == "error")
    data = to_ipynb_text(nb).encode("utf-8") if good else None
    return Executed(rel, data, outcome)


def problem(executed: Executed, origin: str, city: str) -> Problem:
    """A failed page as a Problem naming its source file, the cell and the error."""
    outcome = executed.outcome
    assert outcome is not None
    f = outcome.failure
    source = origin.split(" (", 1)[0]
    if f is None:
        message = f"the notebook could not be run: {outcome.message}"
    else:
        first = next((ln for ln in f.source.splitlines() if ln.strip()), "")
        what = {
            "error": f"raised {f.ename}: {f.evalue}",
            "timeout": "was still running at the time limit",
            "died": "stopped the notebook's Python process (crash, exit or out of memory)",
        }[f.kind]
        # The cell is named by its first line: the book adds hidden cells (chart setup, runnable
        # copies of solutions), so a cell number would not match the source file.
        message = (
            f"the notebook failed when the book ran it on {city}: the cell beginning "
            f"{first.strip()[:80]!r} {what}."
        )
    return Problem(
        file=source,
        message=message,
        fix="fix the notebook (run it in Jupyter with the same city to see the full traceback), "
        "then build the book again.",
    )


def execute_notebooks(
    notebooks: dict[str, bytes],
    origin: dict[str, str],
    *,
    cache: Path,
    city: str,
    data_digest: str,
    timeout: int | None,
    stop_on_error: bool = True,
    jobs: int | None = None,
    say: Callable[[str], None] = lambda _text: None,
) -> dict[str, bytes]:
    """``{staged path: executed notebook bytes}`` for every prepared notebook; CdaError on failure.

    ``stop_on_error=False`` is book/_config.yml's ``allow_errors: true``: errors stay on the page.
    """
    executed: dict[str, bytes] = {}
    todo: dict[str, tuple[bytes, Path]] = {}
    for rel, prepared in notebooks.items():
        key = execution_key(
            prepared, city=city, data_digest=data_digest, timeout=timeout, stop=stop_on_error
        )
        path = cache / f"{key}.ipynb"
        if path.is_file():
            executed[rel] = path.read_bytes()
        else:
            todo[rel] = (prepared, path)
    if todo:
        from cohort_tools.notebooks.kernels import KernelPool

        workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        say(f"executing {len(todo)} notebook(s) on {city} ({len(executed)} unchanged)")
        with KernelPool(workers) as pool, ThreadPoolExecutor(workers, "cda-book") as ex:
            results = list(
                ex.map(
                    lambda item: _run_one(item[0], item[1][0], pool, timeout, stop_on_error),
                    todo.items(),
                )
            )
        for r in results:  # successes are cached even when another page failed
            if r.data is not None:
                atomic_write_bytes(todo[r.rel][1], r.data)
                executed[r.rel] = r.data
        failed = [r for r in results if r.data is None]
        if failed:
            problems = [problem(r, origin.get(r.rel, r.rel), city) for r in failed]
            raise CdaError(
                problems,
                headline=f"{len(failed)} notebook(s) of the book failed when run on {city}; "
                "the book was not built.",
            )
    return executed


__all__ = ["RUN_FORMAT", "cohort_data_digest", "execute_notebooks", "execution_key"]
