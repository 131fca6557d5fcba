"""The packet engine: every coaching template for every city, fast, isolated, cached and resumable.

How a packet is made (one *job* = one city x one template):

1. The MyST template is read with jupytext and papermill's ``parameterize_notebook`` injects the city's
   parameters (values rendered by papermill's Python translator: data, never code).
2. A fresh kernel is forked from a warm zygote (:mod:`cohort_tools.notebooks.kernels`) and nbclient
   executes the notebook in it with a per-cell ``timeout``. The kernel is killed afterwards.
3. The executed notebook becomes a self-contained HTML page (charts as static SVG with text
   alternatives); a failure becomes an error page naming the failing cell and the traceback.
4. Per city, the pages that were made are printed into one PDF; the cohort gets an index page.

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

Cache: each packet's record holds a content hash of the template source, the city's data folder
(every file's bytes), the parameters, the cohort file, the package version and the show-code switch;
templates that declare ``cda: {reads_other_cities: true}`` in their header (e.g. a cohort median) also
hash every city's data. A rerun skips packets whose hash is unchanged and whose page exists; failed
packets are always retried. ``force`` re-runs everything.

Consistency: each page is written atomically and only then its record; each PDF atomically; the index
is rebuilt from the records at the end - also after Ctrl-C, after every kernel has been killed.

Scale-out: with ``scheduler`` the same jobs run on a Dask distributed cluster; each worker keeps its
own warm kernel pool (a worker plugin), and pages come back to this process to be written. Workers
must see the cities' data folders at the same paths (a shared file system).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cohort_tools import __version__
from cohort_tools.core.fileio import atomic_write_bytes, atomic_write_text
from cohort_tools.notebooks.kernels import KernelPool
from cohort_tools.notebooks.myst import Template, discover_templates, parameterize
from cohort_tools.render.charts import CHARTS_AFTER_THE_RUN
from cohort_tools.render.page import Failure, IndexRow

ENGINE_FORMAT = "1"  # bump when page rendering changes, to invalidate every cached packet
RECORDS = ".cda-packets"  # folder (inside the output folder) holding the cache records
PLUGIN_NAME = "cda-kernel-pool"


@dataclass(frozen=True)
class CityTarget:
    """What the engine needs to know about a city (never people's names or emails)."""

    id: str
    name: str
    data_dir: Path


@dataclass(frozen=True)
class Job:
    city: CityTarget
    template: Template
    values: dict[str, Any]
    key: str
    show_code: bool
    timeout: int


@dataclass
class JobResult:
    city_id: str
    template: str
    status: str  # "ok", "error", "timeout", "died", "setup", or "cached"
    seconds: float
    key: str
    summary: str = ""
    html: str | None = field(default=None, repr=False)


@dataclass
class PacketReport:
    """What a run did; ``ok`` is False when any packet failed or the run was interrupted."""

    out: Path
    index: Path
    results: list[JobResult]
    pdfs: dict[str, Path]
    seconds: float
    interrupted: bool = False

    @property
    def failed(self) -> list[JobResult]:
        return [r for r in self.results if r.status not in ("ok", "cached")]

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
        made = sum(r.status == "ok" for r in self.results)
        lines = [
            f"{made} packet page(s) made, {len(self.cached)} unchanged (skipped), "
            f"{len(self.failed)} failed, in {self.seconds:.1f} s. Index: {self.index}"
        ]
        if self.interrupted:
            lines.append("Interrupted: pages already made are kept; run again to finish.")
        for r in self.failed:
            lines.append(f"  FAILED {r.city_id} / {r.template}: {r.summary}")
        return "\n".join(lines)


# -- hashing ----------------------------------------------------------------------------------------


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def folder_digest(folder: Path) -> str:
    """Content hash of every file under ``folder`` (relative path and bytes), or 'missing'."""
    if not folder.is_dir():
        return "missing"
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue  # editor swap files and similar are not data
        h.update(rel.encode() + b"\0" + _sha(path.read_bytes()).encode() + b"\n")
    return h.hexdigest()


def course_answers_digest(course_dir: Path, city: str) -> str:
    """A digest of the city's graded submissions (answers and notebooks) in a course folder."""
    root = Path(course_dir) / "autograded"
    files = sorted(root.glob(f"*/*--{city}/*")) if root.is_dir() else []
    h = hashlib.sha256()
    for f in files:
        if f.is_file():
            h.update(str(f.relative_to(root)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def packet_key(
    template: Template,
    values: dict[str, Any],
    *,
    city_digest: str,
    cohort_digest: str,
    cohort_data_digest: str,
    show_code: bool,
) -> str:
    payload = {
        "format": ENGINE_FORMAT,
        "package": __version__,
        "template": _sha(template.source.encode("utf-8")),
        "parameters": values,
        "data": city_digest,
        "cohort": cohort_digest,
        "cohort_data": cohort_data_digest if template.reads_other_cities else "",
        "show_code": show_code,
    }
    return _sha(json.dumps(payload, sort_keys=True, default=str).encode())


# -- one job (runs in a worker thread, locally or on a Dask worker) ---------------------------------


def _code_cell_number(nb: Any, index: int | None) -> int | None:
    if index is None:
        return None
    number = 0
    for cell in nb.cells[: index + 1]:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type == "code" and "injected-parameters" not in tags:
            number += 1
    return number


def _error_traceback(nb: Any, index: int | None) -> str:
    if index is None:
        return ""
    for output in nb.cells[index].get("outputs", []):
        if output.get("output_type") == "error":
            return "\n".join(output.get("traceback", []))
    return ""


async def _execute(client: Any) -> None:
    try:
        await client.async_execute()
    finally:
        if client.kc is not None:
            client.kc.stop_channels()


def execute_job(job: Job, pool: KernelPool) -> JobResult:
    """Execute one packet in a fresh forked kernel and render its page (or its error page)."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    from cohort_tools.render import page as render

    start = time.monotonic()
    title, city_name = job.template.title, job.city.name
    finished = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    footer = f"{job.template.name} · made {finished} · cohort_tools {__version__}"
    nb = parameterize(job.template, job.values)
    current: dict[str, int | None] = {"index": None}

    def on_cell_start(cell: Any, cell_index: int) -> None:
        current["index"] = cell_index

    failure: Failure | None = None
    kernel = None
    client = None
    # Each notebook runs in its own empty scratch folder (removed afterwards), so files written
    # with relative paths cannot reach another city; helper modules beside the template import
    # as usual, and CDA_TEMPLATE_DIR names the template's folder for data files kept beside it.
    scratch = Path(tempfile.mkdtemp(prefix=f"cda-{job.city.id}-"))
    template_dir = str(job.template.path.parent)
    try:
        kernel = pool.fork_kernel(
            cwd=scratch,
            sys_path=[template_dir],
            env={"CDA_TEMPLATE_DIR": template_dir, **CHARTS_AFTER_THE_RUN},
        )
        client = NotebookClient(
            nb,
            km=kernel.km,
            timeout=job.timeout,
            startup_timeout=60,
            kernel_name="python3",
            on_cell_start=on_cell_start,
        )
        # Our own event loop per job, closed at the end (nbclient's sync wrapper leaves one open
        # per thread); the client's channels are closed inside it.
        asyncio.run(_execute(client))
    except CellTimeoutError:
        idx = current["index"]
        failure = Failure(
            "timeout",
            f"A cell was still running after {job.timeout} seconds (the time limit), so it was "
            "stopped. It may be waiting forever, or the limit may be too short for this data "
            "(raise it with --timeout).",
            nb.cells[idx].source if idx is not None else "",
            _code_cell_number(nb, idx),
        )
    except DeadKernelError:
        idx = current["index"]
        failure = Failure(
            "died",
            "The notebook's Python process stopped unexpectedly (it crashed, exited, ran out of "
            "memory or was killed) before the notebook finished.",
            nb.cells[idx].source if idx is not None else "",
            _code_cell_number(nb, idx),
            kernel.log_tail() if kernel else "",
        )
    except CellExecutionError as exc:
        idx = current["index"]
        failure = Failure(
            "error",
            f"A cell raised an error: {exc.ename}: {exc.evalue}",
            nb.cells[idx].source if idx is not None else "",
            _code_cell_number(nb, idx),
            _error_traceback(nb, idx) or str(exc),
        )
    except Exception as exc:  # the kernel could not start, or nbclient failed in another way
        failure = Failure(
            "setup",
            f"The notebook could not be run: {type(exc).__name__}: {exc}",
            traceback=(kernel.log_tail() if kernel else ""),
        )
    finally:
        if kernel is not None:
            pool.discard(kernel)
        shutil.rmtree(scratch, ignore_errors=True)
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
        summary += f" (code cell {failure.cell_number})"
    return JobResult(
        job.city.id,
        job.template.name,
        failure.kind,
        time.monotonic() - start,
        job.key,
        summary=summary,
        html=page,
    )


# -- output folder --------------------------------------------------------------------------------


class OutputFolder:
    """The packet output folder: pages, PDFs, records and the index."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def page(self, city_id: str, template: str) -> Path:
        return self.root / city_id / f"{template}.html"

    def pdf(self, city_id: str) -> Path:
        return self.root / city_id / f"{city_id}-packet.pdf"

    def record_path(self, city_id: str, name: str) -> Path:
        return self.root / RECORDS / city_id / f"{name}.json"

    def record(self, city_id: str, name: str) -> dict[str, Any] | None:
        try:
            data: dict[str, Any] = json.loads(self.record_path(city_id, name).read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return None
        return data

    def is_current(self, job: Job) -> bool:
        rec = self.record(job.city.id, job.template.name)
        return bool(
            rec
            and rec.get("key") == job.key
            and rec.get("status") == "ok"
            and self.page(job.city.id, job.template.name).is_file()
        )

    def save(self, result: JobResult, title: str) -> None:
        """The page first, then its record: a record never points at a missing or torn page."""
        assert result.html is not None
        atomic_write_text(self.page(result.city_id, result.template), result.html)
        record = {
            "key": result.key,
            "status": result.status,
            "seconds": round(result.seconds, 3),
            "finished": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
            "title": title,
            "summary": result.summary,
        }
        atomic_write_text(
            self.record_path(result.city_id, result.template), json.dumps(record, indent=1)
        )

    def write_pdf(
        self, city: CityTarget, templates: Sequence[Template], *, force: bool = False
    ) -> Path | None:
        """(Re)build the city's PDF from its made pages when they changed; None if none are made."""
        from cohort_tools.render.page import pdf_from_pages

        made = []
        for t in templates:
            rec = self.record(city.id, t.name)
            if rec and rec.get("status") == "ok" and self.page(city.id, t.name).is_file():
                made.append((t, rec["key"]))
        target = self.pdf(city.id)
        if not made:
            for stale in (target, self.record_path(city.id, "_pdf")):
                stale.unlink(missing_ok=True)
            return None
        key = _sha(json.dumps([[t.name, k] for t, k in made]).encode())
        rec = self.record(city.id, "_pdf")
        if not force and rec and rec.get("key") == key and target.is_file():
            return target
        pages = [self.page(city.id, t.name).read_text(encoding="utf-8") for t, _ in made]
        atomic_write_bytes(target, pdf_from_pages(pages, base_url=str(target.parent)))
        atomic_write_text(self.record_path(city.id, "_pdf"), json.dumps({"key": key}))
        return target

    def write_index(
        self, cohort_name: str, cities: Sequence[CityTarget], templates: Sequence[Template]
    ) -> Path:
        """The index from what is on disk now (records and files), for every city and template."""
        from cohort_tools.render.page import index_page

        rows = []
        pdfs = {}
        for city in cities:
            if self.pdf(city.id).is_file():
                pdfs[city.id] = self.pdf(city.id).relative_to(self.root).as_posix()
            for t in templates:
                rec = self.record(city.id, t.name)
                page = self.page(city.id, t.name)
                present = rec is not None and page.is_file()
                rows.append(
                    IndexRow(
                        city_id=city.id,
                        city_name=city.name,
                        template=t.name,
                        title=t.title,
                        status=rec["status"] if present and rec else "missing",
                        href=page.relative_to(self.root).as_posix() if present else None,
                        seconds=rec.get("seconds") if present and rec else None,
                        finished=rec.get("finished", "") if present and rec else "",
                    )
                )
        target = self.root / "index.html"
        atomic_write_text(target, index_page(cohort_name=cohort_name, rows=rows, pdfs=pdfs))
        return target


# -- schedulers -------------------------------------------------------------------------------------

OnResult = Callable[[JobResult], None]


def _failed(job: Job, exc: BaseException) -> JobResult:
    """A packet whose job broke outside the notebook (e.g. a Dask worker was lost)."""
    from cohort_tools.render import page as render

    failure = Failure("setup", f"The packet could not be run: {type(exc).__name__}: {exc}")
    page = render.error_page(title=job.template.title, city_name=job.city.name, failure=failure)
    return JobResult(
        job.city.id, job.template.name, "setup", 0.0, job.key, failure.summary, html=page
    )


def _outcome(fut: Any, job: Job) -> JobResult:
    try:
        result: JobResult = fut.result()
    except Exception as exc:
        return _failed(job, exc)
    return result


def _run_local(jobs: list[Job], workers: int, on_result: OnResult) -> None:
    """Run jobs on ``workers`` threads sharing one kernel pool; kill everything on interrupt."""
    with KernelPool(workers) as pool, ThreadPoolExecutor(workers, "cda-packet") as ex:
        submitted = {ex.submit(execute_job, j, pool): j for j in jobs}
        futures: set[Future[JobResult]] = set(submitted)
        try:
            while futures:
                done, futures = wait(futures, return_when=FIRST_COMPLETED)
                for fut in done:
                    on_result(_outcome(fut, submitted[fut]))
        except BaseException:
            for fut in futures:
                fut.cancel()
            pool.close()  # kills running kernels, so running jobs end at once
            raise


class KernelPoolPlugin:
    """Dask worker plugin: one warm kernel pool per worker, sized to the worker's threads."""

    name = PLUGIN_NAME

    def __init__(self) -> None:
        self.pool: KernelPool | None = None

    def setup(self, worker: Any) -> None:
        self.pool = KernelPool(max(1, int(worker.state.nthreads))).start()

    def teardown(self, worker: Any) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None

    def __getstate__(self) -> dict[str, Any]:
        return {"pool": None}


def _dask_execute(job: Job) -> JobResult:
    from distributed import get_worker

    worker = get_worker()
    plugin: Any = worker.plugins.get(PLUGIN_NAME)
    if plugin is None or plugin.pool is None:
        raise RuntimeError("the cda kernel-pool plugin is not set up on this Dask worker")
    return execute_job(job, plugin.pool)


def _run_dask(jobs: list[Job], scheduler: str, on_result: OnResult) -> None:
    from distributed import Client, WorkerPlugin, as_completed

    plugin_cls = type("CdaKernelPoolPlugin", (KernelPoolPlugin, WorkerPlugin), {})
    with Client(scheduler, set_as_default=False) as client:  # type: ignore[no-untyped-call]
        client.register_plugin(plugin_cls(), name=PLUGIN_NAME)
        submitted = {client.submit(_dask_execute, j, pure=False): j for j in jobs}
        futures = list(submitted)
        try:
            for fut in as_completed(futures, loop=client.loop):  # type: ignore[no-untyped-call]
                on_result(_outcome(fut, submitted[fut]))
        except BaseException:
            client.cancel(futures)
            raise


# -- the run ----------------------------------------------------------------------------------------


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
    timeout: int = 300,
    progress_file: Any = None,
    index_templates: Sequence[Template] | None = None,
    course_dir: Path | None = None,
) -> PacketReport:
    """Make packets for ``cities`` x ``templates`` (the engine behind :func:`run_packets`)."""
    started = time.monotonic()
    folder = OutputFolder(Path(out))
    folder.root.mkdir(parents=True, exist_ok=True)
    index_cities = list(index_cities or cities)
    everyone = list(all_cities or index_cities)
    cohort_digest = (
        _sha(cohort_file.read_bytes()) if cohort_file and cohort_file.is_file() else "none"
    )
    digests: dict[Path, str] = {}

    def digest(p: Path) -> str:
        if p not in digests:
            digests[p] = folder_digest(p)
        return digests[p]

    cohort_data = ""
    if any(t.reads_other_cities for t in templates):
        cohort_data = _sha("".join(f"{c.id}:{digest(c.data_dir)}\n" for c in everyone).encode())

    all_jobs: list[Job] = []
    for city in cities:
        for t in templates:
            values = {
                "city": city.id,
                "cohort_file": str(cohort_file) if cohort_file else "",
                "city_name": city.name,
                "data_dir": str(city.data_dir),
                "course_dir": str(course_dir.resolve()) if course_dir else "",
            }
            values = {k: v for k, v in values.items() if k in t.parameters}
            city_digest = digest(city.data_dir)
            if "course_dir" in values and course_dir:
                # The team's graded answers are an input too: a new grading refreshes the packet.
                city_digest += course_answers_digest(course_dir, city.id)
            key = packet_key(
                t,
                values,
                city_digest=city_digest,
                cohort_digest=cohort_digest,
                cohort_data_digest=cohort_data,
                show_code=show_code,
            )
            all_jobs.append(Job(city, t, values, key, show_code, timeout))

    results: list[JobResult] = []
    to_run: list[Job] = []
    for job in all_jobs:
        if not force and folder.is_current(job):
            results.append(
                JobResult(job.city.id, job.template.name, "cached", 0.0, job.key, "unchanged")
            )
        else:
            to_run.append(job)

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
        unit="packet",
        desc="packets",
        file=progress_file or sys.stderr,
        dynamic_ncols=True,
    )
    if not quiet and len(all_jobs) > len(to_run):
        bar.write(f"{len(all_jobs) - len(to_run)} packet page(s) unchanged, skipped.")

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
                _run_dask(to_run, scheduler, on_result)
            else:
                workers = max(1, min(jobs or os.cpu_count() or 1, len(to_run)))
                _run_local(to_run, workers, on_result)
        for city in cities:  # PDFs of cities with nothing to run, or missing PDFs
            if city.id not in pdfs:
                finish_city(city.id)
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        bar.close()
        index = folder.write_index(cohort_name, index_cities, index_templates or templates)
        report = PacketReport(
            out=folder.root,
            index=index,
            results=results,
            pdfs=pdfs,
            seconds=time.monotonic() - started,
            interrupted=interrupted,
        )
    return report


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
    timeout: int = 300,
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
    from cohort_tools.model.cohort import load_cohort

    loaded = load_cohort(cohort)
    everyone = [CityTarget(c.id, c.name, c.data_dir) for c in loaded.cities]
    chosen = [next(t for t in everyone if t.id == loaded.city(c).id) for c in cities or []]
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
        _unique(chosen) or everyone,
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


def _unique(items: Iterable[CityTarget]) -> list[CityTarget]:
    return list({c.id: c for c in items}.values())


__all__ = [
    "CityTarget",
    "Job",
    "JobResult",
    "PacketReport",
    "execute_job",
    "folder_digest",
    "run_jobs",
    "run_packets",
]
