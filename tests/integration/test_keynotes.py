"""Keynote notebooks run on every demo city and on the real NYC 311 export (three hours of data),
where they must say what thin data cannot support instead of failing or drawing a trend."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from notebook_runs import run_notebook
from papermill.parameterize import parameterize_notebook

from cohort_tools.core import i18n, paths
from cohort_tools.model.cohort import load_cohort
from cohort_tools.notebooks.myst import read_myst
from cohort_tools.render.charts import NO_DESCRIPTION

pytestmark = pytest.mark.slow

KEYNOTES = sorted(paths.curriculum_dir().glob("m*_keynote.md"))


def _run(source: Path, city: str, tmp_path: Path) -> tuple[list[str], list[str], list[str]]:
    """Execute; return the markdown texts, each chart's alt text and any errors."""
    nb = read_myst(source.read_text(encoding="utf-8"))
    nb = parameterize_notebook(nb, {"city": city}, kernel_name="python3", language="python")
    run_notebook(nb, tmp_path, timeout=300)
    texts, charts, errors = [], [], []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            texts.append(data.get("text/markdown", ""))
            charts += re.findall(r'<img class="cda-chart" alt="([^"]*)"', data.get("text/html", ""))
            assert "cdn.jsdelivr" not in data.get("text/html", ""), "charts must not need a CDN"
            if out.get("output_type") == "error":
                errors.append(out["ename"])
    return texts, charts, errors


@pytest.mark.parametrize("source", KEYNOTES, ids=[p.name for p in KEYNOTES])
@pytest.mark.parametrize("city", [c.id for c in load_cohort(None).cities])
def test_keynote_runs_on_each_demo_city_with_a_takeaway_and_alt_text_per_chart(
    source: Path, city: str, tmp_path: Path
) -> None:
    # each city hears the keynote in its own language (Puerto Arrayán: the Spanish edition)
    language = load_cohort(None).city(city).lang
    texts, charts, errors = _run(i18n.source_for(source, language), city, tmp_path)
    assert not errors
    name = load_cohort(None).city(city).name
    assert any(name in t for t in texts)
    assert charts, "a keynote on a full demo city shows its exhibits"
    undescribed = {NO_DESCRIPTION, i18n.gettext(NO_DESCRIPTION, language=language)}
    assert all(alt.strip() and alt not in undescribed for alt in charts)
    takeaway = i18n.gettext("**Takeaway:** {takeaway}", language=language).split("{")[0].strip()
    assert sum(takeaway in t for t in texts) >= len(charts), takeaway


@pytest.mark.parametrize("source", KEYNOTES, ids=[p.name for p in KEYNOTES])
def test_keynote_on_a_city_with_only_real_nyc_311_data_runs_and_names_what_is_missing(
    source: Path, nyc_city: Path, tmp_path: Path
) -> None:
    texts, charts, errors = _run(source, str(nyc_city), tmp_path)
    assert not errors
    assert all(alt.strip() and alt != NO_DESCRIPTION for alt in charts)
    assert "has not shared" in "\n".join(texts)  # names the missing tables


M1_KEYNOTE = paths.curriculum_dir() / "m1_keynote.md"


def test_m1_keynote_on_three_hours_of_real_nyc_data_says_it_is_a_snapshot_and_draws_no_trend(
    nyc_city: Path, tmp_path: Path
) -> None:
    texts, charts, errors = _run(M1_KEYNOTE, str(nyc_city), tmp_path)
    assert not errors
    joined = "\n".join(texts)
    assert "about 3 hours" in joined and "too short to show a trend" in joined
    assert not any("per week" in alt for alt in charts)
    assert "not linked to neighborhoods" in joined


WORKBOOK = paths.curriculum_dir() / "m0_convening_workbook.md"


def _run_allowing_checkpoints(city: str, tmp_path: Path) -> tuple[str, list[str]]:
    nb = read_myst(WORKBOOK.read_text(encoding="utf-8"))
    nb = parameterize_notebook(nb, {"city": city}, kernel_name="python3", language="python")
    run_notebook(nb, tmp_path, timeout=300)
    texts, errors = [], []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            texts.append(out.get("data", {}).get("text/markdown", "") + out.get("text", ""))
            if out.get("output_type") == "error":
                assert "raises-exception" in cell.metadata.get("tags", []), out["ename"]
                errors.append("\n".join(out["traceback"]))
    return "\n".join(texts), errors


@pytest.mark.parametrize("city", ["riverton", "nyc"])
def test_convening_workbook_shows_the_city_at_a_glance_and_asks_for_the_vision(
    city: str, nyc_city: Path, tmp_path: Path
) -> None:
    text, errors = _run_allowing_checkpoints(str(nyc_city) if city == "nyc" else city, tmp_path)
    assert "at a glance" in text and "**Population:**" in text
    if city == "nyc":
        assert "too short to show a trend" in text and "hours" in text
    [checkpoint] = errors  # the empty workbook: only the vision checkpoint speaks, plainly
    assert (
        "Checkpoint not passed yet" in checkpoint and "'data_vision' is still empty" in checkpoint
    )
