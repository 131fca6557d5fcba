"""`cda demo run`: the main job, run end to end on a cohort (the embedded demo cohort by default).

The job is an ordered list of steps. Order matters: the cohort is validated before anything is written,
and each later step reads what earlier ones produced. The steps that read nothing another step makes
(the facilitation kit, the book) run alongside the others once the inputs are checked, in a thread
of their own: each step's own work runs in other processes (kernels, Sphinx, PDF workers), so the
two lines of steps share the cores.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cohort_tools.core.defaults import DEMO_OUTPUT_DIR
from cohort_tools.model.cohort import Cohort, load_cohort, summary
from cohort_tools.model.programme import Programme, load_programme
from cohort_tools.model.schedule import build_calendar, summarise, write_calendar


@dataclass
class DemoContext:
    out: Path
    cohort_file: Path | None
    programme: Programme
    cohort: Cohort | None = None
    report: list[str] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)
    #: (step title, seconds) in the order the steps ran
    timings: list[tuple[str, float]] = field(default_factory=list)
    #: the hashes of what the recorded steps read (see ``_inputs``)
    inputs: dict[str, str] = field(default_factory=dict)
    #: the whole run's wall-clock seconds (less than the steps' sum: some run alongside the others)
    elapsed: float = 0.0

    def say(self, text: str) -> None:
        self.report.append(text)


def step_check_cohort(ctx: DemoContext) -> None:
    ctx.cohort = load_cohort(ctx.cohort_file, ctx.programme)
    ctx.say(summary(ctx.cohort, ctx.programme))


def step_check_city_data(ctx: DemoContext) -> None:
    from cohort_tools.citydata import check_city
    from cohort_tools.core.errors import CdaError, errors_only

    assert ctx.cohort is not None
    problems = []
    for city in ctx.cohort.cities:
        found = check_city(city.data_dir)
        errors = errors_only(found)
        problems += errors
        ctx.say(
            f"  {city.name}: data folder {'has ' + str(len(errors)) + ' error(s)' if errors else 'valid'}"
            f" ({len(found) - len(errors)} warning(s))"
        )
    if problems:
        raise CdaError(
            problems, headline="City data has errors; run `cda data check` on the folder."
        )


def step_calendar(ctx: DemoContext) -> None:
    assert ctx.cohort is not None
    calendar = build_calendar(ctx.cohort, ctx.programme)
    ics = ctx.out / "calendar" / "cohort.ics"
    csv = ctx.out / "calendar" / "cohort.csv"
    events = write_calendar(calendar, ics=ics, csv_path=csv)
    for city in ctx.cohort.cities:
        write_calendar(calendar, ics=ctx.out / "calendar" / f"{city.id}.ics", city=city.id)
    ctx.say(summarise(calendar, events))
    ctx.outputs["calendar"] = ics


def _engine_step(ctx: DemoContext, make: Callable[..., Any], folder: str) -> None:
    """A packet-engine product for every city (packets, worksheets): made, reported, and a failure
    named with its index page."""
    from cohort_tools.core.errors import CdaError

    report = make(
        cohort=ctx.cohort_file, out=ctx.out / folder, quiet=True, course_dir=ctx.out / "course"
    )
    ctx.say(report.summary())
    ctx.outputs[folder] = report.index
    if not report.ok:
        raise CdaError(headline=f"Some {folder} failed; see {report.index}.")


def step_packets(ctx: DemoContext) -> None:
    from cohort_tools.coaching_packets import run_packets

    _engine_step(ctx, run_packets, "packets")


def step_worksheets(ctx: DemoContext) -> None:
    from cohort_tools.coaching_packets.engine import run_worksheets

    _engine_step(ctx, run_worksheets, "worksheets")


def step_course(ctx: DemoContext) -> None:
    from cohort_tools.course import run_course_demo

    table = run_course_demo(out=ctx.out, cohort=ctx.cohort_file)
    ctx.say(table)
    ctx.outputs["course"] = ctx.out / "course"
    ctx.outputs["progress chart"] = ctx.out / "course" / "progress" / "progress.svg"


def step_strategies(ctx: DemoContext) -> None:
    from cohort_tools.strategy import build_strategies

    results = build_strategies(
        cohort=ctx.cohort_file, course_dir=ctx.out / "course", out=ctx.out / "strategy"
    )
    for result in results:
        ctx.say(result.summary())
    ctx.outputs["strategies"] = ctx.out / "strategy"


def step_cohort_view(ctx: DemoContext) -> None:
    from cohort_tools.cohort_view.page import write_cohort_view

    page = write_cohort_view(
        cohort=ctx.cohort_file, course_dir=ctx.out / "course", out=ctx.out / "cohort-view"
    )
    ctx.outputs["cohort view"] = page
    ctx.say(f"  one page across the cohort: {page}")


def step_kit(ctx: DemoContext) -> None:
    from cohort_tools.kit.api import build_kit

    result = build_kit(out=ctx.out / "kit", cohort=ctx.cohort_file)
    ctx.outputs["facilitation kit"] = result.index
    ctx.say(result.summary())


def step_book(ctx: DemoContext) -> None:
    from cohort_tools.book import build_book

    site = build_book(out=ctx.out / "book")
    ctx.outputs["book"] = site / "index.html"
    ctx.say(f"  built the curriculum book; open {site / 'index.html'} in a browser (works offline)")


# The steps of the main job, in order. check_cohort must come first: nothing is written for an
# invalid cohort. The course comes before the strategies, packets and cohort view, which read the
# team's graded answers. A step with a folder keeps a run record there (:func:`_recorded`); the
# course, packets and worksheets keep their own finer caches.
STEPS: list[tuple[str, Callable[[DemoContext], None], str | None]] = [
    ("Checking the cohort", step_check_cohort, None),
    ("Checking each city's data", step_check_city_data, None),
    ("Writing the program calendar", step_calendar, None),
    ("Releasing the workshops, grading sample submissions", step_course, None),
    ("Assembling each city's data strategy", step_strategies, "strategy"),
    ("Making each city's coaching packets", step_packets, None),
    ("Printing each city's worksheets (PDF)", step_worksheets, None),
    ("Writing the cohort view", step_cohort_view, "cohort-view"),
    ("Writing the facilitation kit (printable pages and PDFs)", step_kit, "kit"),
    ("Building the curriculum book", step_book, "book"),
]

#: Steps that read neither the course nor any other step's output: they start once the cohort and
#: the city data are checked (``ALONGSIDE_AFTER``) and run alongside the others.
ALONGSIDE: frozenset[Callable[[DemoContext], None]] = frozenset({step_kit, step_book})
ALONGSIDE_AFTER = step_check_city_data
#: How the time table marks a step that ran alongside the others.
ALONGSIDE_MARK = " (alongside)"

#: The run record a recorded step keeps in its output folder.
STEP_RECORD = ".cda-demo-step.json"


def _inputs(ctx: DemoContext) -> dict[str, str]:
    """The content hash of everything the recorded steps read but the course (computed once):
    the package's code and catalogs, the curriculum, the book's pages, the notebooks' sources, the
    cohort file and every city's data folder, and today's date (strategies and packets are dated,
    the cohort view counts overdue commitments)."""
    if not ctx.inputs:
        from cohort_tools import __version__
        from cohort_tools.core import paths
        from cohort_tools.notebooks.digest import folder_digest, sha256_hex, source_digest

        assert ctx.cohort is not None
        cohort = ctx.cohort.path
        ctx.inputs = {
            "package": __version__,
            "source": source_digest(),
            "curriculum": folder_digest(paths.curriculum_dir()),
            "book": folder_digest(paths.book_dir()),
            "workshops": folder_digest(paths.workshops_dir()),
            "templates": folder_digest(paths.coaching_templates_dir()),
            "cohort": sha256_hex(cohort.read_bytes()) if cohort.is_file() else "none",
            "cities": json.dumps({c.id: folder_digest(c.data_dir) for c in ctx.cohort.cities}),
            # the book runs its notebooks on the embedded demo cohort, whatever cohort is given
            "demo cohort": folder_digest(paths.DEMO_DIR),
            "today": dt.date.today().isoformat(),
        }
    return ctx.inputs


def _recorded(
    ctx: DemoContext, title: str, step: Callable[[DemoContext], None], folder: str
) -> None:
    """Run ``step`` unless its output folder was made from the same inputs and is as that run left
    it (:class:`~cohort_tools.notebooks.digest.RunRecord`); then say what it said last time. A step
    that runs alongside the others reads no course, so the course is not among its inputs."""
    from cohort_tools.notebooks.digest import RunRecord, folder_digest, json_digest

    record = RunRecord(ctx.out / folder, STEP_RECORD)
    course = {} if step in ALONGSIDE else {"course": folder_digest(ctx.out / "course")}
    key = json_digest({"step": title, **_inputs(ctx), **course})
    if record.unchanged(key):
        last = record.extra()
        ctx.report += [UNCHANGED_STEP, *last.get("report", [])]
        ctx.outputs.update({k: Path(v) for k, v in last.get("outputs", {}).items()})
        return
    record.forget()
    before, known = len(ctx.report), set(ctx.outputs)
    step(ctx)
    made = {k: str(v) for k, v in ctx.outputs.items() if k not in known}
    record.save(key, extra={"report": ctx.report[before:], "outputs": made})


#: Said first when a recorded step is skipped because nothing it reads changed.
UNCHANGED_STEP = "  nothing it reads has changed since the last run: kept as it is"


def run_demo(
    *,
    out: Path = DEMO_OUTPUT_DIR,
    cohort: Path | None = None,
    programme: Path | None = None,
    echo: Callable[[str], None] = print,
) -> DemoContext:
    """Run every step of the main job; return what each produced."""
    began = time.perf_counter()
    # Absolute paths: nbgrader changes the process's working folder while it releases the course
    # (BaseConverter.start), and the steps alongside would then read a relative path from there.
    out, cohort = out.absolute(), cohort.absolute() if cohort else None
    ctx = DemoContext(out=out, cohort_file=cohort, programme=load_programme(programme))
    alongside = _Alongside([s for s in STEPS if s[1] in ALONGSIDE])
    try:
        for title, step, folder in STEPS:
            if step in ALONGSIDE:
                continue
            echo(f"== {title}")
            before = len(ctx.report)
            start = time.perf_counter()
            _run_step(ctx, title, step, folder)
            ctx.timings.append((title, time.perf_counter() - start))
            for line in ctx.report[before:]:
                echo(line)
            if step is ALONGSIDE_AFTER:
                alongside.start(ctx)
                for title_alongside, _step, _folder in alongside.steps:
                    echo(f"== {title_alongside}: started, alongside the steps below")
    finally:
        alongside.join()
    alongside.finish(ctx, echo)
    ctx.elapsed = time.perf_counter() - began
    echo("")
    echo("Outputs:")
    for name, path in ctx.outputs.items():
        echo(f"  {name}: {path}")
    listed = write_demo_outputs(ctx.out)
    echo(f"  every output file and the key numbers: {listed}")
    echo("")
    for line in timing_table(ctx.timings, elapsed=ctx.elapsed):
        echo(line)
    return ctx


def _run_step(
    ctx: DemoContext, title: str, step: Callable[[DemoContext], None], folder: str | None
) -> None:
    if folder is None:
        step(ctx)
    else:
        _recorded(ctx, title, step, folder)


class _Alongside:
    """The steps that run alongside the others: in one thread, one after another, each with its own
    report; what they said is echoed, and what failed is raised, once the other steps are done."""

    def __init__(self, steps: list[tuple[str, Callable[[DemoContext], None], str | None]]) -> None:
        self.steps = steps
        self._thread: threading.Thread | None = None
        self._ctx: DemoContext | None = None
        self._said: list[tuple[str, list[str]]] = []
        self._error: BaseException | None = None

    def start(self, ctx: DemoContext) -> None:
        if any(folder for _title, _step, folder in self.steps):
            _inputs(ctx)  # the inputs' hashes, once, before the two lines of steps share them
        mine = DemoContext(
            out=ctx.out,
            cohort_file=ctx.cohort_file,
            programme=ctx.programme,
            cohort=ctx.cohort,
            inputs=dict(ctx.inputs),
        )
        self._ctx = mine
        # the thread speaks as this one does (the reader's language is a context variable)
        context = contextvars.copy_context()
        self._thread = threading.Thread(
            target=context.run, args=(self._run, mine), name="cda-demo-alongside", daemon=True
        )
        self._thread.start()

    def _run(self, ctx: DemoContext) -> None:
        for title, step, folder in self.steps:
            before = len(ctx.report)
            start = time.perf_counter()
            try:
                _run_step(ctx, title, step, folder)
            except BaseException as exc:  # raised in the main thread by finish()
                self._error = exc
            ctx.timings.append((title + ALONGSIDE_MARK, time.perf_counter() - start))
            self._said.append((title, ctx.report[before:]))
            if self._error is not None:
                return

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def finish(self, ctx: DemoContext, echo: Callable[[str], None]) -> None:
        """Say what the steps said, add their outputs and times; raise what one raised."""
        if self._ctx is None:
            return
        for title, lines in self._said:
            echo(f"== {title}")
            for line in lines:
                echo(line)
        ctx.report += self._ctx.report
        ctx.outputs.update(self._ctx.outputs)
        ctx.timings += self._ctx.timings
        if self._error is not None:
            raise self._error


def timing_table(timings: list[tuple[str, float]], *, elapsed: float | None = None) -> list[str]:
    """The time each step took, and the total, as lines of a plain table. ``elapsed``: the run's
    wall-clock time, when steps ran alongside others (the total is then not their sum)."""
    total = sum(s for _, s in timings) if elapsed is None else elapsed
    label = "Total" if elapsed is None else "Total (wall clock)"
    width = max([len(label), *(len(title) for title, _ in timings)])
    lines = ["Time per step:"]
    lines += [f"  {title:<{width}}  {seconds:7.1f} s" for title, seconds in timings]
    lines.append(f"  {label:<{width}}  {total:7.1f} s")
    return lines


#: Where `cda demo` lists every product file it made and the numbers a reader checks first.
OUTPUTS_LIST = "demo-outputs.json"


def _product_files(out: Path) -> list[str]:
    """Every file a person opens, relative to ``out``: not the work folders, caches and run records
    (any path part starting with a dot) and not the list itself."""
    files = []
    for path in out.rglob("*"):
        parts = path.relative_to(out).parts
        if path.is_file() and not any(p.startswith(".") or p == "__pycache__" for p in parts):
            files.append(path.relative_to(out).as_posix())
    return sorted(f for f in files if f != OUTPUTS_LIST)


def demo_outputs(out: Path) -> dict[str, Any]:
    """What a demo run in ``out`` made: the product files, and the key numbers -- calendar events
    per calendar, every learner's autograded score per city and workshop (in role order), and each
    strategy's completeness. Nothing in it depends on the day it ran or on timing."""
    numbers: dict[str, Any] = {}
    calendars = sorted((out / "calendar").glob("*.ics"))
    numbers["calendar events"] = {
        c.name: c.read_text(encoding="utf-8").count("BEGIN:VEVENT") for c in calendars
    }
    course_dir = out / "course"
    if (course_dir / "gradebook.db").is_file():
        from cohort_tools.course.layout import Course
        from cohort_tools.course.report import progress_rows

        scores: dict[str, dict[str, list[str]]] = {}
        for row in progress_rows(Course(course_dir.resolve())):
            got = "not submitted" if row.score is None else f"{row.score:g}/{row.max_score:g}"
            scores.setdefault(row.city, {}).setdefault(row.workshop, []).append(
                f"{row.role}: {got}"
            )
        numbers["course scores"] = {
            city: {w: sorted(v) for w, v in sorted(by.items())}
            for city, by in sorted(scores.items())
        }
    strategies = {}
    for completeness in sorted((out / "strategy").glob("*/completeness.json")):
        data = json.loads(completeness.read_text(encoding="utf-8"))
        strategies[completeness.parent.name] = {
            "sections complete": f"{data['sections_complete']}/{data['sections']}",
            "ready to sign": data["ready_to_sign"],
        }
    numbers["strategies"] = strategies
    return {"files": _product_files(out), "numbers": numbers}


def write_demo_outputs(out: Path) -> Path:
    """Save :func:`demo_outputs` as ``<out>/demo-outputs.json``; return its path."""
    from cohort_tools.core.fileio import atomic_write_text

    path = out / OUTPUTS_LIST
    text = json.dumps(demo_outputs(out), indent=1, ensure_ascii=False, sort_keys=True)
    atomic_write_text(path, text + "\n")
    return path


def outputs_differences(expected: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """How two :func:`demo_outputs` lists differ, one plain line per file or number (none: same)."""
    lines = [f"missing file: {f}" for f in sorted(set(expected["files"]) - set(got["files"]))]
    lines += [f"new file: {f}" for f in sorted(set(got["files"]) - set(expected["files"]))]

    def flat(tree: Any, prefix: str = "") -> dict[str, Any]:
        if not isinstance(tree, dict):
            return {prefix: tree}
        return {
            k: v for key, sub in tree.items() for k, v in flat(sub, f"{prefix}{key} > ").items()
        }

    was, now = flat(expected["numbers"]), flat(got["numbers"])
    for key in sorted(set(was) | set(now)):
        if was.get(key) != now.get(key):
            lines.append(f"{key.removesuffix(' > ')}: was {was.get(key)}, now {now.get(key)}")
    return lines
