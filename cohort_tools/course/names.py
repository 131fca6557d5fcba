"""What a course's ids are called where people read them: cities, roles, workshops, modules.

The course folder, its gradebook and its progress files keep ids (``riverton``, ``equity_lead``,
``m2_workshop_a_skills``); a table or summary a coach reads shows the city's name, the role's title
and the workshop's title in the reader's language, from the cohort the course was built from (its
build record) and the programme. Learners stay pseudonymous: their ids are shown as they are.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cohort_tools.core.errors import CdaError
from cohort_tools.core.i18n import current_language

#: The file ``cda course build`` leaves in the course folder: the cohort it was built from.
BUILD_RECORD = ".cda-build.json"


def built_from(course_root: Path) -> Path | None:
    """The cohort file the course was built from (its build record), else None (the default)."""
    for folder in (course_root, course_root.parent):
        record = folder / BUILD_RECORD
        if record.is_file():
            try:
                return Path(json.loads(record.read_text(encoding="utf-8"))["cohort"])
            except (ValueError, KeyError, TypeError):
                return None
    return None


@dataclass(frozen=True)
class Names:
    """Ids to names; an id with no name known is shown as it is."""

    cities: Mapping[str, str] = field(default_factory=dict)
    roles: Mapping[str, str] = field(default_factory=dict)
    workshops: Mapping[str, str] = field(default_factory=dict)

    def city(self, city: str) -> str:
        return self.cities.get(city, city)

    def role(self, role: str) -> str:
        return self.roles.get(role, role)

    def workshop(self, workshop: str) -> str:
        return self.workshops.get(workshop, workshop)


def names(course_root: Path | None, *, cohort: Path | None = None) -> Names:
    """The names, in the current language, for a course folder (or ``cohort``); ids only when the
    cohort or the programme cannot be read (a course copied without its cohort, for example)."""
    from cohort_tools.model.cohort import load_cohort
    from cohort_tools.model.programme import in_language, load_programme, role_titles

    if cohort is None and course_root is not None:
        record = built_from(course_root)
        if record is None or not record.is_file():
            return Names()
        cohort = record
    try:
        loaded = load_cohort(cohort)
        programme = in_language(load_programme(), current_language())
    except CdaError:
        return Names()
    workshops = {
        Path(s.notebook).stem: s.title for s in programme.sessions() if s.notebook is not None
    }
    return Names(
        cities={c.id: c.name for c in loaded.cities},
        roles=role_titles(programme),
        workshops=workshops,
    )


__all__ = ["BUILD_RECORD", "Names", "built_from", "names"]
