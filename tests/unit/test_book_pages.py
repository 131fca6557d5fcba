"""Generated pages of the book: programme overview, modules, table of contents, data dictionary."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from cohort_tools.book import pages
from cohort_tools.book.build import problems_from_log, sync
from cohort_tools.book.timeline import alt_text, timeline_rows
from cohort_tools.model.programme import Programme
from cohort_tools.render.charts import NO_DESCRIPTION, chart_alt_text


def test_programme_page_has_the_timeline_with_alt_text_and_every_event_in_the_table(
    programme: Programme,
) -> None:
    text = pages.programme_page(
        programme, timeline_alt=alt_text(programme), rows=pages.timeline_table_rows(programme)
    )
    assert f"```{{figure}} {pages.TIMELINE_FILE}" in text
    assert f":alt: {alt_text(programme)}" in text
    for session in programme.sessions():
        assert session.title in text
    for moment in [*programme.showcases, *programme.mayor_checkins]:
        assert moment.title in text


def test_timeline_rows_are_in_time_order_and_cover_every_session(programme: Programme) -> None:
    rows = timeline_rows(programme)
    assert [r.position for r in rows] == sorted(r.position for r in rows)
    titles = {r.title for r in rows}
    assert {s.title for s in programme.sessions()} <= titles


def test_alt_text_names_every_module(programme: Programme) -> None:
    text = alt_text(programme)
    for module in programme.modules:
        assert module.title.lower() in text


def test_module_page_lists_sessions_objectives_audience_and_missing_notebooks(
    programme: Programme,
) -> None:
    module = programme.modules[0]
    text = pages.module_page(module, programme, {})
    for s in module.sessions:
        assert s.title in text
        assert all(o in text for o in s.objectives)
        if s.notebook:
            assert f"`{s.notebook}`) is not written yet" in text
    assert "Senior team, CDA lead" in text


def test_a_session_notebook_that_exists_is_linked_and_put_in_the_toc(
    programme: Programme, tmp_path: Path
) -> None:
    session = programme.modules[0].sessions[0]
    assert session.notebook
    (tmp_path / session.notebook).parent.mkdir(parents=True)
    (tmp_path / session.notebook).write_text("# x\n", encoding="utf-8")
    found, missing = pages.find_notebooks(programme, tmp_path)
    assert [p.session.id for p in found] == [session.id]
    assert session not in missing
    by_id = {p.session.id: p for p in found}
    text = pages.module_page(programme.modules[0], programme, by_id)
    assert f"</{found[0].docname}>" in text
    toc = yaml.safe_load(pages.toc_yaml(programme, found))
    module_part = toc["parts"][1]
    assert module_part["chapters"][0]["sections"] == [{"file": found[0].docname}]


def test_toc_has_one_part_per_module_and_the_reference_pages(programme: Programme) -> None:
    toc = yaml.safe_load(pages.toc_yaml(programme, []))
    captions = [p["caption"] for p in toc["parts"]]
    for m in programme.modules:
        assert f"Module {m.number}: {m.title}" in captions
    reference = toc["parts"][-1]["chapters"]
    assert {"file": "glossary"} in reference and {"file": "data-dictionary"} in reference


def test_data_dictionary_degrades_to_a_note_when_citydata_has_no_dictionary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "cohort_tools.citydata.dictionary", None)
    text, note = pages.data_dictionary_page()
    assert note is not None and "could not be imported" in note
    assert text.startswith("# Data dictionary") and "```{note}" in text


def test_data_dictionary_uses_the_renderer_and_keeps_one_title() -> None:
    text, note = pages.data_dictionary_page(
        lambda: "# Tables\n\n## requests\n\n```\n# not a heading\n```"
    )
    assert note is None
    titles = [line for line in text.splitlines() if line.startswith("# ")]
    assert titles == ["# Data dictionary", "# not a heading"]  # the second is inside a code fence
    assert "## Tables" in text and "### requests" in text and "# not a heading" in text


def test_sync_rewrites_only_changed_files_and_removes_stale_ones(tmp_path: Path) -> None:
    (tmp_path / "stale.md").write_text("old", encoding="utf-8")
    assert sorted(sync({"a.md": b"A", "b/c.md": b"C"}, tmp_path)) == ["a.md", "b/c.md", "stale.md"]
    assert sync({"a.md": b"A", "b/c.md": b"C"}, tmp_path) == []
    assert sync({"a.md": b"A2", "b/c.md": b"C"}, tmp_path) == ["a.md"]
    assert not (tmp_path / "stale.md").exists()


def test_sphinx_warnings_name_the_source_page(tmp_path: Path) -> None:
    staging = tmp_path / "src"
    log = (
        f"\x1b[91m{staging}/glossary.md:12: WARNING: unknown document: 'nowhere' [ref.doc]\x1b[39;49;00m\n"
        f"{staging}/modules/leadership/m1-keynote.ipynb:3: ERROR: Executing notebook failed\n"
        "WARNING: unknown config value 'x' in override, ignoring\n"
        "reading sources... done\n"
    )
    origin = {
        "glossary.md": "book/glossary.md",
        "modules/leadership/m1-keynote.ipynb": "curriculum/m1_keynote.md (staged)",
    }
    problems = problems_from_log(log, staging, origin)
    assert [(p.file, p.line) for p in problems[:2]] == [
        ("book/glossary.md", 12),
        ("curriculum/m1_keynote.md (staged)", 3),
    ]
    assert "unknown document" in problems[0].message
    assert "config" in problems[2].file


def test_chart_alt_text_prefers_description_then_title() -> None:
    assert chart_alt_text({"description": "Bars by month", "title": "T"}) == "Bars by month"
    assert chart_alt_text({"title": {"text": "Requests"}}) == "Requests"
    assert chart_alt_text({}) == NO_DESCRIPTION
