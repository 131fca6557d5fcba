"""The demo cohort's real packets (every coaching template, made by `cda demo` with the course's
graded answers): made, offline, accessible, no personal data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from cohort_tools.core.i18n import gettext
from cohort_tools.model.cohort import load_cohort
from tests.integration.conftest import assert_no_person_reaches

pytestmark = pytest.mark.slow


TEMPLATES = ("pre_session_brief", "strategy_review", "showcase_prep", "mayor_decision_brief")


@pytest.fixture(scope="module")
def demo_packets(demo_run: tuple[Any, Path]) -> Path:
    result, out = demo_run
    assert result.exit_code == 0, result.output
    return out / "packets"


def test_every_demo_city_gets_a_brief_and_a_pdf(demo_packets: Path) -> None:
    index = (demo_packets / "index.html").read_text(encoding="utf-8")
    for city in load_cohort(None).cities:
        for template in TEMPLATES:
            assert (demo_packets / city.id / f"{template}.html").is_file()
            assert f"{city.id}/{template}.html" in index
        pdf = demo_packets / city.id / f"{city.id}-packet.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")


def test_briefs_work_offline_and_every_chart_has_a_text_alternative(demo_packets: Path) -> None:
    for page_path in demo_packets.glob("*/*.html"):
        page = page_path.read_text(encoding="utf-8")
        assert "<script" not in page
        assert not re.search(r"""(src|href)=["']https?://""", page)
        images = re.findall(r"<img [^>]*>", page)
        assert len(images) >= (2 if page_path.stem == "pre_session_brief" else 1), page_path
        assert all(re.search(r"""alt=["'][^"']{20,}""", img) for img in images)
        # the takeaway label is in the page's language (Puerto Arrayán's packets are in Spanish)
        lang = re.search(r'<html lang="([a-z]+)', page)
        label = gettext("**Takeaway:** {takeaway}", language=lang.group(1) if lang else "en")
        assert page.count(label.strip("*").split(":")[0] + ":") >= len(images), page_path


def test_no_person_name_or_email_from_the_cohort_reaches_a_brief(demo_packets: Path) -> None:
    assert_no_person_reaches(list(demo_packets.glob("*/*.html")))


def test_each_brief_names_its_own_city_and_no_other(demo_packets: Path) -> None:
    cities = load_cohort(None).cities
    for city in cities:
        for template in TEMPLATES:
            text = (demo_packets / city.id / f"{template}.html").read_text(encoding="utf-8")
            assert f"<strong>{city.name}</strong>" in text or city.name in text, city.id
            for other in cities:
                if other.id != city.id:
                    assert f"<strong>{other.name}</strong>" not in text, (city.id, other.name)
