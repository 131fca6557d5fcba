"""One packet job (one city x one template): what it is, how it runs, what it gives back.

A job's notebook is the template with the city's parameters injected by papermill
(:func:`cohort_tools.notebooks.myst.parameterize`), executed by THE run loop
(:func:`cohort_tools.notebooks.run.run`) in a fresh kernel forked from the warm zygote, in its own
empty scratch folder (removed afterwards) with the template's folder on ``sys.path``. The executed
notebook becomes a self-contained HTML page; a failed run becomes an error page that says, in plain
words, which cell failed and why (the run's outcome, turned into words here and nowhere else).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from cohort_tools import __version__
from cohort_tools.core.i18n import _, format_number, reader_language, speaking
from cohort_tools.notebooks.myst import Template, parameterize
from cohort_tools.notebooks.run import RunOutcome, run
from cohort_tools.render.charts import CHARTS_AFTER_THE_RUN
from cohort_tools.render.page import Failure

if TYPE_CHECKING:
    from cohort_tools.notebooks.kernels import KernelPool

#: A packet's status: made (``ok``), skipped because unchanged (``cached``), or why it failed.
#: ``setup`` means the notebook could not be run at all (its kernel did not start, a worker was lost).
JobStatus = Literal["ok", "cached", "error", "timeout", "died", "setup"]
FAILED: frozenset[JobStatus] = frozenset({"error", "timeout", "died", "setup"})


@dataclass(frozen=True)
class CityTarget:
    """What the engine needs to know about a city (never people's names or emails)."""

    id: str
    name: str
    data_dir: Path
    language: str = "en"  # what the city's team reads: its packets use that edition
    country: str | None = None  # whose conventions its dates, numbers and charts follow


@dataclass(frozen=True)
class Job:
    city: CityTarget
    template: Template
    values: dict[str, Any]
    key: str
    show_code: bool
    timeout: int
    worksheet: bool = False  # print the notebook as a worksheet (see :mod:`.worksheets`)


@dataclass
class JobResult:
    city_id: str
    template: str
    status: JobStatus
    seconds: float
    key: str
    summary: str = ""
    html: str | None = field(default=None, repr=False)
    city_name: str = ""  # for people (the city id names its folder)
    title: str = ""  # the page's title in the city's language (the template id names its file)


@dataclass
class PacketReport:
    """What a run did; ``ok`` is False when any packet failed or the run was interrupted."""

    out: Path
    index: Path
    results: list[JobResult]
    pdfs: dict[str, Path]
    seconds: float
    interrupted: bool = False
    noun: str = "packet"  # what one page is: "packet" or "worksheet"
    #: The language its summary is read in (its cities' language when they share one).
    language: str = "en"

    @property
    def failed(self) -> list[JobResult]:
        return [r for r in self.results if r.status in FAILED]

    @property
    def executed(self) -> list[JobResult]:
        return [r for r in self.results if r.status != "cached"]

    @property
    def cached(self) -> list[JobResult]:
        return [r for r in self.results if r.status == "cached"]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted

    def summary(self) -> str:
        """What the run did, in its reader's language (``cda --language``), else its cities'."""
        with speaking(reader_language(self.language)):
            return self._summary()

    def _summary(self) -> str:
        counts = {
            "made": sum(r.status == "ok" for r in self.results),
            "unchanged": len(self.cached),
            "failed": len(self.failed),
            "seconds": format_number(self.seconds, digits=1),
            "index": self.index,
        }
        if self.noun == "worksheet":
            line = _(
                "{made} worksheet page(s) made, {unchanged} unchanged (skipped), {failed} failed, "
                "in {seconds} s. Index: {index}"
            )
        else:
            line = _(
                "{made} packet page(s) made, {unchanged} unchanged (skipped), {failed} failed, "
                "in {seconds} s. Index: {index}"
            )
        lines = [line.format(**counts)]
        if self.interrupted:
            lines.append(_("Interrupted: pages already made are kept; run again to finish."))
        for r in self.failed:
            failed = _("FAILED {city} / {page}: {why}")
            city, page = r.city_name or r.city_id, r.title or r.template
            lines.append("  " + failed.format(city=city, page=page, why=r.summary))
        return "\n".join(lines)


def failure_of(outcome: RunOutcome, timeout: int) -> Failure:
    """A failed run in a coach's words, with the evidence (cell, traceback or kernel log)."""
    f = outcome.failure
    if outcome.kind == "not_started" or f is None:
        return Failure(
            "setup",
            f"The notebook could not be run: {outcome.message}",
            "",
            None,
            outcome.kernel_log,
        )
    if f.kind == "timeout":
        return Failure(
            "timeout",
            f"A cell was still running after {timeout} seconds (the time limit), so it was "
            "stopped. It may be waiting forever, or the limit may be too short for this data "
            "(raise it with --timeout).",
            f.source,
            f.template_cell,
        )
    if f.kind == "died":
        return Failure(
            "died",
            "The notebook's Python process stopped unexpectedly (it crashed, exited, ran out of "
            "memory or was killed) before the notebook finished.",
            f.source,
            f.template_cell,
            outcome.kernel_log,
        )
    return Failure(
        "error",
        f"A cell raised an error: {f.ename}: {f.evalue}",
        f.source,
        f.template_cell,
        f.traceback or f"{f.ename}: {f.evalue}",
    )


def _status(kind: str) -> JobStatus:
    statuses: dict[str, JobStatus] = {
        "ok": "ok",
        "error": "error",
        "timeout": "timeout",
        "died": "died",
    }
    return statuses.get(kind, "setup")


def execute_job(job: Job, pool: KernelPool) -> JobResult:
    """Execute one packet in a fresh forked kernel and render its page (or its error page), in
    the city's language."""
    with speaking(job.city.language, country=job.city.country):
        return _execute_job(job, pool)


def _execute_job(job: Job, pool: KernelPool) -> JobResult:
    from cohort_tools.render import page as render

    start = time.monotonic()
    title, city_name = job.template.title, job.city.name
    finished = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    made = _("made {when}").format(when=finished)
    footer = f"{job.template.title} · {made} · cohort_tools {__version__}"
    nb = parameterize(job.template, job.values)
    env = {"CDA_TEMPLATE_DIR": str(job.template.path.parent), **CHARTS_AFTER_THE_RUN}
    if job.worksheet:
        from cohort_tools.coaching_packets.worksheets import PAPER, on_paper

        nb = on_paper(nb, city_name=city_name)
        env.update(PAPER)
        title = _("Worksheet: {title}").format(title=title)
    # Each notebook runs in its own empty scratch folder (removed afterwards), so files written
    # with relative paths cannot reach another city; helper modules beside the template import
    # as usual, and CDA_TEMPLATE_DIR names the template's folder for data files kept beside it.
    scratch = Path(tempfile.mkdtemp(prefix=f"cda-{job.city.id}-"))
    template_dir = str(job.template.path.parent)
    try:
        outcome = run(
            nb,
            pool=pool,
            cwd=scratch,
            timeout=job.timeout,
            sys_path=[template_dir],
            env=env,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    failure = None if outcome.ok else failure_of(outcome, job.timeout)
    if job.worksheet:
        from cohort_tools.coaching_packets.worksheets import printable

        nb = printable(nb)
    if failure is None:
        try:
            page = render.notebook_page(
                nb, title=title, city_name=city_name, show_code=job.show_code, footer=footer
            )
            return JobResult(
                job.city.id, job.template.name, "ok", time.monotonic() - start, job.key, html=page
            )
        except Exception as exc:
            failure = Failure(
                "error", f"The page could not be rendered: {type(exc).__name__}: {exc}"
            )
    page = render.error_page(title=title, city_name=city_name, failure=failure, footer=footer)
    summary = failure.summary
    if failure.cell_number:
        summary += " " + _("(code cell {number})").format(number=failure.cell_number)
    return JobResult(
        job.city.id,
        job.template.name,
        _status(failure.kind),
        time.monotonic() - start,
        job.key,
        summary=summary,
        html=page,
        city_name=city_name,
        title=job.template.title,
    )


def failed_result(job: Job, exc: BaseException) -> JobResult:
    """A packet whose job broke outside the notebook (e.g. a Dask worker was lost)."""
    from cohort_tools.render import page as render

    failure = Failure("setup", f"The packet could not be run: {type(exc).__name__}: {exc}")
    page = render.error_page(title=job.template.title, city_name=job.city.name, failure=failure)
    return JobResult(
        job.city.id,
        job.template.name,
        "setup",
        0.0,
        job.key,
        failure.summary,
        html=page,
        city_name=job.city.name,
        title=job.template.title,
    )


__all__ = [
    "CityTarget",
    "Job",
    "JobResult",
    "JobStatus",
    "PacketReport",
    "execute_job",
    "failed_result",
    "failure_of",
]
