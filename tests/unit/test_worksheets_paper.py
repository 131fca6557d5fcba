"""On paper: every form becomes a printable blank, and a worksheet is the released notebook
without its checkpoints, solutions or on-screen-only text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cohort_tools.coaching_packets.worksheets import PAPER, SCREEN_ONLY, is_checkpoint, on_paper
from cohort_tools.core import paths
from cohort_tools.lessons import forms
from cohort_tools.lessons.forms import PAPER_ENV, Answers, ask, paper_form
from cohort_tools.notebooks.myst import read_myst

METRICS = {"CE-INSP": "Code complaints inspected within 10 days", "PW-POT3": "Potholes repaired"}


def test_a_choice_on_paper_lists_each_option_by_name_with_a_box_never_the_code() -> None:
    text = ask.choice("First metric", METRICS).paper()
    assert "First metric" in text and "Tick one" in text
    assert "Code complaints inspected within 10 days" in text and "Potholes repaired" in text
    assert "CE-INSP" not in text
    assert text.count('aria-hidden="true" style="display:inline-block') == 2  # one box each


def test_several_choices_on_paper_say_how_many_and_offer_none() -> None:
    text = ask.many("Metrics", METRICS, count="choose three", none="None of them").paper()
    assert "Choose three" in text and "None of them" in text
    assert text.count("display:inline-block") == 3


@pytest.mark.parametrize(
    ("field", "words"),
    [
        (ask.number("Baseline", unit="days", example="4.5"), ["Baseline", "days", "e.g. 4.5"]),
        (ask.date("Publish by"), ["Publish by", "month / day / year"]),
        (ask.text("Vision", words="two sentences", long=True), ["Vision", "aim for two sentences"]),
        (ask.computed("Gap score", compute=lambda: 1), ["Gap score", "Work it out"]),
    ],
)
def test_single_answers_on_paper_have_their_label_hint_and_lines_to_write_on(
    field: forms.Field, words: list[str]
) -> None:
    text = field.paper()
    for word in words:
        assert word in text
    assert "cda-paper-lines" in text


def test_a_long_text_gets_more_lines_than_a_short_one() -> None:
    short = ask.text("Title").paper().count("border-bottom")
    long = ask.text("Vision", long=True).paper().count("border-bottom")
    assert long > short >= 1


def test_a_table_on_paper_is_an_empty_table_with_its_columns_and_the_choices_below() -> None:
    table = ask.table(
        "Hiring plan",
        {"role": ask.choice("Role", {"DA-1": "Data analyst"}), "count": ask.number("People")},
        rows=2,
    )
    text = table.paper()
    assert '<th scope="col">Role</th>' in text and '<th scope="col">People</th>' in text
    assert text.count("<tr><td") == 3  # at least three rows to write in
    assert "choose from: Data analyst" in text and "DA-1" not in text


def test_a_numbered_option_whose_words_are_blank_on_paper_keeps_its_number() -> None:
    text = ask.choice("Serves priority", {1: "1. ", 2: "2. "}).paper()
    assert ">1</li>" in text and ">2</li>" in text


def test_a_record_on_paper_shows_each_part() -> None:
    meeting = ask.record(
        "The stat meeting",
        parts={
            "cadence": ask.choice("How often", ["weekly", "monthly"]),
            "chair": ask.text("Chair"),
        },
    )
    text = meeting.paper()
    assert all(word in text for word in ("The stat meeting", "How often", "weekly", "Chair"))


def test_a_paper_form_says_what_a_good_answer_has_once() -> None:
    text = paper_form("three metrics.", {"m": ask.many("Metrics", METRICS)})
    assert "A good answer has: three metrics." in text and ".." not in text


def test_in_paper_mode_a_form_is_drawn_blank_and_reads_and_writes_no_answers_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = tmp_path / "ws.form.json"
    saved.write_text('{"version": 1, "answers": {"metrics": ["CE-INSP"]}}')
    shown: list[str] = []
    monkeypatch.setattr(forms, "_show_html", shown.append)
    monkeypatch.setenv(PAPER_ENV, "paper")
    ns: dict[str, Any] = {"metrics": None}
    Answers("ws", folder=tmp_path).ask(
        "three metrics", namespace=ns, metrics=ask.many("M", METRICS)
    )
    assert ns["metrics"] is None  # the saved answer is not used on paper
    assert len(shown) == 1 and "Potholes repaired" in shown[0]
    assert saved.read_text() == '{"version": 1, "answers": {"metrics": ["CE-INSP"]}}'
    assert PAPER == {PAPER_ENV: "paper"}


def _workshop(name: str) -> Any:
    return read_myst((paths.workshops_dir() / f"{name}.md").read_text(encoding="utf-8"))


def test_a_worksheet_notebook_has_no_solution_no_checkpoint_and_no_screen_only_text() -> None:
    source = _workshop("m1_workshop_a_data_routines")
    assert any(is_checkpoint(c) for c in source.cells)  # the guard below can fail
    assert any(SCREEN_ONLY in c.metadata.get("tags", []) for c in source.cells)
    paper = on_paper(source, city_name="Riverton")
    text = "\n".join(c.source for c in paper.cells)
    assert "BEGIN SOLUTION" not in text and "SERVES = " not in text
    assert "performance manager flags it" not in text  # the reflection's model answer
    assert not any(is_checkpoint(c) for c in paper.cells)
    assert "How this notebook works" not in text
    assert "Printed worksheet for **Riverton**" in text
    assert all(not c.get("outputs") for c in paper.cells if c.cell_type == "code")


def test_an_answer_without_a_form_gets_ruled_lines_on_paper() -> None:
    paper = on_paper(_workshop("m1_workshop_a_data_routines"), city_name="Riverton")
    reflection = next(
        i
        for i, c in enumerate(paper.cells)
        if "reflection = " in c.source and c.cell_type == "code"
    )
    after = paper.cells[reflection + 1]
    assert after.cell_type == "markdown" and "cda-paper-lines" in after.source


def test_a_spanish_worksheet_is_headed_and_lined_in_spanish() -> None:
    from cohort_tools.core.i18n import speaking

    source = read_myst(
        (paths.workshops_dir() / "es" / "m1_workshop_a_data_routines.md").read_text(
            encoding="utf-8"
        )
    )
    with speaking("es"):
        paper = on_paper(source, city_name="Puerto Arrayán")
    text = "\n".join(c.source for c in paper.cells)
    assert "Hoja de trabajo impresa para **Puerto Arrayán**" in text
    assert "Integrantes del equipo presentes:" in text and "Fecha:" in text
    assert "**Su respuesta** (escrita para que la lea una persona):" in text
    for english in ("Printed worksheet", "Team members present", "Your answer"):
        assert english not in text


def test_the_mayors_decisions_are_offered_in_spanish_on_a_spanish_form() -> None:
    from cohort_tools.core.i18n import speaking
    from cohort_tools.strategy.studio import DECISIONS

    with speaking("es"):
        text = ask.choice("Decisión", list(DECISIONS)).paper()
    for spanish in ("aprobar", "aprobar con cambios", "todavía no"):
        assert spanish in text
    assert "approve" not in text and "not yet" not in text


def test_a_worksheet_turns_myst_cross_references_into_plain_text() -> None:
    workbook = read_myst(
        (paths.curriculum_dir() / "m0_convening_workbook.md").read_text(encoding="utf-8")
    )
    paper = on_paper(workbook, city_name="Riverton")
    text = "\n".join(c.source for c in paper.cells)
    assert "{doc}" not in text and "the references" in text
    assert "nb.Checkpoint" not in text  # the workbook's checkpoint is tagged and left out


def test_a_printed_worksheet_keeps_no_live_control_or_saved_widget_state() -> None:
    import nbformat

    from cohort_tools.coaching_packets.worksheets import WIDGET_VIEW, printable

    cell = nbformat.v4.new_code_cell("explorer")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", {WIDGET_VIEW: {"model_id": "x"}, "text/plain": "VBox"}
        ),
        nbformat.v4.new_output("display_data", {"text/markdown": "**Takeaway:** kept"}),
    ]
    nb = nbformat.v4.new_notebook(cells=[cell], metadata={"widgets": {"state": {}}})
    printable(nb)
    assert "widgets" not in nb.metadata
    assert [list(o["data"]) for o in nb.cells[0].outputs] == [["text/markdown"]]
