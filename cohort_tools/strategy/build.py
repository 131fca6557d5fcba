"""Assemble a city's data strategy from its team's answers and its data (see :mod:`.document`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from cohort_tools.citydata import open_city
from cohort_tools.citydata.loader import CityData
from cohort_tools.lessons.inventory import inventory_metrics
from cohort_tools.model.cohort import City, Cohort
from cohort_tools.model.programme import Programme

from .collect import TeamAnswers
from .document import (
    Block,
    Bullets,
    Facts,
    Gap,
    Paragraph,
    Section,
    Strategy,
    Table,
    answer_values,
    blocks_for,
    cross_checks,
    show,
)
from .roadmap import roadmap_blocks, roadmap_items

#: Answers shown by a section's own layout instead of the generic one.
_CUSTOM = {"mayor_priorities", "data_vision"}


def _share(value: Any) -> str:
    return f"{float(value):.0%}" if isinstance(value, int | float) else "not set"


def _vision(values: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = []
    if values.get("data_vision"):
        blocks.append(Paragraph(str(values["data_vision"])))
    if values.get("mayor_priorities"):
        blocks.append(
            Paragraph("The mayor's priorities, which every part of this strategy serves:")
        )
        blocks.append(Bullets([str(p) for p in values["mayor_priorities"] if str(p).strip()]))
    return blocks


def _starting_point(part_id: str, data: CityData) -> list[Block]:
    """Today's figures from the city's own data, for the sections that start from them."""
    if part_id in ("governance", "transparency") and data.has("data_inventory"):
        m = inventory_metrics(data.table("data_inventory"), data.table_or_empty("departments"))
        return [
            Paragraph("Where the city starts, from its data inventory:"),
            Facts(
                [
                    ("Datasets in the inventory", f"{m.datasets:,}"),
                    ("Departments with a listed dataset", _share(m.departments_covered)),
                    ("Published openly", _share(m.published)),
                    ("Up to date", _share(m.fresh)),
                    ("Documented", _share(m.documented)),
                    ("Holding personal data", _share(m.personal)),
                ]
            ),
        ]
    if part_id == "workforce_strategy" and data.has("departments"):
        d = data.table("departments")
        roles, staff = int(d["data_roles"].sum()), int(d["headcount"].sum())
        return [
            Paragraph(
                f"Where the city starts: {roles:,} people work in dedicated data roles, out of "
                f"{staff:,} staff ({roles / staff * 100 if staff else 0:.1f} per 100)."
            )
        ]
    return []


def _measurement(values: dict[str, Any], data: CityData) -> list[Block]:
    """The indicators the city will track, today and the target the team set."""
    rows: list[list[str]] = []
    metrics = data.table_or_empty("performance_metrics")
    chosen = values.get("priority_metrics") or []
    if len(metrics) and isinstance(chosen, list):
        latest = metrics.sort_values("period").groupby("metric_id").tail(1).set_index("metric_id")
        for metric_id in chosen:
            if metric_id in latest.index:
                row = latest.loc[metric_id]
                unit = f" {row['unit']}" if str(row["unit"]) not in ("count", "") else ""
                target = "" if pd.isna(row["target"]) else f"{show(float(row['target']))}{unit}"
                rows.append(
                    [str(row["metric"]), f"{show(float(row['value']))}{unit}", target, "Module 1"]
                )
    if values.get("baseline_days") is not None and values.get("target_days") is not None:
        rows.append(
            [
                "Median days to close the most common service request",
                f"{show(values['baseline_days'])} days",
                f"{show(values['target_days'])} days",
                "Module 1",
            ]
        )
    path = values.get("staffing_path")
    if isinstance(path, dict) and data.has("departments"):
        rows.append(
            [
                "People in dedicated data roles",
                show(int(data.table("departments")["data_roles"].sum())),
                show(path.get("year_3")),
                "Module 2",
            ]
        )
    targets = values.get("transparency_targets")
    if isinstance(targets, dict) and data.has("data_inventory"):
        m = inventory_metrics(data.table("data_inventory"))
        for key, words in (
            ("published", "Datasets published openly"),
            ("documented", "Datasets documented"),
            ("fresh", "Datasets up to date"),
        ):
            if key in targets:
                rows.append([words, _share(getattr(m, key)), _share(targets[key]), "Module 3"])
    scores = values.get("maturity_scores")
    if isinstance(scores, dict) and scores:
        mean = sum(float(v) for v in scores.values()) / len(scores)
        areas = ", ".join(str(a) for a in values.get("improvement_areas") or []) or "three areas"
        rows.append(
            [
                "Data maturity (self-assessed, 0-100)",
                f"{mean:.0f}",
                f"one level up in {areas}",
                "Module 2",
            ]
        )
    if not rows:
        return []
    return [
        Paragraph("The strategy is working when these numbers move. Review them every quarter."),
        Table(["Indicator", "Today", "Target (end of year 3)", "Set in"], rows),
    ]


def assemble(
    city: City,
    team: TeamAnswers,
    programme: Programme,
    cohort: Cohort,
    *,
    made_on: dt.date | None = None,
    draw: bool = True,
) -> Strategy:
    """The city's strategy: one section per deliverable part, gaps marked.

    ``draw=False`` skips drawing the roadmap chart, for callers that only read the content."""
    data = open_city(city.data_dir)
    threshold = int(data.config.suppression_threshold or 11)
    all_values: dict[str, Any] = {}
    per_part: dict[str, tuple[dict[str, Any], list[Gap]]] = {}
    for part in programme.deliverable.parts:
        values, gaps = answer_values(part, team, programme)
        per_part[part.id] = (values, gaps)
        all_values.update(values)

    sections: list[Section] = []
    for part in programme.deliverable.parts:
        values, gaps = per_part[part.id]
        section = Section(part.id, part.title, part.description, gaps=list(gaps))
        section.blocks += _starting_point(part.id, data)
        if part.id == "vision":
            section.blocks += _vision(values)
        elif part.id == "roadmap":
            items = roadmap_items(all_values)
            section.blocks += roadmap_blocks(
                items, city.name, programme.deliverable.horizon_years, draw=draw
            )
        elif part.id == "measurement":
            section.blocks += _measurement(all_values, data)
        else:
            for name, value in values.items():
                if name not in _CUSTOM:
                    section.blocks += blocks_for(name, value)
        sections.append(section)

    by_answer = {
        name: (part, session_id)
        for part in programme.deliverable.parts
        for session_id, names in part.answers.items()
        for name in names
    }
    for answer, source, problem in cross_checks(all_values, threshold):
        part, _ = by_answer[answer]
        session = programme.session(by_answer[source][1])
        target = next(s for s in sections if s.id == part.id)
        target.gaps.append(
            Gap(
                part.title,
                answer,
                "inconsistent",
                session.id,
                session.title,
                str(session.notebook),
                problem,
            )
        )
    title = f"{city.name}: {programme.deliverable.title.lower()}"
    return Strategy(
        city_id=city.id,
        city_name=city.name,
        title=title[:1].upper() + title[1:],
        summary=" ".join(programme.deliverable.summary.split()),
        horizon_years=programme.deliverable.horizon_years,
        made_on=made_on or dt.date.today(),
        sections=sections,
        answers=all_values,
    )
