"""The hub's plan and JupyterHub configuration, checked without starting anything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from traitlets.config import Config

from cohort_tools.core.errors import CdaError
from cohort_tools.course.layout import student_id
from cohort_tools.hub import accounts as acc
from cohort_tools.hub.jhconfig import configure, jupyter_config_path
from cohort_tools.hub.plan import CourseService, HubPlan, cohort_slug, parse_mem_limit
from cohort_tools.hub.process import LAB_PLUGINS, jupyter_config
from cohort_tools.model.cohort import load_cohort
from tests.conftest import CohortFactory


def _plan(tmp_path: Path, **changes: Any) -> HubPlan:
    cohort = load_cohort()
    accounts, _ = acc.roster_accounts(cohort)
    values: dict[str, Any] = {
        "cohort_name": cohort.name,
        "cohort_file": cohort.path,
        "slug": cohort_slug(cohort.name, cohort.path),
        "state_dir": tmp_path / "state",
        "prefix": Path("/opt/cda-hub"),
        "proxy": Path("/opt/cda-hub/proxy/node_modules/.bin/configurable-http-proxy"),
        "ip": "127.0.0.1",
        "port": 8000,
        "hub_port": 40001,
        "proxy_api_port": 40002,
        "mem_limit": 2 * 2**30,
        "cgroup": "v1",
        "cgroup_dir": Path("/sys/fs/cgroup/memory/cda-hub-x"),
        "idle_timeout": 3600,
        "home_root": Path("/home"),
        "accounts": tuple(accounts),
        "cities": tuple(c.id for c in cohort.cities),
        "courses": tuple(
            CourseService(city=c.id, name=c.name, port=41000 + i, language=c.lang)
            for i, c in enumerate(cohort.cities)
        ),
    }
    values.update(changes)
    plan = HubPlan(**values)
    plan.state_dir.mkdir(parents=True)
    plan.save()
    return plan


def test_learner_user_names_are_the_course_learner_ids_and_coaches_have_one_account() -> None:
    cohort = load_cohort()
    accounts, people = acc.roster_accounts(cohort)
    learners = [a for a in accounts if a.kind == "learner"]
    expected = [student_id(c.id, str(m.email)) for c in cohort.cities for m in c.senior_team]
    assert [a.name for a in learners] == expected
    coaches = {a.name: a.cities for a in accounts if a.kind == "coach"}
    # Morgan Ellis coaches two demo cities: one account for both
    assert sorted(coaches.values()) == [
        ("port-alder",),
        ("puerto-arrayan",),
        ("riverton", "cedar-bend"),
    ]
    graders = [a.name for a in accounts if a.kind == "grader"]
    assert graders == [f"grader-{c.id}" for c in cohort.cities]
    assert all(acc.name_problem(a.name) is None for a in accounts)
    # names and emails stay in the private identities, never in the accounts
    assert all("@" not in a.name and " " not in a.name for a in accounts)
    assert people[expected[0]].email == str(cohort.cities[0].senior_team[0].email)


@pytest.mark.parametrize(
    ("city_id", "why"),
    [
        ("3rivers", "starts with a digit"),
        ("a-city-whose-id-is-far-too-long", "at most 32"),
    ],
)
def test_city_id_that_cannot_make_system_user_names_is_reported_with_the_city_and_a_fix(
    make_cohort: CohortFactory, city_id: str, why: str
) -> None:
    def rename(d: dict[str, Any]) -> None:
        d["cities"][0]["id"] = city_id

    cohort = load_cohort(make_cohort(rename))
    with pytest.raises(CdaError) as caught:
        acc.roster_accounts(cohort)
    problem = caught.value.problems[0]
    assert problem.city == city_id and problem.field == "cities[0].id"
    assert why in problem.message and "starts with a letter" in problem.fix


def test_hub_lets_in_exactly_the_roster_with_pam_and_binds_to_this_machine(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    c = Config()
    configure(c, plan.state_dir)
    assert c.JupyterHub.authenticator_class == "pam"
    assert c.Authenticator.allowed_users == set(plan.names("learner") + plan.names("coach"))
    assert not c.Authenticator.allowed_users & set(plan.names("grader"))  # no login for graders
    assert c.Authenticator.allow_existing_users is False
    assert c.JupyterHub.bind_url == "http://127.0.0.1:8000/"
    assert c.JupyterHub.hub_bind_url.startswith("http://127.0.0.1:")
    assert c.ConfigurableHTTPProxy.api_url.startswith("http://127.0.0.1:")
    assert c.JupyterHub.spawner_class.__name__ == "CgroupSpawner"
    assert c.Spawner.mem_limit == 2 * 2**30
    assert c.CgroupSpawner.cgroup_mode == "v1"
    assert c.Spawner.cmd == ["/opt/cda-hub/bin/jupyterhub-singleuser"]
    assert c.Spawner.environment["PATH"].startswith("/opt/cda-hub/bin:")
    assert c.Spawner.env_keep == ["LANG", "LC_ALL"]  # not the hub's PATH or virtualenv
    culler = c.JupyterHub.services[0]
    assert culler["name"] == "idle-culler" and "--timeout=3600" in culler["command"]
    assert c.JupyterHub.db_url.startswith(f"sqlite:///{plan.private_dir}")


def test_tls_files_make_the_hub_serve_https(tmp_path: Path) -> None:
    plan = _plan(tmp_path, ssl_cert=tmp_path / "c.pem", ssl_key=tmp_path / "k.pem", ip="0.0.0.0")
    c = Config()
    configure(c, plan.state_dir)
    assert c.JupyterHub.bind_url == "https://0.0.0.0:8000/"
    assert c.JupyterHub.ssl_cert == str(tmp_path / "c.pem")


def test_each_kind_of_account_gets_its_own_jupyter_config_folder(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    learner, coach = plan.names("learner")[0], plan.names("coach")[0]
    assert jupyter_config_path(plan, learner).split(":")[0] == str(plan.jupyter_dir("learner"))
    assert jupyter_config_path(plan, coach).split(":")[0] == str(plan.jupyter_dir("coach"))


def test_learners_get_only_learner_panels_and_no_terminal() -> None:
    files = jupyter_config("learner")
    disabled = files[Path("labconfig/page_config.json")]["disabledExtensions"]
    assert isinstance(disabled, dict)
    assert set(disabled) == {
        LAB_PLUGINS["formgrader"],
        LAB_PLUGINS["create-assignment"],
        LAB_PLUGINS["course-list"],
    }
    server = files[Path("jupyter_server_config.json")]["ServerApp"]
    assert isinstance(server, dict)
    assert server["terminals_enabled"] is False
    assert server["jpserver_extensions"] == {
        "nbgrader.server_extensions.assignment_list": True,
        "nbgrader.server_extensions.validate_assignment": True,
        "nbgrader.server_extensions.course_list": False,
        "nbgrader.server_extensions.formgrader": False,
    }
    coach = jupyter_config("coach")[Path("labconfig/page_config.json")]["disabledExtensions"]
    assert isinstance(coach, dict)
    assert LAB_PLUGINS["create-assignment"] in coach and LAB_PLUGINS["course-list"] not in coach


def test_the_notebook_command_mode_shortcuts_leave_keys_on_a_drop_down_list_to_the_list(
    tmp_path: Path,
) -> None:
    import json
    import sys

    from cohort_tools.hub.environment import (
        COMMAND_MODE,
        SHORTCUTS_PLUGIN,
        lab_overrides,
        write_lab_overrides,
    )

    schemas = Path(sys.prefix, "share", "jupyter", "lab", "schemas")
    write_lab_overrides(tmp_path, schemas)
    overrides = json.loads((tmp_path / "overrides.json").read_text(encoding="utf-8"))
    assert overrides == lab_overrides(schemas)
    assert overrides["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false"}
    shortcuts = overrides[SHORTCUTS_PLUGIN]["shortcuts"]
    insert_below = [s for s in shortcuts if s["command"] == "notebook:insert-cell-below"]
    assert [(s["selector"], s.get("disabled", False)) for s in insert_below] == [
        (COMMAND_MODE, True),  # JupyterLab's own binding of "B", switched off
        (COMMAND_MODE + ":not(select)", False),  # and given again, except on drop-down lists
    ]
    assert len(shortcuts) > 20  # every command-mode shortcut (a, b, d d, m, r, y, the arrows...)


def test_a_missing_jupyterlab_schema_is_a_plain_error(tmp_path: Path) -> None:
    from cohort_tools.hub.environment import lab_overrides

    with pytest.raises(CdaError, match="notebook shortcuts could not be read"):
        lab_overrides(tmp_path)


@pytest.mark.parametrize(
    ("text", "value"),
    [("2G", 2 * 2**30), ("512M", 512 * 2**20), ("1.5g", int(1.5 * 2**30)), ("none", None)],
)
def test_memory_limits_are_read_like_jupyterhub_writes_them(text: str, value: int | None) -> None:
    assert parse_mem_limit(text) == value


def test_memory_limit_that_is_not_a_size_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_mem_limit("lots")


def test_cohort_slug_is_stable_and_safe_for_paths() -> None:
    path = Path("/x/cohort.yaml")
    slug = cohort_slug("Demo cohort 2027 (fictional cities)", path)
    assert slug == cohort_slug("Demo cohort 2027 (fictional cities)", path)
    assert slug.startswith("demo-cohort-2027-fiction-") and "/" not in slug
    assert slug != cohort_slug("Demo cohort 2027 (fictional cities)", Path("/y/cohort.yaml"))


def test_a_citys_cohort_file_on_the_hub_is_valid_and_names_nobody(tmp_path: Path) -> None:
    import yaml

    from cohort_tools.hub.cities import public_cohort

    cohort = load_cohort()
    city = cohort.city("port-alder")
    (tmp_path / "data").mkdir()
    target = tmp_path / "cohort.yaml"
    target.write_text(yaml.safe_dump(public_cohort(cohort, city), sort_keys=False))
    loaded = load_cohort(target)
    assert [c.id for c in loaded.cities] == ["port-alder"]
    assert loaded.cities[0].data_dir == (tmp_path / "data").resolve()
    text = target.read_text()
    people = [city.mayor, city.cda_lead, city.coach, *city.senior_team]
    for person in people:
        assert person.name not in text and str(person.email) not in text
    # the learners appear by their hub user names, with their roles
    assert student_id(city.id, str(city.senior_team[0].email)) in text


def test_cohort_file_from_the_environment_is_what_no_cohort_file_means(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    from cohort_tools.hub.cities import public_cohort

    cohort = load_cohort()
    (tmp_path / "data").mkdir()
    target = tmp_path / "cohort.yaml"
    target.write_text(yaml.safe_dump(public_cohort(cohort, cohort.city("riverton"))))
    monkeypatch.setenv("CDA_COHORT_FILE", str(target))
    assert [c.id for c in load_cohort().cities] == ["riverton"]
    monkeypatch.delenv("CDA_COHORT_FILE")
    assert len(load_cohort().cities) == 4


def test_the_operators_summary_names_cities_and_roles_in_the_readers_language(
    tmp_path: Path,
) -> None:
    from cohort_tools.core.i18n import speaking
    from cohort_tools.hub.api import HubInfo

    info = HubInfo(_plan(tmp_path), 1234, ["riverton-4a745338"])
    english = info.summary()
    assert "The hub for Demo cohort 2027 (fictional cities) is running at" in english
    assert " coach (Riverton, Cedar Bend)" in english  # city names, not their ids
    assert "learner (Puerto Arrayán, Chief of staff)" in english  # the role's title
    with speaking("es"):
        spanish = info.summary()
    assert "El hub de Demo cohort 2027 (fictional cities) está en marcha en" in spanish
    assert "participante (Puerto Arrayán, Jefe o jefa de gabinete)" in spanish
    assert "Cómo entrar: abra la dirección de arriba en un navegador" in spanish
    assert "chief_of_staff" not in english + spanish and "(riverton" not in english + spanish


def _grading_page(plan: HubPlan, city: str, template: str, **values: Any) -> str:
    from types import SimpleNamespace

    from cohort_tools.hub.grading import GradingState, course_for

    state = GradingState(course_for(plan, city), plan, f"/services/{city}/")
    learner = next(a.name for a in plan.accounts if a.kind == "learner" and city in a.cities)
    row = SimpleNamespace(
        student=learner, assignment=f"m1_workshop_a_data_routines-{city}", submitted="2027-02-01",
        auto=(5.0, 6.0), manual_total=2, manual_done=1, needs_coach=True, feedback=False,
    )  # fmt: skip
    context = {
        "city_name": state.city_name(), "user": "coach", "hub_home": "/hub/home",
        "other_courses": [], "base": f"/services/{city}/", "xsrf": "", "message": "",
        "problem": False, "rows": [row], "titles": {}, "roles": state.roles(),
    }  # fmt: skip
    return state.page(template, **{**context, **values})


def test_the_coach_s_grading_page_is_written_in_the_city_s_language(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    spanish = _grading_page(plan, "puerto-arrayan", "index.html")
    assert '<html lang="es">' in spanish
    assert "<h1>Puerto Arrayán: entregas</h1>" in spanish
    assert "Recoger y calificar las entregas nuevas" in spanish
    assert "5 de 6 puntos" in spanish and "1 de 2 calificadas" in spanish
    assert "Calificar con la rúbrica" in spanish
    from cohort_tools.model.programme import in_language, load_programme

    titles = {r.id: r.title for r in in_language(load_programme(), "es").team.roles}
    role = next(
        a.role for a in plan.accounts if a.kind == "learner" and "puerto-arrayan" in a.cities
    )
    assert f"<small>{titles[role]}</small>" in spanish and role not in spanish
    assert "Collect" not in spanish and "graded" not in spanish and "points" not in spanish
    english = _grading_page(plan, "riverton", "index.html")
    assert '<html lang="en">' in english and "<h1>Riverton: submissions</h1>" in english
    assert "5 of 6 points" in english and "Grade with the rubric" in english
    item = {
        "max_points": 3.0, "question_html": "<p>¿Qué?</p>", "answer_text": "Sí", "answer": "Sí",
        "notebook": "nb", "grade_id": "g1", "own_comment": "", "score": None, "chosen": None,
        "rubric": {"criteria": [{"criterion": "Claridad", "levels": [
            {"label": "Bien", "points": 1.0, "description": "Clara."},
            {"label": "Muy bien", "points": 2.0, "description": "Muy clara."}]}]},
    }  # fmt: skip
    grade = _grading_page(
        plan, "puerto-arrayan", "grade.html", student="pa-1", assignment="a", title="Rutinas",
        items=[item],
    )  # fmt: skip
    assert "Reflexión 1 (3 puntos)" in grade and "Bien (1 punto)" in grade
    assert "Muy bien (2 puntos)" in grade and "Sin calificar todavía." in grade
    assert "Guardar esta calificación" in grade and "Reflection" not in grade
