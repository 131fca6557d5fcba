"""The main job ends with the time each step took and the total (issue 21: a per-step time table)."""

from __future__ import annotations

from cohort_tools.pipeline import timing_table


def test_timing_table_lists_every_step_in_order_and_the_total() -> None:
    lines = timing_table([("Checking the cohort", 0.25), ("Building the curriculum book", 12.0)])
    assert lines[0] == "Time per step:"
    assert "Checking the cohort" in lines[1] and lines[1].endswith("0.2 s")
    assert "Building the curriculum book" in lines[2] and lines[2].endswith("12.0 s")
    assert lines[-1].split()[0] == "Total" and lines[-1].endswith("12.2 s")
