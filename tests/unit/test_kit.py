"""The facilitation kit's content: checked against the program, rendered into readable pages.

Rubrics (one per showcase), the coach's feedback form (checked like the coaching log), the staff
skills survey (its codes are those the data check accepts, and its template passes the check), the
convening's run of show (fills every day), keynote briefs (cited examples, 45 minutes of prompts),
and the cohort-wide keynote view (every city, no names, small groups suppressed, not dropped).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import textstat
import yaml

from cohort_tools.core.errors import CdaError
from cohort_tools.kit import content
from cohort_tools.kit.feedback import check_feedback, example_feedback, feedback_template
from cohort_tools.kit.pages import kit_pages
from cohort_tools.kit.printable import myst_to_markdown, printable_page
from cohort_tools.kit.survey import survey_columns, write_survey_template
from cohort_tools.model.programme import Programme

KIT = content.kit_dir()


def _copy(name: str, tmp_path: Path) -> tuple[Path, dict[str, object]]:
    target = tmp_path / name
    shutil.copy(KIT / name, target)
    return target, yaml.safe_load(target.read_text(encoding="utf-8"))


def _write(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


# --- the content matches the program --------------------------------------------------------------


def test_every_kit_file_loads_and_matches_the_program(programme: Programme) -> None:
    rubrics = content.load_showcase_rubrics(programme=programme)
    assert sorted(r.showcase for r in rubrics.rubrics) == sorted(s.id for s in programme.showcases)
    briefs = content.load_keynote_briefs(programme=programme)
    keynotes = [s.id for s in programme.sessions() if s.kind == "keynote"]
    assert sorted(b.session for b in briefs.briefs) == sorted(keynotes)
    for brief in briefs.briefs:
        assert 2 <= len(brief.examples) <= 3
        assert sum(p.minutes for p in brief.prompts) == briefs.discussion_minutes == 45
    run = content.load_run_of_show(programme=programme)
    blocks = {f"{b.day} {b.part}" for b in programme.convening.agenda}
    assert {a.block for d in run.days for a in d.activities} == blocks
    survey = content.load_skills_survey()
    assert len(survey.skills) == 8 and list(survey.scale) == [
        "awareness",
        "working",
        "practitioner",
        "expert",
    ]


def test_a_showcase_without_a_rubric_is_named(tmp_path: Path, programme: Programme) -> None:
    path, data = _copy("showcases.yaml", tmp_path)
    data["rubrics"] = data["rubrics"][:1]  # type: ignore[index]
    _write(path, data)
    with pytest.raises(CdaError) as caught:
        content.load_showcase_rubrics(path, programme=programme)
    assert "showcase-final' has no rubric" in str(caught.value)


def test_a_gap_in_the_convening_day_names_the_activity_and_line(
    tmp_path: Path, programme: Programme
) -> None:
    path, data = _copy("convening.yaml", tmp_path)
    data["days"][0]["activities"][1]["start"] = "09:40"  # type: ignore[index]
    _write(path, data)
    with pytest.raises(CdaError) as caught:
        content.load_run_of_show(path, programme=programme)
    message = str(caught.value)
    assert "starts at 09:40, but the one before ends at 09:30" in message
    assert re.search(r"convening\.yaml:\d+", message)


def test_prompts_that_do_not_fill_the_discussion_are_reported(
    tmp_path: Path, programme: Programme
) -> None:
    path, data = _copy("keynotes.yaml", tmp_path)
    data["briefs"][0]["prompts"][0]["minutes"] = 30  # type: ignore[index]
    data["briefs"][1]["examples"][0]["refs"] = ["no-such-source"]  # type: ignore[index]
    _write(path, data)
    with pytest.raises(CdaError) as caught:
        content.load_keynote_briefs(path, programme=programme)
    message = str(caught.value)
    assert "take 65 minutes; the discussion lasts 45" in message
    assert "'no-such-source' is not in the references" in message


def test_survey_codes_must_be_those_the_data_check_accepts(tmp_path: Path) -> None:
    path, data = _copy("skills_survey.yaml", tmp_path)
    del data["skills"]["statistics"]  # type: ignore[attr-defined]
    _write(path, data)
    with pytest.raises(CdaError) as caught:
        content.load_skills_survey(path)
    assert "skill codes" in str(caught.value) and "staff_survey table" in str(caught.value)


# --- the feedback form ------------------------------------------------------------------------------


@pytest.fixture
def rubric() -> content.Rubric:
    return content.load_showcase_rubrics().for_showcase("showcase-routine")


def test_a_filled_in_feedback_form_passes_and_scores(
    tmp_path: Path, rubric: content.Rubric
) -> None:
    path = tmp_path / "feedback.yaml"
    path.write_text(example_feedback(rubric, city="riverton", date=dt.date(2027, 3, 17)))
    form, problems = check_feedback(path, city="riverton")
    assert problems == [] and form is not None
    assert form.points == 2 * len(rubric.criteria)


def test_the_blank_template_does_not_pass_until_filled(
    tmp_path: Path, rubric: content.Rubric
) -> None:
    path = tmp_path / "feedback.yaml"
    path.write_text(feedback_template(rubric, city="riverton"))
    form, problems = check_feedback(path)
    assert form is None and any(p.field == "date" for p in problems)


def test_the_form_refuses_names_emails_missing_criteria_and_early_due_dates(
    tmp_path: Path, rubric: content.Rubric
) -> None:
    data = yaml.safe_load(example_feedback(rubric, city="riverton", date=dt.date(2027, 3, 17)))
    data["attendees"].append("Jane Smith")
    data["strengths"] = ["Thanks to jane.smith@riverton.gov for the exhibit."]
    del data["ratings"]["rhythm"]
    data["ratings"]["decisions"] = {"level": 3, "evidence": ""}
    data["commitments"][0]["due"] = dt.date(2027, 3, 1)
    path = tmp_path / "feedback.yaml"
    _write(path, data)
    form, problems = check_feedback(path, city="riverton")
    text = "\n".join(str(p) for p in problems)
    assert form is None
    assert "'Jane Smith' is not a role" in text
    assert "looks like an e-mail address" in text
    assert "'rhythm' is not rated" in text
    assert "'decisions' is rated 3 with no evidence" in text
    assert "before the showcase" in text
    assert all(p.line for p in problems)


# --- the skills survey --------------------------------------------------------------------------


def test_the_survey_template_folder_passes_the_data_check(tmp_path: Path) -> None:
    from cohort_tools.citydata import check_city
    from cohort_tools.core.errors import errors_only

    folder = tmp_path / "survey"
    write_survey_template(folder)
    assert errors_only(check_city(folder)) == []
    rows = pd.read_csv(folder / "staff_survey.csv")
    assert list(rows.columns) == survey_columns()
    assert not rows["respondent_id"].str.contains("@").any()


def test_the_survey_page_ties_the_minimum_group_to_the_threshold() -> None:
    page = next(p for p in kit_pages() if p.docname == "kit/skills-survey").text
    assert "at least 11 people" in page
    assert "suppression threshold" in page and "never a staff number" in page
    for column in survey_columns():
        assert f"`{column}`" in page


# --- the pages ------------------------------------------------------------------------------------


def test_each_brief_page_cites_its_examples_on_the_references_page() -> None:
    briefs = [p for p in kit_pages() if p.docname.startswith("kit/brief-")]
    assert len(briefs) == 3
    for page in briefs:
        assert page.text.count("**Sources:** {ref}`") >= 2, page.docname
        assert "## Discussion prompts" in page.text and "## Who should speak" in page.text


def _prose(text: str) -> str:
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"^\s*\|.*$", "", text, flags=re.M)
    text = re.sub(r"^#+ .*$", "", text, flags=re.M)
    text = re.sub(r"\{[a-z]+\}`([^`<]*)(<[^`]*>)?`", r"\1", text)
    text = re.sub(r"`[^`]*`", "", text)
    return re.sub(r"[*_>]", "", text)


def test_kit_and_book_pages_read_at_grade_ten_or_below() -> None:
    from cohort_tools.core import paths

    texts = {p.docname: p.text for p in kit_pages()}
    for path in [*paths.book_dir().glob("*.md"), *(paths.book_dir() / "standards").glob("*.md")]:
        texts[path.name] = path.read_text(encoding="utf-8")
    grades = {name: textstat.flesch_kincaid_grade(_prose(text)) for name, text in texts.items()}
    print(grades)
    assert all(g <= 10.0 for g in grades.values()), grades


def test_printable_copies_drop_myst_roles_and_keep_tables_accessible() -> None:
    text = (
        "# Title\n\n(ref-x)=\n### Entry\n\nSee {doc}`the guide </coaching-guide>` and "
        "{doc}`/references`.\n\n```{note}\nHidden is not zero.\n```\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
    )
    md = myst_to_markdown(text, {"references": "References"})
    assert "{doc}" not in md and "(ref-x)=" not in md
    assert "See the guide and References." in md
    html = printable_page(text)
    assert '<th scope="col">A</th>' in html and "<blockquote>" in html
    assert "<title>Title</title>" in html


# --- the cohort view for the keynotes --------------------------------------------------------------


def test_the_cohort_view_has_every_city_and_no_person(programme: Programme) -> None:
    from cohort_tools.kit.cohort_keynote import cohort_keynote_page, cohort_tables
    from cohort_tools.model.cohort import load_cohort

    cohort = load_cohort(None, programme)
    tables = cohort_tables(cohort)
    assert [t.keynote for t in tables] == ["m1-keynote", "m2-keynote", "m3-keynote"]
    for table in tables:
        assert [row[0] for row in table.rows] == [c.name for c in cohort.cities]
        assert all(len(row) == len(table.columns) for row in table.rows)
        assert table.takeaways
    page = cohort_keynote_page(cohort, tables)
    for city in cohort.cities:
        people = [city.mayor, city.cda_lead, *city.senior_team]
        for person in people:
            assert person.name not in page and person.email not in page


def test_the_cohort_view_withholds_a_small_survey_and_counts_suppressed_neighborhoods(
    tmp_path: Path,
) -> None:
    from cohort_tools.citydata import open_city
    from cohort_tools.core import paths
    from cohort_tools.kit.cohort_keynote import _requests_per_1000, m2_table

    source = paths.DEMO_DIR / "cities" / "riverton"
    city_dir = tmp_path / "riverton"
    shutil.copytree(source, city_dir)
    survey = pd.read_csv(city_dir / "staff_survey.csv")
    few = survey[survey["respondent_id"].isin(survey["respondent_id"].unique()[:5])]
    few.to_csv(city_dir / "staff_survey.csv", index=False)
    requests = pd.read_parquet(city_dir / "service_requests.parquet")
    quiet = requests["neighbourhood_id"].dropna().unique()[0]
    keep = requests[requests["neighbourhood_id"] != quiet]
    keep = pd.concat([keep, requests[requests["neighbourhood_id"] == quiet].head(3)])
    keep.to_parquet(city_dir / "service_requests.parquet")
    city = open_city(city_dir)
    row = m2_table([city]).rows[0]
    assert row[1] == "fewer than 11" and row[2] == "withheld"
    spread, hidden, _ = _requests_per_1000(city, 11)
    assert hidden >= 1 and spread
