"""Coaching templates: parameters, injection, cache keys and page rendering (no kernels)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import jupytext
import papermill
import pytest

from cohort_tools.coaching_packets.engine import folder_digest, packet_key
from cohort_tools.core import paths
from cohort_tools.core.errors import CdaError
from cohort_tools.notebooks.myst import (
    REQUIRED_PARAMETERS,
    discover_templates,
    load_template,
    parameterize,
)
from cohort_tools.render import page as render

TEMPLATES = sorted(paths.coaching_templates_dir().glob("*.md"))

HEADER = """---
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# Tiny
"""


def tiny(folder: Path, name: str, params: str, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(
        HEADER + f"\n```{{code-cell}} ipython3\n:tags: [parameters]\n\n{params}\n```\n" + extra,
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.name for p in TEMPLATES])
def test_template_parameters_as_papermill_inspects_them_are_typed_and_documented(
    path: Path, tmp_path: Path
) -> None:
    template = load_template(path)
    ipynb = tmp_path / f"{path.stem}.ipynb"
    jupytext.write(jupytext.read(path), ipynb)
    inspected = papermill.inspect_notebook(str(ipynb))
    assert tuple(inspected) == template.parameters
    for name in REQUIRED_PARAMETERS:
        assert name in inspected
    for name, info in inspected.items():
        assert info["inferred_type_name"] != "None", f"{name} has no type annotation"
        assert info["help"], f"{name} has no comment explaining it"


def test_there_is_at_least_one_real_coaching_template() -> None:
    assert "pre_session_brief" in [p.stem for p in TEMPLATES]


def test_injected_city_name_is_a_literal_that_never_runs_as_code(tmp_path: Path) -> None:
    path = tiny(
        tmp_path,
        "t",
        'city: str = "x"  # id\ncohort_file: str = ""  # cohort\ncity_name: str = "X"  # name',
    )
    nasty = 'Say "Hi" \\ Coeur d\'Alene, San José\n"""; import os; os._exit(3) #'
    nb = parameterize(load_template(path), {"city": "c", "cohort_file": "", "city_name": nasty})
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    tree = ast.parse(injected[0].source)
    assert all(isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant) for n in tree.body)
    namespace: dict[str, object] = {}
    exec(compile(tree, "injected", "exec"), namespace)  # safe: only constant assignments
    assert namespace["city_name"] == nasty


def test_only_declared_parameters_are_injected(tmp_path: Path) -> None:
    path = tiny(tmp_path, "t", 'city: str = "x"  # id\ncohort_file: str = ""  # cohort')
    nb = parameterize(load_template(path), {"city": "c", "cohort_file": "", "city_name": "N"})
    assert "city_name" not in nb.metadata.papermill["parameters"]


def test_template_without_city_parameter_is_refused_with_a_fix(tmp_path: Path) -> None:
    path = tiny(tmp_path, "t", 'cohort_file: str = ""  # cohort')
    with pytest.raises(CdaError) as err:
        load_template(path)
    text = str(err.value)
    assert "t.md" in text and "city" in text and "Fix:" in text


def test_unknown_template_name_lists_the_available_ones(tmp_path: Path) -> None:
    tiny(tmp_path, "brief", 'city: str = "x"  # id\ncohort_file: str = ""  # cohort')
    with pytest.raises(CdaError) as err:
        discover_templates(tmp_path, ["breif"])
    assert "breif" in str(err.value) and "brief" in str(err.value)


def test_folder_digest_follows_content_and_ignores_dot_caches(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x\n1\n")
    before = folder_digest(tmp_path)
    (tmp_path / ".cda-cache").mkdir()
    (tmp_path / ".cda-cache" / "a.parquet").write_bytes(b"cache")
    assert folder_digest(tmp_path) == before
    (tmp_path / "a.csv").write_text("x\n2\n")
    assert folder_digest(tmp_path) != before
    assert folder_digest(tmp_path / "nope") == "missing"


def test_packet_key_changes_with_each_input(tmp_path: Path) -> None:
    path = tiny(tmp_path, "t", 'city: str = "x"  # id\ncohort_file: str = ""  # cohort')
    t = load_template(path)
    base = {
        "city_digest": "d",
        "cohort_digest": "c",
        "cohort_data_digest": "all",
        "show_code": False,
    }
    key = packet_key(t, {"city": "a"}, **base)  # type: ignore[arg-type]
    assert key == packet_key(t, {"city": "a"}, **base)  # type: ignore[arg-type]
    assert key != packet_key(t, {"city": "b"}, **base)  # type: ignore[arg-type]
    assert key != packet_key(t, {"city": "a"}, **{**base, "city_digest": "e"})  # type: ignore[arg-type]
    assert key != packet_key(t, {"city": "a"}, **{**base, "show_code": True})  # type: ignore[arg-type]
    # The package's code and catalogs: a fixed helper or a new translation refreshes the page.
    assert key != packet_key(t, {"city": "a"}, **base, source="other")  # type: ignore[arg-type]
    # Other cities' data matters only to templates that say they read it.
    assert key == packet_key(t, {"city": "a"}, **{**base, "cohort_data_digest": "x"})  # type: ignore[arg-type]
    path.write_text(path.read_text() + "\nmore text\n")
    assert key != packet_key(load_template(path), {"city": "a"}, **base)  # type: ignore[arg-type]


def test_chart_without_description_still_gets_a_text_alternative() -> None:
    spec = {
        "mark": "bar",
        "title": "Backlog",
        "encoding": {"x": {"field": "days", "type": "quantitative"}},
    }
    text = render.chart_description(spec)
    assert "Backlog" in text and "days" in text
    assert render.chart_description({**spec, "description": "Alt!"}) == "Alt!"


def test_vegalite_output_becomes_a_static_image_with_alt_text() -> None:
    import nbformat

    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.4.1.json",
        "data": {"values": [{"a": 1}, {"a": 2}]},
        "mark": "bar",
        "encoding": {"x": {"field": "a", "type": "quantitative"}},
        "description": 'Two bars for "Coeur d\'Alene"',
    }
    cell = nbformat.v4.new_code_cell("chart")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"application/vnd.vegalite.v6+json": spec, "text/plain": "c"}
        )
    ]
    nb = nbformat.v4.new_notebook(cells=[cell])
    assert render.charts_to_static(nb) == 1
    figure = nb.cells[0].outputs[0]["data"]["text/html"]
    assert 'src="data:image/svg+xml;base64,' in figure
    assert 'alt="Two bars for &quot;Coeur d&#x27;Alene&quot;"' in figure
    assert "<script" not in figure


def test_index_lists_every_city_and_template_with_status() -> None:
    rows = [
        render.IndexRow("a", "Alpha", "brief", "Brief", "ok", "a/brief.html", 1.0, "today"),
        render.IndexRow("b", "San José", "brief", "Brief", "timeout", "b/brief.html", 4.0, ""),
        render.IndexRow("c", "Gamma", "brief", "Brief", "missing", None, None, ""),
    ]
    page = render.index_page(cohort_name="Demo", rows=rows, pdfs={"a": "a/a-packet.pdf"})
    assert "a/brief.html" in page and "a/a-packet.pdf" in page and "San José" in page
    assert "time limit" in page and "not made yet" in page


def test_pages_hide_code_unless_show_code() -> None:
    import nbformat

    params = nbformat.v4.new_code_cell('city = "x"', metadata={"tags": ["injected-parameters"]})
    hidden = nbformat.v4.new_code_cell("secret_setup = 1", metadata={"tags": ["remove-cell"]})
    visible = nbformat.v4.new_code_cell("print('VISIBLE_OUTPUT')")
    visible.outputs = [nbformat.v4.new_output("stream", name="stdout", text="VISIBLE_OUTPUT\n")]
    nb = nbformat.v4.new_notebook(cells=[params, hidden, visible])
    packet = render.notebook_page(nb, title="T", city_name="San José", show_code=False)
    assert "VISIBLE_OUTPUT" in packet and "San José" in packet
    assert "print(" not in packet and "secret_setup" not in packet and 'city = "x"' not in packet
    with_code = render.notebook_page(nb, title="T", city_name="San José", show_code=True)
    text = re.sub(r"<[^>]+>", "", with_code)  # code is syntax-highlighted into spans
    assert "print(" in text and "secret_setup" in text
