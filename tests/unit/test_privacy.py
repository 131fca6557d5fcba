"""Small-cell suppression: small counts hidden, and not recoverable from the totals beside them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cohort_tools.policy.privacy import (
    COMPLEMENTARY,
    PRIMARY,
    SMALL_COMPLEMENT,
    SMALL_DENOMINATOR,
    SMALL_NUMERATOR,
    TOTAL_LABEL,
    Suppressed,
    suppress,
    suppress_rates,
    survey_groups,
)

# ------------------------------------------------------------------------------------------------
# an independent check: can the published row/column equations pin a hidden cell to one value?
# ------------------------------------------------------------------------------------------------


def _augmented_hidden(result: Suppressed) -> tuple[np.ndarray, np.ndarray]:
    counts = result.counts.to_numpy()
    r, c = counts.shape
    hidden = np.zeros((r + 1, c + 1), dtype=bool)
    hidden[:r, :c] = result.hidden.to_numpy()
    assert result.row_total_status is not None and result.col_total_status is not None
    hidden[:r, c] = (result.row_total_status != "").to_numpy()
    hidden[r, :c] = (result.col_total_status != "").to_numpy()
    hidden[r, c] = bool(result.grand_total_status)
    return counts, hidden


def _pinned_cells(hidden: np.ndarray) -> list[tuple[int, int]]:
    """Hidden cells of an augmented table (last row/column = totals) that linear algebra can solve.

    Each row and column of the augmented table is an equation: inner cells sum to the total cell.
    Shown cells move to the right-hand side; a hidden cell is pinned exactly when its unit vector
    lies in the row space of the equations restricted to hidden cells.
    """
    n_r, n_c = hidden.shape
    cells = [tuple(map(int, x)) for x in np.argwhere(hidden)]
    if not cells:
        return []
    index = {cell: k for k, cell in enumerate(cells)}
    equations = []
    for i in range(n_r):
        eq = np.zeros(len(cells))
        for j in range(n_c):
            if (i, j) in index:
                eq[index[(i, j)]] = -1.0 if j == n_c - 1 else 1.0
        equations.append(eq)
    for j in range(n_c):
        eq = np.zeros(len(cells))
        for i in range(n_r):
            if (i, j) in index:
                eq[index[(i, j)]] = -1.0 if i == n_r - 1 else 1.0
        equations.append(eq)
    m = np.array(equations)
    rank = np.linalg.matrix_rank(m)
    pinned = []
    for cell, k in index.items():
        unit = np.zeros(len(cells))
        unit[k] = 1.0
        if np.linalg.matrix_rank(np.vstack([m, unit])) == rank:
            pinned.append(cell)
    return pinned


counts_tables = arrays(
    dtype=np.int64,
    shape=st.tuples(st.integers(1, 5), st.integers(1, 5)),
    elements=st.one_of(st.integers(0, 12), st.integers(0, 200)),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts_tables)
def test_no_suppressed_cell_can_be_solved_from_row_and_column_totals(values: np.ndarray) -> None:
    result = suppress(pd.DataFrame(values))
    _, hidden = _augmented_hidden(result)
    # at minimum: no row or column of the published table has exactly one hidden cell
    assert not (hidden.sum(axis=0) == 1).any()
    assert not (hidden.sum(axis=1) == 1).any()
    # and the equations together cannot pin any hidden cell to a single value
    assert _pinned_cells(hidden) == []


@settings(max_examples=300, deadline=None)
@given(counts_tables)
def test_every_count_from_1_to_10_is_hidden_and_larger_shown_counts_are_exact(
    values: np.ndarray,
) -> None:
    result = suppress(pd.DataFrame(values))
    small = (values > 0) & (values < 11)
    assert (result.status.to_numpy()[small] == PRIMARY).all()
    published = result.published()
    inner = published.drop(index=TOTAL_LABEL, columns=TOTAL_LABEL).to_numpy()
    for (i, j), shown in np.ndenumerate(inner):
        if result.hidden.to_numpy()[i, j]:
            assert shown == "suppressed"
        else:
            assert shown == values[i, j]
            assert not small[i, j]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 60), min_size=1, max_size=12))
def test_a_series_never_has_exactly_one_hidden_cell_beside_a_shown_total(counts: list[int]) -> None:
    result = suppress(pd.Series(counts))
    n_hidden = int(result.hidden.to_numpy().sum())
    total_hidden = bool(result.grand_total_status)
    assert n_hidden != 1 or total_hidden
    assert not (
        (np.array(counts) >= 1) & (np.array(counts) <= 10) & ~result.hidden.iloc[:, 0]
    ).any()


def test_the_complement_in_a_series_is_the_smallest_remaining_non_zero_cell() -> None:
    result = suppress(pd.Series({"a": 4, "b": 0, "c": 12, "d": 40}))
    assert result.status.iloc[:, 0].tolist() == [PRIMARY, "", COMPLEMENTARY, ""]
    assert result.published().tolist() == ["suppressed", 0, "suppressed", 40, 56]


def test_a_series_with_one_non_zero_cell_hides_its_total() -> None:
    result = suppress(pd.Series([3, 0, 0]))
    assert result.grand_total_status == COMPLEMENTARY
    assert "3" not in [str(v) for v in result.published().tolist()]


def test_zero_is_shown_and_not_suppressed() -> None:
    result = suppress(pd.DataFrame([[0, 50], [40, 0]]))
    assert not result.hidden.to_numpy().any()
    assert result.published().iloc[0, 0] == 0


def test_a_hidden_cell_is_not_pinned_through_zero_totals() -> None:
    # Hiding the zeros in the second column would be useless: its total (0) is published.
    result = suppress(pd.DataFrame([[5, 0], [20, 0]]))
    assert not result.hidden.iloc[:, 1].any()
    _, hidden = _augmented_hidden(result)
    assert _pinned_cells(hidden) == []


def test_a_bridge_between_two_blocks_of_hidden_cells_is_closed() -> None:
    # two 2x2 blocks of small cells joined by one small cell: lines alone all have >= 2 hidden
    values = np.full((4, 4), 100)
    values[:2, :2] = 5
    values[2:, 2:] = 5
    values[0, 2] = 5
    result = suppress(pd.DataFrame(values))
    _, hidden = _augmented_hidden(result)
    assert _pinned_cells(hidden) == []


def test_threshold_comes_from_the_caller() -> None:
    result = suppress(pd.Series([4, 6, 100]), threshold=5)
    assert result.status.iloc[:, 0].tolist() == [PRIMARY, COMPLEMENTARY, ""]


def test_chart_data_never_carries_a_hidden_number() -> None:
    result = suppress(pd.DataFrame({"A": [7, 30], "B": [25, 9]}, index=["x", "y"]))
    chart = result.for_chart()
    hidden = chart[chart["suppressed"]]
    assert hidden["value"].isna().all()
    assert set(hidden["label"]) == {"suppressed"}
    assert not {"7", "9", "25", "30"} & set(hidden["label"])
    assert "count" not in chart.columns


def test_reasons_say_primary_or_complementary_for_every_hidden_cell() -> None:
    result = suppress(pd.DataFrame({"A": [7, 30], "B": [25, 40]}, index=["x", "y"]))
    reasons = result.reasons()
    assert set(reasons["reason"]) <= {PRIMARY, COMPLEMENTARY}
    assert reasons.set_index(["row", "column"]).loc[("x", "A"), "reason"] == PRIMARY
    assert len(reasons) == result.n_primary + result.n_complementary


def test_values_for_computation_are_nan_where_hidden() -> None:
    values = suppress(pd.Series([5, 50, 60])).values()
    assert values.isna().tolist() == [True, True, False]


def test_without_margins_only_primary_suppression_applies() -> None:
    result = suppress(pd.Series([5, 50, 60]), margins=False)
    assert result.status.iloc[:, 0].tolist() == [PRIMARY, "", ""]
    assert TOTAL_LABEL not in result.published().index


@pytest.mark.parametrize(
    "bad", [pd.Series([1, -2]), pd.Series([1.5, 2]), pd.Series([1, None]), pd.Series(["a", "b"])]
)
def test_negative_fractional_or_missing_counts_are_refused(bad: pd.Series) -> None:
    with pytest.raises(ValueError, match="count"):
        suppress(bad)


# ------------------------------------------------------------------------------------------------
# rates
# ------------------------------------------------------------------------------------------------


def test_a_rate_on_a_small_numerator_is_suppressed() -> None:
    rates = suppress_rates(pd.Series([4, 40, 60]), pd.Series([100, 100, 200]))
    assert rates.reason.iloc[0] == SMALL_NUMERATOR
    assert np.isnan(rates.rates.iloc[0])
    assert rates.published().iloc[0] == "suppressed"


def test_a_rate_on_a_complementary_suppressed_numerator_is_suppressed() -> None:
    rates = suppress_rates(pd.Series([4, 40, 60]), pd.Series([100, 100, 200]))
    # numerators 4 (primary) and 40 (complement): both rates hidden
    assert rates.reason.iloc[1] == SMALL_NUMERATOR
    assert rates.published().iloc[2] == 30.0


def test_a_rate_on_a_small_denominator_is_suppressed() -> None:
    rates = suppress_rates(pd.Series([0, 30, 50]), pd.Series([8, 60, 70]))
    assert rates.reason.iloc[0] == SMALL_DENOMINATOR


def test_a_rate_that_reveals_a_small_number_of_failures_is_suppressed() -> None:
    rates = suppress_rates(pd.Series([95, 50, 50]), pd.Series([100, 100, 100]))
    assert rates.reason.iloc[0] == SMALL_COMPLEMENT


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80)), min_size=1, max_size=8).map(
        lambda pairs: [(min(a, b), max(a, b)) for a, b in pairs]
    )
)
def test_no_rate_is_shown_when_its_numerator_or_denominator_is_hidden(
    pairs: list[tuple[int, int]],
) -> None:
    num = pd.Series([p[0] for p in pairs])
    den = pd.Series([p[1] for p in pairs])
    rates = suppress_rates(num, den)
    shown = ~rates.hidden
    assert not (shown & rates.numerators.hidden.iloc[:, 0]).any()
    assert not (shown & rates.denominators.hidden.iloc[:, 0]).any()
    assert not (shown & num.between(1, 10)).any()
    assert not (shown & den.between(1, 10)).any()


# ------------------------------------------------------------------------------------------------
# staff survey
# ------------------------------------------------------------------------------------------------


def _survey(sizes: dict[str, int]) -> pd.DataFrame:
    rows = []
    for dept, n in sizes.items():
        for k in range(n):
            for skill in ("data_literacy", "statistics"):
                rows.append({"respondent_id": f"{dept}-{k}", "department_id": dept, "skill": skill})
    return pd.DataFrame(rows)


def test_a_survey_group_below_the_threshold_is_withheld() -> None:
    groups = survey_groups(_survey({"PW": 40, "HR": 7, "FIN": 30, "IT": 12}), "department_id")
    assert "HR" in groups.withheld
    assert "HR" not in groups.shown


def test_groups_are_counted_in_respondents_not_rows() -> None:
    # 6 people x 2 skills = 12 rows, still a group of 6
    groups = survey_groups(_survey({"PW": 40, "HR": 6, "FIN": 30}), "department_id")
    assert "HR" in groups.withheld


def test_a_lone_small_group_cannot_be_worked_out_from_the_overall_figure() -> None:
    groups = survey_groups(_survey({"PW": 40, "HR": 7, "FIN": 30, "IT": 12}), "department_id")
    # HR alone (7) would be "everyone minus the rest": the smallest other group goes too
    assert set(groups.withheld) == {"HR", "IT"}


def test_withheld_rows_are_removed_from_an_output_table() -> None:
    responses = _survey({"PW": 40, "HR": 7, "FIN": 30, "IT": 12})
    groups = survey_groups(responses, "department_id")
    summary = responses.groupby("department_id").size().rename("n").reset_index()
    kept = groups.keep(summary)
    assert set(kept["department_id"]) == {"PW", "FIN"}
    assert set(groups.keep(summary.set_index("department_id")).index) == {"PW", "FIN"}


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from("ABCDEFGH"), st.integers(1, 30), min_size=1))
def test_no_shown_survey_group_or_withheld_pool_is_small(sizes: dict[str, int]) -> None:
    groups = survey_groups(_survey(sizes), "department_id")
    assert all(sizes[g] >= 11 for g in groups.shown)
    pooled = sum(sizes[g] for g in groups.withheld)
    assert pooled == 0 or pooled >= 11 or not groups.shown


def test_a_whole_survey_below_the_threshold_shows_no_overall_figure() -> None:
    groups = survey_groups(_survey({"PW": 4, "HR": 3}), "department_id")
    assert not groups.overall_shown
    assert groups.shown == []
