"""The packet engine end to end on small synthetic templates: names, failures, cache, interrupts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cohort_tools.coaching_packets.engine import CityTarget, OutputFolder, run_jobs
from cohort_tools.notebooks.myst import discover_templates
from tests.conftest import code_cell, myst

pytestmark = pytest.mark.slow


def write_template(folder: Path, name: str, title: str, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.md").write_text(myst("packet_header", title=title) + body, encoding="utf-8")


OK_BODY = myst("packet_chart_cell")

NASTY = 'Say "Hi" \\ Coeur d\'Alene, San José """; raise SystemExit("INJECTED") #'


def nasty_cities(tmp_path: Path) -> list[CityTarget]:
    data = tmp_path / "data"
    for c in ("plain", "nasty"):
        (data / c).mkdir(parents=True, exist_ok=True)
        (data / c / "x.csv").write_text("a\n1\n")
    return [
        CityTarget("plain", "Plainville", data / "plain"),
        CityTarget("nasty", NASTY, data / "nasty"),
    ]


def made_page(out: Path, city: str, template: str) -> str:
    return (out / city / f"{template}.html").read_text(encoding="utf-8")


def test_city_name_with_quotes_and_accents_appears_verbatim_and_never_executes(
    tmp_path: Path,
) -> None:
    templates = tmp_path / "templates"
    write_template(templates, "ok", "Snapshot", OK_BODY)
    out = tmp_path / "out"
    report = run_jobs(
        nasty_cities(tmp_path), discover_templates(templates), out=out, jobs=2, quiet=True
    )
    assert report.ok, report.summary()
    import html

    page = html.unescape(made_page(out, "nasty", "ok"))
    assert f"NAME={NASTY}=END" in page
    assert "Two bars for " + NASTY in page  # the chart's text alternative
    assert "INJECTED" not in page.replace(NASTY, "")
    assert (out / "nasty" / "nasty-packet.pdf").read_bytes().startswith(b"%PDF")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "nasty/ok.html" in index and "plain/ok.html" in index


def test_failing_notebooks_get_error_pages_while_the_rest_are_made(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    write_template(templates, "a_ok", "Fine", OK_BODY)
    write_template(
        templates,
        "b_raises",
        "Raises",
        code_cell("x = 1") + code_cell('raise ValueError("the backlog file has no dates")'),
    )
    write_template(
        templates,
        "c_hangs",
        "Hangs",
        code_cell("import time\ntime.sleep(600)"),
    )
    write_template(
        templates,
        "d_dies",
        "Dies",
        code_cell("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"),
    )
    out = tmp_path / "out"
    cities = nasty_cities(tmp_path)[:1]
    report = run_jobs(cities, discover_templates(templates), out=out, jobs=2, quiet=True, timeout=4)
    status = {r.template: r.status for r in report.results}
    assert status == {"a_ok": "ok", "b_raises": "error", "c_hangs": "timeout", "d_dies": "died"}
    assert not report.ok
    raised = made_page(out, "plain", "b_raises")
    assert "ValueError" in raised and "the backlog file has no dates" in raised
    assert "code cell 3" in raised  # parameters cell, x = 1, then the failing one
    assert "time limit" in made_page(out, "plain", "c_hangs")
    assert "stopped unexpectedly" in made_page(out, "plain", "d_dies")
    summary = report.summary()
    assert "3 failed" in summary and "/ Raises:" in summary, summary  # the page by its title
    # The PDF holds the made page only; the index shows every status.
    assert (out / "plain" / "plain-packet.pdf").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "time limit" in index and "stopped" in index
    assert not list(out.rglob("*.part"))


def test_rerun_skips_unchanged_packets_and_reruns_changed_or_forced(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    write_template(templates, "ok", "Snapshot", OK_BODY)
    out = tmp_path / "out"
    cities = nasty_cities(tmp_path)
    first = run_jobs(cities, discover_templates(templates), out=out, jobs=2, quiet=True)
    assert [r.status for r in first.results] == ["ok", "ok"]
    again = run_jobs(cities, discover_templates(templates), out=out, jobs=2, quiet=True)
    assert [r.status for r in again.results] == ["cached", "cached"]
    assert again.seconds < 0.05 * first.seconds
    (cities[1].data_dir / "x.csv").write_text("a\n2\n")  # one city's data changes
    changed = run_jobs(cities, discover_templates(templates), out=out, jobs=2, quiet=True)
    assert {r.city_id: r.status for r in changed.results} == {"plain": "cached", "nasty": "ok"}
    forced = run_jobs(cities, discover_templates(templates), out=out, quiet=True, force=True)
    assert {r.status for r in forced.results} == {"ok"}


def _zygote_family() -> list[int]:
    """Pids of packet zygotes started by this process and of their forked kernels."""
    me = os.getpid()
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes()
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if b"cohort_tools.notebooks._zygote" in cmd:
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    zygotes = {pid for pid, ppid in parents.items() if ppid == me}
    return sorted(zygotes | {pid for pid, ppid in parents.items() if ppid in zygotes})


def test_ctrl_c_leaves_a_consistent_folder_and_no_kernels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = tmp_path / "templates"
    write_template(templates, "a_ok", "Fine", OK_BODY)
    write_template(templates, "b_slow", "Slow", code_cell("import time\ntime.sleep(60)"))
    out = tmp_path / "out"
    real_save = OutputFolder.save

    def save_then_interrupt(self: OutputFolder, result, title):  # type: ignore[no-untyped-def]
        real_save(self, result, title)
        raise KeyboardInterrupt

    monkeypatch.setattr(OutputFolder, "save", save_then_interrupt)
    cities = nasty_cities(tmp_path)[:1]
    before = set(_zygote_family())  # other tests' warm zygotes (e.g. notebook_runs') may live on
    with pytest.raises(KeyboardInterrupt):
        run_jobs(cities, discover_templates(templates), out=out, jobs=2, quiet=True)
    assert sorted(set(_zygote_family()) - before) == []
    assert not list(out.rglob("*.part"))
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "plain/a_ok.html" in index  # made before the interrupt, and listed
    assert "plain/b_slow.html" not in index and not (out / "plain" / "b_slow.html").exists()
    assert "not made yet" in index
