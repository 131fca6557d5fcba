"""Isolation: nothing of one city's notebook can reach another city's packet, whatever the order.

Each city's notebook first reports everything it can see from earlier notebooks (variables,
module-level caches, a cached dataframe, environment variables, the working directory, altair's
theme registry, helper modules in sys.modules), then plants its own canaries in all of those places
and prints them. A reused kernel would leak them into the next city's page; the test must catch
that, so it also checks that each page does show its own canaries.
"""

from __future__ import annotations

import html
import random
from pathlib import Path

import pytest

from cohort_tools.coaching_packets.engine import CityTarget, run_jobs
from cohort_tools.notebooks.myst import discover_templates
from tests.conftest import myst

pytestmark = pytest.mark.slow

TEMPLATE = myst("packet_canary")


@pytest.fixture()
def canary_setup(tmp_path: Path) -> tuple[list[CityTarget], Path]:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "canary.md").write_text(TEMPLATE, encoding="utf-8")
    (templates / "canary_helper.py").write_text("CACHE: dict[str, str] = {}\n")
    cities = []
    for cid in ("alpha", "bravo", "charlie"):
        data = tmp_path / "data" / cid
        data.mkdir(parents=True)
        cities.append(CityTarget(cid, cid.title(), data))
    return cities, templates


@pytest.mark.parametrize(("pool_size", "seed"), [(1, 11), (2, 23)])
def test_no_canary_of_one_city_appears_in_another_citys_packet(
    canary_setup: tuple[list[CityTarget], Path], tmp_path: Path, pool_size: int, seed: int
) -> None:
    cities, templates = canary_setup
    order = cities[:]
    random.Random(seed).shuffle(order)
    out = tmp_path / f"out-{pool_size}"
    report = run_jobs(order, discover_templates(templates), out=out, jobs=pool_size, quiet=True)
    assert report.ok, report.summary()
    for city in cities:
        page = html.unescape((out / city.id / "canary.html").read_text(encoding="utf-8"))
        assert f"PLANTED CANARY-{city.id}" in page  # the canaries were really planted
        assert "'helper_cache': []" in page and "'modules': ['canary_helper']" in page
        for other in cities:
            if other is not city:
                assert f"CANARY-{other.id}" not in page, f"{other.id} leaked into {city.id}"


def test_the_canary_notebook_does_catch_leaks_from_a_reset_kernel(
    canary_setup: tuple[list[CityTarget], Path],
) -> None:
    """Power check: in one kernel with ``%reset -f`` between cities, the canaries do leak."""
    import nbformat

    from cohort_tools.notebooks.myst import parameterize
    from cohort_tools.notebooks.run import sliced_notebook_client

    _, templates = canary_setup
    template = discover_templates(templates)[0]
    first = parameterize(template, {"city": "alpha", "cohort_file": ""})
    second = parameterize(template, {"city": "bravo", "cohort_file": ""})
    reset = nbformat.v4.new_code_cell("%reset -f")
    combined = nbformat.v4.new_notebook(
        cells=[*first.cells, reset, *second.cells], metadata=first.metadata
    )
    sliced_notebook_client()(
        combined, timeout=120, kernel_name="python3", resources={"metadata": {"path": templates}}
    ).execute()
    outputs = "".join(
        o.get("text", "")
        for c in combined.cells[len(first.cells) + 1 :]
        for o in c.get("outputs", [])
    )
    assert "SEEN" in outputs
    assert "CANARY-alpha" in outputs.split("PLANTED")[0]  # what bravo saw before planting
