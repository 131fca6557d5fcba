"""Facts that can change, kept as data with the date they were last checked.

Dates, thresholds and counts that a public body or this program may change live in ONE file,
``curriculum/facts.yaml``, each with an ``as_of`` date and the references behind it. Code and
notebooks read them through :func:`fact`::

    from cohort_tools.policy.facts import fact

    fact("spd15-compliance").text   # one plain sentence, dates in US style
    fact("spd15-compliance").value  # datetime.date(2029, 9, 28)

``kind: program_rule`` marks the program's own rules of thumb (such as the target-cut range of the
Module 1 workshop): their sentences say so, so learners never mistake them for published standards.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, model_validator

from cohort_tools.core.config import StrictModel, load_yaml, problems_from_validation
from cohort_tools.core.dates import us_date
from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.i18n import format_date, gettext
from cohort_tools.model.references import (
    References,
    curriculum_file,
    default_references,
    unknown_ids,
)

FACTS_FILE = "facts.yaml"
FactId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Value = dt.date | int | float | str
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _shown(value: Value | None) -> str:
    """A value as the current language writes it: dates in its style, words in its catalog."""
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, str):
        return gettext(value)
    return "" if value is None else str(value)


class Fact(StrictModel):
    """One fact that can change."""

    id: FactId
    kind: Literal["published", "program_rule"]
    value: Value
    previous: Value | None = None
    statement: Annotated[str, Field(min_length=1)]
    as_of: dt.date
    sources: list[str]
    confirmed: bool
    note: str = ""
    patterns: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Fact:
        if self.kind == "published" and not self.sources:
            raise ValueError("a published fact needs at least one source")
        if not self.confirmed and not self.note.strip():
            raise ValueError("an unconfirmed fact needs a note saying what to check")
        names = set(_PLACEHOLDER.findall(self.statement))
        if not names <= {"value", "previous"}:
            raise ValueError(
                f"the statement may use {{value}} and {{previous}} only, not {sorted(names)}"
            )
        if "previous" in names and self.previous is None:
            raise ValueError("the statement uses {previous} but the fact has no previous value")
        if self.kind == "program_rule" and not re.search(
            r"program's own|our own|not a published|not a benchmark", self.statement
        ):
            raise ValueError(
                "a program rule's statement must say it is the program's own, not a published "
                "standard"
            )
        for pattern in self.patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(
                    f"pattern {pattern!r} is not a valid regular expression: {exc}"
                ) from None
        return self

    @property
    def text(self) -> str:
        """The statement in the current language (the catalog translates it; English where it has
        no translation yet), with the value filled in (dates as that language writes them)."""
        source = " ".join(self.statement.split())
        statement = gettext(source)
        return statement.replace("{value}", _shown(self.value)).replace(
            "{previous}", _shown(self.previous)
        )

    @property
    def caveat(self) -> str:
        """What is not confirmed about the fact (its ``note``), in the current language."""
        note = " ".join(self.note.split())
        return gettext(note) if note else ""

    @property
    def shown_value(self) -> str:
        return _shown(self.value)


class Facts(StrictModel):
    facts: list[Fact] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_are_unique(self) -> Facts:
        ids = [f.id for f in self.facts]
        doubles = sorted({i for i in ids if ids.count(i) > 1})
        if doubles:
            raise ValueError(f"fact ids used more than once: {', '.join(doubles)}")
        return self

    def get(self, fact_id: str) -> Fact:
        for f in self.facts:
            if f.id == fact_id:
                return f
        known = ", ".join(f.id for f in self.facts)
        raise KeyError(f"no fact '{fact_id}' in {FACTS_FILE}; known facts: {known}")


def facts_file() -> Path:
    return curriculum_file(FACTS_FILE)


def load_facts(path: Path | None = None, *, references: References | None = None) -> Facts:
    """Load and validate the facts file; every source must be a reference id."""
    doc = load_yaml(path or facts_file(), what="facts file")
    try:
        facts = Facts.model_validate(doc.data)
    except ValidationError as exc:
        raise CdaError(
            problems_from_validation(exc, doc), headline=f"{doc.path} is not a valid facts file."
        ) from None
    refs = references if references is not None else default_references()
    problems: list[Problem] = []
    for i, f in enumerate(facts.facts):
        for p in unknown_ids(f.sources, refs, file=str(doc.path), field=f"facts[{i}].sources"):
            problems.append(
                Problem(
                    file=p.file,
                    line=doc.line_of(("facts", i, "sources")),
                    field=p.field,
                    message=p.message,
                    fix=p.fix,
                )
            )
    if problems:
        raise CdaError(problems, headline=f"{doc.path} cites sources that are not listed.")
    return facts


@cache
def default_facts() -> Facts:
    """The checkout's facts, read once per process."""
    return load_facts()


def fact(fact_id: str) -> Fact:
    """One fact by id (KeyError listing the known ids otherwise)."""
    return default_facts().get(fact_id)


__all__ = ["Fact", "Facts", "default_facts", "fact", "load_facts", "us_date"]
