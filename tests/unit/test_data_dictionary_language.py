"""The data dictionary in the reader's language: the Spanish edition's page is Spanish outside code,
lists exactly what the English one lists, and the English page and `cda data check` are unchanged."""

from __future__ import annotations

import re

from cohort_tools.book.pages import data_dictionary_page
from cohort_tools.citydata import schemas
from cohort_tools.citydata.dictionary import render_markdown
from cohort_tools.core import i18n
from cohort_tools.policy.language import check_lines, english_words, load_style

_CODE = re.compile(r"`[^`]*`|\[[^\]]*\]\{\.lang-en\}")  # code spans, text English on purpose
_ROW_NAME = re.compile(r"^\| `([^`]+)` \|")  # a table row's first cell: a column or a field
_HEADING = re.compile(r"^#{2,3} `?([^`]+?)`?$")


def _spanish_page() -> str:
    with i18n.speaking("es"):
        text, note = data_dictionary_page()
    assert note is None
    return text


def _outline(markdown: str) -> list[tuple[str, list[str]]]:
    """Each section of the dictionary (city.yaml, then each table) with the names its table lists."""
    sections: list[tuple[str, list[str]]] = []
    for line in markdown.splitlines():
        heading = _HEADING.match(line)
        if heading:
            sections.append((heading.group(1), []))
        row = _ROW_NAME.match(line)
        if row and sections:
            sections[-1][1].append(row.group(1))
    return sections


def test_the_spanish_data_dictionary_has_no_english_words_outside_code() -> None:
    prose = [
        (number, _CODE.sub("", line))
        for number, line in enumerate(_spanish_page().splitlines(), start=1)
    ]
    assert not english_words(prose), "\n".join(str(w) for w in english_words(prose))
    findings = check_lines(prose, style=load_style("es-419"))
    assert not findings, "\n".join(str(f) for f in findings)


def test_no_sentence_or_table_cell_of_the_spanish_data_dictionary_is_left_as_in_english() -> None:
    # the detector knows common English words only ("Blank allowed" passes it): compare each
    # line, and each table cell, with the English page's (they are made line for line)
    english, spanish = data_dictionary_page()[0].splitlines(), _spanish_page().splitlines()
    assert len(english) == len(spanish)
    cell = re.compile(r"(?<!\\)\|")
    same = [
        en_part
        for en_line, es_line in zip(english, spanish, strict=True)
        for en_part, es_part in zip(cell.split(en_line), cell.split(es_line), strict=True)
        if en_part == es_part and re.search(r"[A-Za-z]{3,}", _CODE.sub("", en_part))
    ]
    assert not same, same


def test_the_spanish_data_dictionary_lists_every_table_column_and_field_of_the_english_one() -> (
    None
):
    english, spanish = _outline(data_dictionary_page()[0]), _outline(_spanish_page())
    tables = [name for name, _ in english if name in schemas.TABLES]
    assert tables == list(schemas.TABLES)
    assert spanish[0][0] == "Diccionario de datos de la ciudad"  # the rendered dictionary's title
    assert spanish[1:] == english[1:]  # city.yaml and every table, each with its names in order
    for table in schemas.TABLES:
        assert [n for t, names in english if t == table for n in names] == list(
            schemas.TABLES[table].columns
        )


def test_the_spanish_data_dictionary_keeps_names_people_type_as_code() -> None:
    page = _spanish_page()
    assert page.startswith("# Diccionario de datos\n\nCada tabla que una ciudad aporta")
    lines = page.splitlines()
    assert "### `departments`" in lines and "### `city.yaml`" in lines
    assert (
        "| Columna | Tipo | Obligatoria | Admite vacíos | Valores permitidos | Descripción |"
        in lines
    )
    assert "Cada combinación de `respondent_id`, `skill` aparece una sola vez." in lines
    assert "Regla: `successes` no puede ser mayor que `participants`." in lines
    assert (
        "| `department_id` | texto (sin repetir) | sí | no |  | "
        "Código corto y estable de la dependencia, p. ej. `OP`. |"
    ) in lines
    assert any(
        line.startswith("| `lat` | número | no | sí | de -90 a 90 | Latitud") for line in lines
    )
    assert "| `fictional` | `False` | `true` para las ciudades de demostración. |" in lines


def test_the_english_data_dictionary_page_is_unchanged() -> None:
    page = data_dictionary_page()[0]
    assert page.startswith(
        "# Data dictionary\n\nEvery table a city brings to the program, and every column in it: "
    )
    lines = page.splitlines()
    for line in (
        "## City data dictionary",
        "### city.yaml",
        "| Field | Default | Description |",
        "| `fictional` | False | true for demo cities. |",
        "| `currency` | 'USD' | ISO 4217 code of the money columns (budget_usd, ... keep their "
        "names), e.g. COP. |",
        "- `socrata_nyc_311`: NYC Open Data 311 Service Requests (Socrata CSV or SODA JSON export)",
        "### departments",
        "File: `departments.csv` (or `departments.xlsx`, `departments.parquet`; another name via "
        "city.yaml `tables.departments.file`). Each row is one department.",
        "| Column | Type | Required | Blank allowed | Allowed values | Description |",
        "| `department_id` | text (unique) | yes | no |  | Short stable code for the department, "
        "e.g. PW. |",
        "| `respondent_id` | text | yes | no | respondent_id must be a pseudonymous code, not an "
        "e-mail address | Pseudonymous respondent code (never a name or e-mail address). |",
        "| `lat` | number | no | yes | -90 to 90 | Latitude (WGS84 decimal degrees); blank when "
        "not located. |",
        "| `neighbourhood_id` | text | no | yes | an id in `neighbourhoods.neighbourhood_id` | The "
        "neighborhood it falls in (extension). |",
        "Each combination of respondent_id, skill appears once.",
        "Rule: category must be a code of the row's dimension.",
        "Rule: successes must not exceed participants.",
        "| `requested_datetime` | date and time (YYYY-MM-DDTHH:MM[:SS]) | yes | no |  | When the "
        "request was made (local time). |",
    ):
        assert line in lines, line
    category = next(line for line in lines if line.startswith("| `category` |"))
    assert category.endswith(
        "; age 0-4, 5-9, 10-14, 15-19, 20-24, 25-29, 30-34, 35-39, 40-44, 45-49, 50-54, 55-59, "
        "60-64, 65-69, 70-74, 75-79, 80-84, 85+; limited_english lep\\|not_lep; disability "
        "with_disability\\|without_disability. |"
    )
    assert "race_ethnicity US: AIAN\\|ASIAN\\|" in category


def test_schema_rules_stay_english_for_the_checker_in_any_language() -> None:
    error = schemas.TABLES["staff_survey"].columns["respondent_id"].checks[0].error
    demographic = schemas.TABLES["data_inventory"].columns["demographic_fields"].checks[0].error
    with i18n.speaking("es"):
        assert str(error) == "respondent_id must be a pseudonymous code, not an e-mail address"
        assert str(demographic).startswith("demographic_fields must be ';'-separated names from ")
        assert i18n.shown(error) == (
            "`respondent_id` debe ser un código seudónimo, no un correo electrónico"
        )
    assert i18n.shown(error) == str(error)
    with i18n.speaking("es"):
        assert render_markdown().startswith("# Diccionario de datos de la ciudad")
    assert render_markdown().startswith("# City data dictionary")
