"""chartcheck reads a chart as a careful editor would, for a resident audience."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from cohort_tools.lessons.chartcheck import check_chart, colour_difference, problem_codes

DATA = pd.DataFrame(
    {
        "group": ["Asian", "Black", "Middle Eastern or North African (suppressed)"],
        "rate": [64.0, 48.0, None],
        "low": [52.0, 40.0, None],
        "high": [75.0, 56.0, None],
    }
)
GOOD_TITLE = "Fewer than half of Black participants found work"
GOOD_DESCRIPTION = (
    "Bar chart of the share who found work, by group: Asian 64%, Black 48%; one group suppressed."
)


def good_chart() -> alt.LayerChart:
    y = alt.Y("group:N", title="Group of residents")
    bars = (
        alt.Chart(DATA)
        .mark_bar(color="#0072B2")
        .encode(x=alt.X("rate:Q", title="Share who found work (%)"), y=y)
    )
    ranges = alt.Chart(DATA).mark_rule().encode(x="low:Q", x2="high:Q", y=y)
    return (bars + ranges).properties(title=GOOD_TITLE, description=GOOD_DESCRIPTION)


def test_a_chart_made_for_residents_has_no_problems() -> None:
    assert (
        check_chart(
            good_chart(),
            suppressed_groups=["Middle Eastern or North African"],
            require_uncertainty=True,
        )
        == []
    )


def test_the_dict_from_to_dict_is_checked_like_the_chart() -> None:
    assert check_chart(good_chart().to_dict()) == []


def test_a_bare_chart_is_told_every_problem_in_plain_words() -> None:
    bare = (
        alt.Chart(DATA.fillna({"rate": 0}))
        .mark_bar()
        .encode(x="rate:Q", y="group:N", color="group:N")
    )
    problems = check_chart(
        bare, suppressed_groups=["Middle Eastern or North African"], require_uncertainty=True
    )
    assert problem_codes(problems) == {
        "no-title",
        "no-description",
        "axis-label-is-a-column-name",
        "colours-not-chosen",
        "suppressed-drawn-as-zero",
        "no-uncertainty",
    }
    assert all(p.what and p.fix and "Traceback" not in str(p) for p in problems)


def test_a_title_that_only_names_the_data_is_not_a_finding() -> None:
    chart = good_chart().properties(title="Success rate by group")
    assert problem_codes(check_chart(chart)) == {"title-not-a-finding"}


def test_a_dropped_suppressed_group_is_reported_as_missing() -> None:
    chart = good_chart()
    for layer in chart.layer:
        layer.data = DATA.iloc[:2]
    problems = check_chart(chart, suppressed_groups=["Middle Eastern or North African"])
    assert problem_codes(problems) == {"suppressed-group-missing"}


def test_a_suppressed_group_without_the_word_suppressed_is_reported() -> None:
    data = DATA.assign(group=["Asian", "Black", "Middle Eastern or North African"])
    chart = (
        alt.Chart(data)
        .mark_bar(color="#0072B2")
        .encode(x=alt.X("rate:Q", title="Share (%)"), y=alt.Y("group:N", title="Group"))
        .properties(title=GOOD_TITLE, description=GOOD_DESCRIPTION)
    )
    codes = problem_codes(check_chart(chart, suppressed_groups=["Middle Eastern or North African"]))
    assert codes == {"suppressed-not-labelled"}


def test_red_and_green_side_by_side_fail_and_okabe_ito_passes() -> None:
    def coloured(colours: list[str]) -> alt.Chart:
        return (
            alt.Chart(DATA)
            .mark_bar()
            .encode(
                x=alt.X("rate:Q", title="Share (%)"),
                y=alt.Y("group:N", title="Group"),
                color=alt.Color("group:N", scale=alt.Scale(range=colours)),
            )
            .properties(title=GOOD_TITLE, description=GOOD_DESCRIPTION)
        )

    assert "colours-not-colour-blind-safe" in problem_codes(
        check_chart(coloured(["#d62728", "#2ca02c", "#0072B2"]))
    )
    assert check_chart(coloured(["#0072B2", "#E69F00", "#009E73"])) == []


@pytest.mark.parametrize(
    ("a", "b", "confusable"), [("#d62728", "#2ca02c", True), ("#0072B2", "#E69F00", False)]
)
def test_colour_difference_is_small_for_red_green_under_colour_blindness(
    a: str, b: str, confusable: bool
) -> None:
    assert (colour_difference(a, b) < 15) is confusable


def test_bars_that_do_not_start_at_zero_are_reported() -> None:
    chart = good_chart()
    chart.layer[0].encoding.x.scale = alt.Scale(zero=False)
    assert problem_codes(check_chart(chart)) == {"bars-do-not-start-at-zero"}


def test_something_that_is_not_a_chart_is_refused() -> None:
    with pytest.raises(TypeError, match="Altair chart"):
        check_chart(42)


def test_in_spanish_a_group_labelled_suprimido_passes_and_the_advice_names_suprimido() -> None:
    from cohort_tools.core.i18n import speaking

    def chart(label: str) -> alt.Chart:
        data = DATA.assign(group=["Asian", "Black", f"Middle Eastern or North African ({label})"])
        return (
            alt.Chart(data)
            .mark_bar(color="#0072B2")
            .encode(x=alt.X("rate:Q", title="Share (%)"), y=alt.Y("group:N", title="Group"))
            .properties(title=GOOD_TITLE, description=GOOD_DESCRIPTION)
        )

    group = ["Middle Eastern or North African"]
    with speaking("es"):
        labelled = problem_codes(check_chart(chart("suprimido"), suppressed_groups=group))
        unlabelled = check_chart(chart("oculto"), suppressed_groups=group)
    assert "suppressed-not-labelled" not in labelled
    [problem] = [p for p in unlabelled if p.code == "suppressed-not-labelled"]
    assert "'suprimido'" in str(problem) and "suppressed" not in str(problem)
    # the canonical marker still counts in any language
    with speaking("es"):
        assert "suppressed-not-labelled" not in problem_codes(
            check_chart(chart("suppressed"), suppressed_groups=group)
        )
