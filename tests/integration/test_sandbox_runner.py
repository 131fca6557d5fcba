"""Hostile learner code in the grading sandbox: every attack fails, and an honest job run at the same
time in the same pool returns exactly what it returns alone.

One pool for the demo city (riverton) with two job slots serves the whole module: warm (one zygote
per city, a uid per slot) when the tests run as root, as in CI; cold (one unprivileged bubblewrap per
job) otherwise. The honest job is the real Module 1 workshop A with its solutions in place and its
checkpoint cells removed, as the grader will send it. No test measures time.
"""

from __future__ import annotations

import concurrent.futures
import os
import secrets
import socket
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest

from cohort_tools.core import paths
from cohort_tools.course.answers import answer_names
from cohort_tools.model.cohort import city_only_cohort, load_cohort
from cohort_tools.notebooks.myst import read_myst
from cohort_tools.notebooks.sandbox import (
    SANDBOX_COHORT_FILE,
    SandboxLimits,
    SandboxOutcome,
    SandboxPool,
    curriculum_data_files,
)
from tests.integration.conftest import (
    CANARY_ENV,
    processes_running_as,
    read_attempts,
    require_bwrap,
)

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
WORKSHOP = REPO / "workshops" / "m1_workshop_a_data_routines.md"
RIVERTON = paths.DEMO_DIR / "cities" / "riverton"
#: What the grader gives the sandbox: the cohort as Riverton's notebooks may see it (no names).
RIVERTON_ONLY = city_only_cohort(
    load_cohort(paths.DEMO_COHORT_FILE), "riverton", data_folder="city"
)
OTHER_CITY = paths.DEMO_DIR / "cities" / "cedar-bend"
#: Attacks get short time limits; the honest job keeps the default (a busy machine is not a failure).
ATTACK = SandboxLimits(timeout=10, grace=2)
#: Cells that never end reach any time limit: a short one tests the same and waits less.
NEVER_ENDS = SandboxLimits(timeout=4, grace=2)


def is_checkpoint(cell: nbformat.NotebookNode) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def learner_copy(source: Path, marker: str = "") -> nbformat.NotebookNode:
    """The workshop with solutions in place and no checkpoint cells (what the grader sends)."""
    nb = read_myst(source.read_text(encoding="utf-8"))
    nb.cells = [c for c in nb.cells if not is_checkpoint(c)]
    if marker:
        nb.cells.append(nbformat.v4.new_markdown_cell(marker))  # type: ignore[no-untyped-call]
    return nb


def notebook(*cells: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    nb.cells = [nbformat.v4.new_code_cell(textwrap.dedent(c).strip()) for c in cells]  # type: ignore[no-untyped-call]
    return nb


@pytest.fixture(scope="module")
def canary() -> Iterator[str]:
    """A secret in the grader's environment (set before the pool starts)."""
    value = "canary-" + secrets.token_hex(12)
    os.environ[CANARY_ENV] = value
    yield value
    os.environ.pop(CANARY_ENV, None)


ISOLATIONS = ["warm", "cold"] if os.geteuid() == 0 else ["cold"]


@pytest.fixture(scope="module", params=ISOLATIONS)
def pool(request: pytest.FixtureRequest, canary: str) -> Iterator[SandboxPool]:
    """The warm sandbox (root only: it gives each job slot its own uid) and the cold one."""
    require_bwrap()
    with SandboxPool(RIVERTON, jobs=2, isolation=request.param, cohort=RIVERTON_ONLY) as p:
        yield p


@pytest.fixture(scope="module")
def honest() -> tuple[nbformat.NotebookNode, list[str]]:
    nb = learner_copy(WORKSHOP)
    return nb, answer_names(nb)


@pytest.fixture(scope="module")
def alone(pool: SandboxPool, honest: tuple[nbformat.NotebookNode, list[str]]) -> SandboxOutcome:
    """The honest job run alone in the pool."""
    nb, names = honest
    outcome = pool.run(nb, answers=names)
    assert outcome.status == "completed", outcome.message
    assert [c.status for c in outcome.cells] == ["ok"] * len(outcome.cells), outcome.notes()
    assert not outcome.missing
    return outcome


def same_as_alone(outcome: SandboxOutcome, alone: SandboxOutcome) -> None:
    assert outcome.status == alone.status == "completed", outcome.message
    assert outcome.answers == alone.answers
    assert [(c.index, c.status, c.ename) for c in outcome.cells] == [
        (c.index, c.status, c.ename) for c in alone.cells
    ]
    assert [c.text() for c in outcome.cells] == [c.text() for c in alone.cells]


def with_honest(
    pool: SandboxPool,
    honest: tuple[nbformat.NotebookNode, list[str]],
    attacker: nbformat.NotebookNode,
    answers: list[str],
    limits: SandboxLimits = ATTACK,
) -> tuple[SandboxOutcome, SandboxOutcome]:
    """Run the attacker and the honest job at the same time in the pool's two slots."""
    nb, names = honest
    with concurrent.futures.ThreadPoolExecutor(2) as workers:
        attack = workers.submit(pool.run, attacker, answers=answers, limits=limits)
        good = workers.submit(pool.run, nb, answers=names)
        return attack.result(), good.result()


def statuses(outcome: SandboxOutcome) -> list[str]:
    """Status of each of the notebook's own cells (not the injected parameters)."""
    return [c.status for c in outcome.cells if c.index is not None]


def slot_processes(pool: SandboxPool) -> list[int]:
    """Host pids still running as one of the pool's job uids (sandboxes started by root)."""
    if not pool.uid_base:
        return []
    first, end = pool.uid_base, pool.uid_base + pool.jobs
    return processes_running_as(lambda uid: first <= uid < end)


# -- the honest job ---------------------------------------------------------------------------------


def test_honest_workshop_runs_in_the_sandbox_with_every_answer_as_plain_data(
    alone: SandboxOutcome, honest: tuple[nbformat.NotebookNode, list[str]]
) -> None:
    _, names = honest
    assert set(alone.answers) == set(names)
    assert isinstance(alone.answers["priority_metrics"], list)
    assert isinstance(alone.answers["baseline_days"], float)
    assert "Riverton" in alone.cells[2].text() or any("Riverton" in c.text() for c in alone.cells)


def test_the_same_notebook_gives_the_same_answers_outside_the_sandbox(
    alone: SandboxOutcome, tmp_path: Path
) -> None:
    """Answers as the grader computes them today: an unsandboxed forked kernel run by nbclient."""
    from notebook_runs import run_notebook

    from cohort_tools.course.answers import dump_code, read_answers

    nb = learner_copy(WORKSHOP)
    saved = tmp_path / "answers.json"
    nb.cells.append(nbformat.v4.new_code_cell(dump_code(list(alone.answers), str(saved))))  # type: ignore[no-untyped-call]
    run_notebook(nb, tmp_path)
    assert read_answers(saved) == alone.answers


def test_a_warm_job_starts_with_its_own_citys_tables_in_memory_and_no_other(
    pool: SandboxPool,
) -> None:
    """The warm zygote reads the city's small tables before it forks (each job reads them from
    memory); a cold job starts with none. Either way, the only tables are the city's own."""
    from cohort_tools.citydata import loader, open_city

    job = notebook(
        """
        from cohort_tools.citydata import loader
        kept = sorted([len(f), sorted(f.columns)] for f in loader._KEPT.values())
        """
    )
    outcome = pool.run(job, answers=["kept"])
    assert outcome.status == "completed", outcome.message
    own = sorted(
        [len(frame), sorted(frame.columns)]
        for frame in (loader.load(RIVERTON, t) for t in open_city(RIVERTON).tables)
    )
    assert outcome.answers["kept"] == (own if pool.isolation == "warm" else [])


# -- attacks ---------------------------------------------------------------------------------------


def test_reading_files_outside_the_job_fails(
    pool: SandboxPool,
    honest: tuple[nbformat.NotebookNode, list[str]],
    alone: SandboxOutcome,
    tmp_path: Path,
) -> None:
    token = secrets.token_hex(16)
    canary_file = REPO / f".sandbox-canary-{token[:8]}"
    course = tmp_path / "course"
    (course / "source" / "m1").mkdir(parents=True)
    (course / "source" / "m1" / "m1.ipynb").write_text(f"hidden test {token}")
    (course / "gradebook.db").write_text(f"gradebook {token}")
    canary_file.write_text(f"secret {token}")
    targets = [
        str(canary_file),
        str(WORKSHOP),
        str(REPO / "workshops"),
        str(course / "gradebook.db"),
        str(course / "source" / "m1" / "m1.ipynb"),
        str(OTHER_CITY / "staff_survey.csv"),
        str(RIVERTON / "staff_survey.csv"),  # its own city, but only through /city
        str(paths.DEMO_COHORT_FILE),
        "/etc/shadow",
        "/root/.bash_history",
    ]
    try:
        attacker = notebook(
            "found = {}\n" + read_attempts(targets, into="found", limit=200) + "print(found)",
            """
            import os, sys
            walked = []
            skip = ("/proc", "/sys", "/usr", "/dev", sys.prefix, sys.base_prefix)
            for root, dirs, files in os.walk("/"):
                if root.startswith(skip):
                    dirs[:] = []
                    continue
                walked += [
                    os.path.join(root, f)
                    for f in files
                    if "canary" in f or f.endswith((".md", ".ipynb", ".db", ".yaml"))
                ]
            mine = os.getcwd() + "/"
            package = os.path.dirname(__import__("cohort_tools").__file__) + "/"
            # the programme (curriculum/) is public course material, readable by design
            from cohort_tools.core.paths import curriculum_dir
            programme = str(curriculum_dir()) + "/"
            walked = [w for w in walked if not w.startswith(("/city/", mine, package, programme))]
            own_city = sorted(os.listdir("/city"))
            """,
        )
        attack, good = with_honest(pool, honest, attacker, ["found", "walked", "own_city"])
    finally:
        canary_file.unlink()
    same_as_alone(good, alone)
    assert attack.status == "completed", attack.message
    found = attack.answers["found"]
    assert all(not str(v).startswith(("read", "listed")) for v in found.values()), found
    # Readable on purpose, and nothing else: the city-only cohort (no names) and the curriculum's
    # data files (programme, facts, references, word lists). No workshop, solution or hidden test.
    allowed = {SANDBOX_COHORT_FILE, *(str(f) for f in curriculum_data_files())}
    assert set(attack.answers["walked"]) <= allowed, attack.answers["walked"]
    assert not any(w.endswith((".md", ".ipynb", ".db")) for w in attack.answers["walked"])
    assert "staff_survey.csv" in attack.answers["own_city"]  # its own city's data is readable
    everything = repr(attack)
    assert token not in everything


def test_another_jobs_folder_and_processes_are_out_of_reach(
    pool: SandboxPool, honest: tuple[nbformat.NotebookNode, list[str]], alone: SandboxOutcome
) -> None:
    attacker = notebook(
        """
        import os, time
        mine = os.getcwd()
        reached, seen_pids = [], set()
        deadline = time.monotonic() + 6
        while time.monotonic() < deadline:
            for entry in os.listdir("/jobs"):
                path = os.path.join("/jobs", entry)
                if path == mine:
                    continue
                try:
                    reached.append(("list", path, os.listdir(path)))
                except OSError:
                    pass
                try:
                    with open(os.path.join(path, "notebook.ipynb"), "rb") as f:
                        reached.append(("read", path, f.read(50)))
                except OSError:
                    pass
            for pid in os.listdir("/proc"):
                if not pid.isdigit() or int(pid) == os.getpid():
                    continue
                seen_pids.add(pid)
                for what in ("cwd", "root"):
                    try:
                        reached.append((what, pid, os.listdir(f"/proc/{pid}/{what}")))
                    except OSError:
                        pass
                for what in ("environ", "mem"):
                    try:
                        with open(f"/proc/{pid}/{what}", "rb") as f:
                            reached.append((what, pid, f.read(64)))
                    except OSError:
                        pass
            time.sleep(0.05)
        reached = [str(r) for r in reached]
        """
    )
    attack, good = with_honest(pool, honest, attacker, ["reached"])
    same_as_alone(good, alone)
    assert attack.status == "completed", attack.message
    assert attack.answers["reached"] == []


def test_writing_outside_the_job_folder_fails(
    pool: SandboxPool, honest: tuple[nbformat.NotebookNode, list[str]], alone: SandboxOutcome
) -> None:
    name = f"sandbox-write-{secrets.token_hex(4)}"
    places = [
        "/",
        "/tmp",
        "/jobs",
        "/jobs/0",
        "/jobs/1",
        "/cache",
        "/city",
        "/etc",
        "/dev/shm",
        str(REPO),
        str(paths.PACKAGE_DIR),
        str(RIVERTON),
        os.path.dirname(os.__file__),
    ]
    attacker = notebook(
        f"""
        import os
        written = []
        for place in {places!r}:
            if os.path.realpath(place) == os.getcwd():
                continue
            try:
                with open(os.path.join(place, {name!r}), "w") as f:
                    f.write("x")
                written.append(place)
            except OSError:
                pass
        """
    )
    attack, good = with_honest(pool, honest, attacker, ["written"])
    same_as_alone(good, alone)
    assert attack.answers["written"] == []
    for place in (REPO, paths.PACKAGE_DIR, RIVERTON, pool.cache_dir):
        assert not (place / name).exists()


def test_network_to_a_local_listener_fails(
    pool: SandboxPool, honest: tuple[nbformat.NotebookNode, list[str]], alone: SandboxOutcome
) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        port = listener.getsockname()[1]
        attacker = notebook(
            f"""
            import socket
            reached = []
            for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
                try:
                    with socket.socket(family, socket.SOCK_STREAM) as s:
                        s.settimeout(3)
                        s.connect((host, {port}))
                        s.sendall(b"stolen")
                        reached.append(host)
                except OSError as exc:
                    pass
            try:
                socket.getaddrinfo("pypi.org", 443)
                reached.append("dns")
            except OSError:
                pass
            """
        )
        attack, good = with_honest(pool, honest, attacker, ["reached"])
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):
            listener.accept()
    same_as_alone(good, alone)
    assert attack.answers["reached"] == []


def test_the_graders_environment_is_not_visible(
    pool: SandboxPool,
    honest: tuple[nbformat.NotebookNode, list[str]],
    alone: SandboxOutcome,
    canary: str,
) -> None:
    attacker = notebook(
        """
        import os
        seen = [f"{k}={v}" for k, v in os.environ.items()]
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    with open(f"/proc/{pid}/environ", "rb") as f:
                        seen.append(f.read().decode("utf-8", "replace"))
                except OSError:
                    pass
        print(seen)
        """
    )
    attack, good = with_honest(pool, honest, attacker, ["seen"])
    same_as_alone(good, alone)
    assert attack.status == "completed"
    assert canary not in repr(attack)
    assert not any(CANARY_ENV in s for s in attack.answers["seen"])


def test_a_fork_bomb_is_capped_and_its_processes_are_killed(
    pool: SandboxPool, honest: tuple[nbformat.NotebookNode, list[str]], alone: SandboxOutcome
) -> None:
    bomb = notebook(
        """
        import os
        while True:
            os.fork()
        """,
        """
        import os
        for _ in range(1000):
            try:
                if os.fork() == 0:
                    while True:
                        pass
            except OSError:
                break
        """,
    )
    attack, good = with_honest(pool, honest, bomb, [])
    same_as_alone(good, alone)
    # However far the bomb got before the process or the time limit stopped it, none of its
    # processes outlive the job.
    assert attack.status in ("completed", "died")
    assert slot_processes(pool) == []
    # The cap itself: children that only sleep, counted.
    count = notebook(
        """
        import os, signal, time
        children = 0
        for _ in range(1000):
            try:
                if os.fork() == 0:
                    time.sleep(600)
                    os._exit(0)
                children += 1
            except OSError as exc:
                stopped_by = type(exc).__name__
                break
        os.kill(-1, signal.SIGKILL)
        """
    )
    capped = pool.run(count, answers=["children", "stopped_by"], limits=ATTACK)
    assert capped.answers["stopped_by"] == "BlockingIOError"
    assert 0 < capped.answers["children"] < pool.limits.processes
    assert slot_processes(pool) == []


def test_a_memory_bomb_gets_a_memory_error_and_the_next_cell_runs(
    pool: SandboxPool, honest: tuple[nbformat.NotebookNode, list[str]], alone: SandboxOutcome
) -> None:
    attacker = notebook(
        "hog = bytearray(64 << 30)",
        """
        hog = []
        while True:
            hog.append(b"x" * (64 << 20))
        """,
        "del hog\nafter = 'still running'",
    )
    # Filling memory takes a while on a busy machine: a generous time limit, so the memory limit
    # is what stops the bomb.
    limits = replace(ATTACK, memory_bytes=3 << 30, timeout=120)
    attack, good = with_honest(pool, honest, attacker, ["after"], limits)
    same_as_alone(good, alone)
    assert [attack.cell(0).ename, attack.cell(1).ename] == ["MemoryError", "MemoryError"]
    assert attack.answers["after"] == "still running"


def test_a_hundred_megabytes_of_output_are_cut_to_the_cap(
    pool: SandboxPool, honest: tuple[nbformat.NotebookNode, list[str]], alone: SandboxOutcome
) -> None:
    attacker = notebook(
        """
        import os, sys
        line = "x" * 999 + "\\n"
        for _ in range(100_000):
            sys.stdout.write(line)
        for fd in (1, 2):
            os.write(fd, b"y" * 1_000_000)
        after = "still running"
        """
    )
    attack, good = with_honest(pool, honest, attacker, ["after"])
    same_as_alone(good, alone)
    cell = attack.cell(0)
    assert cell.status == "ok"
    assert len(cell.text().encode()) <= pool.limits.cell_output_bytes
    assert cell.dropped_bytes >= 99_000_000
    assert attack.answers["after"] == "still running"


def test_a_giant_file_and_a_full_folder_fail_with_errors(
    pool: SandboxPool, honest: tuple[nbformat.NotebookNode, list[str]], alone: SandboxOutcome
) -> None:
    attacker = notebook(
        """
        with open("giant.bin", "wb") as f:
            for _ in range(1024):
                f.write(b"\\0" * (1 << 20))
        """,
        """
        import os
        os.remove("giant.bin")
        for i in range(100):
            with open(f"part{i}.bin", "wb") as f:
                for _ in range(60):
                    f.write(b"\\1" * (1 << 20))
        """,
        "after = 'still running'",
    )
    attack, good = with_honest(pool, honest, attacker, ["after"])
    same_as_alone(good, alone)
    assert attack.cell(0).status == "error"
    assert "too large" in attack.cell(0).evalue.lower()
    assert attack.cell(1).status == "error"
    assert "no space" in attack.cell(1).evalue.lower()
    assert attack.answers["after"] == "still running"


def test_killing_its_parent_and_everyone_else_fails(
    pool: SandboxPool, honest: tuple[nbformat.NotebookNode, list[str]], alone: SandboxOutcome
) -> None:
    attacker = notebook(
        """
        import os, signal
        killed = []
        if os.getppid() == 0:  # the cold sandbox: the parent is outside its pid namespace
            refused = "no parent in sight"
        else:
            try:
                os.kill(os.getppid(), signal.SIGKILL)
                killed.append("parent")
            except OSError as exc:
                refused = type(exc).__name__
        """,
        """
        import ctypes, os, signal
        for pid in os.listdir("/proc"):
            if pid.isdigit() and int(pid) not in (os.getpid(), 1):
                try:
                    os.kill(int(pid), signal.SIGKILL)
                    killed.append(pid)
                except OSError:
                    pass
        libc = ctypes.CDLL(None, use_errno=True)
        traced = [p for p in (1, os.getppid()) if libc.ptrace(16, p, 0, 0) == 0]  # PTRACE_ATTACH
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:  # nothing it may signal
            pass
        after = "still running"
        """,
    )
    attack, good = with_honest(pool, honest, attacker, ["killed", "refused", "traced", "after"])
    same_as_alone(good, alone)
    assert attack.answers["killed"] == []
    assert attack.answers["refused"] in ("PermissionError", "no parent in sight")
    assert attack.answers["traced"] == []
    assert attack.answers["after"] == "still running"
    # The pool still works afterwards.
    nb, names = honest
    same_as_alone(pool.run(nb, answers=names), alone)


def test_an_endless_loop_times_out_and_the_next_cell_runs(
    pool: SandboxPool, honest: tuple[nbformat.NotebookNode, list[str]], alone: SandboxOutcome
) -> None:
    attacker = notebook("while True:\n    pass", "after = 'still running'")
    attack, good = with_honest(pool, honest, attacker, ["after"], NEVER_ENDS)
    same_as_alone(good, alone)
    assert attack.status == "completed"
    assert attack.cell(0).status == "timeout"
    assert attack.answers["after"] == "still running"


def test_a_loop_that_ignores_the_interrupt_is_killed(
    pool: SandboxPool, honest: tuple[nbformat.NotebookNode, list[str]], alone: SandboxOutcome
) -> None:
    attacker = notebook(
        "first = 1",
        """
        import time
        while True:
            try:
                time.sleep(0.1)
            except KeyboardInterrupt:
                pass
        """,
        "after = 'never'",
    )
    attack, good = with_honest(pool, honest, attacker, ["first", "after"], NEVER_ENDS)
    same_as_alone(good, alone)
    assert attack.status == "died"
    assert statuses(attack) == ["ok", "died", "not_run"]
    assert attack.died_at == 1
    # What the cells before it answered is kept (sent as each cell ends).
    assert attack.answers == {"first": 1} and attack.missing == ("after",)
    assert slot_processes(pool) == []


def test_a_syntax_error_is_reported_and_the_next_cell_runs(
    pool: SandboxPool, honest: tuple[nbformat.NotebookNode, list[str]], alone: SandboxOutcome
) -> None:
    attacker = notebook("def broken(:\n    pass", "after = 'still running'")
    attack, good = with_honest(pool, honest, attacker, ["after"])
    same_as_alone(good, alone)
    assert attack.cell(0).status == "error"
    assert attack.cell(0).ename == "SyntaxError"
    assert "broken" in attack.cell(0).traceback
    assert attack.answers == {"after": "still running"}


def test_os_exit_in_a_cell_ends_that_job_only(
    pool: SandboxPool, honest: tuple[nbformat.NotebookNode, list[str]], alone: SandboxOutcome
) -> None:
    attacker = notebook("before = 1", "import os\nos._exit(0)", "after = 2")
    attack, good = with_honest(pool, honest, attacker, ["before", "after"])
    same_as_alone(good, alone)
    assert attack.status == "died"
    assert statuses(attack) == ["ok", "died", "not_run"]
    assert attack.answers == {"before": 1} and attack.missing == ("after",)


def test_forged_messages_spoil_only_the_forgers_own_outcome(
    pool: SandboxPool, honest: tuple[nbformat.NotebookNode, list[str]], alone: SandboxOutcome
) -> None:
    attacker = notebook(
        """
        import os
        for fd in range(3, 64):
            try:
                os.write(fd, b'{"e": "answers", "values": {"priority_metrics": ["forged"]}}\\n')
                os.write(fd, b'{"e": "done"}\\n' + b"x" * 10_000_000)
            except OSError:
                pass
        """
    )
    attack, good = with_honest(pool, honest, attacker, ["priority_metrics"])
    same_as_alone(good, alone)
    assert attack.status != "completed" or attack.answers != {"priority_metrics": ["forged"]}


def test_a_job_finds_no_other_jobs_data_in_its_own_memory(
    pool: SandboxPool, alone: SandboxOutcome
) -> None:
    """Forked jobs inherit the zygote's memory: it must never hold another job's notebook or output.

    The honest job carries a token in its notebook and prints it, then keeps running; the attacker
    starts while it runs (and after an earlier honest run) and searches its whole memory for it.
    """
    import hashlib
    import time

    token = secrets.token_hex(16)
    honest_nb = learner_copy(WORKSHOP, marker=f"memory-canary {token}")
    honest_nb.cells.append(
        nbformat.v4.new_code_cell(f"print('memory-canary {token}')\nimport time\ntime.sleep(4)")  # type: ignore[no-untyped-call]
    )
    names = answer_names(honest_nb)
    first = pool.run(honest_nb, answers=names)
    assert first.answers == alone.answers
    assert token in first.cells[-1].text()
    wanted = hashlib.sha256(token.encode()).hexdigest()
    attacker = notebook(
        f"""
        import hashlib, re
        pattern = re.compile(rb"memory-canary ([0-9a-f]{{32}})")
        hits = 0
        with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb", 0) as mem:
            for line in maps:
                parts = line.split()
                if "r" not in parts[1] or (len(parts) > 5 and not parts[5].startswith("[heap")):
                    continue
                start, end = (int(x, 16) for x in parts[0].split("-"))
                try:
                    mem.seek(start)
                    data = mem.read(end - start)
                except (OSError, OverflowError, ValueError):
                    continue
                for found in pattern.findall(data):
                    hits += hashlib.sha256(found).hexdigest() == {wanted!r}
        """
    )
    with concurrent.futures.ThreadPoolExecutor(2) as workers:
        good = workers.submit(pool.run, honest_nb, answers=names)
        time.sleep(1)  # not a timing assert: only to let the honest job start first
        attack = workers.submit(pool.run, attacker, answers=["hits"], limits=ATTACK)
        attack_outcome, good_outcome = attack.result(), good.result()
    assert good_outcome.answers == alone.answers
    assert attack_outcome.status == "completed", attack_outcome.message
    assert attack_outcome.answers["hits"] == 0


def test_nothing_a_job_leaves_behind_reaches_the_next_job_in_its_slot(
    pool: SandboxPool, honest: tuple[nbformat.NotebookNode, list[str]], alone: SandboxOutcome
) -> None:
    attacker = notebook(
        """
        import builtins, os, sys
        import cohort_tools.lessons.checkpoints as checkpoints
        import pandas as pd
        checkpoints.Checkpoint = None
        builtins.len = lambda x: 0
        pd.DataFrame.median = lambda self, *a, **k: 0
        with open("leftover.py", "w") as f:
            f.write("raise SystemExit('tampered')")
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                import time
                while True:
                    time.sleep(0.05)
                    for entry in os.listdir("."):
                        try:
                            with open(entry, "a") as f:
                                f.write("# tampered")
                        except OSError:
                            pass
            os._exit(0)
        """
    )
    first = pool.run(attacker, answers=[], limits=ATTACK)
    assert first.status == "completed", first.message
    assert slot_processes(pool) == []
    nb, names = honest
    same_as_alone(pool.run(nb, answers=names), alone)


def test_the_laptop_sandbox_in_a_user_namespace_is_cut_off_too(
    honest: tuple[nbformat.NotebookNode, list[str]], canary: str
) -> None:
    """What a developer who is not root gets: one unprivileged bubblewrap per job."""
    require_bwrap()
    token = secrets.token_hex(8)
    canary_file = REPO / f".sandbox-canary-{token}"
    canary_file.write_text(token)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        port = listener.getsockname()[1]
        attacker = notebook(
            f"""
            import os, socket
            reached = []
            for path in ({str(canary_file)!r}, {str(OTHER_CITY / "staff_survey.csv")!r}, {str(WORKSHOP)!r}):
                try:
                    open(path).read()
                    reached.append(path)
                except OSError:
                    pass
            try:
                socket.create_connection(("127.0.0.1", {port}), timeout=3)
                reached.append("network")
            except OSError:
                pass
            for place in ("/", "/tmp", "/dev/shm", "/cache", "/city", {str(REPO)!r}):
                try:
                    open(os.path.join(place, "written"), "w").write("x")
                    reached.append(place)
                except OSError:
                    pass
            reached += [k for k, v in os.environ.items() if {canary!r} in v]
            """,
        )
        try:
            with SandboxPool(RIVERTON, jobs=1, isolation="cold") as pool:
                pool._userns = True
                attack = pool.run(attacker, answers=["reached"], limits=ATTACK)
                nb, names = honest
                good = pool.run(nb, answers=names)
        finally:
            canary_file.unlink()
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):
            listener.accept()
    assert pool.uid_base == 0  # no uid switching: the user namespace is the boundary
    assert attack.status == "completed", attack.message
    assert attack.answers["reached"] == []
    assert good.status == "completed", good.message
    assert not good.missing


def test_trusted_mode_runs_unsandboxed_only_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    nb = notebook("import os\nwhere = os.environ.get('CDA_SANDBOX')\nanswer = {1, 3, 2}")
    with caplog.at_level("WARNING"), SandboxPool(RIVERTON, isolation="trusted") as pool:
        outcome = pool.run(nb, answers=["where", "answer"])
    assert "WITHOUT a sandbox" in caplog.text
    assert outcome.status == "completed", outcome.message
    assert outcome.answers == {"where": "1", "answer": [1, 2, 3]}
    assert pool.city_path == str(RIVERTON.resolve())


@pytest.mark.skipif(os.geteuid() != 0, reason="the warm sandbox needs root")
def test_a_zygote_with_a_thread_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forking with threads alive is what the zygote must never do: it checks, and says which.

    Without JE_ARROW_MALLOC_CONF, importing pyarrow starts jemalloc's background thread.
    """
    from cohort_tools.notebooks import sandbox

    require_bwrap()
    env = sandbox.sandbox_env()
    del env["JE_ARROW_MALLOC_CONF"]
    monkeypatch.setattr(sandbox, "sandbox_env", lambda: env)
    with pytest.raises(sandbox.SandboxError, match="jemalloc_bg_thd"):
        SandboxPool(RIVERTON, isolation="warm").start()
