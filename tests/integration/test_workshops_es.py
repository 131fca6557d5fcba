"""The Spanish workshops in a Spanish kernel: each common wrong answer of the English tests fails its
checkpoint plainly and in Spanish (the Spanish verdict, not the English hint). (Solutions pass on every city in its own
edition: test_workshops.py; workshop C's Spanish cases teach the city's own standard:
test_module3_standard.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from notebook_runs import run_graded, with_answers
from test_module2_governance import COMMON_WRONG_GOVERNANCE, COMMON_WRONG_MATURITY
from test_module2_talent import COMMON_WRONG_SKILLS, COMMON_WRONG_WORKFORCE
from test_module3_engagement import COMMON_WRONG_COMMUNICATING, COMMON_WRONG_STAKEHOLDERS
from test_module3_standard import COMMON_WRONG_TRANSPARENCY
from test_workshops import COMMON_WRONG, COMMON_WRONG_PROTOCOL

from cohort_tools.core import paths
from cohort_tools.core.i18n import gettext, translated_source
from cohort_tools.model.cohort import load_cohort

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


CASES = [
    pytest.param(name, answers, hints, id=f"{name}-wrong-set-{i}")
    for name, cases in WRONG.items()
    for i, (answers, hints) in enumerate(cases, start=1)
]


@pytest.fixture(scope="module")
def riverton_in_spanish(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo cohort with Riverton reading Spanish: the English tests' wrong answers are about
    Riverton's data, so its Spanish edition is checked on the same data, in a Spanish kernel."""
    data = yaml.safe_load(paths.DEMO_COHORT_FILE.read_text(encoding="utf-8"))
    for city in data["cities"]:
        city["data_folder"] = str(paths.DEMO_COHORT_FILE.parent / city["data_folder"])
        if city["id"] == "riverton":
            city["language"] = "es"
    target = tmp_path_factory.mktemp("es") / "cohort.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


@pytest.mark.parametrize("name,answers,hints", CASES)
def test_common_wrong_answers_fail_with_the_spanish_hint(
    name: str,
    answers: dict[str, str],
    hints: dict[str, str],
    riverton_in_spanish: Path,
    tmp_path: Path,
) -> None:
    spanish = WORKSHOPS / "es" / f"{name}.md"
    out = run_graded(
        with_answers(answers, spanish),
        "riverton",
        tmp_path,
        {"cohort_file": str(riverton_in_spanish)},
    )
    verdict = gettext("Checkpoint not passed yet: {title}", language="es")
    verdict = gettext("Checkpoint not passed yet: {title}", language="es")
    not_yet = verdict.split("{title}")[0].strip()
    assert not_yet and "Checkpoint" not in not_yet, "the catalog does not translate the verdict"
    for gid, hint in hints.items():
        # fails plainly, in Spanish: the Spanish verdict, and not the English hint
        assert not_yet in out[gid], (gid, out[gid])
        assert hint not in out[gid] or not re.search(r"[a-z]{3,} [a-z]{3,}", hint), (gid, out[gid])
        assert "Traceback" not in out[gid] and "File " not in out[gid]
