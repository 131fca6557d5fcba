"""The cohort a city's notebooks see in the sandbox: that city alone, people by role, no names or
e-mails, and the same team roles (owners, chairs) as the real cohort."""

from __future__ import annotations

from pathlib import Path

import yaml

from cohort_tools.core import paths
from cohort_tools.lessons.coherence import team_roles
from cohort_tools.model.cohort import city_only_cohort, load_cohort


def test_city_only_cohort_keeps_the_team_roles_and_drops_every_name_and_email(
    tmp_path: Path,
) -> None:
    cohort = load_cohort(paths.DEMO_COHORT_FILE)
    city = cohort.city("cedar-bend")
    doc = city_only_cohort(cohort, "cedar-bend", data_folder="city")
    text = yaml.safe_dump(doc)
    people = [city.mayor, city.cda_lead, city.coach, *city.senior_team]
    for person in people:
        assert person.name not in text
        assert str(person.email) not in text
    assert [c["id"] for c in doc["cities"]] == ["cedar-bend"]
    (tmp_path / "city").symlink_to(city.data_dir)
    (tmp_path / "cohort.yaml").write_text(text)
    again = load_cohort(tmp_path / "cohort.yaml")
    assert team_roles(again.city("cedar-bend")) == team_roles(city)
    assert again.city("cedar-bend").data_dir == city.data_dir.resolve()
