"""The packet engine: every coaching template for every city, fast, isolated, cached and resumable.

How a packet is made (one *job* = one city x one template):

1. The MyST template is read with jupytext and papermill's ``parameterize_notebook`` injects the city's
   parameters (values rendered by papermill's Python translator: data, never code).
2. THE run loop (:func:`cohort_tools.notebooks.run.run`) executes it in a fresh kernel forked from a
   warm zygote (:mod:`cohort_tools.notebooks.kernels`) with a per-cell ``timeout``; the kernel is
   killed afterwards (:mod:`.jobs`).
3. The executed notebook becomes a self-contained HTML page (charts as static SVG with text
   alternatives); a failure becomes an error page naming the failing cell and the traceback.
4. Per city, the pages that were made are printed into one PDF; the cohort gets an index page
   (:mod:`.output`).

Modules: :mod:`.jobs` (one job and its result), :mod:`.cache` (content hashes, keys),
:mod:`.output` (the output folder), :mod:`.schedulers` (local threads, Dask); this module runs them.

Why fork-per-notebook rather than a reused kernel (measured on the 2-core project machine): papermill's
CLI costs about 5.8 s per small notebook, a fresh kernel about 3 s (``import altair`` alone about 2 s),
and one reused kernel with ``%reset -f`` about 0.7 s. A kernel forked from a zygote that already
imported pandas, altair and cohort_tools costs about 0.5 s per notebook - close to the reused kernel -
but it is a new process every time. ``%reset`` clears the user namespace only: module-level caches,
``sys.modules`` entries for helper files, ``os.environ``, the working directory and altair's
theme/renderer registries all survive it, so isolation would rest on every template behaving. With
forking, city B's kernel is a copy of the zygote, which never ran notebook code; nothing of city A
can be in it by construction (tests/integration/test_packets_isolation.py checks all of those
routes with canaries, in shuffled orders and pool sizes 1 and 2). "Recycle a kernel after each
notebook and keep a pre-warmed spare" is also structural, but each spare pays the full 2.6 s of
imports in CPU, which caps throughput on 2 cores near 2x papermill; forking pays it once.
Each kernel also starts in its own empty scratch folder (deleted afterwards) with the template's
folder on ``sys.path``, so relative file writes cannot pass between cities either. What forking
cannot isolate is the shared file system: a template that writes to an absolute path shared by
all cities could still be read by the next one; templates must not do that.

Cache (:mod:`.cache`): a content hash of the template, the city's data, the parameters, the cohort
file and the package version; a rerun skips packets whose hash is unchanged and whose page exists;
failed packets are always retried. ``force`` re-runs everything.

Consistency (:mod:`.output`): each page is written atomically and only then its record; each PDF
atomically; the index is rebuilt from the records at the end - also after Ctrl-C.

Scale-out: with ``scheduler`` the same jobs run on a Dask distributed cluster; each worker keeps its
own warm kernel pool (a worker plugin), and pages come back to this process to be written. Workers
must see the cities' data folders at the same paths (a shared file system).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cohort_tools.coaching_packets.cache import ENGINE_FORMAT, Digests, packet_key
from cohort_tools.coaching_packets.jobs import (
    CityTarget,
    Job,
    JobResult,
    JobStatus,
    PacketReport,
    execute_job,
)
from cohort_tools.coaching_packets.output import RECORDS, OutputFolder
from cohort_tools.coaching_packets.schedulers import PLUGIN_NAME, run_dask, run_local
from cohort_tools.core import defaults
from cohort_tools.core.i18n import N_, SOURCE_LANGUAGE, shared_language
from cohort_tools.course.layout import course_answers_digest
from cohort_tools.notebooks.digest import folder_digest, sha256_hex
from cohort_tools.notebooks.myst import Template, discover_templates

#: From this many PDFs in a run, they render in worker processes (below it, start-up costs more).
PDF_WORKERS_FROM = 4

if TYPE_CHECKING:
    from cohort_tools.model.cohort import Cohort


def run_jobs(
    cities: Sequence[CityTarget],
    templates: Sequence[Template],
    *,
    out: Path,
    cohort_name: str = "cohort",
    cohort_file: Path | None = None,
    index_cities: Sequence[CityTarget] | None = None,
    all_cities: Sequence[CityTarget] | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    force: bool = False,
    show_code: bool = False,
    quiet: bool = False,
    timeout: int = defaults.PACKET_CELL_TIMEOUT,
    progress_file: Any = None,
    index_templates: Sequence[Template] | None = None,
    course_dir: Path | None = None,
    worksheet: bool = False,
) -> PacketReport:
    """Make packets for ``cities`` x ``templates`` (the engine behind :func:`run_packets`).

    With ``worksheet`` each notebook is printed as a blank worksheet instead
    (:mod:`.worksheets`), with one PDF per page.
    """
    started = time.monotonic()
    noun = "worksheet" if worksheet else "packet"
    folder = OutputFolder(
        Path(out),
        each_pdf=worksheet,
        heading="Worksheets" if worksheet else "Coaching packets",
        column="Worksheet" if worksheet else "Template",
    )
    folder.root.mkdir(parents=True, exist_ok=True)
    index_cities = list(index_cities or cities)
    everyone = list(all_cities or index_cities)
    digests = Digests(
        everyone=everyone, templates=templates, cohort_file=cohort_file, course_dir=course_dir
    )

    all_jobs: list[Job] = []
    for city in cities:
        for t in (template.edition(city.language) for template in templates):
            values = {
                "city": city.id,
                "cohort_file": str(cohort_file) if cohort_file else "",
                "city_name": city.name,
                "data_dir": str(city.data_dir),
                "course_dir": str(course_dir.resolve()) if course_dir else "",
            }
            values = {k: v for k, v in values.items() if k in t.parameters}
            key = digests.key(city, t, values, show_code=show_code)
            if worksheet:
                key = sha256_hex(f"worksheet {key}".encode())
            all_jobs.append(Job(city, t, values, key, show_code, timeout, worksheet))

    results: list[JobResult] = []
    to_run: list[Job] = []
    for job in all_jobs:
        if not force and folder.is_current(job):
            results.append(
                JobResult(job.city.id, job.template.name, "cached", 0.0, job.key, "unchanged")
            )
        else:
            to_run.append(job)

    # PDFs render in worker processes while the next notebooks run (a worksheet's PDF takes about
    # a second of WeasyPrint); a run with a few PDFs renders them here and starts no process.
    renders = len(to_run) if worksheet else len(cities)
    folder.use_pdf_workers(min(os.cpu_count() or 1, renders) if renders >= PDF_WORKERS_FROM else 0)
    titles = {t.name: t.title for t in templates}
    remaining = {c.id: sum(j.city.id == c.id for j in to_run) for c in cities}
    pdfs: dict[str, Path] = {}
    by_id = {c.id: c for c in cities}
    interrupted = False
    lock = threading.Lock()

    from tqdm import tqdm

    bar = tqdm(
        total=len(all_jobs),
        initial=len(all_jobs) - len(to_run),
        disable=quiet,
        unit=noun,
        desc=f"{noun}s",
        file=progress_file or sys.stderr,
        dynamic_ncols=True,
    )
    if not quiet and len(all_jobs) > len(to_run):
        bar.write(f"{len(all_jobs) - len(to_run)} {noun} page(s) unchanged, skipped.")

    def finish_city(city_id: str) -> None:
        pdf = folder.write_pdf(by_id[city_id], templates, force=force)
        if pdf:
            pdfs[city_id] = pdf

    def on_result(result: JobResult) -> None:
        with lock:
            folder.save(result, titles[result.template])
            results.append(result)
            mark = "ok  " if result.status == "ok" else "FAIL"
            bar.set_postfix_str(f"{result.city_id}/{result.template} {result.seconds:.1f}s")
            if not quiet:
                bar.write(f"{mark} {result.city_id} / {result.template}  {result.seconds:.1f} s")
            bar.update(1)
            remaining[result.city_id] -= 1
            if remaining[result.city_id] == 0:
                finish_city(result.city_id)

    try:
        if to_run:
            if scheduler:
                run_dask(to_run, scheduler, on_result)
            else:
                workers = max(1, min(jobs or os.cpu_count() or 1, len(to_run)))
                run_local(to_run, workers, on_result)
        for city in cities:  # PDFs of cities with nothing to run, or missing PDFs
            if city.id not in pdfs:
                finish_city(city.id)
        folder.finish()
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        folder.finish(cancel=True)  # after an error: drop the PDFs not started (no-op when done)
        bar.close()
        index = folder.write_index(cohort_name, index_cities, index_templates or templates)
        report = PacketReport(
            out=folder.root,
            index=index,
            results=results,
            pdfs=pdfs,
            seconds=time.monotonic() - started,
            interrupted=interrupted,
            noun=noun,
            language=_shared_language(cities),
        )
    return report


def _shared_language(cities: Sequence[CityTarget]) -> str:
    """The language of a run about cities that share one (a coach's run for their city); English,
    the programme team's language, for a run across cities of several languages."""
    return shared_language(city.language for city in cities) or SOURCE_LANGUAGE


def run_packets(
    *,
    cohort: Path | None = None,
    cities: list[str] | None = None,
    templates: list[str] | None = None,
    out: Path = Path("packets"),
    jobs: int | None = None,
    scheduler: str | None = None,
    force: bool = False,
    show_code: bool = False,
    quiet: bool = False,
    timeout: int = defaults.PACKET_CELL_TIMEOUT,
    templates_dir: Path | None = None,
    course_dir: Path | None = None,
) -> PacketReport:
    """Make the coaching packets for a cohort (None = the demo cohort).

    ``cities`` and ``templates`` narrow the run to some city ids / template names; the index still
    lists every city and template. ``jobs`` is the number of notebooks run at once (default: the
    number of cores). ``scheduler`` is a Dask scheduler address (``tcp://host:8786``). ``timeout`` is
    the seconds one cell may run. ``course_dir`` is the course folder whose graded answers the
    strategy-review and maturity sections read (templates that declare a ``course_dir`` parameter).
    Raises CdaError for unusable input; packet failures are reported in
    the returned :class:`PacketReport` (check ``report.ok``).
    """
    from cohort_tools.core import paths
    from cohort_tools.core.errors import CdaError

    loaded, everyone, chosen = _targets(cohort, cities)
    folder = templates_dir or paths.coaching_templates_dir()
    chosen_templates = discover_templates(folder, templates)
    if not chosen_templates:
        raise CdaError.single(
            folder,
            "there are no coaching templates (*.md MyST notebooks) in this folder.",
            "add one (see coaching_templates/pre_session_brief.md) or point CDA_HOME at the "
            "checkout that holds coaching_templates/.",
        )
    index_templates = discover_templates(folder) if templates else chosen_templates
    return run_jobs(
        chosen,
        chosen_templates,
        out=out,
        cohort_name=loaded.name,
        cohort_file=loaded.path,
        index_cities=everyone,
        all_cities=everyone,
        jobs=jobs,
        scheduler=scheduler,
        force=force,
        show_code=show_code,
        quiet=quiet,
        timeout=timeout,
        index_templates=index_templates,
        course_dir=course_dir,
    )


#: The worksheets' sections, as the catalog holds them (translated per city by Template.edition).
SECTIONS = (N_("Convening"), N_("Module 1"), N_("Module 2"), N_("Module 3"), N_("Month 6"))


def worksheet_templates() -> list[Template]:
    """The notebooks printed as worksheets, in programme order: the mayor's convening workbook,
    then every workshop (keynotes are talks, with nothing to fill in). Titles say the module."""
    import dataclasses

    from cohort_tools.core import paths
    from cohort_tools.model.programme import load_programme
    from cohort_tools.notebooks.myst import load_template

    programme = load_programme()
    chosen: list[tuple[str, str]] = []
    if programme.convening.notebook:
        chosen.append((programme.convening.notebook, "Convening"))
    for number, module in enumerate(programme.modules, start=1):
        chosen += [
            (s.notebook, f"Module {number}")
            for s in module.sessions
            if s.notebook and s.notebook.startswith("workshops/")
        ]
    chosen += [(s.notebook, "Month 6") for s in programme.capstone if s.notebook]
    root = paths.project_root()
    return [
        dataclasses.replace(t, title=f"{where}: {t.title}", section=where)
        for source, where in chosen
        for t in [load_template(root / source)]
    ]


def run_worksheets(
    *,
    cohort: Path | None = None,
    cities: list[str] | None = None,
    workshops: list[str] | None = None,
    out: Path = defaults.WORKSHEETS_DIR,
    jobs: int | None = None,
    force: bool = False,
    quiet: bool = False,
    timeout: int = defaults.PACKET_CELL_TIMEOUT,
    course_dir: Path | None = None,
) -> PacketReport:
    """Print the worksheets of a cohort (None = the demo cohort): per city, the convening workbook
    and every workshop as a page and a PDF, blank forms to fill in by hand (:mod:`.worksheets`).
    Unchanged worksheets are skipped, as packets are."""
    from cohort_tools.core import paths
    from cohort_tools.notebooks.myst import pick

    loaded, everyone, chosen = _targets(cohort, cities)
    every = worksheet_templates()
    templates = pick(
        {t.name: t for t in every}, workshops, where=paths.workshops_dir(), noun="workshop"
    )
    return run_jobs(
        chosen,
        templates,
        out=out,
        cohort_name=loaded.name,
        cohort_file=loaded.path,
        index_cities=everyone,
        all_cities=everyone,
        jobs=jobs,
        force=force,
        quiet=quiet,
        timeout=timeout,
        index_templates=every,
        course_dir=course_dir,
        worksheet=True,
    )


def _targets(
    cohort: Path | None, cities: list[str] | None
) -> tuple[Cohort, list[CityTarget], list[CityTarget]]:
    """The cohort (None = the demo cohort), every city as a target, and the cities asked for
    (each once; all when none are named). An unknown city id is a CdaError."""
    from cohort_tools.model.cohort import load_cohort

    loaded = load_cohort(cohort)
    everyone = [CityTarget(c.id, c.name, c.data_dir, c.lang, c.country) for c in loaded.cities]
    chosen = [next(t for t in everyone if t.id == loaded.city(c).id) for c in cities or []]
    return loaded, everyone, _unique(chosen) or everyone


def _unique(items: Iterable[CityTarget]) -> list[CityTarget]:
    return list({c.id: c for c in items}.values())


__all__ = [
    "ENGINE_FORMAT",
    "PLUGIN_NAME",
    "RECORDS",
    "CityTarget",
    "Job",
    "JobResult",
    "JobStatus",
    "OutputFolder",
    "PacketReport",
    "course_answers_digest",
    "execute_job",
    "folder_digest",
    "packet_key",
    "run_jobs",
    "run_packets",
]
