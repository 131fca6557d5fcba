"""Scale-out: the same jobs on a Dask cluster, each worker with its own warm kernel pool."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cohort_tools.coaching_packets.engine import CityTarget, run_jobs
from cohort_tools.notebooks.myst import discover_templates
from tests.conftest import myst

pytestmark = pytest.mark.slow

TEMPLATE = myst("packet_hello")


def _zygotes_of_this_process() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and b"packets._zygote" in (entry / "cmdline").read_bytes():
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                if ppid == os.getpid():
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_packets_run_on_a_dask_local_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "hello.md").write_text(TEMPLATE, encoding="utf-8")
    cities = []
    for cid, name in (("north", "North Bay"), ("south", "San José")):
        (tmp_path / cid).mkdir()
        cities.append(CityTarget(cid, name, tmp_path / cid))
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        report = run_jobs(
            cities,
            discover_templates(templates),
            out=tmp_path / "out",
            scheduler=cluster.scheduler_address,
            quiet=True,
        )
    assert report.ok, report.summary()
    assert _zygotes_of_this_process() == []  # the worker plugin shut its kernel pool down
    assert {r.city_id for r in report.executed} == {"north", "south"}
    page = (tmp_path / "out" / "south" / "hello.html").read_text(encoding="utf-8")
    assert "HELLO FROM San José" in page
    assert (tmp_path / "out" / "index.html").is_file()
