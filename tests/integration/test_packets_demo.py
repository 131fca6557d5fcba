"""The real pre-session brief for the demo cohort: made, offline, accessible, no personal data."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from cohort_tools.cohort import load_cohort
from cohort_tools.packet import run_packets

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_packets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("packets")
    report = run_packets(out=out, templates=["pre_session_brief"], quiet=True, jobs=2)
    assert report.ok, report.summary()
    return out


def test_every_demo_city_gets_a_brief_and_a_pdf(demo_packets: Path) -> None:
    index = (demo_packets / "index.html").read_text(encoding="utf-8")
    for city in load_cohort(None).cities:
        assert (demo_packets / city.id / "pre_session_brief.html").is_file()
        pdf = demo_packets / city.id / f"{city.id}-packet.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
        assert f"{city.id}/pre_session_brief.html" in index


def test_briefs_work_offline_and_every_chart_has_a_text_alternative(demo_packets: Path) -> None:
    for page_path in demo_packets.glob("*/pre_session_brief.html"):
        page = page_path.read_text(encoding="utf-8")
        assert "<script" not in page
        assert not re.search(r"""(src|href)=["']https?://""", page)
        images = re.findall(r"<img [^>]*>", page)
        assert len(images) >= 2
        assert all(re.search(r"""alt=["'][^"']{20,}""", img) for img in images)
        assert page.count("Takeaway:") >= len(images)


def test_no_person_name_or_email_from_the_cohort_reaches_a_brief(demo_packets: Path) -> None:
    cohort = load_cohort(None)
    people = []
    for city in cohort.cities:
        people += [city.mayor, city.cda_lead, city.coach, *city.senior_team]
    text = " ".join(
        html.unescape(p.read_text(encoding="utf-8"))
        for p in demo_packets.glob("*/pre_session_brief.html")
    )
    for person in people:
        assert person.name not in text
        assert person.email not in text
    assert "@" not in re.sub(r"<style.*?</style>", "", text, flags=re.S)


def test_each_brief_names_its_own_city_and_no_other(demo_packets: Path) -> None:
    cities = load_cohort(None).cities
    for city in cities:
        text = (demo_packets / city.id / "pre_session_brief.html").read_text(encoding="utf-8")
        assert f"<strong>{city.name}</strong>" in text, city.id
        for other in cities:
            if other.id != city.id:
                assert f"<strong>{other.name}</strong>" not in text, (city.id, other.name)
