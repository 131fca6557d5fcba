"""The outputs of `cda demo` stay the same as the demo is made faster (issue 21): the session's demo
run (``demo_run``) lists the same product files and key numbers -- every calendar's events, every
sample learner's score, every strategy's completeness -- as tests/fixtures/demo-outputs.json.

When a change is meant to alter the outputs, run `make demo` and copy demo-output/demo-outputs.json
over the fixture, and say why in the commit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cohort_tools.pipeline import OUTPUTS_LIST, demo_outputs, outputs_differences

pytestmark = pytest.mark.slow

EXPECTED = Path(__file__).parents[1] / "fixtures" / "demo-outputs.json"


def test_the_demo_makes_the_same_files_and_key_numbers_as_recorded(
    demo_run: tuple[Any, Path],
) -> None:
    result, out = demo_run
    assert result.exit_code == 0, result.output
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    differences = outputs_differences(expected, demo_outputs(out))
    assert not differences, "\n".join(differences[:40])


def test_the_demo_saves_the_list_it_printed(demo_run: tuple[Any, Path]) -> None:
    result, out = demo_run
    listed = out / OUTPUTS_LIST
    assert str(listed) in result.output.replace("\n", "")
    assert json.loads(listed.read_text(encoding="utf-8")) == demo_outputs(out)
