"""The forms answer without code: saved beside the notebook, read back on every run, code wins,
a damaged file is a plain message; the chart makeover form builds a chart the chart checks pass."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ipywidgets
import pandas as pd
import pytest

from cohort_tools import nb
from cohort_tools.core.i18n import speaking
from cohort_tools.lessons import forms


def _controls(widget: Any) -> list[Any]:
    """Every input control inside a form, depth first."""
    found = []
    for child in getattr(widget, "children", ()):
        if isinstance(child, ipywidgets.ValueWidget | ipywidgets.Button) and not isinstance(
            child, ipywidgets.HTML
        ):
            found.append(child)
        found += _controls(child)
    return found


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What the form displays (widgets and messages), instead of drawing it."""
    out: list[Any] = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda *objs, **_: out.extend(objs))
    return out


def _messages(shown: list[Any]) -> str:
    return "\n".join(
        getattr(o, "data", "") or "" for o in shown if not isinstance(o, ipywidgets.Widget)
    )


FIELDS = {
    "metrics": nb.ask.many("Priority metrics", {"PW-POT3": "Potholes fixed in 3 days"}),
    "meeting": nb.ask.record(
        "Stat meeting",
        {
            "cadence": nb.ask.choice("How often", ["weekly", "monthly"]),
            "days": nb.ask.number("Days", unit="days"),
        },
    ),
}


def test_a_form_starts_empty_and_says_what_the_checkpoint_looks_at(
    tmp_path: Path, shown: list[Any]
) -> None:
    ns: dict[str, Any] = {"metrics": None, "meeting": {"cadence": None, "days": None}}
    nb.Answers("wk", folder=tmp_path).ask("three metrics with targets", namespace=ns, **FIELDS)
    form = next(o for o in shown if isinstance(o, ipywidgets.VBox))
    assert "The checkpoint looks at: three metrics with targets" in form.children[0].value
    values = [c.value for c in _controls(form) if not isinstance(c, ipywidgets.Button)]
    assert values == [False, None, ""]  # nothing ticked, chosen or typed
    assert ns == {"metrics": None, "meeting": {"cadence": None, "days": None}}
    assert not (tmp_path / "wk.form.json").exists()


def test_every_control_has_an_accessible_name(tmp_path: Path, shown: list[Any]) -> None:
    table = nb.ask.table(
        "Plan", {"who": nb.ask.choice("Who", ["PW"]), "n": nb.ask.number("People")}
    )
    nb.Answers("wk", folder=tmp_path).ask(
        "x",
        namespace={},
        date=nb.ask.date("Decided on"),
        text=nb.ask.text("Why"),
        plan=table,
        **FIELDS,
    )
    form = next(o for o in shown if isinstance(o, ipywidgets.VBox))
    controls = _controls(form)
    assert len(controls) >= 8
    assert all(str(c.description).strip() for c in controls), controls


def test_answers_given_in_the_form_are_saved_and_read_back_after_a_restart(
    tmp_path: Path, shown: list[Any]
) -> None:
    ns: dict[str, Any] = {"metrics": None, "meeting": {"cadence": None, "days": None}}
    nb.Answers("wk", folder=tmp_path).ask("x", namespace=ns, **FIELDS)
    form = next(o for o in shown if isinstance(o, ipywidgets.VBox))
    tick, cadence, days = _controls(form)
    tick.value = True
    cadence.value = "monthly"
    days.value = "4.5"
    assert ns == {"metrics": ["PW-POT3"], "meeting": {"cadence": "monthly", "days": 4.5}}
    saved = json.loads((tmp_path / "wk.form.json").read_text(encoding="utf-8"))
    assert saved["answers"] == ns
    # a new kernel (restart, Run All, Validate, the grader): the cell reads the file
    fresh: dict[str, Any] = {"metrics": None, "meeting": {"cadence": None, "days": None}}
    nb.Answers("wk", folder=tmp_path).ask("x", namespace=fresh, show=False, **FIELDS)
    assert fresh == ns


def test_a_shell_with_no_kernel_shows_the_saved_answers_by_label_and_the_checks_as_text(
    tmp_path: Path, shown: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The grading sandbox's IPython shell has no kernel: no widget is built there, whose text
    (``VBox(children=...)``) would otherwise reach the learner's feedback page."""
    import IPython

    class NoKernelShell:
        def __init__(self) -> None:
            self.user_ns: dict[str, Any] = {}

    monkeypatch.setattr(IPython, "get_ipython", NoKernelShell)
    forms.Answers("wk", folder=tmp_path).save("metrics", ["PW-POT3"])
    ns: dict[str, Any] = {"metrics": None, "meeting": {"cadence": None, "days": None}}
    nb.Answers("wk", folder=tmp_path).ask("three metrics with targets", namespace=ns, **FIELDS)
    assert ns["metrics"] == ["PW-POT3"]
    assert not [o for o in shown if isinstance(o, ipywidgets.Widget)], shown
    said = _messages(shown)
    assert '- Priority metrics: ["PW-POT3"]' in said, said
    assert "The checkpoint looks at: three metrics with targets" in said, said


def test_the_code_in_the_cell_wins_and_the_notebook_says_so(
    tmp_path: Path, shown: list[Any]
) -> None:
    forms.Answers("wk", folder=tmp_path).save("metrics", ["PW-POT3"])
    ns: dict[str, Any] = {"metrics": ["CS-ANS60"], "meeting": {"cadence": None, "days": None}}
    nb.Answers("wk", folder=tmp_path).ask("x", namespace=ns, **FIELDS)
    assert ns["metrics"] == ["CS-ANS60"]
    assert "the code counts" in _messages(shown)


def test_an_empty_list_is_an_answer_none_of_them(tmp_path: Path, shown: list[Any]) -> None:
    ns: dict[str, Any] = {"stale": None}
    field = nb.ask.many("Stale datasets", ["DS1", "DS2"], none="None is stale")
    nb.Answers("wk", folder=tmp_path).ask("x", namespace=ns, stale=field)
    form = next(o for o in shown if isinstance(o, ipywidgets.VBox))
    _controls(form)[-1].value = True  # "None is stale"
    assert ns == {"stale": []}
    again: dict[str, Any] = {"stale": None}
    nb.Answers("wk", folder=tmp_path).ask("x", namespace=again, show=False, stale=field)
    assert again == {"stale": []}


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("{not json", "could not be read (line 1)"),
        ('["a list"]', "is not in the form's format"),
        (
            '{"answers": {"metrics": "PW-POT3"}}',
            "The saved answer for `metrics` in wk.form.json is not usable",
        ),
        ('{"answers": {"meeting": {"days": "soon"}}}', "'Days' should be a number"),
    ],
)
def test_a_damaged_or_hand_edited_answers_file_gives_a_plain_message(
    tmp_path: Path, shown: list[Any], content: str, said: str
) -> None:
    (tmp_path / "wk.form.json").write_text(content, encoding="utf-8")
    ns: dict[str, Any] = {"metrics": None, "meeting": {"cadence": None, "days": None}}
    nb.Answers("wk", folder=tmp_path).ask("x", namespace=ns, **FIELDS)  # no exception
    message = _messages(shown)
    assert said in message and "wk.form.json" in message and "delete" in message
    assert "Traceback" not in message
    assert ns["metrics"] is None


def test_a_table_adds_and_removes_rows(tmp_path: Path, shown: list[Any]) -> None:
    ns: dict[str, Any] = {"plan": None}
    table = nb.ask.table(
        "Hiring plan",
        {
            "role": nb.ask.choice("Role", ["data engineer", "data analyst"]),
            "year": nb.ask.choice("Year", [1, 2, 3]),
        },
    )
    nb.Answers("wk", folder=tmp_path).ask("x", namespace=ns, plan=table)
    form = next(o for o in shown if isinstance(o, ipywidgets.VBox))
    add = next(c for c in _controls(form) if getattr(c, "description", "") == "Add a row")
    add.click()
    role1, year1, _, role2, year2, _ = [c for c in _controls(form) if c is not add]
    role1.value, year1.value, role2.value, year2.value = "data engineer", 1, "data analyst", 2
    assert ns["plan"] == [{"role": "data engineer", "year": 1}, {"role": "data analyst", "year": 2}]
    remove1 = next(c for c in _controls(form) if getattr(c, "description", "") == "Remove row 1")
    remove1.click()
    assert ns["plan"] == [{"role": "data analyst", "year": 2}]


def test_a_record_starts_empty_and_its_button_fills_only_the_blank_parts_from_last_time(
    tmp_path: Path, shown: list[Any]
) -> None:
    levels = {0: "0 not started", 1: "1 started", 2: "2 partly", 3: "3 in place"}
    ns: dict[str, Any] = {"ratings": None}
    ratings = nb.ask.record(
        "Your ratings",
        {"GOV-1": nb.ask.choice("GOV-1", levels), "GOV-2": nb.ask.choice("GOV-2", levels)},
        start={"GOV-1": 2, "GOV-2": 1},
        start_button="Start from last time's ratings",
    )
    answers = nb.Answers("wk", folder=tmp_path)
    answers.ask("x", namespace=ns, ratings=ratings)
    assert ns["ratings"] is None  # nothing counts until the team gives it
    form = next(o for o in shown if isinstance(o, ipywidgets.VBox))
    press = next(c for c in _controls(form) if isinstance(c, ipywidgets.Button))
    assert press.description == "Start from last time's ratings"
    first = next(c for c in _controls(form) if getattr(c, "description", "") == "GOV-2")
    first.value = 3  # the team has rated GOV-2 already: the button keeps it
    press.click()
    assert ns["ratings"] == {"GOV-1": 2, "GOV-2": 3}
    saved = json.loads((tmp_path / "wk.form.json").read_text(encoding="utf-8"))
    assert saved["answers"]["ratings"] == {"GOV-1": 2, "GOV-2": 3}
    shown.clear()
    nb.Answers("wk", folder=tmp_path).ask("x", namespace=ns, ratings=ratings)  # a restart
    again = next(o for o in shown if isinstance(o, ipywidgets.VBox))
    values = {c.description: c.value for c in _controls(again) if hasattr(c, "value")}
    assert values == {"GOV-1": 2, "GOV-2": 3}


def test_a_record_without_earlier_values_has_no_start_button(
    tmp_path: Path, shown: list[Any]
) -> None:
    ratings = nb.ask.record(
        "Your ratings",
        {"GOV-1": nb.ask.choice("GOV-1", [0, 1, 2, 3])},
        start=None,
        start_button="Start from last time's ratings",
    )
    nb.Answers("wk", folder=tmp_path).ask("x", namespace={"r": None}, r=ratings)
    form = next(o for o in shown if isinstance(o, ipywidgets.VBox))
    assert not [c for c in _controls(form) if isinstance(c, ipywidgets.Button)]


CHART_DATA = pd.DataFrame(
    {
        "group": ["Asian", "Black", "White"],
        "status": ["suppressed", "shown", "shown"],
        "rate": [None, 42.0, 61.0],
        "low": [None, 35.0, 55.0],
        "high": [None, 49.0, 67.0],
        "rate_text": ["suppressed", "42%", "61%"],
    }
)
GOOD = {
    "kind": "bar",
    "sort": "descending",
    "colour": "#0072B2",
    "title": "Black participants found work less often: 42% against 61%",
    "x_title": "Share who found work (%)",
    "y_title": "Group of residents",
    "uncertainty": True,
    "label_suppressed": True,
}
ALT = "Bar chart of the share who found work by group: Black 42%, White 61%; Asian suppressed."


def test_the_chart_makeover_form_builds_a_chart_the_chart_checks_pass() -> None:
    chart = nb.makeover.build(CHART_DATA, GOOD, description=ALT)
    assert nb.check_chart(chart, suppressed_groups=["Asian"], require_uncertainty=True) == []
    dots = nb.makeover.build(
        CHART_DATA, {**GOOD, "kind": "dot", "colour": "scheme:dark2"}, description=ALT
    )
    assert nb.check_chart(dots, suppressed_groups=["Asian"], require_uncertainty=True) == []


def test_the_chart_checks_grade_what_the_makeover_form_chose() -> None:
    chart = nb.makeover.build(
        CHART_DATA,
        {**GOOD, "uncertainty": False, "label_suppressed": False, "title": None},
        description=ALT,
    )
    codes = nb.chartcheck.problem_codes(
        nb.check_chart(chart, suppressed_groups=["Asian"], require_uncertainty=True)
    )
    assert {"no-uncertainty", "suppressed-not-labelled"} <= codes
    assert any("title" in c for c in codes), codes


# -- numbers typed as the kernel's language writes them ------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("4,5", 4.5),
        ("0,75", 0.75),
        ("-2,5", -2.5),
        ("1.200", 1200),
        ("1.200.000", 1200000),
        ("1.200,5", 1200.5),
        ("$ 1.200.000", 1200000),
        ("85 %", 85),
        ("1 200", 1200),
        # written the other way, where that is the only reading
        ("4.5", 4.5),
        ("12.40", 12.4),
        ("1,200,000", 1200000),
        ("1,200.5", 1200.5),
        ("7", 7),
    ],
)
def test_a_spanish_number_box_reads_latin_american_numbers(typed: str, number: float) -> None:
    assert forms.read_number(typed, "es") == number


def test_an_english_number_box_reads_as_before() -> None:
    assert forms.read_number("1,200", "en") == 1200
    assert forms.read_number("4.5", "en") == 4.5
    assert forms.read_number("4,5", "en") == 45  # commas group thousands in English
    assert forms.read_number("soon", "en") == "soon"
    assert forms.read_number("  ", "en") is None


def test_a_number_box_reads_the_kernels_language_and_shows_numbers_the_same_way() -> None:
    box = forms.Number("Share", whole=False)
    whole = forms.Number("People", whole=True)
    with speaking("es"):
        assert box._read("0,9") == 0.9
        assert whole._read("1.200") == 1200 and isinstance(whole._read("1.200"), int)
        assert box._read("pronto") == "pronto"
        assert box._read("") is None
        assert forms.show_number(0.125) == "0,125"
        assert forms.read_number(forms.show_number(1200000.0)) == 1200000
    assert box._read("0,9") == 9.0  # English: a comma groups digits
    assert forms.show_number(4.5) == "4.5"


def test_a_plain_list_of_codes_shows_the_readers_words_and_keeps_the_english_value() -> None:
    # Workshop B's hiring form lists its salary table's titles (list(SALARY)): a Spanish team
    # picks "analista de datos", as the table shows it, and the answer stays "data analyst".
    roles = nb.ask.choice("Role", ["data analyst", "data trainer", "PW"])
    with speaking("es"):
        spanish = forms._options(roles.options)
    assert spanish == [
        ("analista de datos", "data analyst"),
        ("formador o formadora en datos", "data trainer"),
        ("PW", "PW"),
    ]
    assert forms._options(roles.options) == [(r, r) for r in ["data analyst", "data trainer", "PW"]]
    assert forms._options([1, 2]) == [("1", 1), ("2", 2)]


def test_a_code_with_underscores_is_shown_in_words_and_kept_as_the_code() -> None:
    kinds = nb.ask.choice(
        "Kind",
        ["council", "community_group", "race_ethnicity", "data_lead", "PW_2", "data analyst"],
    )
    assert forms._options(kinds.options) == [
        ("council", "council"),
        ("community group", "community_group"),
        ("race and ethnicity", "race_ethnicity"),  # as a table heading names it
        ("data lead", "data_lead"),  # a code nothing names: its underscores as spaces
        ("PW_2", "PW_2"),  # not a lower-case code: an id is shown as it is
        ("data analyst", "data analyst"),
    ]
    with speaking("es"):  # the catalog's words come first
        assert forms._options(["community_group", "ad_hoc", "race_ethnicity", "gender"]) == [
            ("organización comunitaria", "community_group"),
            ("cuando se necesita", "ad_hoc"),
            ("pertenencia étnica", "race_ethnicity"),
            ("género", "gender"),
        ]
