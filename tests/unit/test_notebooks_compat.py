"""compat.py names the versions of the packages whose internals it relies on, and checks them."""

from __future__ import annotations

from importlib import metadata

import pytest

from cohort_tools.core import compat


def test_the_installed_packages_are_the_versions_compat_relies_on() -> None:
    assert compat.check_versions() == []


def test_a_different_minor_version_is_reported_naming_the_package_and_the_fix() -> None:
    def installed(package: str) -> str:
        return "0.10.1" if package == "nbgrader" else metadata.version(package)

    problems = compat.check_versions(installed)
    assert len(problems) == 1
    assert "nbgrader 0.10.1 is installed" in problems[0] and "0.9.x" in problems[0]
    assert "RELIED_ON" in problems[0]


def test_a_patch_release_is_accepted() -> None:
    def installed(package: str) -> str:
        return compat.RELIED_ON[package] + ".99"

    assert compat.check_versions(installed) == []


#: A piece of a real feedback page (nbgrader 0.9's template), with a learner's answer that happens to
#: hold the template's words.
FEEDBACK_PAGE = """<!DOCTYPE html>
<html>
<head>
<title>m1_workshop_a_data_routines</title>
<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js?config=TeX-AMS_CHTML-full,Safe"> </script>
</head>
<body>
<h4>m1_workshop_a_data_routines (Score: 9.0 / 11.0)</h4>
<li><a href="#check-vision">Test cell</a> (Score: 1.0 / 1.0)</li>
<li><a href="#reflection">Coding free-response</a> (Score: 0.0 / 2.0)</li>
<a name="reflection"></a><div class="panel-heading"><span class="nbgrader-label">Student's answer</span><span class="pull-right">
      Score: 0.0 / 2.0 <a href="#top">(Top)</a>
</span></div>
<pre>reflection = "Score: our Test cell and Comments: were fine"</pre>
<span class="nbgrader-label">Grade cell: <code>check-vision</code></span>
<b>Comments:</b> well argued
</body>
</html>"""


def test_a_feedback_page_is_written_in_the_notebooks_language_and_needs_no_network() -> None:
    page = compat.feedback_in_language(
        FEEDBACK_PAGE,
        "es",
        notebook="m1_workshop_a_data_routines",
        title="Taller A: rutinas de datos",
    )
    assert '<html lang="es">' in page and "cdnjs" not in page
    assert "<title>Taller A: rutinas de datos</title>" in page
    assert "<h4>Taller A: rutinas de datos (Puntaje: 9.0 / 11.0)</h4>" in page
    for spanish in (">Verificación</a> (Puntaje: 1.0", "Su respuesta", "(Arriba)", "Comentarios:"):
        assert spanish in page, spanish
    assert "      Puntaje: 0.0 / 2.0" in page
    # the learner's own words are theirs
    assert 'reflection = "Score: our Test cell and Comments: were fine"' in page
    outside_answer = page.replace('"Score: our Test cell and Comments: were fine"', "")
    for english in ("Score:", "Test cell", "Student's answer", "(Top)", "Comments:", "Grade cell"):
        assert english not in outside_answer, english


def test_an_english_feedback_page_says_checkpoint_and_written_answer_not_nbgraders_terms() -> None:
    page = compat.feedback_in_language(FEEDBACK_PAGE, "en")
    assert ">Checkpoint</a> (Score: 1.0" in page and ">Written answer</a> (Score: 0.0" in page
    outside_answer = page.replace('"Score: our Test cell and Comments: were fine"', "")
    for nbgrader_term in ("Test cell", "Coding free-response", "Student's answer", "Grade cell"):
        assert nbgrader_term not in outside_answer, nbgrader_term


def test_a_checkpoint_is_listed_and_headed_by_its_title_and_its_empty_code_box_is_left_out() -> (
    None
):
    empty_code = (
        '<div class="panel-body">\n      <div class="input_area">\n        <div class=" highlight '
        'hl-ipython3"><pre><span></span> \n</pre></div>\n\n      </div>\n    </div>'
    )
    page = compat.feedback_in_language(
        FEEDBACK_PAGE.replace("</span>\n<b>", f"</span>\n{empty_code}\n<b>"),
        "es",
        checkpoints={"check-vision": "la visión del alcalde"},
    )
    assert '<a href="#check-vision">Verificación: la visión del alcalde</a> (Puntaje: 1.0' in page
    assert '<span class="nbgrader-label">Verificación: la visión del alcalde</span>' in page
    assert "<code>check-vision</code>" not in page and "input_area" not in page


def test_nbgrader_feedback_template_still_has_the_words_compat_replaces() -> None:
    from pathlib import Path

    import nbconvert
    import nbgrader

    template = (
        Path(nbgrader.__file__).parent
        / "server_extensions/formgrader/templates/feedback/index.html.j2"
    ).read_text(encoding="utf-8")
    for word in ("Test cell", "Coding free-response", "Written response", ">Task</a>",
                 ">Comment</a>", "Late submission penalty (Score: -", "(Score: ", "(Top)",
                 "Student's answer", "Student's task", "Grade cell: ", "Task: ",
                 "<b>Comments:</b>", "{{ mathjax() }}", "<html>"):  # fmt: skip
        assert word in template, word
    nbconvert_base = Path(nbconvert.__file__).parents[4] / "share/jupyter/nbconvert/templates/base"
    mathjax = (nbconvert_base / "mathjax.html.j2").read_text(encoding="utf-8")
    assert compat._FEEDBACK_MATHJAX.split('"')[1] in mathjax


def _notebook_with_images_and_cells() -> object:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            '# A page\n\n<img src="chart.png"> <img alt="the chart" src="b.png"/> '
            "<IMG\nsrc='c.png' title=\"a > b\">"
        ),
        nbformat.v4.new_code_cell("x = 1\nx", execution_count=1),
    ]
    nb.cells[1].outputs = [
        nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=1),
        nbformat.v4.new_output("display_data", {"text/html": '<div class="jp-OutputArea-output" tabindex="3">in</div>'}),
    ]  # fmt: skip
    return nb


def test_our_html_exporter_makes_the_page_nbconverts_makes_without_reparsing_it() -> None:
    from bs4 import BeautifulSoup
    from nbconvert.exporters import HTMLExporter

    nb = _notebook_with_images_and_cells()
    for template in ("lab", "classic", "basic"):
        stock, _ = HTMLExporter(template_name=template).from_notebook_node(nb)
        ours, _ = compat.html_exporter(template_name=template).from_notebook_node(nb)
        # nbconvert prints its BeautifulSoup tree back; printed the same way, ours is the same page
        assert str(BeautifulSoup(ours, features="html.parser")) == stock, template
    assert compat.NO_ALT in ours


def test_the_accessibility_pass_adds_alt_text_and_tabindex_only_where_nbconvert_does() -> None:
    page = (
        '<img src="a.png"><img alt="" src="b.png"/><div class="jp-OutputArea-output">before</div>'
        '<body class="jp-Notebook x"><div class="a jp-Cell-inputWrapper" tabindex="-1">in</div>'
        '<div class="jp-OutputArea-output-not">no</div><div class="jp-OutputArea-output">out</div>'
    )
    assert compat.accessibility_pass(page) == (
        f'<img src="a.png" alt="{compat.NO_ALT}"><img alt="" src="b.png"/>'
        '<div class="jp-OutputArea-output">before</div><body class="jp-Notebook x">'
        '<div class="a jp-Cell-inputWrapper" tabindex="0">in</div>'
        '<div class="jp-OutputArea-output-not">no</div>'
        '<div class="jp-OutputArea-output" tabindex="0">out</div>'
    )


def test_nbgrader_checks_its_metadata_schema_once_and_finds_the_same_problems(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import jsonschema
    from nbformat.v4 import new_code_cell
    from nbgrader.nbgraderformat import MetadataValidator, ValidationError, common

    from cohort_tools.core.compat import schemas_checked_once

    monkeypatch.setattr(common, "jsonschema", jsonschema)
    schemas_checked_once()
    checks: list[object] = []
    real = jsonschema.Draft4Validator.check_schema
    monkeypatch.setattr(
        jsonschema.Draft4Validator,
        "check_schema",
        classmethod(lambda cls, schema: checks.append(schema) or real(schema)),
    )
    validator = MetadataValidator()
    meta = {"grade": True, "grade_id": "a", "locked": False, "points": 1, "schema_version": 3}
    meta |= {"solution": False, "task": False}
    cell = new_code_cell("x = 1", metadata={"nbgrader": meta})
    for _ in range(5):
        validator.validate_cell(cell)
    assert len(checks) == 1
    bad = new_code_cell("x = 1", metadata={"nbgrader": meta | {"points": "many"}})
    with pytest.raises(ValidationError) as ours:
        validator.validate_cell(bad)
    with pytest.raises(ValidationError) as theirs:
        jsonschema.validate(bad.metadata["nbgrader"], validator.schema)
    assert str(ours.value) == str(theirs.value)


def test_importing_the_package_then_jsonschema_skips_the_slow_optional_iri_checker() -> None:
    """A fresh process: ``import cohort_tools`` before jsonschema keeps jsonschema from compiling
    rfc3987_syntax's grammars (0.75 s in every process); jsonschema still validates."""
    import subprocess
    import sys

    code = (
        "import sys, cohort_tools, jsonschema, nbformat\n"
        "assert sys.modules.get('rfc3987_syntax') is None, 'rfc3987_syntax was imported'\n"
        "jsonschema.validate({'a': 1}, {'type': 'object'})\n"
        "try:\n"
        "    jsonschema.validate({'a': 'x'}, {'properties': {'a': {'type': 'integer'}}})\n"
        "except jsonschema.ValidationError:\n"
        "    print('checked')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "checked"
