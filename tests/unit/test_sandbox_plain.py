"""The sandbox's pure parts: answers as plain data, what runs, and the bubblewrap command line."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import altair as alt
import nbformat
import numpy as np
import pandas as pd
import pytest

from cohort_tools.core import paths
from cohort_tools.core.errors import CdaError
from cohort_tools.notebooks import sandbox
from cohort_tools.notebooks._sandbox_zygote import (
    NOT_JSON,
    VEGA_LITE,
    _Capture,
    _NotPlain,
    plain_answers,
    to_plain,
)
from cohort_tools.notebooks.sandbox import _plan, bwrap_args, rebuild_answer, sandbox_env
from cohort_tools.render.charts import CHARTS_AFTER_THE_RUN


def test_numpy_and_pandas_scalars_dates_tuples_and_sets_become_plain_data() -> None:
    value = {
        "n": np.int64(3),
        "x": np.float64(1.5),
        "ok": np.bool_(True),
        "when": pd.Timestamp("2027-01-11 09:30"),
        "day": dt.date(2027, 1, 11),
        "pair": (1, "a"),
        "set": {"b", "a", "c"},
        1: None,
    }
    plain = to_plain(value)
    assert plain == {
        "n": 3,
        "x": 1.5,
        "ok": True,
        "when": "2027-01-11T09:30:00",
        "day": "2027-01-11",
        "pair": [1, "a"],
        "set": ["a", "b", "c"],
        "1": None,
    }
    assert type(plain["n"]) is int and type(plain["ok"]) is bool
    assert json.loads(json.dumps(plain)) == plain


@pytest.mark.parametrize(
    "value", [float("nan"), pd.DataFrame({"a": [1]}), np.array([1, 2]), object(), [1, float("inf")]]
)
def test_values_that_are_not_plain_data_are_refused(value: object) -> None:
    with pytest.raises(_NotPlain):
        to_plain(value)


def test_a_chart_answer_travels_as_its_vega_lite_spec_and_is_rebuilt() -> None:
    chart = (
        alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]}))
        .mark_bar()
        .encode(x="x:Q", y="y:Q")
        .properties(title="Close times", description="Bar chart of close times.")
    )
    plain = to_plain(chart)
    assert set(plain) == {VEGA_LITE}
    assert plain[VEGA_LITE]["class"] == "Chart"
    rebuilt = rebuild_answer(json.loads(json.dumps(plain)))
    assert isinstance(rebuilt, alt.Chart)
    assert rebuilt.to_dict() == chart.to_dict()
    layered = to_plain(chart + chart)
    assert isinstance(rebuild_answer(layered), alt.LayerChart)
    with pytest.raises(ValueError):
        rebuild_answer({VEGA_LITE: {"class": "os.system", "spec": {}}})


def test_answers_keep_only_defined_names_mark_other_objects_and_respect_the_size_cap() -> None:
    namespace = {"a": [1, 2], "frame": pd.DataFrame({"x": [1]}), "big": "x" * 5000}
    got = plain_answers(namespace, ["a", "frame", "missing", "big"], limit=1000)
    assert got["a"] == [1, 2]
    assert got["frame"] == {NOT_JSON: "DataFrame"}
    assert "missing" not in got
    assert set(got["big"]) == {NOT_JSON} and "limit" in got["big"][NOT_JSON]


def test_output_is_kept_up_to_the_cell_and_job_caps_and_the_rest_counted() -> None:
    capture = _Capture(cell_limit=10, job_limit=15)
    capture.add("stdout", "x" * 8)
    capture.add("stdout", "y" * 8)
    assert capture.items == [["stdout", "x" * 8 + "yy"]]
    assert capture.dropped == 6
    capture.reset()
    capture.add("stderr", "z" * 8)
    assert capture.items == [["stderr", "zzzzz"]]  # the job's budget is spent


def _nb(*cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    nb.cells = list(cells)
    return nb


def test_parameters_are_injected_after_the_parameters_cell_and_indexes_refer_to_the_notebook() -> (
    None
):
    md = nbformat.v4.new_markdown_cell("# Title")  # type: ignore[no-untyped-call]
    params = nbformat.v4.new_code_cell('city = "riverton"', metadata={"tags": ["parameters"]})  # type: ignore[no-untyped-call]
    answer = nbformat.v4.new_code_cell(  # type: ignore[no-untyped-call]
        "x = 1", metadata={"nbgrader": {"grade_id": "answer-x", "solution": True}}
    )
    plan = _plan(_nb(md, params, answer), {"city": "/city"})
    assert [(c.index, c.grade_id) for c in plan] == [
        (1, None),
        (None, "injected-parameters"),
        (2, "answer-x"),
    ]
    assert 'city = "/city"' in plan[1].source
    assert [c.index for c in _plan(_nb(md, answer), {})] == [1]


def test_the_sandbox_sees_only_the_python_environment_the_package_and_its_city(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CDA_UNIT_CANARY", "do-not-leak")
    city = paths.DEMO_DIR / "cities" / "riverton"
    args = bwrap_args(
        city_dir=city,
        cache_dir=tmp_path,
        workdir=tmp_path,
        slots=2,
        job_dir_bytes=1 << 20,
        user_namespace=False,
    )
    for flag in (
        "--unshare-net",
        "--unshare-pid",
        "--unshare-ipc",
        "--clearenv",
        "--die-with-parent",
    ):
        assert flag in args
    assert args[args.index("--cap-drop") + 1] == "ALL"
    sources = [args[i + 1] for i, a in enumerate(args) if a in ("--bind", "--ro-bind")]
    assert "--bind" not in args  # nothing of the host is writable
    checkout = paths.PACKAGE_DIR.parent
    assert str(checkout) not in sources  # the checkout root holds workshops with solutions
    assert str(paths.PACKAGE_DIR) in sources or any(
        str(paths.PACKAGE_DIR).startswith(s + "/") for s in sources
    )
    demo = args.index(str(paths.DEMO_DIR))
    assert args[demo - 1] == "--tmpfs"  # every demo city's data hidden
    assert [
        args[i + 2] for i, a in enumerate(args) if a == "--ro-bind" and args[i + 1] == str(city)
    ] == ["/city"]
    assert "do-not-leak" not in " ".join(args)
    assert set(sandbox_env()) >= {"PATH", "HOME", "TMPDIR", "CDA_CACHE_DIR"}
    assert "CDA_UNIT_CANARY" not in sandbox_env()
    assert CHARTS_AFTER_THE_RUN.items() <= sandbox_env().items()  # jobs never draw charts
    assert args.count("--tmpfs") == 3  # two job slots and the hidden demo cohort


def test_a_missing_bubblewrap_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(sandbox, "BWRAP_DEBIAN", Path("/nonexistent/bwrap"))
    with pytest.raises(CdaError, match="apt-get install bubblewrap"):
        sandbox.bwrap_executable()
    with pytest.raises(CdaError, match="apt-get install bubblewrap"):
        sandbox.SandboxPool(paths.DEMO_DIR / "cities" / "riverton").start()
