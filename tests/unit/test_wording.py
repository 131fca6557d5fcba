"""Checkpoints that compare text accept every way of saying the same thing (issue 19: fair
checkpoints): case, spacing, punctuation and number words do not matter, and each group of
equivalent wordings is accepted wherever one of them is."""

from __future__ import annotations

import pytest

from cohort_tools.core.i18n import speaking
from cohort_tools.lessons.checkpoints import Checkpoint, CheckpointFailed
from cohort_tools.lessons.wording import GROUPS, WORDINGS_ES, canonical, normalise, preferred, same

STAT_CADENCES = ["weekly", "every two weeks", "monthly"]


@pytest.mark.parametrize(
    "said",
    [
        "biweekly",
        "Bi-weekly",
        "every 2 weeks",
        "every two weeks",
        "Every Two Weeks.",
        "fortnightly",
        "Fortnightly",
        "every other week",
        "once every two weeks",
        "every  2   weeks",
        "twice a month",
    ],
)
def test_every_wording_of_every_two_weeks_is_accepted(said: str) -> None:
    assert canonical(said, STAT_CADENCES) == "every two weeks"
    # ... and so is the program's old spelling, where a list still names it
    assert canonical(said, ["weekly", "fortnightly", "monthly"]) == "fortnightly"


@pytest.mark.parametrize(
    ("said", "allowed", "meant"),
    [
        ("Monthly", ["monthly", "quarterly"], "monthly"),
        ("once a month", ["monthly", "quarterly"], "monthly"),
        ("every three months", ["monthly", "quarterly"], "quarterly"),
        ("Every 3 months", ["monthly", "quarterly"], "quarterly"),
        ("four times a year", ["monthly", "quarterly"], "quarterly"),
        ("yearly", ["annually", "every two years"], "annually"),
        ("once a year", ["annually", "every two years"], "annually"),
        ("biennially", ["annually", "every two years"], "every two years"),
        ("every 2 years", ["annually", "every two years"], "every two years"),
        ("every other year", ["annually", "every two years"], "every two years"),
        ("ad hoc", ["monthly", "ad_hoc"], "ad_hoc"),
        ("Weekly", STAT_CADENCES, "weekly"),
    ],
)
def test_equivalent_wordings_of_each_cadence_are_accepted(
    said: str, allowed: list[str], meant: str
) -> None:
    assert canonical(said, allowed) == meant


@pytest.mark.parametrize("said", ["daily", "annually", "every three weeks", "", None, 14, "soon"])
def test_a_different_rhythm_is_not_taken_for_a_listed_one(said: object) -> None:
    assert canonical(said, STAT_CADENCES) is None


def test_normalising_ignores_case_spacing_punctuation_and_number_words() -> None:
    assert normalise("  Every Two-Weeks!! ") == "every 2 weeks"
    assert normalise("census_5_year_bands") == normalise("Census five-year bands")
    assert normalise("Race & ethnicity") == "race and ethnicity"


def test_no_wording_is_in_two_groups_and_each_group_leads_with_the_us_spelling() -> None:
    seen: dict[str, int] = {}
    for n, group in enumerate(GROUPS):
        for wording in group:
            assert seen.setdefault(normalise(wording), n) == n, wording
    assert preferred("fortnightly") == "every two weeks"
    assert preferred("biennial") == "every two years"
    assert same("Bi-weekly", "every 2 weeks")


def test_extra_wordings_count_for_one_comparison_only() -> None:
    assert canonical("at each board meeting", ["monthly"]) is None
    assert canonical("at each board meeting", ["monthly"], {"monthly": ["at each board meeting"]})


def test_the_checkpoint_accepts_a_wording_and_names_the_options_when_none_fits() -> None:
    with Checkpoint("cadence") as cp:
        assert cp.says_one_of("Bi-weekly", STAT_CADENCES, name="cadence") == "every two weeks"
    with pytest.raises(CheckpointFailed) as failed, Checkpoint("cadence") as cp:
        cp.says_one_of("annually", STAT_CADENCES, name="cadence")
    assert "'cadence' is the text 'annually'; it must say one of 'weekly'" in str(failed.value)


def test_the_checkpoint_names_the_options_as_the_form_does_not_as_codes() -> None:
    kinds = ["department", "community_group"]
    with pytest.raises(CheckpointFailed) as failed, Checkpoint("kind") as cp:
        cp.says_one_of("mayor", kinds, name="kind")
    assert "one of 'department', 'community group'" in str(failed.value)
    with speaking("es"), pytest.raises(CheckpointFailed) as failed, Checkpoint("kind") as cp:
        cp.says_one_of("alcalde", kinds, name="kind")
    assert "'dependencia', 'organización comunitaria'" in str(failed.value)
    with Checkpoint("kind") as cp:  # and what it names is accepted
        assert cp.says_one_of("community group", kinds, name="kind") == "community_group"


def test_a_checkpoint_that_wants_an_exact_value_shows_the_values_as_they_are() -> None:
    # one_of compares exactly: a coder must type the code, so the code (and a number) is shown
    with pytest.raises(CheckpointFailed) as failed, Checkpoint("year") as cp:
        cp.one_of("soon", ["community_group", 1], name="year")
    assert "one of 'community_group', 1." in str(failed.value)


# -- Spanish wordings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("cada dos semanas", "every two weeks"),
        ("Cada 2 semanas", "every two weeks"),
        ("quincenal", "every two weeks"),
        ("dos veces al mes", "every two weeks"),
        ("semanal", "weekly"),
        ("una vez por semana", "weekly"),
        ("Mensual", "monthly"),
        ("cada mes", "monthly"),
        ("una vez al mes", "monthly"),
    ],
)
def test_spanish_wordings_of_a_stat_meeting_rhythm_are_accepted(said: str, meant: str) -> None:
    assert canonical(said, STAT_CADENCES) == meant


@pytest.mark.parametrize(
    ("said", "allowed", "meant"),
    [
        ("trimestral", ["monthly", "quarterly"], "quarterly"),
        ("cada tres meses", ["monthly", "quarterly"], "quarterly"),
        ("cuatro veces al año", ["monthly", "quarterly"], "quarterly"),
        ("Anual", ["annually", "every two years"], "annually"),
        ("cada dos años", ["annually", "every two years"], "every two years"),
        ("según se necesite", ["monthly", "ad_hoc"], "ad_hoc"),
        ("una plataforma", ["platform", "practice"], "platform"),
        ("Práctica", ["platform", "practice"], "practice"),
        ("organización comunitaria", ["community_group", "staff"], "community_group"),
        ("Concejo Municipal", ["council", "department"], "council"),
        ("grupos quinquenales", ["census_5_year_bands", "adult_or_child"], "census_5_year_bands"),
    ],
)
def test_spanish_wordings_say_the_same_as_the_english_value(
    said: str, allowed: list[str], meant: str
) -> None:
    assert canonical(said, allowed) == meant


@pytest.mark.parametrize(
    "said", ["diario", "anual", "cada tres semanas", "pronto", "cuando se pueda", "semestral"]
)
def test_a_different_spanish_rhythm_is_not_taken_for_a_listed_one(said: str) -> None:
    assert canonical(said, STAT_CADENCES) is None


def test_normalising_ignores_accents_spanish_articles_and_number_words() -> None:
    assert normalise("¿Cada DOS semanas?") == "cada 2 semanas"
    assert normalise("El Año de Inversión") == "ano de inversion"
    assert normalise("once a week") == "once a week"  # "once" stays English


def test_no_spanish_wording_is_in_two_groups_and_english_stays_first() -> None:
    leads = {group[0] for group in GROUPS}
    assert set(WORDINGS_ES) <= leads
    seen: dict[str, str] = {normalise(w): g[0] for g in GROUPS for w in g}
    for lead, spanish in WORDINGS_ES.items():
        for wording in spanish:
            assert seen.setdefault(normalise(wording), lead) == lead, wording
    assert preferred("cada dos semanas") == "every two weeks"
    assert preferred("mensual") == "monthly"
