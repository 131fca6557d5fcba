"""What each city's team may read on the hub: its own data, and a cohort file of its own.

``<state>/cities/<city>/`` belongs to root and the city's group (``cda-<city>``), mode 0750 (files
0640): the city's learners (and its grading account and coach) may read it; other cities' learners
cannot even list it. It holds:

* ``data/``: a copy of the city's data folder (refreshed at each ``cda hub start``);
* ``cohort.yaml``: a cohort file with this city only and no names or emails (people are named by
  role, emails by pseudonymous user name). Each learner's server gets ``CDA_COHORT_FILE`` pointing
  here, so a released notebook (whose ``cohort_file`` parameter is empty) finds its city's data
  without naming any path of the machine that built the course.

A workshop that compares with peer cities therefore sees only its own city on the hub: raw data of
other cities never reaches another city's team.
"""

from __future__ import annotations

import grp
import os
import shutil
from pathlib import Path
from typing import Any

import yaml

from cohort_tools.core.fileio import atomic_write_text, staged_dir
from cohort_tools.course.layout import student_id
from cohort_tools.hub.accounts import city_group, coach_user_name
from cohort_tools.model.cohort import City, Cohort

PLACEHOLDER_DOMAIN = "hub.example"


def city_folder(state_dir: Path, city: str) -> Path:
    return state_dir / "cities" / city


def public_cohort_file(state_dir: Path, city: str) -> Path:
    return city_folder(state_dir, city) / "cohort.yaml"


def public_cohort(cohort: Cohort, city: City) -> dict[str, Any]:
    """The cohort file a city's team sees: that city only, people by role, no emails of theirs."""

    def person(label: str, user: str) -> dict[str, str]:
        return {"name": label, "email": f"{user}@{PLACEHOLDER_DOMAIN}"}

    data = city.model_dump(mode="json", exclude_none=True)
    data["data_folder"] = "data"
    data["mayor"] = person("Mayor", f"mayor-{city.id}")
    data["cda_lead"] = {**person("CDA lead", f"cda-lead-{city.id}")}
    if city.cda_lead.title:
        data["cda_lead"]["title"] = city.cda_lead.title
    data["senior_team"] = [
        {
            **person(
                m.title or m.role.replace("_", " ").capitalize(), student_id(city.id, str(m.email))
            ),
            "role": m.role,
            **({"title": m.title} if m.title else {}),
        }
        for m in city.senior_team
    ]
    data["coach"] = person("Coach", coach_user_name(str(city.coach.email)))
    return {
        "name": cohort.name,
        "start_date": cohort.start_date.isoformat(),
        "timezone": cohort.timezone,
        "cities": [data],
    }


def _own(path: Path, gid: int, dir_mode: int = 0o750, file_mode: int = 0o640) -> None:
    for root, dirs, files in os.walk(path):
        for name in dirs:
            os.chown(Path(root) / name, 0, gid)
            os.chmod(Path(root) / name, dir_mode)
        for name in files:
            os.chown(Path(root) / name, 0, gid)
            os.chmod(Path(root) / name, file_mode)
    os.chown(path, 0, gid)
    os.chmod(path, dir_mode)


def publish_city(state_dir: Path, cohort: Cohort, city: City) -> Path:
    """Copy the city's data and write its public cohort file; readable by its group only."""
    folder = city_folder(state_dir, city.id)
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.parent.chmod(0o755)
    gid = grp.getgrnam(city_group(city.id)).gr_gid
    with staged_dir(folder) as staging:
        shutil.copytree(
            city.data_dir, staging / "data", ignore=shutil.ignore_patterns(".cda-cache", ".*")
        )
        atomic_write_text(
            staging / "cohort.yaml",
            "# The cohort as this city's team sees it on the hub (no names, no emails).\n"
            + yaml.safe_dump(public_cohort(cohort, city), sort_keys=False, allow_unicode=True),
        )
        _own(staging, gid)
    return folder / "cohort.yaml"
