"""Checks of a chart for a resident audience, in plain words.

A chart for residents should say its finding in the title, label its axes in words, use colours that
people with colour-blindness can tell apart, carry a text alternative, show uncertainty when it
plots rates, and show suppressed groups as "suppressed", never as zero and never silently dropped.
:func:`check_chart` reads an Altair chart (or its Vega-Lite dict from ``chart.to_dict()``) and
returns one :class:`ChartProblem` per thing to fix; an empty list means the chart passes.

    problems = check_chart(chart, suppressed_groups=["Middle Eastern or North African"])
    for p in problems:
        cp.require(False, p.what, p.fix)  # inside a Checkpoint

Some checks are rules of thumb (a "finding" in a title is recognised by a number or a comparing
word); they say so in their message.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from cohort_tools.core.i18n import _
from cohort_tools.render.charts import chart_title

DEFAULT_MARKER = "suppressed"

#: Named Vega colour schemes that stay distinguishable for the common colour-vision deficiencies.
SAFE_SCHEMES = frozenset(
    {"viridis", "cividis", "plasma", "inferno", "magma", "blues", "greys", "purples", "oranges",
     "dark2", "set2", "paired", "blueorange", "purpleorange", "brownbluegreen"}
)  # fmt: skip

#: Words that make a title read as a finding rather than a label (with a number, the other sign).
FINDING_WORDS = frozenset(
    {"more", "less", "fewer", "higher", "lower", "highest", "lowest", "most", "least", "than",
     "half", "twice", "times", "gap", "same", "rose", "fell", "grew", "dropped", "better", "worse",
     "faster", "slower", "behind", "ahead", "above", "below", "every", "all", "none",
     "only", "doubled", "up", "down", "increase", "decrease", "lags", "leads", "trails"}
)  # fmt: skip

POSITION_CHANNELS = ("x", "y")
UNCERTAINTY_MARKS = frozenset({"errorbar", "errorband", "rule", "area"})
#: Minimum colour difference (CIE76 delta E) between two categories under simulated
#: colour-blindness. Chosen so that the Okabe-Ito colours pass (smallest pair about 18) and the
#: red-green pairs of common defaults fail (about 7 to 12).
MIN_DELTA_E = 15.0


@dataclass(frozen=True)
class ChartProblem:
    """One thing to fix: a stable ``code``, ``what`` is wrong and the ``fix``, both plain words."""

    code: str
    what: str
    fix: str

    def __str__(self) -> str:
        return _("{what} Try: {fix}").format(what=self.what, fix=self.fix)


# --------------------------------------------------------------------------------------------------
# reading the spec
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    mark: str
    encoding: dict[str, Any]
    rows: list[dict[str, Any]]


def as_spec(chart: Any) -> dict[str, Any]:
    """The Vega-Lite dict of an Altair chart, or the dict itself."""
    if isinstance(chart, Mapping):
        return dict(chart)
    to_dict = getattr(chart, "to_dict", None)
    if callable(to_dict):
        return dict(to_dict())
    raise TypeError(_("check_chart() takes an Altair chart or its chart.to_dict() dictionary."))


def _rows(data: Any, datasets: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    if not isinstance(data, Mapping):
        return None
    if "values" in data and isinstance(data["values"], list):
        return [dict(r) for r in data["values"] if isinstance(r, Mapping)]
    name = data.get("name")
    if isinstance(name, str) and isinstance(datasets.get(name), list):
        return [dict(r) for r in datasets[name] if isinstance(r, Mapping)]
    return None


def _units(
    spec: Mapping[str, Any],
    datasets: Mapping[str, Any],
    encoding: dict[str, Any] | None = None,
    rows: list[dict[str, Any]] | None = None,
) -> Iterator[_Unit]:
    """Every single-mark view, with the encoding and data it inherits from layers and facets."""
    here_rows = _rows(spec.get("data"), datasets)
    rows = here_rows if here_rows is not None else rows
    merged = {**(encoding or {}), **(spec.get("encoding") or {})}
    if "mark" in spec:
        mark = spec["mark"]
        kind = mark.get("type") if isinstance(mark, Mapping) else mark
        yield _Unit(str(kind), merged, rows or [])
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key) or []:
            if isinstance(child, Mapping):
                inherit = merged if key == "layer" else None
                yield from _units(child, datasets, inherit, rows)
    if isinstance(spec.get("spec"), Mapping):  # facet and repeat
        yield from _units(spec["spec"], datasets, merged, rows)


def _channel_field(channel: Any) -> str | None:
    if isinstance(channel, Mapping) and isinstance(channel.get("field"), str):
        return str(channel["field"])
    return None


def _is_quantitative(channel: Any) -> bool:
    return isinstance(channel, Mapping) and (
        channel.get("type") == "quantitative" or "aggregate" in channel
    )


# --------------------------------------------------------------------------------------------------
# colour (written here: the checks need two small formulas, not a colour-science dependency)
# --------------------------------------------------------------------------------------------------

# Machado, Oliveira & Fernandes (2009) simulation matrices, severity 1.0, on linear RGB.
_PROTAN = ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
           (-0.003882, -0.048116, 1.051998))  # fmt: skip
_DEUTAN = ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
           (-0.011820, 0.042940, 0.968881))  # fmt: skip

_NAMED = {
    "red": "#ff0000", "green": "#008000", "blue": "#0000ff", "orange": "#ffa500",
    "purple": "#800080", "black": "#000000", "grey": "#808080", "gray": "#808080",
    "white": "#ffffff", "yellow": "#ffff00", "brown": "#a52a2a", "pink": "#ffc0cb",
    "lime": "#00ff00", "teal": "#008080", "navy": "#000080", "maroon": "#800000",
}  # fmt: skip


def _rgb(colour: str) -> tuple[float, float, float] | None:
    text = _NAMED.get(colour.strip().lower(), colour.strip())
    m = re.fullmatch(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})", text)
    if not m:
        return None
    hexes = m.group(1)
    if len(hexes) == 3:
        hexes = "".join(c * 2 for c in hexes)
    return tuple(int(hexes[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]  # always three values


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _lab(linear_rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = (min(max(v, 0.0), 1.0) for v in linear_rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _seen(rgb: tuple[float, float, float], matrix: Any) -> tuple[float, float, float]:
    lin = [_linear(c) for c in rgb]
    if matrix is None:
        return _lab((lin[0], lin[1], lin[2]))
    out = [sum(row[k] * lin[k] for k in range(3)) for row in matrix]
    return _lab((out[0], out[1], out[2]))


def colour_difference(a: str, b: str) -> float:
    """Smallest CIE76 difference between two colours for normal, protan and deutan vision."""
    ra, rb = _rgb(a), _rgb(b)
    if ra is None or rb is None:
        return float("inf")  # not a colour we can read: do not guess
    worst = float("inf")
    for matrix in (None, _PROTAN, _DEUTAN):
        la, lb = _seen(ra, matrix), _seen(rb, matrix)
        worst = min(worst, sum((p - q) ** 2 for p, q in zip(la, lb, strict=True)) ** 0.5)
    return worst


def confusable_colours(
    colours: list[str], *, min_delta: float = MIN_DELTA_E
) -> list[tuple[str, str]]:
    """Pairs of colours that people with red-green colour-blindness may not tell apart."""
    return [
        (a, b)
        for i, a in enumerate(colours)
        for b in colours[i + 1 :]
        if colour_difference(a, b) < min_delta
    ]


# --------------------------------------------------------------------------------------------------
# the checks
# --------------------------------------------------------------------------------------------------


def _check_title(spec: Mapping[str, Any]) -> list[ChartProblem]:
    title = chart_title(dict(spec))
    if not title:
        return [
            ChartProblem(
                "no-title",
                _("the chart has no title."),
                _(
                    "give it a title that says the finding in words, e.g. 'Fewer than half of "
                    "young people found work'."
                ),
            )
        ]
    words = re.findall(r"[A-Za-z']+", title.lower())
    has_number = bool(re.search(r"\d", title))
    if len(words) < 4 or not (has_number or FINDING_WORDS & set(words)):
        return [
            ChartProblem(
                "title-not-a-finding",
                _(
                    "the title '{title}' names the data but does not say what it shows (rule of "
                    "thumb: a finding has a number or a comparing word such as 'higher' or "
                    "'fewer')."
                ).format(title=title),
                _(
                    "write the one thing a resident should remember, e.g. 'Black residents "
                    "waited twice as long as others'."
                ),
            )
        ]
    return []


def _check_description(spec: Mapping[str, Any]) -> list[ChartProblem]:
    description = spec.get("description")
    title = chart_title(dict(spec)) or ""
    if not isinstance(description, str) or not description.strip():
        return [
            ChartProblem(
                "no-description",
                _(
                    "the chart has no text alternative, so people using a screen reader get nothing."
                ),
                _(
                    "set the chart's description: say what kind of chart it is and its main numbers."
                ),
            )
        ]
    if description.strip() == title or len(description.split()) < 8:
        return [
            ChartProblem(
                "short-description",
                _("the text alternative is too short to replace the chart."),
                _(
                    "describe the chart in a sentence or two with its main numbers, not only its "
                    "title."
                ),
            )
        ]
    return []


def _axis_title(channel: Mapping[str, Any], field: str) -> Any:
    title = channel.get("title", field)
    return " ".join(map(str, title)) if isinstance(title, list) else title


def _good_axis_title(title: Any, field: str) -> bool:
    return (
        isinstance(title, str)
        and bool(title.strip())
        and title.strip() != field
        and not re.fullmatch(r"\w+\(\w+\)|[a-z0-9]+(_[a-z0-9]+)+", title.strip())
    )


def _check_axes(units: list[_Unit]) -> list[ChartProblem]:
    """Each position axis needs a label in words; layers share an axis, so one label is enough."""
    problems: list[ChartProblem] = []
    for name in POSITION_CHANNELS:
        used = [
            (unit.encoding[name], _channel_field(unit.encoding.get(name)))
            for unit in units
            if unit.mark != "text" and _channel_field(unit.encoding.get(name)) is not None
        ]
        if not used or any(_good_axis_title(_axis_title(c, f), f) for c, f in used if f):
            continue
        channel, field = used[0]
        assert field is not None
        title = _axis_title(channel, field)
        if not isinstance(title, str) or not title.strip():
            problems.append(
                ChartProblem(
                    "unlabelled-axis",
                    _("the {axis} axis (showing '{field}') has no label.").format(
                        axis=name, field=field
                    ),
                    _(
                        "give every axis a label in words, with its unit, e.g. 'Share who found "
                        "work (%)'."
                    ),
                )
            )
        else:
            problems.append(
                ChartProblem(
                    "axis-label-is-a-column-name",
                    _("the {axis} axis is labeled '{title}', a column name, not words.").format(
                        axis=name, title=title
                    ),
                    _(
                        "write the label a resident would understand, e.g. 'Share who found work (%)'."
                    ),
                )
            )
    return problems


def _check_colours(units: list[_Unit]) -> list[ChartProblem]:
    problems: list[ChartProblem] = []
    for unit in units:
        channel = unit.encoding.get("color") or unit.encoding.get("fill")
        if not isinstance(channel, Mapping) or _channel_field(channel) is None:
            continue
        if channel.get("type") in ("quantitative", "temporal"):
            continue  # a continuous scale: Vega's default (viridis-like) is safe
        scale = channel.get("scale") or {}
        scheme = scale.get("scheme")
        if isinstance(scheme, Mapping):
            scheme = scheme.get("name")
        colours = scale.get("range")
        if isinstance(colours, list) and all(isinstance(c, str) for c in colours):
            pairs = confusable_colours(list(colours))
            if pairs:
                shown = ", ".join(_("{a} and {b}").format(a=a, b=b) for a, b in pairs[:3])
                problems.append(
                    ChartProblem(
                        "colours-not-colour-blind-safe",
                        _(
                            "some colors look alike to people with color blindness ({pairs})."
                        ).format(pairs=shown),
                        _(
                            "use a color-blind-safe set such as blue #0072B2, orange #E69F00 and "
                            "gray #999999."
                        ),
                    )
                )
        elif isinstance(scheme, str) and scheme.lower() in SAFE_SCHEMES:
            continue
        else:
            problems.append(
                ChartProblem(
                    "colours-not-chosen",
                    (
                        _(
                            "the chart uses colors nobody chose (the '{scheme}' scheme), which may "
                            "include red and green side by side."
                        ).format(scheme=scheme)
                        if scheme
                        else _(
                            "the chart uses colors nobody chose (the default set), which may "
                            "include red and green side by side."
                        )
                    ),
                    _(
                        "set the colors yourself from a color-blind-safe set, e.g. blue #0072B2, "
                        "orange #E69F00 and gray #999999."
                    ),
                )
            )
        break  # one colour problem is enough to act on
    return problems


def _matches(name: str, value: Any) -> bool:
    if not isinstance(value, str):
        return False
    pattern = r"(?<![\w-])" + re.escape(name.lower()) + r"(?![\w-])"
    return re.search(pattern, value.lower()) is not None


def _check_suppressed(
    units: list[_Unit], groups: Collection[str], marker: str
) -> list[ChartProblem]:
    problems: list[ChartProblem] = []
    # The reader's word for the marker ("suprimido" in Spanish) labels the group as well as the
    # marker itself; the advice names the reader's word.
    shown = _(marker)
    markers = dict.fromkeys((marker, shown))
    for group in groups:
        rows: list[tuple[_Unit, dict[str, Any]]] = []
        for unit in units:
            fields = [
                f for f in (_channel_field(c) for c in unit.encoding.values()) if f is not None
            ]
            for row in unit.rows:
                if any(_matches(group, row.get(f)) for f in fields):
                    rows.append((unit, row))
        if not rows:
            problems.append(
                ChartProblem(
                    "suppressed-group-missing",
                    _(
                        "the group '{group}' is not on the chart; a resident cannot tell whether "
                        "it was left out or had no one."
                    ).format(group=group),
                    _(
                        "keep the group and label it '{marker}', so readers see that its numbers "
                        "are withheld to protect privacy."
                    ).format(marker=shown),
                )
            )
            continue
        labelled = any(
            _matches(word, row.get(f))
            for word in markers
            for unit, row in rows
            for f in (_channel_field(c) for c in unit.encoding.values())
            if f is not None
        )
        drawn_as_zero = any(
            row.get(_channel_field(unit.encoding.get(name)) or "") in (0, 0.0)
            for unit, row in rows
            if unit.mark != "text"
            for name in POSITION_CHANNELS
            if _is_quantitative(unit.encoding.get(name))
        )
        if drawn_as_zero:
            problems.append(
                ChartProblem(
                    "suppressed-drawn-as-zero",
                    _(
                        "the group '{group}' is drawn as zero, but its number is withheld, not zero."
                    ).format(group=group),
                    _("leave its value empty (no bar) and label it '{marker}' instead.").format(
                        marker=shown
                    ),
                )
            )
        if not labelled:
            problems.append(
                ChartProblem(
                    "suppressed-not-labelled",
                    _("the chart does not say that the group '{group}' is {marker}.").format(
                        group=group, marker=shown
                    ),
                    _(
                        "show the word '{marker}' for it, e.g. in its axis label or as text beside "
                        "it."
                    ).format(marker=shown),
                )
            )
    return problems


def _check_uncertainty(units: list[_Unit]) -> list[ChartProblem]:
    for unit in units:
        if unit.mark in UNCERTAINTY_MARKS or any(
            k in unit.encoding for k in ("x2", "y2", "xError", "yError")
        ):
            return []
    return [
        ChartProblem(
            "no-uncertainty",
            _(
                "the chart shows rates without their uncertainty, so small differences look certain."
            ),
            _(
                "add a range for each rate (an error bar or a line from the low to the high estimate)."
            ),
        )
    ]


def _check_zero_baseline(units: list[_Unit]) -> list[ChartProblem]:
    for unit in units:
        if unit.mark != "bar":
            continue
        for name in POSITION_CHANNELS:
            channel = unit.encoding.get(name)
            scale = channel.get("scale") if isinstance(channel, Mapping) else None
            if isinstance(scale, Mapping) and scale.get("zero") is False:
                return [
                    ChartProblem(
                        "bars-do-not-start-at-zero",
                        _(
                            "the bars do not start at zero, so differences look bigger than they "
                            "are."
                        ),
                        _("let the bar axis start at zero."),
                    )
                ]
    return []


def check_chart(
    chart: Any,
    *,
    suppressed_groups: Collection[str] = (),
    marker: str = DEFAULT_MARKER,
    require_uncertainty: bool = False,
) -> list[ChartProblem]:
    """Every problem with ``chart`` (an Altair chart or its dict) for a resident audience.

    ``suppressed_groups``: names of groups whose numbers are withheld; each must be on the chart,
    labelled with ``marker``, and not drawn as zero. ``require_uncertainty``: the chart plots rates
    and must show a range for them.
    """
    spec = as_spec(chart)
    datasets = spec.get("datasets") or {}
    units = list(_units(spec, datasets))
    problems = [*_check_title(spec), *_check_description(spec), *_check_axes(units)]
    problems += _check_colours(units)
    problems += _check_zero_baseline(units)
    problems += _check_suppressed(units, suppressed_groups, marker)
    if require_uncertainty:
        problems += _check_uncertainty(units)
    return problems


def problem_codes(problems: list[ChartProblem]) -> set[str]:
    """The codes of ``problems`` (handy in tests and in checkpoints that look at one aspect)."""
    return {p.code for p in problems}
