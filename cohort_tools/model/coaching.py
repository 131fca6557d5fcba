"""The coaching record: a plain YAML file per city (``coaching_log.yaml`` in its data folder).

Each entry is one coaching session (or showcase, or mayor check-in): its date, who attended (by
role, never by name), what was discussed, and the commitments made, each with an owner (a role), a
due date and a status. Open commitments flow into the next pre-session brief and the cohort view.

```yaml
# Coaching log for Riverton. Roles only: never write people's names or e-mail addresses here.
city: riverton
sessions:
  - date: 2027-02-01
    kind: coaching          # coaching | a showcase or mayor check-in id from the programme
    attendees: [chief_of_staff, chief_data_officer, coach]
    discussion: Agreed the three priority metrics; the stat meeting starts in March.
    commitments:
      - text: Draft the stat meeting agenda
        owner_role: chief_of_staff
        due: 2027-02-15
        status: open        # open | done | dropped
```

`cda coaching log` adds an entry, `cda coaching check` validates a file and `cda coaching update`
changes a commitment's status. Every write validates the whole file first and replaces it
atomically, so a bad entry never lands and a crash never leaves half a file. Comments other than
the header block are not kept when the tool rewrites the file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal, get_args

import yaml
from pydantic import Field, ValidationError

from cohort_tools.core.config import (
    StrictModel,
    YamlDocument,
    load_yaml,
    problems_from_validation,
)
from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.fileio import atomic_write_text
from cohort_tools.core.i18n import N_, _
from cohort_tools.model.programme import Programme, load_programme

LOG_FILE = "coaching_log.yaml"
#: Where a commitment stands: still to do, done, or dropped by the team.
CommitmentStatus = Literal["open", "done", "dropped"]
STATUSES: tuple[CommitmentStatus, ...] = get_args(CommitmentStatus)
#: Who may attend or own a commitment, besides the programme's senior-team roles.
OTHER_ROLES = ("mayor", "cda_lead", "coach", "govex")

Text = Annotated[str, Field(min_length=1)]


class Commitment(StrictModel):
    text: Text
    owner_role: str
    due: dt.date
    status: CommitmentStatus = "open"


class Entry(StrictModel):
    date: dt.date
    kind: str = "coaching"
    attendees: list[str] = Field(min_length=1)
    discussion: Text
    commitments: list[Commitment] = Field(default_factory=list)


class CoachingLog(StrictModel):
    city: str
    sessions: list[Entry] = Field(default_factory=list)

    def open_commitments(self) -> list[tuple[Entry, Commitment]]:
        return [(e, c) for e in self.sessions for c in e.commitments if c.status == "open"]

    def held(self, kind: str) -> list[Entry]:
        return [e for e in self.sessions if e.kind == kind]


def allowed_roles(programme: Programme) -> list[str]:
    return [r.id for r in programme.team.roles] + list(OTHER_ROLES)


def allowed_kinds(programme: Programme) -> list[str]:
    return ["coaching"] + [m.id for m in (*programme.showcases, *programme.mayor_checkins)]


def _rule_problems(
    log: CoachingLog, doc: YamlDocument, city: str | None, programme: Programme
) -> list[Problem]:
    roles, kinds = allowed_roles(programme), allowed_kinds(programme)
    problems: list[Problem] = []

    def add(loc: tuple[str | int, ...], message: str, fix: str) -> None:
        problems.append(doc.problem(loc, message, fix, city=log.city))

    if city is not None and log.city != city:
        add(
            ("city",),
            _("the log says city '{log_city}' but it is in {city}'s folder.").format(
                log_city=log.city, city=city
            ),
            "",
        )
    for i, entry in enumerate(log.sessions):
        if entry.kind not in kinds:
            add(
                ("sessions", i, "kind"),
                _("'{kind}' is not a kind of session.").format(kind=entry.kind),
                _("use one of: {choices}.").format(choices=", ".join(kinds)),
            )
        for j, who in enumerate(entry.attendees):
            if who not in roles:
                add(
                    ("sessions", i, "attendees", j),
                    _("'{who}' is not a role. The log records roles, never people's names.").format(
                        who=who
                    ),
                    _("use one of: {choices}.").format(choices=", ".join(roles)),
                )
        for j, c in enumerate(entry.commitments):
            if c.due < entry.date:
                add(
                    ("sessions", i, "commitments", j, "due"),
                    _(
                        "commitment {number} is due on {due}, before the session it was made in "
                        "({date})."
                    ).format(number=j + 1, due=c.due, date=entry.date),
                    _("give a due date on or after the session date."),
                )
            if c.owner_role not in roles:
                add(
                    ("sessions", i, "commitments", j, "owner_role"),
                    _("'{who}' is not a role. Owners are roles, never people's names.").format(
                        who=c.owner_role
                    ),
                    _("use one of: {choices}.").format(choices=", ".join(roles)),
                )
    return problems


def check_log(
    path: Path, *, city: str | None = None, programme: Programme | None = None
) -> tuple[CoachingLog | None, list[Problem]]:
    """The validated log and every problem found (file, line, field, fix)."""
    programme = programme or load_programme()
    try:
        doc = load_yaml(path, N_("coaching log"))
    except CdaError as exc:
        return None, list(exc.problems)
    try:
        log = CoachingLog.model_validate(doc.data)
    except ValidationError as exc:
        return None, problems_from_validation(exc, doc, city=city)
    problems = _rule_problems(log, doc, city, programme)
    return (None if problems else log), problems


def load_log(
    city_dir: Path, *, city: str | None = None, programme: Programme | None = None
) -> CoachingLog | None:
    """The city's log, None when it has none yet; CdaError (every problem) when it is invalid."""
    path = city_dir / LOG_FILE
    if not path.is_file():
        return None
    log, problems = check_log(path, city=city, programme=programme)
    if log is None:
        raise CdaError(
            problems,
            headline=_("{path} has problems; fix them and run the command again.").format(
                path=path
            ),
        )
    return log


def _header(path: Path) -> str:
    if not path.is_file():
        return ""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines) + ("\n" if lines else "")


def _write(path: Path, log: CoachingLog, header: str) -> None:
    data = log.model_dump(mode="python")
    text = header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    atomic_write_text(path, text)


def parse_commitment(text: str) -> Commitment:
    """``"what | owner_role | YYYY-MM-DD"`` -> a commitment (ValueError in plain words)."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) != 3 or not all(parts):
        raise ValueError(
            _(
                "'{text}' should be three parts separated by '|': what, owner role, due date "
                '(e.g. "Draft the agenda | chief_of_staff | 2027-02-15").'
            ).format(text=text)
        )
    try:
        due = dt.date.fromisoformat(parts[2])
    except ValueError:
        raise ValueError(
            _("'{value}' is not a date; write it as YYYY-MM-DD.").format(value=parts[2])
        ) from None
    return Commitment(text=parts[0], owner_role=parts[1], due=due)


def add_entry(
    *,
    city_dir: Path,
    city: str,
    date: dt.date,
    attendees: list[str],
    discussion: str,
    commitments: list[str],
    kind: str = "coaching",
    programme: Programme | None = None,
) -> Path:
    """Validate and append one session to the city's log (created if missing); return its path."""
    programme = programme or load_programme()
    path = city_dir / LOG_FILE
    log = load_log(city_dir, city=city, programme=programme) or CoachingLog(city=city)
    header = _header(path) or (
        "# "
        + _(
            "Coaching log for {city}. Roles only: never write people's names or e-mail "
            "addresses here."
        ).format(city=city)
        + "\n"
    )
    problems: list[Problem] = []
    parsed: list[Commitment] = []
    for text in commitments:
        try:
            parsed.append(parse_commitment(text))
        except (ValueError, ValidationError) as exc:
            problems.append(
                Problem(file=str(path), city=city, field="commitment", message=str(exc))
            )
    if problems:
        raise CdaError(problems, headline=_("Nothing was added to the coaching log."))
    try:
        entry = Entry(
            date=date,
            kind=kind,
            attendees=attendees,
            discussion=discussion,
            commitments=parsed,
        )
    except ValidationError as exc:
        raise CdaError(
            [
                Problem(
                    file=str(path),
                    city=city,
                    field=".".join(map(str, e["loc"])) or "entry",
                    message=e["msg"].removeprefix("Value error, "),
                )
                for e in exc.errors()
            ],
            headline=_("Nothing was added to the coaching log."),
        ) from None
    updated = CoachingLog(city=log.city, sessions=[*log.sessions, entry])
    doc = YamlDocument(path=path, data=updated.model_dump(mode="json"))
    rule_problems = _rule_problems(updated, doc, city, programme)
    if rule_problems:
        raise CdaError(rule_problems, headline=_("Nothing was added to the coaching log."))
    _write(path, updated, header)
    return path


def update_commitment(
    *, city_dir: Path, city: str, date: dt.date, number: int, status: CommitmentStatus
) -> Commitment:
    """Set the status of commitment ``number`` (1-based) of the session held on ``date``."""
    path = city_dir / LOG_FILE
    log = load_log(city_dir, city=city)
    if log is None:
        raise CdaError.single(path, _("there is no coaching log yet."), _("add a session first."))
    if status not in STATUSES:
        raise CdaError.single(
            path,
            _("'{status}' is not a status.").format(status=status),
            _("use one of: {choices}.").format(choices=", ".join(STATUSES)),
        )
    entries = [e for e in log.sessions if e.date == date]
    if not entries:
        dates = ", ".join(str(e.date) for e in log.sessions) or _("none")
        raise CdaError.single(
            path,
            _("no session on {date}.").format(date=date),
            _("sessions are on: {dates}.").format(dates=dates),
        )
    index = max(i for i, e in enumerate(log.sessions) if e.date == date)
    entry = log.sessions[index]
    if not 1 <= number <= len(entry.commitments):
        raise CdaError.single(
            path,
            _(
                "the session on {date} has {count} commitment(s); there is no number {number}."
            ).format(date=date, count=len(entry.commitments), number=number),
            _("count from 1 in the order they are listed."),
        )
    changed = entry.commitments[number - 1].model_copy(update={"status": status})
    commitments = [*entry.commitments[: number - 1], changed, *entry.commitments[number:]]
    sessions = list(log.sessions)
    sessions[index] = entry.model_copy(update={"commitments": commitments})
    _write(path, log.model_copy(update={"sessions": sessions}), _header(path))
    return changed
