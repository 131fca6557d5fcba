"""The programme model: curriculum/programme.yaml describes the six-month accelerator faithfully."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cohort_tools.core.errors import CdaError
from cohort_tools.model.programme import Programme, load_programme, outline


def test_programme_has_the_three_themes_as_modules(programme: Programme) -> None:
    themes = [m.theme for m in programme.modules]
    assert themes == [
        "Lead confidently with data",
        "Invest in the right people, practices and platforms",
        "Empower people to be part of the solution",
    ]
    assert programme.duration_months == 6


def test_every_module_has_a_keynote_and_at_least_one_workshop(programme: Programme) -> None:
    for module in programme.modules:
        kinds = [s.kind for s in module.sessions]
        assert kinds.count("keynote") == 1, module.id
        assert "workshop" in kinds, module.id
        for s in module.sessions:
            assert s.objectives and s.duration_minutes > 0 and s.audience


def test_convening_is_three_days_for_mayors_in_person_with_cda_lead_in_latter_half(
    programme: Programme,
) -> None:
    c = programme.convening
    assert c.days == 3 and c.in_person
    day1 = [b for b in c.agenda if b.day == 1]
    assert all(b.audience == ["mayor"] for b in day1)
    last = [b for b in c.agenda if b.day == 3]
    assert all("mayor" in b.audience and "cda_lead" in b.audience for b in last)
    assert any("No one may attend in the mayor's place" in r for r in c.rules)


def test_team_rules_follow_the_seed(programme: Programme) -> None:
    assert (programme.team.min_members, programme.team.max_members) == (3, 4)
    roles = set(programme.role_ids())
    assert {"chief_of_staff", "chief_data_officer", "equity_lead", "policy_lead"} <= roles
    assert {"communications_lead", "other"} <= roles


def test_deliverable_covers_the_four_components_and_three_named_parts(
    programme: Programme,
) -> None:
    d = programme.deliverable
    assert d.horizon_years == 3
    assert d.core_components == ["governance", "quality", "use", "transparency"]
    parts = {p.id for p in d.parts}
    assert {"workforce_strategy", "demographic_standard", "data_use_protocol"} <= parts
    assert set(d.core_components) <= parts


def test_every_deliverable_part_is_produced_by_a_real_session(programme: Programme) -> None:
    ids = {s.id for s in programme.sessions()} | {programme.convening.id}
    for part in programme.deliverable.parts:
        assert part.produced_by
        assert set(part.produced_by) <= ids, part.id


def test_showcases_and_mayor_checkins_fall_within_six_months(programme: Programme) -> None:
    assert len(programme.showcases) >= 2
    assert len(programme.mayor_checkins) >= 2
    for m in [*programme.showcases, *programme.mayor_checkins]:
        assert 1 <= m.month <= 6
        assert "mayor" in m.audience


def test_outline_lists_every_session_and_the_deliverable(programme: Programme) -> None:
    text = outline(programme)
    for s in programme.sessions():
        assert s.title in text
    assert "Citywide data strategy" in text
    assert "every 2 weeks" in text


def _write(tmp_path: Path, data: dict) -> Path:
    p = tmp_path / "programme.yaml"
    p.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return p


def test_unknown_producer_session_is_rejected_with_its_name(
    tmp_path: Path, programme: Programme
) -> None:
    data = programme.model_dump(mode="json")
    data["deliverable"]["parts"][0]["produced_by"] = ["no-such-workshop"]
    with pytest.raises(CdaError) as err:
        load_programme(_write(tmp_path, data))
    assert "no-such-workshop" in str(err.value)


def test_session_outside_its_module_months_is_rejected(
    tmp_path: Path, programme: Programme
) -> None:
    data = programme.model_dump(mode="json")
    data["modules"][0]["sessions"][0]["month"] = 5
    with pytest.raises(CdaError) as err:
        load_programme(_write(tmp_path, data))
    assert "outside its module's months" in str(err.value)


def test_unknown_field_in_programme_is_reported_with_its_line(
    tmp_path: Path, programme: Programme
) -> None:
    data = programme.model_dump(mode="json")
    data["coaching"]["cadense_weeks"] = 3
    with pytest.raises(CdaError) as err:
        load_programme(_write(tmp_path, data))
    message = str(err.value)
    assert "coaching.cadense_weeks" in message and "not a known field" in message
    assert "programme.yaml:" in message
