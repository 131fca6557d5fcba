"""Small-cell suppression: the one function every published count goes through.

Rules (the CMS cell-size suppression policy, published at resdac.org/node/1506):

* **Primary suppression.** A count from 1 to ``threshold - 1`` (default threshold 11, so 1-10) is
  never shown. Zero may be shown.
* **Complementary suppression.** A suppressed cell must not be recoverable from the totals
  published beside it. For a 1-D series with a total, and for a 2-D table with row and column
  margins, every line (row or column, totals included) that holds a hidden cell must hold at least
  two, or its total is hidden too. The complement is the smallest remaining non-zero cell of the
  line (zeros are avoided: a hidden zero in a line whose total is zero is no protection). In a 2-D
  table that is not enough on its own (a hidden cell can still be pinned through a chain of rows and
  columns), so the table is also checked as a graph: rows and columns are vertices, hidden cells are
  edges, and a hidden cell is determined by the row/column equations exactly when its edge is a
  *bridge*. Each bridge gets one more hidden cell closing a cycle through it. The loop runs until
  stable.
* **Rates** computed from a suppressed numerator or denominator are suppressed, and so are rates
  whose complement (denominator - numerator, e.g. the people *not* helped) is a small count.
* **Staff-survey groups** with fewer respondents than the threshold are never shown; when withheld
  groups together would still form a small group (derivable as "everyone" minus the shown groups),
  the next smallest groups are withheld too.

Suppressed cells render as a marker (default ``"suppressed"``; a complementary cell is not small, so
"<11" would be wrong for it), never the number, in tables and in data handed to charts.

Limits (documented, not hidden): the protection is against exact recovery from the margins published
*with this table*; it does not compute protection intervals, and it cannot know about other tables
published from the same data. Hidden cells are kept non-zero where possible, which also stops
recovery through the "counts are not negative" rule in ordinary tables.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

DEFAULT_THRESHOLD = 11
"""CMS rule: cells of 1-10 are suppressed."""

DEFAULT_MARKER = "suppressed"
PRIMARY = "primary"
COMPLEMENTARY = "complementary"
TOTAL_LABEL = "Total"


# --------------------------------------------------------------------------------------------------
# counts
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suppressed:
    """The outcome of :func:`suppress`: which cells are hidden, why, and how to publish them.

    ``counts`` keeps the original numbers for the code that computed them; publish only
    :meth:`published`, :meth:`for_chart` or :meth:`values`, which never carry a hidden number.
    """

    counts: pd.DataFrame
    status: pd.DataFrame  # "" shown, "primary", or "complementary"; same shape as counts
    threshold: int
    marker: str
    is_series: bool
    margins: bool
    row_total_status: pd.Series | None = None  # per row; None when row totals are not published
    col_total_status: pd.Series | None = (
        None  # per column; None when column totals are not published
    )
    grand_total_status: str | None = None  # None when no grand total is published

    @property
    def hidden(self) -> pd.DataFrame:
        """True where a cell is suppressed."""
        return self.status != ""

    @property
    def n_primary(self) -> int:
        return int((self.status == PRIMARY).to_numpy().sum())

    @property
    def n_complementary(self) -> int:
        extra = 0
        for s in (self.row_total_status, self.col_total_status):
            if s is not None:
                extra += int((s == COMPLEMENTARY).sum())
        extra += int(self.grand_total_status == COMPLEMENTARY)
        return int((self.status == COMPLEMENTARY).to_numpy().sum()) + extra

    def values(self) -> pd.DataFrame | pd.Series:
        """Numbers for further computation: hidden cells are NaN (float)."""
        out = self.counts.astype("float64").mask(self.hidden)
        return out.iloc[:, 0] if self.is_series else out

    def published(self) -> pd.DataFrame | pd.Series:
        """The table to publish: numbers where shown, the marker where hidden; totals included."""
        cells = self.counts.astype(object).mask(self.hidden, self.marker)
        if self.is_series:
            series = cells.iloc[:, 0].copy()
            if self.margins:
                total = self.counts.to_numpy().sum()
                series.loc[TOTAL_LABEL] = self.marker if self.grand_total_status else int(total)
            return series
        if not self.margins:
            return cells
        assert self.row_total_status is not None and self.col_total_status is not None
        out = cells.copy()
        row_totals = self.counts.sum(axis=1).astype(object)
        out[TOTAL_LABEL] = row_totals.mask(self.row_total_status != "", self.marker)
        col_totals = self.counts.sum(axis=0).astype(object)
        col_totals = col_totals.mask(self.col_total_status != "", self.marker)
        grand: object = (
            self.marker if self.grand_total_status else int(self.counts.to_numpy().sum())
        )
        out.loc[TOTAL_LABEL] = [*col_totals.tolist(), grand]
        return out

    def for_chart(self) -> pd.DataFrame:
        """Long data for charts: ``row``, ``column``, ``value`` (NaN when hidden), ``label``,
        ``suppressed``. The hidden number is not in it."""
        long = self.counts.stack(future_stack=True).rename("count").reset_index()
        long.columns = pd.Index(["row", "column", "count"])
        status = self.status.stack(future_stack=True).to_numpy()
        hidden = status != ""
        long["value"] = long["count"].astype("float64").where(~hidden)
        long["label"] = [
            self.marker if h else str(int(v)) for h, v in zip(hidden, long["count"], strict=True)
        ]
        long["suppressed"] = hidden
        long = long.drop(columns="count")
        if self.is_series:
            long = long.drop(columns="column")
        return long

    def reasons(self) -> pd.DataFrame:
        """One row per hidden cell (totals included): ``row``, ``column``, ``reason``."""
        rows: list[tuple[Hashable, Hashable, str]] = []
        for r in self.status.index:
            for c in self.status.columns:
                s = self.status.at[r, c]
                if s:
                    rows.append((r, None if self.is_series else c, s))
        if self.row_total_status is not None:
            rows += [(r, TOTAL_LABEL, s) for r, s in self.row_total_status.items() if s]
        if self.col_total_status is not None and not self.is_series:
            rows += [(TOTAL_LABEL, c, s) for c, s in self.col_total_status.items() if s]
        if self.grand_total_status:
            rows.append((TOTAL_LABEL, TOTAL_LABEL, self.grand_total_status))
        return pd.DataFrame(rows, columns=["row", "column", "reason"])


def _as_counts(counts: pd.Series | pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    is_series = isinstance(counts, pd.Series)
    frame = (
        counts.to_frame(name=counts.name if counts.name is not None else "count")
        if is_series
        else counts
    )
    if not isinstance(frame, pd.DataFrame):
        raise TypeError("suppress() takes a pandas Series or DataFrame of counts.")
    numeric = frame.apply(pd.to_numeric, errors="coerce")
    arr = numeric.to_numpy(dtype="float64", na_value=np.nan)
    if np.isnan(arr).any():
        raise ValueError(
            "suppress() got missing or non-numeric counts; fill missing counts with 0 "
            "(or drop the row) before suppressing."
        )
    if (arr < 0).any() or (arr != np.round(arr)).any():
        raise ValueError("suppress() takes whole, non-negative counts.")
    return numeric.astype("int64"), is_series


def suppress(
    counts: pd.Series | pd.DataFrame,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    margins: bool = True,
    marker: str = DEFAULT_MARKER,
) -> Suppressed:
    """Suppress small counts (1 to ``threshold - 1``) with complementary suppression.

    ``counts``: a Series (1-D, published with its total when ``margins``) or a DataFrame (2-D,
    published with row totals, column totals and a grand total when ``margins``). With
    ``margins=False`` nothing can be recovered from totals, so only primary suppression applies.
    """
    if threshold < 1:
        raise ValueError("threshold must be at least 1.")
    frame, is_series = _as_counts(counts)
    values = frame.to_numpy(dtype="int64")
    primary = (values > 0) & (values < threshold)
    n_rows, n_cols = values.shape

    if is_series:
        # One line: the cells (as a column) and the total underneath.
        aug = np.append(values[:, 0], values.sum())[:, None]
        hidden = np.append(primary[:, 0], False)[:, None]
        series_lines = [np.array([(i, 0) for i in range(n_rows + 1)])] if margins else []
        hidden = _complete(aug, hidden, series_lines, bridges=False)
        status = _status(primary, hidden[:n_rows, :])
        return Suppressed(
            counts=frame,
            status=status_frame(status, frame),
            threshold=threshold,
            marker=marker,
            is_series=True,
            margins=margins,
            grand_total_status=(COMPLEMENTARY if hidden[n_rows, 0] else "") if margins else None,
        )

    # Augmented table: last column holds row totals, last row holds column totals and grand total.
    aug = np.zeros((n_rows + 1, n_cols + 1), dtype="int64")
    aug[:n_rows, :n_cols] = values
    aug[:n_rows, n_cols] = values.sum(axis=1)
    aug[n_rows, :n_cols] = values.sum(axis=0)
    aug[n_rows, n_cols] = values.sum()
    hidden = np.zeros_like(aug, dtype=bool)
    hidden[:n_rows, :n_cols] = primary
    lines: list[np.ndarray] = []
    if margins:
        lines = [np.array([(i, j) for j in range(n_cols + 1)]) for i in range(n_rows + 1)]
        lines += [np.array([(i, j) for i in range(n_rows + 1)]) for j in range(n_cols + 1)]
    hidden = _complete(aug, hidden, lines, bridges=margins)
    status = _status(primary, hidden[:n_rows, :n_cols])
    result = Suppressed(
        counts=frame,
        status=status_frame(status, frame),
        threshold=threshold,
        marker=marker,
        is_series=False,
        margins=margins,
    )
    if margins:
        comp = np.where(hidden, COMPLEMENTARY, "")
        result = Suppressed(
            counts=result.counts,
            status=result.status,
            threshold=threshold,
            marker=marker,
            is_series=False,
            margins=True,
            row_total_status=pd.Series(comp[:n_rows, n_cols], index=frame.index, dtype=object),
            col_total_status=pd.Series(comp[n_rows, :n_cols], index=frame.columns, dtype=object),
            grand_total_status=str(comp[n_rows, n_cols]),
        )
    return result


def status_frame(status: np.ndarray, like: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(status, index=like.index, columns=like.columns, dtype=object)


def _status(primary: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    out = np.full(primary.shape, "", dtype=object)
    out[hidden] = COMPLEMENTARY
    out[primary] = PRIMARY
    return out


def _pick(
    aug: np.ndarray, candidates: Sequence[tuple[int, int]], total_cells: set[tuple[int, int]]
) -> tuple[int, int]:
    """Smallest non-zero candidate, inner cells before totals; zeros only when nothing else."""

    def key(cell: tuple[int, int]) -> tuple[int, int, int, int, int]:
        v = int(aug[cell])
        return (v == 0, cell in total_cells, v, cell[0], cell[1])

    return min(candidates, key=key)


def _complete(
    aug: np.ndarray, hidden: np.ndarray, lines: list[np.ndarray], *, bridges: bool
) -> np.ndarray:
    """Grow ``hidden`` until no line has exactly one hidden cell and (2-D) no cell is a bridge."""
    hidden = hidden.copy()
    n_r, n_c = aug.shape
    total_cells = {(i, n_c - 1) for i in range(n_r)} | {(n_r - 1, j) for j in range(n_c)}
    if not bridges:  # series: the single line's last cell is its total
        total_cells = {(n_r - 1, 0)}
    while True:
        changed = False
        for line in lines:
            mask = hidden[line[:, 0], line[:, 1]]
            if mask.sum() == 1:
                cands = [(int(c[0]), int(c[1])) for c, m in zip(line, mask, strict=True) if not m]
                if cands:
                    hidden[_pick(aug, cands, total_cells)] = True
                    changed = True
        if changed:
            continue
        if bridges:
            bridge = _first_bridge(hidden)
            if bridge is not None:
                i, j = bridge
                side_i, side_j = _sides(hidden, i, j)
                across: list[tuple[int, int]] = [
                    (r, c)
                    for r in range(n_r)
                    for c in range(n_c)
                    if not hidden[r, c]
                    and (
                        (("r", r) in side_i and ("c", c) in side_j)
                        or (("r", r) in side_j and ("c", c) in side_i)
                    )
                ]
                hidden[_pick(aug, across, total_cells)] = True
                continue
        return hidden


def _adjacency(hidden: np.ndarray) -> dict[tuple[str, int], list[tuple[str, int]]]:
    adj: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for r, c in zip(*np.nonzero(hidden), strict=True):
        adj.setdefault(("r", int(r)), []).append(("c", int(c)))
        adj.setdefault(("c", int(c)), []).append(("r", int(r)))
    return adj


def _first_bridge(hidden: np.ndarray) -> tuple[int, int] | None:
    """First hidden cell whose edge is a bridge of the row/column graph (Tarjan, iterative).

    Written here rather than importing networkx: about 30 lines; the package has no graph library.
    """
    adj = _adjacency(hidden)
    disc: dict[tuple[str, int], int] = {}
    low: dict[tuple[str, int], int] = {}
    counter = 0
    found: list[tuple[int, int]] = []
    for root in sorted(adj):
        if root in disc:
            continue
        disc[root] = low[root] = counter
        counter += 1
        stack: list[tuple[tuple[str, int], tuple[str, int] | None, int]] = [(root, None, 0)]
        while stack:
            node, parent, idx = stack[-1]
            if idx < len(adj[node]):
                stack[-1] = (node, parent, idx + 1)
                nxt = adj[node][idx]
                if nxt == parent:  # each row/column pair is one cell, so no parallel edges
                    continue
                if nxt in disc:
                    low[node] = min(low[node], disc[nxt])
                else:
                    disc[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append((nxt, node, 0))
            else:
                stack.pop()
                if parent is not None:
                    low[parent] = min(low[parent], low[node])
                    if low[node] > disc[parent]:
                        a, b = (parent, node) if parent[0] == "r" else (node, parent)
                        found.append((a[1], b[1]))
    return min(found) if found else None


def _sides(hidden: np.ndarray, i: int, j: int) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """The two components left when the bridge cell (i, j) is removed."""
    h = hidden.copy()
    h[i, j] = False
    adj = _adjacency(h)

    def reach(start: tuple[str, int]) -> set[tuple[str, int]]:
        seen = {start}
        todo = [start]
        while todo:
            for nxt in adj.get(todo.pop(), []):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    return reach(("r", i)), reach(("c", j))


# --------------------------------------------------------------------------------------------------
# rates
# --------------------------------------------------------------------------------------------------

SMALL_NUMERATOR = "small or suppressed numerator"
SMALL_DENOMINATOR = "small or suppressed denominator"
SMALL_COMPLEMENT = "small or suppressed complement (denominator - numerator)"


@dataclass(frozen=True)
class SuppressedRates:
    """Rates with the reason each hidden rate is hidden ('' when shown)."""

    rates: pd.Series | pd.DataFrame  # NaN where hidden
    reason: pd.Series | pd.DataFrame
    marker: str
    numerators: Suppressed
    denominators: Suppressed

    @property
    def hidden(self) -> pd.Series | pd.DataFrame:
        return self.reason != ""

    def published(self, decimals: int = 1) -> pd.Series | pd.DataFrame:
        """Rounded rates with the marker where hidden."""
        return self.rates.round(decimals).astype(object).mask(self.hidden, self.marker)


def suppress_rates(
    numerators: pd.Series | pd.DataFrame,
    denominators: pd.Series | pd.DataFrame,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    per: float = 100.0,
    margins: bool = True,
    marker: str = DEFAULT_MARKER,
) -> SuppressedRates:
    """Rates ``per * numerator / denominator`` with any rate built on a hidden count hidden.

    The numerators, the denominators and the complements (denominator - numerator) are each
    suppressed with :func:`suppress` (with their totals, as they would be published); a rate is
    hidden when any of the three is hidden for its cell, or when the denominator is zero.
    """
    num, _ = _as_counts(numerators)
    den, _ = _as_counts(denominators)
    if num.shape != den.shape or not (num.index.equals(den.index)):
        raise ValueError("numerators and denominators must have the same rows and columns.")
    den.columns = num.columns
    if (num.to_numpy() > den.to_numpy()).any():
        raise ValueError("a numerator is larger than its denominator.")
    is_series = isinstance(numerators, pd.Series)
    n_s = suppress(num.iloc[:, 0] if is_series else num, threshold=threshold, margins=margins)
    d_s = suppress(den.iloc[:, 0] if is_series else den, threshold=threshold, margins=margins)
    comp = den - num
    c_s = suppress(comp.iloc[:, 0] if is_series else comp, threshold=threshold, margins=margins)
    reason = pd.DataFrame("", index=num.index, columns=num.columns, dtype=object)
    reason = reason.mask(c_s.hidden, SMALL_COMPLEMENT)
    reason = reason.mask(d_s.hidden | (den == 0), SMALL_DENOMINATOR)
    reason = reason.mask(n_s.hidden, SMALL_NUMERATOR)
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = (per * num.astype("float64") / den.astype("float64")).mask(reason != "")
    if is_series:
        return SuppressedRates(rates.iloc[:, 0], reason.iloc[:, 0], marker, n_s, d_s)
    return SuppressedRates(rates, reason, marker, n_s, d_s)


# --------------------------------------------------------------------------------------------------
# staff survey
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyGroups:
    """Which survey groups may be shown. ``withheld`` maps a group key to its reason."""

    by: tuple[str, ...]
    sizes: pd.Series  # respondents per group (private; do not publish)
    withheld: dict[Any, str] = field(default_factory=dict)
    overall_shown: bool = True  # False when the whole survey has fewer than threshold respondents

    @property
    def shown(self) -> list[Any]:
        return [g for g in self.sizes.index if g not in self.withheld]

    def keep(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Rows of ``frame`` (indexed by, or with columns for, the group keys) of shown groups."""
        cols = list(self.by)
        if set(cols) <= set(frame.columns):
            keys = pd.MultiIndex.from_frame(frame[cols]) if len(cols) > 1 else frame[cols[0]]
            return frame[~pd.Index(keys).isin(list(self.withheld))]
        return frame[~frame.index.isin(list(self.withheld))]


def survey_groups(
    responses: pd.DataFrame,
    by: str | Sequence[str],
    *,
    respondent_col: str = "respondent_id",
    threshold: int = DEFAULT_THRESHOLD,
    overall_shown: bool = True,
) -> SurveyGroups:
    """Decide which groups of a staff survey may be shown: never one with < ``threshold`` people.

    Groups are counted in distinct respondents (the survey has one row per respondent x skill).
    When an overall figure is shown too, the withheld groups taken together must also reach the
    threshold (else "everyone minus the shown groups" reveals them): the smallest shown groups are
    withheld as well until they do.
    """
    cols = (by,) if isinstance(by, str) else tuple(by)
    missing = [c for c in (*cols, respondent_col) if c not in responses.columns]
    if missing:
        raise ValueError(f"survey_groups(): columns not in the responses: {', '.join(missing)}.")
    sizes = responses.groupby(list(cols), dropna=False, observed=True)[respondent_col].nunique()
    sizes = sizes.sort_index()
    withheld: dict[Any, str] = {
        g: f"fewer than {threshold} respondents" for g, n in sizes.items() if n < threshold
    }
    if overall_shown:
        while True:
            pooled = int(sizes[list(withheld)].sum()) if withheld else 0
            if pooled == 0 or pooled >= threshold:
                break
            remaining = sizes.drop(index=list(withheld))
            if remaining.empty:
                break
            smallest = remaining.sort_values(kind="stable").index[0]
            withheld[smallest] = (
                "withheld so that the small groups cannot be worked out from the total"
            )
    everyone = int(responses[respondent_col].nunique())
    return SurveyGroups(
        by=cols,
        sizes=sizes,
        withheld=withheld,
        overall_shown=overall_shown and everyone >= threshold,
    )
