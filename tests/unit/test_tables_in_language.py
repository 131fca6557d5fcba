"""What a Spanish-speaking team sees of a table, a chart's data and a summary of its answers is in
Spanish, while the data keeps its canonical words (the checkpoints and the strategy read them)."""

from __future__ import annotations

import pandas as pd

from cohort_tools.core.i18n import speaking
from cohort_tools.render.charts import in_language
from cohort_tools.render.tables import _html, answer_text, shown

INVENTORY = pd.DataFrame(
    {"dataset": ["Solicitudes 311"], "update_frequency": ["quarterly"], "rows": [12]},
    index=pd.Index(["DS014"], name="dataset_id"),
)


def test_a_spanish_table_shows_its_labels_and_words_in_spanish_and_leaves_the_data_alone() -> None:
    with speaking("es"):
        seen = shown(INVENTORY)
    assert list(seen.columns) == ["conjunto de datos", "frecuencia de actualización", "filas"]
    assert seen.iloc[0].tolist() == ["Solicitudes 311", "cada trimestre", 12]
    assert seen.index.name == "id del conjunto de datos"
    assert INVENTORY["update_frequency"].tolist() == ["quarterly"]  # the data is unchanged


def test_an_english_table_keeps_its_words_and_shows_its_identifier_headings_as_words() -> None:
    with speaking("en"):
        seen = shown(INVENTORY)
    assert list(seen.columns) == ["dataset", "update frequency", "rows"]
    assert seen.index.name == "dataset code"
    assert seen.iloc[0].tolist() == ["Solicitudes 311", "quarterly", 12]
    assert seen.index.tolist() == ["DS014"]  # a code with no words stays a code
    assert list(INVENTORY.columns)[1] == "update_frequency"  # the data is unchanged


def test_an_identifier_heading_is_shown_as_words_and_a_code_a_learner_copies_stays() -> None:
    # The row labels and cells may be codes a learner copies into an answer ("open_data").
    table = pd.DataFrame({"practice_area": ["open_data"]}, index=pd.Index(["open_data"]))
    with speaking("en"):
        seen = shown(table)
    assert list(seen.columns) == ["practice area"]
    assert seen.index.tolist() == ["open_data"] and seen.iloc[0, 0] == "open_data"
    with speaking("es"):
        assert list(shown(table).columns) == ["área de práctica"]


def test_the_html_keeps_long_text_whole_and_marks_codes_as_code() -> None:
    long = "Ningún grupo está a cargo de las decisiones sobre los datos de la ciudad todavía"
    table = pd.DataFrame({"qué significa": [long]}, index=pd.Index(["AN-1"], name="criterio"))
    with speaking("es"):
        html = _html(table) or ""
    assert long in html
    assert "<th><code>AN-1</code></th>" in html
    counts = pd.DataFrame({"valor": [40.0, 0.425, 1234.5]}, index=["a", "b", "c"])
    with speaking("es", country="CO"):
        html = _html(counts) or ""
    assert [c in html for c in ("<td>40</td>", "<td>0,425</td>", "<td>1.234,5</td>")] == [True] * 3


def test_an_answer_reads_as_plain_words_in_the_team_s_language() -> None:
    answer = {"review_cadence": "quarterly", "reviews": "jefe o jefa de gabinete", "people": 12}
    with speaking("es", country="CO"):
        assert answer_text(answer) == (
            "`review_cadence`: cada trimestre, revisa: jefe o jefa de gabinete, personas: 12"
        )
        assert answer_text([{"role": "data engineer", "year": 1}]) == (
            "(cargo: ingeniero o ingeniera de datos, año: 1)"
        )
        assert answer_text(None) == "—"
        assert answer_text(0.955) == "0,95" or answer_text(0.955) == "0,96"
    with speaking("en"):
        assert answer_text(["weekly", "monthly"]) == "weekly; monthly"


def test_a_chart_s_words_are_drawn_in_the_reader_s_language() -> None:
    spec = {"datasets": {"d": [{"family": "administrative", "share": 0.2}]}, "mark": "bar"}
    with speaking("es"):
        drawn = in_language(spec)
    assert drawn["datasets"]["d"] == [{"family": "administrativo", "share": 0.2}]
    assert spec["datasets"]["d"][0]["family"] == "administrative"
    with speaking("en"):
        assert in_language(spec) is spec
