"""No count under the city's threshold leaves a Module 3 notebook: not in text, not in tables, not in
the data embedded in charts. Every Module 3 notebook present when the tests are collected is run
with its solutions, on a demo city and on a test city with a small group made certain."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from notebook_runs import execute

from cohort_tools.core import paths
from cohort_tools.notebooks.myst import read_myst
from cohort_tools.policy.standards.spd15_data import MINIMUM_CATEGORIES

pytestmark = pytest.mark.slow

NOTEBOOKS = sorted(
    [*paths.curriculum_dir().glob("m3_*.md"), *paths.workshops_dir().glob("m3_*.md")],
    key=lambda p: p.name,
)
THRESHOLD = 11  # every demo city, and the test city, use the CMS rule (< 11 hidden)
SMALL_GROUP = "MENA"
SMALL_PARTICIPANTS, SMALL_SUCCESSES = 7, 3

COUNT_FIELD = re.compile(
    r"^(participants|successes|failures|count|counts|n|respondents|people|residents|persons|"
    r"members|staff|requests|cases|enrolments|population_count)$",
    re.I,
)
PEOPLE_WORDS = (
    r"participants|people|persons|residents|respondents|successes|staff|employees|members|"
    r"children|families|households|applicants"
)
NUMBER_BEFORE_PEOPLE = re.compile(
    rf"(?<![\d.,])(\d+)\s+(?:(?:of|out of)\s+\d[\d,]*\s+)?(?:\w+\s+)?(?:{PEOPLE_WORDS})\b", re.I
)

RECORDER = """
import json as _json
import altair as _alt

_m3_active = _alt.renderers.get()


def _m3_recording(spec, **metadata):
    data = dict(spec.get("datasets") or {})
    def _inline(node):
        if isinstance(node, dict):
            values = (node.get("data") or {}).get("values") if isinstance(node.get("data"), dict) else None
            if isinstance(values, list):
                data[f"inline-{len(data)}"] = values
            for child in node.values():
                _inline(child)
        elif isinstance(node, list):
            for child in node:
                _inline(child)
    _inline(spec)
    with open(RECORD_PATH, "a", encoding="utf-8") as f:
        f.write(_json.dumps(data, default=str) + "\\n")
    return _m3_active(spec, **metadata)


_alt.renderers.register("m3-record", _m3_recording)
_alt.renderers.enable("m3-record")
"""


# ------------------------------------------------------------------------------------------------
# the detector
# ------------------------------------------------------------------------------------------------


def _is_small(value: Any, threshold: int) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        value = value.replace(",", "").strip()
        if not re.fullmatch(r"\d+(\.0+)?", value):
            return False
        value = float(value)
    return isinstance(value, int | float) and value == value and 0 < value < threshold


def small_counts_in_chart_data(records: Iterable[dict[str, Any]], threshold: int) -> list[str]:
    """'field=value' for each count-like field of the charts' rows holding a small count."""
    found = []
    for datasets in records:
        for rows in datasets.values():
            for row in rows if isinstance(rows, list) else []:
                for key, value in row.items() if isinstance(row, dict) else []:
                    if COUNT_FIELD.match(str(key)) and _is_small(value, threshold):
                        found.append(f"{key}={value}")
    return found


def small_counts_in_html(html: str, threshold: int) -> list[str]:
    """Cells of HTML tables under a count-like header that hold a small count."""
    found = []
    for table in BeautifulSoup(html, "html.parser").find_all("table"):
        header_row = table.find("thead").find("tr") if table.find("thead") else table.find("tr")
        headers = [th.get_text(strip=True) for th in header_row.find_all(["th", "td"])]
        for tr in (table.find("tbody") or table).find_all("tr"):
            cells = [c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
            for head, cell in zip(headers, cells, strict=False):
                if COUNT_FIELD.match(head.strip()) and _is_small(cell, threshold):
                    found.append(f"{head}={cell}")
    return found


def small_counts_in_text(text: str, threshold: int) -> list[str]:
    """Small numbers written as counts of people ('7 participants', '3 of 12 residents')."""
    return [
        m.group(0) for m in NUMBER_BEFORE_PEOPLE.finditer(text) if 0 < int(m.group(1)) < threshold
    ]


def small_source_cells_in_text(text: str, small_cells: dict[str, set[int]]) -> list[str]:
    """A small count of the source data written next to its group's name ('MENA: 7')."""
    found = []
    for name, numbers in small_cells.items():
        for n in numbers:
            pattern = re.escape(name) + r"[\s:=(\-]{1,4}" + str(n) + r"(?![\d%]|[.,]\d)"
            found += [m.group(0) for m in re.finditer(pattern, text)]
    return found


def outputs(nb: nbformat.NotebookNode) -> tuple[str, str]:
    """All text (markdown, plain, streams, errors) and all HTML of the executed notebook."""
    texts, htmls = [], []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            texts += [data.get("text/markdown", ""), out.get("text", "")]
            if "text/html" not in data:
                texts.append(data.get("text/plain", ""))
            htmls.append(data.get("text/html", ""))
            texts += out.get("traceback", [])
    # an <img> carries its chart's alt text: read it as text too
    alts = re.findall(r'alt="([^"]*)"', "\n".join(htmls))
    return "\n".join([*texts, *alts]), "\n".join(htmls)


def leaks(
    nb: nbformat.NotebookNode, records: list[dict[str, Any]], small_cells: dict[str, set[int]]
) -> list[str]:
    text, html = outputs(nb)
    return [
        *(f"chart data: {x}" for x in small_counts_in_chart_data(records, THRESHOLD)),
        *(f"table: {x}" for x in small_counts_in_html(html, THRESHOLD)),
        *(f"text: {x}" for x in small_counts_in_text(text, THRESHOLD)),
        *(f"text: {x}" for x in small_source_cells_in_text(text, small_cells)),
    ]


# ------------------------------------------------------------------------------------------------
# cities and runs
# ------------------------------------------------------------------------------------------------


def _label(code: str) -> str:
    return MINIMUM_CATEGORIES[code][0] if code in MINIMUM_CATEGORIES else code


def small_cells_of(city_dir: Path) -> dict[str, set[int]]:
    """Group name -> small counts (participants, successes, the rest) in the programme outcomes,
    per period and summed over each year."""
    outcomes = pd.read_csv(city_dir / "programme_outcomes.csv")
    outcomes["year"] = outcomes["period"].astype(str).str[:4]
    yearly = outcomes.groupby(["programme_id", "year", "dimension", "group"], as_index=False)[
        ["participants", "successes"]
    ].sum()
    cells: dict[str, set[int]] = {}
    for frame in (outcomes, yearly):
        frame = frame[frame["dimension"] == "race_ethnicity"]
        for row in frame.itertuples():
            for n in (row.participants, row.successes, row.participants - row.successes):
                if 0 < n < THRESHOLD:
                    for name in {row.group, _label(row.group)}:
                        cells.setdefault(name, set()).add(int(n))
    return cells


@pytest.fixture(scope="module")
def small_group_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Riverton with one group made certainly small: 7 participants, 3 successes in a year."""
    source = paths.DEMO_COHORT_FILE.parent / "cities" / "riverton"
    city = tmp_path_factory.mktemp("m3-privacy") / "smallville"
    shutil.copytree(source, city, ignore=shutil.ignore_patterns(".cda-cache"))
    outcomes = pd.read_csv(city / "programme_outcomes.csv")
    mine = (outcomes["dimension"] == "race_ethnicity") & (outcomes["group"] == SMALL_GROUP)
    first = outcomes["period"].astype(str).str.endswith("Q1")
    outcomes.loc[mine, ["participants", "successes"]] = 0
    outcomes.loc[mine & first, ["participants", "successes"]] = [
        SMALL_PARTICIPANTS,
        SMALL_SUCCESSES,
    ]
    outcomes.to_csv(city / "programme_outcomes.csv", index=False)
    return city


def with_recorder(nb: nbformat.NotebookNode, record: Path) -> nbformat.NotebookNode:
    """A cell after the setup cell that records the data of every chart the notebook shows."""
    setup = next(
        i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "nb.start(" in c.source
    )
    cell = nbformat.v4.new_code_cell(f"RECORD_PATH = {str(record)!r}\n{RECORDER}")
    cell.metadata["tags"] = []
    nb.cells.insert(setup + 1, cell)
    return nb


def run_recorded(source: Path, city: str, tmp_path: Path) -> tuple[nbformat.NotebookNode, list]:
    record = tmp_path / "chart-data.jsonl"
    nb = with_recorder(read_myst(source.read_text(encoding="utf-8")), record)
    executed = execute(nb, city, tmp_path)
    lines = record.read_text(encoding="utf-8").splitlines() if record.exists() else []
    return executed, [json.loads(line) for line in lines]


def test_there_are_module_3_notebooks_to_check() -> None:
    names = {p.name for p in NOTEBOOKS}
    assert {"m3_keynote.md", "m3_workshop_a_stakeholders.md"} <= names


@pytest.mark.parametrize("source", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
@pytest.mark.parametrize("which", ["riverton", "small-group-city"])
def test_no_count_under_the_threshold_appears_in_any_output(
    source: Path, which: str, small_group_city: Path, tmp_path: Path
) -> None:
    city_dir = (
        small_group_city
        if which == "small-group-city"
        else (paths.DEMO_COHORT_FILE.parent / "cities" / "riverton")
    )
    city = str(small_group_city) if which == "small-group-city" else "riverton"
    executed, records = run_recorded(source, city, tmp_path)
    assert not leaks(executed, records, small_cells_of(city_dir))


def test_the_small_group_city_really_has_a_small_group(small_group_city: Path) -> None:
    cells = small_cells_of(small_group_city)
    assert {SMALL_PARTICIPANTS, SMALL_SUCCESSES} <= cells[_label(SMALL_GROUP)]


def test_the_workshop_b_chart_is_recorded_and_keeps_the_small_group_as_suppressed(
    small_group_city: Path, tmp_path: Path
) -> None:
    source = paths.workshops_dir() / "m3_workshop_b_communicating.md"
    _, records = run_recorded(source, str(small_group_city), tmp_path)
    assert records, "the recorder saw the charts' data"
    makeover = records[-1]  # the summary shows the learner's chart last
    rows = [row for rs in makeover.values() for row in rs]
    label = _label(SMALL_GROUP)
    mine = [r for r in rows if label in str(r.get("axis_label", ""))]
    assert mine and all(r.get("rate") in (None, "None") for r in mine)
    assert any("suppressed" in str(r.values()) for r in mine)


def test_the_detector_finds_a_crafted_leak_in_text_tables_and_chart_data() -> None:
    label = _label(SMALL_GROUP)
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/markdown": f"{label}: {SMALL_PARTICIPANTS}, a small group."}
        ),
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/html": "<table><thead><tr><th>group</th><th>participants</th></tr></thead>"
                f"<tbody><tr><th>{label}</th><td>{SMALL_PARTICIPANTS}</td></tr></tbody></table>"
            },
        ),
        nbformat.v4.new_output("stream", name="stdout", text="Only 4 residents replied."),
    ]
    nb.cells.append(cell)
    records = [{"data-1": [{"group": label, "participants": SMALL_SUCCESSES}]}]
    found = leaks(nb, records, {label: {SMALL_PARTICIPANTS, SMALL_SUCCESSES}})
    assert any(f.startswith("chart data: participants=3") for f in found), found
    assert any(f.startswith("table: participants=7") for f in found), found
    assert any(f == "text: 4 residents" for f in found), found
    assert any(f.startswith(f"text: {label}: 7") for f in found), found


def test_the_detector_passes_suppressed_markers_rates_and_large_counts() -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"text/markdown": "Asian: 64% of 38 participants; Middle Eastern: suppressed."},
        )
    ]
    nb.cells.append(cell)
    records = [{"d": [{"participants": "suppressed", "successes": 0, "count": 120, "rate": 5.0}]}]
    assert leaks(nb, records, {"Asian": {5}}) == []
