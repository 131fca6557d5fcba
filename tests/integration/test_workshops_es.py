"""The Spanish workshops on the Spanish-speaking demo city: each common wrong answer of the English
tests fails with the Spanish translation of its hint. (Solutions pass on every city in its own
edition: test_workshops.py; workshop C's Spanish cases teach the city's own standard:
test_module3_standard.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from notebook_runs import run_graded, with_answers
from test_module2_governance import COMMON_WRONG_GOVERNANCE, COMMON_WRONG_MATURITY
from test_module2_talent import COMMON_WRONG_SKILLS, COMMON_WRONG_WORKFORCE
from test_module3_engagement import COMMON_WRONG_COMMUNICATING, COMMON_WRONG_STAKEHOLDERS
from test_module3_standard import COMMON_WRONG_TRANSPARENCY
from test_workshops import COMMON_WRONG, COMMON_WRONG_PROTOCOL

from cohort_tools.core import paths
from cohort_tools.core.i18n import gettext, translated_source
from cohort_tools.model.cohort import load_cohort
from cohort_tools.notebooks.translation import literal_pairs

pytestmark = pytest.mark.slow

SPANISH_CITIES = [c.id for c in load_cohort(None).cities if c.lang == "es"]
WORKSHOPS = paths.workshops_dir()
TRANSLATED = sorted((WORKSHOPS / "es").glob("*.md"))

WRONG: dict[str, list[tuple[dict[str, str], dict[str, str]]]] = {
    "m1_workshop_a_data_routines": COMMON_WRONG,
    "m1_workshop_b_data_use_protocol": COMMON_WRONG_PROTOCOL,
    "m2_workshop_c_governance": COMMON_WRONG_GOVERNANCE,
    "m2_maturity": COMMON_WRONG_MATURITY,
    "m2_workshop_a_skills": COMMON_WRONG_SKILLS,
    "m2_workshop_b_workforce": COMMON_WRONG_WORKFORCE,
    "m3_workshop_a_stakeholders": COMMON_WRONG_STAKEHOLDERS,
    "m3_workshop_b_communicating": COMMON_WRONG_COMMUNICATING,
    "m3_workshop_d_transparency": COMMON_WRONG_TRANSPARENCY,
}


def test_the_demo_cohort_has_a_spanish_speaking_city_and_spanish_workshops() -> None:
    assert SPANISH_CITIES, "the embedded demo cohort has no city with language: es"
    missing = [p.name for p in sorted(WORKSHOPS.glob("*.md")) if not translated_source(p, "es")]
    assert not missing, f"workshops without a Spanish edition: {missing}"


def _fragment(literal: str) -> str:
    """The longest stretch of a string literal's text that no placeholder interrupts."""
    body = re.sub(r"^[rRbBuUfF]*('''|\"\"\"|'|\")", "", literal)
    body = re.sub(r"('''|\"\"\"|'|\")$", "", body)
    return max(re.split(r"\{[^{}]*\}", body), key=len).strip()


def spanish_hint(english: Path, spanish: Path, hint: str) -> str:
    """What the Spanish notebook prints where the English prints ``hint``."""
    for en, es in literal_pairs(english, spanish).items():
        if hint in en:
            return _fragment(es)
    translated = gettext(hint, language="es")
    assert translated != hint, f"no Spanish for the hint {hint!r} (not in the notebook or catalog)"
    return translated


CASES = [
    pytest.param(name, answers, hints, id=f"{name}-wrong-set-{i}")
    for name, cases in WRONG.items()
    for i, (answers, hints) in enumerate(cases, start=1)
]


@pytest.mark.parametrize("name,answers,hints", CASES)
@pytest.mark.parametrize("city", SPANISH_CITIES)
def test_common_wrong_answers_fail_with_the_spanish_hint(
    name: str, answers: dict[str, str], hints: dict[str, str], city: str, tmp_path: Path
) -> None:
    english, spanish = WORKSHOPS / f"{name}.md", WORKSHOPS / "es" / f"{name}.md"
    out = run_graded(with_answers(answers, spanish), city, tmp_path)
    not_yet = gettext("Checkpoint not passed yet", language="es")
    for gid, hint in hints.items():
        expected = spanish_hint(english, spanish, hint)
        assert not_yet in out[gid], (gid, out[gid])
        assert expected in out[gid], (gid, expected, out[gid])
        assert "Traceback" not in out[gid] and "File " not in out[gid]
