"""Shared fixtures for integration tests: the curriculum book, built once per session and served
on 127.0.0.1, and Debian's Chromium driven by Playwright.

Browser tests never download a browser (no `playwright install`): they use /usr/bin/chromium. When
it is missing they skip with the reason, except under CI (CI=true), where they fail.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path(os.environ.get("CDA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


#: The name of a secret the sandbox tests put in the grader's environment (it must not leak).
CANARY_ENV = "CDA_GRADER_CANARY_SECRET"


def require_bwrap() -> None:
    """Skip (or, under CI=true, fail) when bubblewrap, the sandbox, is not installed."""
    from cohort_tools.notebooks.sandbox import bwrap_executable

    try:
        bwrap_executable()
    except Exception as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must run the sandbox tests: {exc}", pytrace=False)
        pytest.skip(str(exc))


def assert_no_person_reaches(pages: list[Path]) -> None:
    """No name or email of anyone in the demo cohort appears in these published pages."""
    import html
    import re

    from cohort_tools.model.cohort import load_cohort

    people = []
    for city in load_cohort(None).cities:
        people += [city.mayor, city.cda_lead, city.coach, *city.senior_team]
    text = " ".join(html.unescape(p.read_text(encoding="utf-8")) for p in pages)
    assert pages and text
    for person in people:
        assert person.name not in text
        assert person.email not in text
    assert "@" not in re.sub(r"<style.*?</style>", "", text, flags=re.S)


def require_chromium() -> None:
    """Skip (or, under CI=true, fail) when Debian's Chromium or Playwright is not installed."""
    problems = []
    if not CHROMIUM.exists():
        problems.append(f"{CHROMIUM} is missing (install it with `apt-get install chromium`)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("playwright is not installed (pip install -e '.[test]')")
    if not problems:
        return
    reason = "browser tests need Debian's Chromium and Playwright: " + "; ".join(problems)
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}. CI must run the browser tests.", pytrace=False)
    pytest.skip(reason)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def built_book(demo_run: tuple[Any, Path]) -> Path:
    """The real curriculum book as the session's demo built it: the same call as ``cda book build``
    (strict, offline, notebooks run on the demo city), so it is not built a second time."""
    result, out = demo_run
    assert result.exit_code == 0, result.output
    return Path(out) / "book"


@pytest.fixture(scope="session")
def book_url(built_book: Path) -> Iterator[str]:
    """The built book served by a local http.server thread on 127.0.0.1."""
    with serve(built_book) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, launched once per test module.

    Not once per session: Playwright's sync API keeps its asyncio loop marked as running on the
    main thread while it is open, so a session-wide browser breaks every later test that starts
    an event loop (``asyncio.run``, another ``sync_playwright``).
    """
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture(scope="session")
def book_pages(built_book: Path) -> list[str]:
    """Every page of the built book, as URL paths (genindex and search included)."""
    return sorted(
        p.relative_to(built_book).as_posix()
        for p in built_book.rglob("*.html")
        if "_static" not in p.parts and not p.name.startswith("_")
    )


@dataclass
class PageVisit:
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def visit(page: Any, url: str) -> PageVisit:
    """Open ``url``; record failed or off-site requests, HTTP errors and console errors."""
    seen = watch(page, url)
    page.goto(url, wait_until="networkidle")
    return seen


def watch(page: Any, url: str) -> PageVisit:
    """Record what ``page`` will do at ``url`` (see :func:`visit`), before it goes there: a caller
    that opens several pages at once starts each with ``goto(url, wait_until="commit")`` and
    waits for each with ``wait_for_load_state("networkidle")``."""
    seen = PageVisit()
    host = urlsplit(url).netloc

    def route(r: Any) -> None:
        target = urlsplit(r.request.url)
        if target.scheme in {"http", "https"} and target.netloc != host:
            seen.failed.append(f"off-site request blocked: {r.request.url}")
            r.abort()
        else:
            r.continue_()

    page.route("**/*", route)
    page.on("requestfailed", lambda req: seen.failed.append(f"failed: {req.url}"))
    page.on(
        "response",
        lambda resp: (
            seen.failed.append(f"HTTP {resp.status}: {resp.url}") if resp.status >= 400 else None
        ),
    )
    page.on(
        "console", lambda msg: seen.console_errors.append(msg.text) if msg.type == "error" else None
    )
    page.on("pageerror", lambda exc: seen.console_errors.append(f"uncaught: {exc}"))
    return seen


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 from a thread; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# -- JupyterLab, started and stopped by a test -------------------------------------------------------


@dataclass
class LabServer:
    """A running JupyterLab server: its base URL, token, root folder, log and process id."""

    url: str
    token: str
    root_dir: Path
    log: Path
    pid: int

    def lab_url(self, path: str) -> str:
        """The URL that opens ``path`` (relative to the root folder) in JupyterLab."""
        return f"{self.url}/lab/tree/{path}?token={self.token}"

    def log_tail(self, lines: int = 60) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _lab_env(state: Path) -> dict[str, str]:
    """The environment for a throw-away server: every per-user Jupyter/IPython folder under ``state``,
    and the hub learner's configuration (``JUPYTER_CONFIG_PATH``, as the hub gives a learner's
    server: :func:`cohort_tools.hub.process.write_jupyter_config`), so the learner sees what a
    learner on the hub sees: Validate and the assignment list, no Create Assignment, formgrader or
    course list, no terminal, no news or update checks.

    nbgrader's lab and server extensions are installed in the venv's share/jupyter and
    etc/jupyter, which Jupyter searches whatever these variables say; the learner's configuration
    comes before them.
    """
    from cohort_tools.hub.process import jupyter_config_path, write_jupyter_config

    env = dict(os.environ)
    for var, sub in {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "IPYTHONDIR": "ipython",
        "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
    }.items():
        (state / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(state / sub)
    write_jupyter_config(state / "hub-jupyter")
    env["JUPYTER_CONFIG_PATH"] = jupyter_config_path(state / "hub-jupyter", "learner")
    env.pop("JUPYTER_PATH", None)
    env["JUPYTER_PLATFORM_DIRS"] = "1"  # the new folder layout, without jupyter_core's warning
    # ipykernel's debugger otherwise warns about frozen modules on every kernel start (Python 3.11)
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


def _wait_for_server(proc: Any, runtime: Path, log: Path, timeout: float) -> tuple[str, str]:
    """Poll the runtime folder for the server's info file, then its status API; return url, token."""
    import json
    import time
    import urllib.error
    import urllib.request

    # A hang guard for a server that never comes up (not a speed check): it fails with the log.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {proc.returncode}:\n{log.read_text()}")
        for info_file in runtime.glob("jpserver-*.json"):
            with contextlib.suppress(ValueError, OSError):
                info = json.loads(info_file.read_text())
                if info.get("pid") != proc.pid:
                    continue
                url = f"http://127.0.0.1:{info['port']}"
                request = urllib.request.Request(
                    f"{url}/api/status", headers={"Authorization": f"token {info['token']}"}
                )
                try:
                    with urllib.request.urlopen(request, timeout=5) as response:
                        if response.status == 200:
                            return url, info["token"]
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
        time.sleep(0.25)
    raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s:\n{log.read_text()}")


def _stop_server(proc: Any, url: str | None, token: str | None) -> None:
    """Shut the server down through its API (which stops its kernels), then make sure.

    Kernels run in their own sessions (jupyter_client starts them with start_new_session), so
    killing the server's process group would orphan them: every process the server started is
    recorded first (psutil, installed with distributed) and ended by its id if still alive.
    """
    import signal
    import subprocess
    import urllib.request

    import psutil

    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    if url and token and proc.poll() is None:
        with contextlib.suppress(OSError):
            request = urllib.request.Request(
                f"{url}/api/shutdown",
                method="POST",
                headers={"Authorization": f"token {token}"},
            )
            urllib.request.urlopen(request, timeout=10).close()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    _, alive = psutil.wait_procs(children, timeout=10)
    for child in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
    psutil.wait_procs(alive, timeout=10)


@contextlib.contextmanager
def jupyterlab(
    root_dir: Path, state_dir: Path, *, startup_timeout: float = 180
) -> Iterator[LabServer]:
    """Run JupyterLab on 127.0.0.1 (a free port, a token) serving ``root_dir``; always stop it.

    Per-user Jupyter folders live under ``state_dir``, so the user's own settings are neither read
    nor changed. The configuration is the hub learner's (``_lab_env``): news and update checks are
    off, so the server makes no outside requests.
    """
    import secrets
    import subprocess
    import sys

    from cohort_tools.hub.environment import write_lab_overrides

    env = _lab_env(state_dir)
    # the hub's JupyterLab defaults (cda hub install writes them into the hub environment's own
    # application settings folder; this server gets a folder of its own)
    app_settings = state_dir / "lab-app-settings"
    write_lab_overrides(app_settings, Path(sys.prefix, "share", "jupyter", "lab", "schemas"))
    token = secrets.token_hex(24)
    log = state_dir / "jupyterlab.log"
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port=0",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--ServerApp.allow_root=True",
        f"--ServerApp.root_dir={root_dir}",
        "--ServerApp.open_browser=False",
        f"--LabApp.app_settings_dir={app_settings}",
    ]
    url: str | None = None
    with log.open("wb") as log_file:
        # nbgrader's Validate handler reads nbgrader_config.py from the server's working folder.
        proc = subprocess.Popen(
            command,
            cwd=root_dir,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            url, token = _wait_for_server(proc, state_dir / "runtime", log, startup_timeout)
            yield LabServer(url=url, token=token, root_dir=root_dir, log=log, pid=proc.pid)
        finally:
            _stop_server(proc, url, token)


@pytest.fixture
def lab_server(tmp_path: Path) -> Iterator[LabServer]:
    """A fresh JupyterLab serving ``tmp_path / "learner"`` (empty; the test puts files there)."""
    require_chromium()
    root = tmp_path / "learner"
    root.mkdir()
    with jupyterlab(root, tmp_path / "jupyter-state") as server:
        yield server


def processes_running_as(accept: Callable[[int], bool]) -> list[int]:
    """Host pids of live (not zombie) processes whose real uid ``accept`` takes (sandbox jobs)."""
    from cohort_tools.notebooks._sandbox_zygote import live_processes

    return live_processes(accept)


def read_attempts(paths: list[str], *, into: str, limit: int) -> str:
    """Learner code that tries to list or read each path, recording in the dict ``into`` what it
    got (a listing, the first ``limit`` bytes, or the error's name)."""
    return f"""
import os
for path in {paths!r}:
    try:
        if os.path.isdir(path):
            {into}[path] = "listed: " + ",".join(os.listdir(path))
        else:
            with open(path, "rb") as f:
                {into}[path] = "read: " + f.read({limit}).decode("utf-8", "replace")
    except OSError as exc:
        {into}[path] = type(exc).__name__
"""
