"""Who gets an account on the hub, under which user name, and the system users behind them.

Every hub user is a real system user: JupyterHub's LocalProcessSpawner starts each person's server
as that user, so the kernel enforces that one learner cannot read another's files. User names are
pseudonymous and come from the roster:

* a learner (a senior team member) is their course learner id, ``<city>-<8 hex>``
  (:func:`cohort_tools.course.layout.student_id`), the same id the gradebook and the progress table
  use; nbgrader takes the student id from the hub user name, so the two must be equal;
* a coach is ``coach-<8 hex>`` (a hash of their email), one account for all their cities;
* each city's course has a grading account ``grader-<city>`` that owns the course folder (as in
  nbgrader's multiple-classes set-up).

Names, emails and the initial passwords are kept only in the hub's private accounts file
(``accounts.csv``, readable by root only), so the programme team can tell each person their login.
"""

from __future__ import annotations

import contextlib
import csv
import grp
import hashlib
import io
import os
import pwd
import re
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cohort_tools.core.config import StrictModel
from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.fileio import atomic_write_text
from cohort_tools.course.layout import student_id
from cohort_tools.model.cohort import Cohort

Kind = Literal["learner", "coach", "grader"]

#: What Debian's useradd accepts by default (and what is safe in paths, URLs and group names):
#: a lower-case letter or underscore first, then lower-case letters, digits, '_' or '-'.
SYSTEM_NAME = re.compile(r"^[a-z_][a-z0-9_-]*$")
MAX_NAME = 32  # the length limit of Linux user and group names (utmp's UT_NAMESIZE)
#: Written in the comment (GECOS) field of every system user the hub creates: the hub never changes
#: or removes a system user it did not create.
MARKER = "cda-hub"
ACCOUNTS_FILE = "accounts.csv"
NOLOGIN = "/usr/sbin/nologin"


class Account(StrictModel):
    """One hub account as the hub's configuration sees it: no names, no emails."""

    name: str
    kind: Kind
    cities: tuple[str, ...]
    role: str = ""


@dataclass(frozen=True)
class Identity:
    """Who an account belongs to (private: only in accounts.csv)."""

    name: str
    email: str


def coach_user_name(email: str) -> str:
    digest = hashlib.sha256(f"cohort-tools:coach:{email.strip().lower()}".encode()).hexdigest()
    return f"coach-{digest[:8]}"


def grader_user_name(city: str) -> str:
    return f"grader-{city}"


def city_group(city: str) -> str:
    """The system group of a city's team: its members may read the city's data folder."""
    return f"cda-{city}"


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a system user name, or None."""
    if len(name) > MAX_NAME:
        return f"it is {len(name)} characters long; system user names have at most {MAX_NAME}"
    if not SYSTEM_NAME.match(name):
        if name[:1].isdigit():
            return "it starts with a digit; system user names start with a letter"
        return "it may only hold lower-case letters, digits, '-' and '_'"
    return None


def roster_accounts(cohort: Cohort) -> tuple[list[Account], dict[str, Identity]]:
    """Every account of the cohort's hub, in roster order; raise CdaError naming each bad name.

    A city id whose derived user or group names are not valid system names is reported with the
    city, its field in the cohort file and a fix (all such problems in one run).
    """
    accounts: list[Account] = []
    people: dict[str, Identity] = {}
    problems: list[Problem] = []
    coaches: dict[str, list[str]] = {}
    coach_people: dict[str, Identity] = {}

    def check(name: str, what: str, city_index: int, city: str) -> bool:
        why = name_problem(name)
        if why is None:
            return True
        problems.append(
            Problem(
                file=str(cohort.path),
                city=city,
                field=f"cities[{city_index}].id",
                message=f"the {what} '{name}' (made from the city id) cannot be a system user "
                f"name: {why}.",
                fix="give the city an id that starts with a letter and has at most 23 "
                "characters (letters, digits and '-'), e.g. 'three-rivers' for '3rivers'.",
            )
        )
        return False

    for index, city in enumerate(cohort.cities):
        ok = check(city_group(city.id), "group name", index, city.id) and check(
            grader_user_name(city.id), "grading account name", index, city.id
        )
        for member in city.senior_team:
            name = student_id(city.id, str(member.email))
            if not ok or not check(name, "learner user name", index, city.id):
                break
            if name in people:
                continue
            people[name] = Identity(member.name, str(member.email))
            accounts.append(Account(name=name, kind="learner", cities=(city.id,), role=member.role))
        coach = coach_user_name(str(city.coach.email))
        coaches.setdefault(coach, []).append(city.id)
        coach_people[coach] = Identity(city.coach.name, str(city.coach.email))
    if problems:
        raise CdaError(problems, headline=f"{cohort.path}: some hub user names are not valid.")
    for name, cities in coaches.items():
        accounts.append(Account(name=name, kind="coach", cities=tuple(cities), role="coach"))
        people[name] = coach_people[name]
    for city in cohort.cities:
        name = grader_user_name(city.id)
        accounts.append(Account(name=name, kind="grader", cities=(city.id,), role="grader"))
        people[name] = Identity(f"Grading account of {city.name}", "")
    return accounts, people


# -- system users (root only) ---------------------------------------------------------------------


def _marker(slug: str) -> str:
    return f"{MARKER} {slug}"


def system_user(name: str) -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def system_group(name: str) -> grp.struct_group | None:
    try:
        return grp.getgrnam(name)
    except KeyError:
        return None


def ours(name: str, slug: str) -> bool:
    """Whether ``name`` is a system user this hub created."""
    entry = system_user(name)
    return entry is not None and entry.pw_gecos == _marker(slug)


def taken_names(accounts: list[Account], slug: str, cohort_file: Path) -> list[Problem]:
    """Accounts whose user name (or city group) already belongs to someone else on this machine."""
    problems = []
    for account in accounts:
        entry = system_user(account.name)
        if entry is not None and entry.pw_gecos != _marker(slug):
            owner = entry.pw_gecos.removeprefix(MARKER).strip() if entry.pw_gecos else ""
            problems.append(
                Problem(
                    file=str(cohort_file),
                    city=account.cities[0],
                    message=f"the system user '{account.name}' already exists and was not made by "
                    "this hub"
                    + (f" (it belongs to the hub of '{owner}')" if owner else "")
                    + "; the hub never takes over an existing account.",
                    fix="remove that system user, or stop and remove the other hub "
                    "(`cda hub remove`), then start again.",
                )
            )
    return problems


def _run(command: list[str], stdin: str | None = None) -> None:
    result = subprocess.run(command, input=stdin, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CdaError.single(
            command[0],
            f"`{' '.join(command)}` failed: {(result.stderr or result.stdout).strip()}",
            "run `cda hub start` as root on a Linux machine with the passwd package (useradd).",
        )


def ensure_group(name: str) -> None:
    if system_group(name) is None:
        _run(["groupadd", name])


def ensure_user(account: Account, slug: str, home_root: Path) -> str | None:
    """Create the system user if missing (returns its new initial password), keep it otherwise.

    The home folder is private (0700). Shell: nologin (no SSH or terminal login with the hub
    password). Supplementary groups: the city group of each of the account's cities.
    """
    groups = [city_group(c) for c in account.cities]
    for group in groups:
        ensure_group(group)
    password: str | None = None
    if system_user(account.name) is None:
        home = home_root / account.name
        _run(
            [
                "useradd",
                "--create-home",
                "--home-dir",
                str(home),
                "--shell",
                NOLOGIN,
                "--comment",
                _marker(slug),
                "--user-group",
                *(["--groups", ",".join(groups)] if groups else []),
                account.name,
            ]
        )
        password = secrets.token_urlsafe(12)
        _run(["chpasswd"], stdin=f"{account.name}:{password}\n")
    else:
        _run(["usermod", "--groups", ",".join(groups), account.name])
    entry = system_user(account.name)
    assert entry is not None
    os.chmod(entry.pw_dir, 0o700)
    return password


def remove_user(name: str, slug: str) -> bool:
    """Delete a system user this hub created, with its home folder; other users are left alone."""
    if not ours(name, slug):
        return False
    _run(["userdel", "--remove", name])
    return True


def remove_group(name: str) -> None:
    entry = system_group(name)
    if entry is not None and not entry.gr_mem:
        with contextlib.suppress(CdaError):
            _run(["groupdel", name])


# -- the private accounts file -------------------------------------------------------------------

FIELDS = ["user", "kind", "cities", "role", "name", "email", "initial_password"]


def read_private(path: Path) -> dict[str, dict[str, str]]:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["user"]: row for row in csv.DictReader(handle)}


def write_private(
    path: Path,
    accounts: list[Account],
    people: dict[str, Identity],
    passwords: dict[str, str],
) -> None:
    """accounts.csv: user name, kind, cities, role, name, email, initial password (root only, 0600).

    An account that already had a row keeps its initial password (the hub never changes a password
    on restart).
    """
    old = read_private(path)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for account in accounts:
        person = people.get(account.name, Identity("", ""))
        writer.writerow(
            {
                "user": account.name,
                "kind": account.kind,
                "cities": " ".join(account.cities),
                "role": account.role,
                "name": person.name,
                "email": person.email,
                "initial_password": passwords.get(account.name)
                or old.get(account.name, {}).get("initial_password", ""),
            }
        )
    atomic_write_text(path, buffer.getvalue())
    os.chmod(path, 0o600)
