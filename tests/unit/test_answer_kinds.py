"""What each answer asks of a team (issue 19: fair checkpoints): at least half of all answers are
decisions or computations, not a value read off a table already on screen.

Every answer cell says what it is in its metadata, ``cda: {kind: ...}``:

- ``decision``: the team chooses (metrics, a plan, a standard, a chart), and the checkpoint checks
  it for sense (it refers to the city's own data, names an owner role on the team, says when);
- ``computation``: the answer is worked out from what is shown (a share, a difference, a
  comparison of two columns or tables); the number itself is not on screen;
- ``read``: the answer is on screen (a cell, the top of a sorted column, the rows a column marks).

Before this round 14 of the 47 answers were reads; five became computations (the largest gap to
the cohort, the stale datasets in Modules 2 and 3, the share published, the widest gap between
groups), so 9 of 47 are reads and 38 are decisions or computations.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from cohort_tools.core import paths
from cohort_tools.notebooks.myst import read_myst

WORKSHOPS = sorted(paths.workshops_dir().glob("*.md"))
KINDS = ("decision", "computation", "read")


def _answers(path: Path) -> dict[str, str | None]:
    nb = read_myst(path.read_text(encoding="utf-8"))
    return {
        c["metadata"]["nbgrader"]["grade_id"]: c["metadata"].get("cda", {}).get("kind")
        for c in nb["cells"]
        if c["metadata"].get("nbgrader", {}).get("grade_id", "").startswith("answer-")
    }


@pytest.mark.parametrize("workshop", WORKSHOPS, ids=lambda p: p.name)
def test_every_answer_cell_says_what_kind_of_answer_it_is(workshop: Path) -> None:
    answers = _answers(workshop)
    assert answers, workshop.name
    unknown = {gid: kind for gid, kind in answers.items() if kind not in KINDS}
    assert not unknown, f"{workshop.name}: set cda.kind to one of {KINDS} for {unknown}"


def test_at_least_half_of_all_answers_are_decisions_or_computations() -> None:
    kinds = Counter(kind for w in WORKSHOPS for kind in _answers(w).values())
    total = sum(kinds.values())
    print(f"answers: {total}; " + ", ".join(f"{k}: {kinds[k]}" for k in KINDS))
    assert kinds["decision"] + kinds["computation"] >= total / 2, kinds
    assert kinds["read"] <= 9, f"more answers read off a table than after issue 19: {kinds}"
