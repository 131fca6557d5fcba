"""The grading page of one city's course: a JupyterHub service that coaches open in a browser tab.

Why a page of ours rather than nbgrader's formgrader: the formgrader is blank inside JupyterLab
since JupyterHub 4.1 (it is an iframe, and hubs now forbid framing: jupyter/nbgrader#1870), its
course list fails for coaches who are not hub admins (#1831), its Autograde button runs nbgrader's
own autograde instead of the project's grader, and it cannot show a rubric beside the answer. This
page is a JupyterHub service at ``/services/<city>/`` (its own URL, never framed), runs as the
course's grading account, and lets in exactly the hub users whose role grants
``access:services!service=<city>`` (the ``formgrade-<city>`` group: the city's coach).

What a coach does here: **Collect and grade** (nbgrader's collect from the exchange, then the
project's grader), **grade each reflection** against the rubric shown beside the answer (one level
per criterion; the score is their sum) with a comment, and **Release feedback** (the project's
feedback pages, hidden tests removed, through nbgrader's exchange to the learners' Assignments
panel). Every form posts with JupyterHub's XSRF token.

Run by the hub as ``python -m cohort_tools.hub.grading --state DIR --city ID``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import jinja2
from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from tornado import web

from cohort_tools.core.errors import CdaError
from cohort_tools.core.i18n import SOURCE_LANGUAGE, _, speaking
from cohort_tools.hub import courses
from cohort_tools.hub.plan import CourseService, HubPlan, load_plan

TEMPLATES = Path(__file__).with_name("templates")


def _environment() -> jinja2.Environment:
    """The page templates; ``{{ _("...") }}`` in them is the catalog's text in the language the
    page is rendered in (``speaking``), as in the code (`make catalogs` extracts both)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        gettext=lambda message: _(message),
        ngettext=lambda one, many, n: _(one) if n == 1 else _(many),
        newstyle=False,
    )
    return env


def workshop_titles(course: courses.CityCourse) -> dict[str, str]:
    """Workshop id -> its title (the first heading of its source notebook)."""
    import nbformat

    titles = {}
    for assignment in course.assignments():
        for source in sorted((course.root / "source" / assignment).glob("*.ipynb")):
            nb = nbformat.read(source, as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "markdown" and cell.source.lstrip().startswith("# "):
                    titles[assignment] = cell.source.lstrip()[2:].splitlines()[0].strip()
                    break
    return titles


class GradingState:
    """What the handlers share: the course, the plan, and one lock for the long jobs."""

    def __init__(self, course: courses.CityCourse, plan: HubPlan | None, prefix: str) -> None:
        self.course = course
        self.plan = plan
        self.prefix = prefix if prefix.endswith("/") else prefix + "/"
        self.busy = threading.Lock()
        self.env = _environment()

    def _service(self) -> CourseService | None:
        if self.plan is not None:
            for course in self.plan.courses:
                if course.city == self.course.city:
                    return course
        return None

    def city_name(self) -> str:
        service = self._service()
        return service.name if service is not None else self.course.city

    def language(self) -> str:
        """The city's language: the page and its messages are written in it."""
        service = self._service()
        return service.language if service is not None else SOURCE_LANGUAGE

    def page(self, template: str, **context: Any) -> str:
        """A page of the service, written in the city's language (``lang`` set on the page)."""
        with speaking(self.language()):
            return self.env.get_template(template).render(lang=self.language(), **context)

    def roles(self) -> dict[str, str]:
        """Each learner account's role, by its title in the city's language."""
        if self.plan is None:
            return {}
        from cohort_tools.model.programme import load_programme, role_titles

        titles = role_titles(load_programme(), self.language())
        return {
            a.name: titles.get(a.role, a.role.replace("_", " "))
            for a in self.plan.accounts
            if a.kind == "learner"
        }

    def courses_of(self, user: str) -> list[dict[str, Any]]:
        """The coach's courses (cities), for the links at the top; none when there is only one."""
        if self.plan is None:
            return []
        base = self.prefix.rsplit("/services/", 1)[0]
        names = {c.city: c.name for c in self.plan.courses}
        for account in self.plan.accounts:
            if account.name == user and len(account.cities) > 1:
                return [
                    {
                        "name": names.get(c, c),
                        "url": f"{base}/services/{c}/",
                        "current": c == self.course.city,
                    }
                    for c in account.cities
                ]
        return []


class Page(HubOAuthenticated, web.RequestHandler):  # type: ignore[misc]  # JupyterHub ships no type hints
    def initialize(self, state: GradingState) -> None:
        self.state = state

    def render_page(self, template: str, **values: Any) -> None:
        user = self.current_user or {}
        hub_prefix = os.environ.get("JUPYTERHUB_BASE_URL", "/")
        context = {
            "city_name": self.state.city_name(),
            "user": user.get("name", ""),
            "hub_home": f"{hub_prefix.rstrip('/')}/hub/home",
            "other_courses": self.state.courses_of(user.get("name", "")),
            "base": self.state.prefix,
            "xsrf": self.xsrf_form_html(),
            "message": self.get_argument("message", ""),
            "problem": self.get_argument("problem", "") == "1",
        }
        context.update(values)
        self.set_header("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'")
        self.finish(self.state.page(template, **context))

    def back(self, message: str, problem: bool = False, path: str = "") -> None:
        query = f"?message={quote(message)}" + ("&problem=1" if problem else "")
        self.redirect(self.state.prefix + path + query)

    async def run_job(self, job: Callable[[], Any]) -> tuple[str, bool]:
        """Run a long job (collect, release) off the event loop, one at a time."""
        language = self.state.language()
        if not self.state.busy.acquire(blocking=False):
            with speaking(language):
                return _("Another collect or release is running; try again in a minute."), True

        def run_in_language() -> tuple[str, bool]:  # the executor's thread: its own context
            with speaking(language):
                try:
                    result = job()
                except CdaError as exc:
                    return str(exc), True
                return str(result.summary()), not bool(getattr(result, "ok", True))

        try:
            return await asyncio.get_running_loop().run_in_executor(None, run_in_language)
        finally:
            self.state.busy.release()


class IndexHandler(Page):
    @web.authenticated
    def get(self) -> None:
        course = self.state.course
        self.render_page(
            "index.html",
            rows=courses.submission_rows(course),
            titles=workshop_titles(course),
            roles=self.state.roles(),
        )


class CollectHandler(Page):
    @web.authenticated
    async def post(self) -> None:
        course = self.state.course
        message, problem = await self.run_job(lambda: courses.collect_and_grade(course))
        self.back(message, problem)


class ReleaseHandler(Page):
    @web.authenticated
    async def post(self) -> None:
        course = self.state.course
        message, problem = await self.run_job(lambda: courses.release_feedback(course))
        self.back(message, problem)


class GradeHandler(Page):
    def _items(self, student: str, assignment: str) -> list[dict[str, Any]]:
        from nbconvert.filters import markdown2html

        items = []
        for item in courses.manual_items(self.state.course, student, assignment):
            items.append({**item.__dict__, "question_html": markdown2html(item.question)})
        return items

    @web.authenticated
    def get(self, student: str, assignment: str) -> None:
        if assignment not in self.state.course.assignments():
            raise web.HTTPError(404)
        self.render_page(
            "grade.html",
            student=student,
            assignment=assignment,
            title=workshop_titles(self.state.course).get(assignment, assignment),
            items=self._items(student, assignment),
        )

    @web.authenticated
    def post(self, student: str, assignment: str) -> None:
        if assignment not in self.state.course.assignments():
            raise web.HTTPError(404)
        notebook = self.get_body_argument("notebook")
        grade_id = self.get_body_argument("grade_id")
        chosen = []
        index = 0
        while f"level-{index}" in self.request.body_arguments:
            chosen.append(self.get_body_argument(f"level-{index}"))
            index += 1
        try:
            with speaking(self.state.language()):  # its problems in the city's language
                points = courses.save_manual_grade(
                    self.state.course,
                    student=student,
                    assignment=assignment,
                    notebook=notebook,
                    grade_id=grade_id,
                    chosen=chosen,
                    comment=self.get_body_argument("comment", ""),
                )
        except (CdaError, ValueError) as exc:
            self.back(str(exc), True, f"grade/{student}/{assignment}")
            return
        with speaking(self.state.language()):
            saved = _("Saved: {points} points for the reflection of {learner}.").format(
                points=f"{points:g}", learner=student
            )
        self.back(saved, False, "")


def make_app(state: GradingState, cookie_secret: bytes | None = None) -> web.Application:
    prefix = state.prefix
    routes: list[Any] = [
        (prefix, IndexHandler, {"state": state}),
        (prefix + "collect", CollectHandler, {"state": state}),
        (prefix + "release", ReleaseHandler, {"state": state}),
        (prefix + r"grade/([a-z0-9_-]+)/([A-Za-z0-9_.-]+)", GradeHandler, {"state": state}),
        (prefix + "oauth_callback", HubOAuthCallbackHandler),
    ]
    return web.Application(
        routes,
        cookie_secret=cookie_secret or secrets.token_bytes(32),
        xsrf_cookies=True,
    )


def course_for(plan: HubPlan, city: str) -> courses.CityCourse:
    return courses.CityCourse(city, plan.state_dir / "courses" / city, plan.state_dir / "exchange")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--state", required=True, type=Path)
    parser.add_argument("--city", required=True)
    args = parser.parse_args(argv)
    plan = load_plan(args.state)
    state = GradingState(course_for(plan, args.city), plan, os.environ["JUPYTERHUB_SERVICE_PREFIX"])
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])

    async def serve() -> None:
        make_app(state).listen(url.port or 80, url.hostname or "127.0.0.1")
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":  # pragma: no cover
    main()
