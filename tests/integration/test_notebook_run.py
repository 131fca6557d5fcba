"""The one run loop (cohort_tools.notebooks.run): each outcome kind, named by cell, in both modes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from cohort_tools.notebooks.kernels import KernelPool
from cohort_tools.notebooks.run import TIMEOUT_ENAME, run

pytestmark = pytest.mark.slow


def notebook(*sources: str, tags: dict[int, list[str]] | None = None) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_markdown_cell("# A notebook")]
    for i, source in enumerate(sources):
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["tags"] = (tags or {}).get(i, [])
        nb.cells.append(cell)
    return nb


@pytest.fixture(scope="module")
def pool() -> Iterator[KernelPool]:
    with KernelPool(1) as p:
        yield p


def test_a_clean_notebook_is_ok_and_its_outputs_are_kept(pool: KernelPool, tmp_path: Path) -> None:
    nb = notebook("import os\nprint(os.getcwd(), os.environ['CANARY'])")
    outcome = run(nb, pool=pool, cwd=tmp_path, timeout=60, env={"CANARY": "tweet"})
    assert outcome.kind == "ok" and outcome.ok and outcome.failures == ()
    assert nb.cells[1].outputs[0]["text"].strip() == f"{tmp_path} tweet"


def test_a_kernel_keeps_no_history_of_the_code_it_ran(pool: KernelPool, tmp_path: Path) -> None:
    # IPython's history would keep every cell a kernel ran (hidden tests and solutions among them)
    # in one database under the user's home; our kernels keep none.
    ipython_dir = tmp_path / "ipython"
    nb = notebook("secret = 'a hidden test'\nprint(secret)")
    outcome = run(nb, pool=pool, cwd=tmp_path, timeout=60, env={"IPYTHONDIR": str(ipython_dir)})
    assert outcome.ok
    assert ipython_dir.is_dir()  # IPython did use this folder for its profile
    assert list(ipython_dir.rglob("history.sqlite")) == []


def test_an_error_names_the_cell_its_number_and_the_exception(
    pool: KernelPool, tmp_path: Path
) -> None:
    nb = notebook("x = 1", "raise ValueError('bad value')", "print('never')")
    outcome = run(nb, pool=pool, cwd=tmp_path, timeout=60)
    assert outcome.kind == "error" and outcome.stopped_early
    f = outcome.failure
    assert f is not None
    assert (f.index, f.code_cell, f.ename, f.evalue) == (2, 2, "ValueError", "bad value")
    assert "raise ValueError" in f.source and "ValueError" in f.traceback
    assert nb.cells[3].outputs == []  # not run
    assert outcome.describe() == "error in code cell 2: ValueError: bad value"


def test_a_cell_tagged_raises_exception_is_no_failure(pool: KernelPool, tmp_path: Path) -> None:
    nb = notebook("1 / 0", "print('after')", tags={0: ["raises-exception"]})
    outcome = run(nb, pool=pool, cwd=tmp_path, timeout=60)
    assert outcome.kind == "ok", outcome


def test_a_cell_over_the_time_limit_is_a_timeout_in_that_cell(
    pool: KernelPool, tmp_path: Path
) -> None:
    nb = notebook("x = 1", "import time\ntime.sleep(60)")
    outcome = run(nb, pool=pool, cwd=tmp_path, timeout=2)
    assert outcome.kind == "timeout" and outcome.failure is not None
    assert outcome.failure.code_cell == 2


def test_a_kernel_that_exits_is_died_at_that_cell_with_its_log(
    pool: KernelPool, tmp_path: Path
) -> None:
    nb = notebook(
        "print('fine')", "import os, sys\nprint('last words', file=sys.stderr)\nos._exit(3)"
    )
    outcome = run(nb, pool=pool, cwd=tmp_path, timeout=60)
    assert outcome.kind == "died" and outcome.failure is not None
    assert outcome.failure.code_cell == 2


def test_keep_going_mode_records_every_failure_and_runs_the_after_code(
    pool: KernelPool, tmp_path: Path
) -> None:
    nb = notebook(
        "raise KeyError('a')",
        "def broken(:\n    pass",
        "import time\ntime.sleep(60)",
        "done = True",
    )
    outcome = run(
        nb,
        pool=pool,
        cwd=tmp_path,
        timeout=3,
        stop_on_error=False,
        after="open('after.txt', 'w').write(str(done))",
    )
    assert [(f.kind, f.code_cell, f.ename) for f in outcome.failures] == [
        ("error", 1, "KeyError"),
        ("error", 2, "SyntaxError"),
        ("timeout", 3, TIMEOUT_ENAME),
    ]
    assert outcome.kind == "timeout" and not outcome.stopped_early
    assert (tmp_path / "after.txt").read_text() == "True"
    assert len(nb.cells) == 5  # the after code is not added to the notebook


def test_injected_parameter_cells_are_not_counted_as_template_cells(
    pool: KernelPool, tmp_path: Path
) -> None:
    nb = notebook("city = 'a'", "city = 'b'", "raise RuntimeError(city)")
    nb.cells[2].metadata["tags"] = ["injected-parameters"]
    outcome = run(nb, pool=pool, cwd=tmp_path, timeout=60)
    f = outcome.failure
    assert f is not None and (f.code_cell, f.template_cell, f.evalue) == (3, 2, "b")


def test_a_kernel_that_cannot_start_is_not_started_with_the_reason(tmp_path: Path) -> None:
    broken = KernelPool(1, python=str(tmp_path / "no-such-python"))
    try:
        outcome = run(notebook("1"), pool=broken, cwd=tmp_path, timeout=60)
    finally:
        broken.close()
    assert outcome.kind == "not_started" and "no-such-python" in outcome.message


def test_a_kernel_listens_on_unix_sockets_in_the_pool_folder_removed_after_use(
    pool: KernelPool, tmp_path: Path
) -> None:
    import json

    kernel = pool.fork_kernel(cwd=tmp_path)
    try:
        info = json.loads(kernel.connection_file.read_text())
        # No TCP port: none can be taken by another process before the kernel binds it.
        assert info["transport"] == "ipc"
        assert Path(info["ip"]).parent == kernel.connection_file.parent
    finally:
        pool.discard(kernel)
    nb = notebook("print('after')")
    assert run(nb, pool=pool, cwd=tmp_path, timeout=60).ok
    assert nb.cells[1].outputs[0]["text"] == "after\n"
    left = [p.name for p in kernel.connection_file.parent.iterdir() if p.name != "zygote.log"]
    assert left == []
