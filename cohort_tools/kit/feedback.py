"""The coach's showcase feedback form, as a YAML file checked like the coaching log.

A coach fills in one file per city and showcase (``feedback-<showcase>.yaml`` beside the city's
coaching log). It rates each criterion of that showcase's rubric from 0 to 3 with the evidence seen,
names what worked and what to improve, and records the next steps as commitments (owner roles and
due dates, as in the coaching log). Roles only: names and e-mail addresses are refused.

```yaml
# Showcase feedback for riverton. Roles only: never write people's names or e-mail addresses.
city: riverton
showcase: showcase-routine
date: 2027-03-17
attendees: [mayor, cda_lead, chief_of_staff, coach]
ratings:
  rhythm: {level: 2, evidence: Met monthly since January; next three dates booked.}
  ...
strengths: [The mayor asked for the pothole numbers at every meeting.]
to_improve: [Write the routine down so Transportation can copy it.]
commitments:
  - {text: Write up the routine on one page, owner_role: chief_of_staff, due: 2027-04-06}
mayor_decision: ""
```
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import Field, ValidationError

from cohort_tools.core.config import (
    StrictModel,
    YamlDocument,
    load_yaml,
    problems_from_validation,
)
from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.i18n import N_
from cohort_tools.core.i18n import gettext as _
from cohort_tools.kit.content import Rubric, ShowcaseRubrics, load_showcase_rubrics
from cohort_tools.model.coaching import Commitment, allowed_roles
from cohort_tools.model.programme import Programme, load_programme

Text = Annotated[str, Field(min_length=1)]
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


class _Strict(StrictModel):
    """A feedback form: unknown fields are errors, values do not change."""


class Rating(_Strict):
    level: int = Field(ge=0, le=3)
    evidence: str = ""


class ShowcaseFeedback(_Strict):
    city: Text
    showcase: Text
    date: dt.date
    attendees: list[str] = Field(min_length=1)
    ratings: dict[str, Rating]
    strengths: list[Text] = Field(min_length=1, max_length=3)
    to_improve: list[Text] = Field(min_length=1, max_length=3)
    commitments: list[Commitment] = Field(default_factory=list)
    mayor_decision: str = ""

    @property
    def points(self) -> int:
        return sum(r.level for r in self.ratings.values())


def feedback_file_name(showcase_id: str) -> str:
    return f"feedback-{showcase_id}.yaml"


def _texts(value: Any, loc: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        return [(loc, value)]
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in _texts(v, (*loc, str(k)))]
    if isinstance(value, list):
        return [x for i, v in enumerate(value) for x in _texts(v, (*loc, i))]
    return []


def _rules(
    form: ShowcaseFeedback,
    doc: YamlDocument,
    rubric: Rubric | None,
    programme: Programme,
    city: str | None,
    known_showcases: list[str],
) -> list[Problem]:
    roles = allowed_roles(programme)
    problems: list[Problem] = []

    def add(loc: tuple[str | int, ...], message: str, fix: str) -> None:
        problems.append(doc.problem(loc, message, fix, city=form.city))

    if city is not None and form.city != city:
        add(("city",), f"the form says city '{form.city}' but it is in {city}'s folder.", "")
    if rubric is None:
        add(
            ("showcase",),
            f"'{form.showcase}' is not a showcase of the program.",
            f"use one of: {', '.join(known_showcases)}.",
        )
    else:
        wanted = rubric.criterion_ids()
        for cid in wanted:
            if cid not in form.ratings:
                add(
                    ("ratings",),
                    f"the criterion '{cid}' is not rated.",
                    "give it a level from 0 to 3 and the evidence you saw.",
                )
        for cid, rating in form.ratings.items():
            if cid not in wanted:
                add(
                    ("ratings", cid),
                    f"'{cid}' is not a criterion of the {form.showcase} rubric.",
                    f"use the criteria: {', '.join(wanted)}.",
                )
            elif rating.level > 0 and not rating.evidence.strip():
                add(
                    ("ratings", cid, "evidence"),
                    f"'{cid}' is rated {rating.level} with no evidence.",
                    "write what you saw that supports the level.",
                )
    for i, who in enumerate(form.attendees):
        if who not in roles:
            add(
                ("attendees", i),
                f"'{who}' is not a role. The form records roles, never people's names.",
                f"use one of: {', '.join(roles)}.",
            )
    for j, c in enumerate(form.commitments):
        if c.owner_role not in roles:
            add(
                ("commitments", j, "owner_role"),
                f"'{c.owner_role}' is not a role. Owners are roles, never people's names.",
                f"use one of: {', '.join(roles)}.",
            )
        if c.due < form.date:
            add(
                ("commitments", j, "due"),
                f"next step {j + 1} is due on {c.due}, before the showcase ({form.date}).",
                "give a due date on or after the showcase.",
            )
    for loc, text in _texts(doc.data):
        if _EMAIL.search(text):
            add(
                tuple(loc),
                "this looks like an e-mail address. The form never holds contact details.",
                "write the person's role instead.",
            )
    return problems


def check_feedback(
    path: Path,
    *,
    city: str | None = None,
    programme: Programme | None = None,
    rubrics: ShowcaseRubrics | None = None,
) -> tuple[ShowcaseFeedback | None, list[Problem]]:
    """The validated form and every problem found (file, line, field, fix)."""
    programme = programme or load_programme()
    rubrics = rubrics or load_showcase_rubrics(programme=programme)
    try:
        doc = load_yaml(path, N_("showcase feedback form"))
    except CdaError as exc:
        return None, list(exc.problems)
    try:
        form = ShowcaseFeedback.model_validate(doc.data)
    except ValidationError as exc:
        return None, problems_from_validation(exc, doc, city=city)
    try:
        rubric: Rubric | None = rubrics.for_showcase(form.showcase)
    except KeyError:
        rubric = None
    known = [r.showcase for r in rubrics.rubrics]
    problems = _rules(form, doc, rubric, programme, city, known)
    return (None if problems else form), problems


def load_feedback(path: Path, **kwargs: Any) -> ShowcaseFeedback:
    """A valid form, or CdaError listing every problem."""
    form, problems = check_feedback(path, **kwargs)
    if form is None:
        raise CdaError(problems, headline=f"{path} is not a valid showcase feedback form.")
    return form


def feedback_template(rubric: Rubric, *, city: str = "CITY-ID") -> str:
    """A blank form for one showcase, to fill in (it does not pass the check until filled). Its
    comments are in the current language; its keys and codes are the ones the check reads."""
    fill = _("Showcase feedback: {showcase}. Fill in every field, then run the check.")
    lines = [
        "# " + fill.format(showcase=rubric.showcase),
        "# " + _("Roles only: never write people's names or e-mail addresses here."),
        f"city: {city}",
        f"showcase: {rubric.showcase}",
        "date: YYYY-MM-DD",
        "attendees: [mayor, cda_lead, coach]  # " + _("roles; add the senior team roles who came"),
        "ratings:  # " + _("level: 0 not yet, 1 started, 2 in place, 3 built to last"),
    ]
    for c in rubric.criteria:
        lines.append(f"  {c.id}:  # {c.name}: {c.question}")
        lines.append("    level:")
        lines.append('    evidence: ""')
    points = _("one to three points")
    lines += [
        f"strengths:  # {points}",
        '  - ""',
        f"to_improve:  # {points}",
        '  - ""',
        "commitments:  # " + _("next steps: what, the owner's role, and a due date"),
        '  - {text: "", owner_role: cda_lead, due: YYYY-MM-DD}',
        'mayor_decision: ""  # ' + _("a decision the mayor needs to make, if any"),
    ]
    return "\n".join(lines) + "\n"


def example_feedback(rubric: Rubric, *, city: str, date: dt.date) -> str:
    """A filled-in example form that passes the check (for the book and the tests)."""
    ratings = {
        c.id: {
            "level": 2,
            "evidence": f"Seen at the showcase: {c.levels[2][0].lower()}{c.levels[2][1:]}",
        }
        for c in rubric.criteria
    }
    data = {
        "city": city,
        "showcase": rubric.showcase,
        "date": date,
        "attendees": ["mayor", "cda_lead", "chief_of_staff", "coach"],
        "ratings": ratings,
        "strengths": ["The team showed its own data and said what the data cannot show yet."],
        "to_improve": ["Write the practice down so another department can copy it."],
        "commitments": [
            {
                "text": "Write the practice on one page and share it with two departments",
                "owner_role": "chief_of_staff",
                "due": date + dt.timedelta(days=21),
            }
        ],
        "mayor_decision": "",
    }
    header = (
        f"# Showcase feedback for {city} (example). Roles only: never write people's names or "
        "e-mail addresses here.\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
