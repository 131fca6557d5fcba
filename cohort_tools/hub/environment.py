"""The hub environment: a Python every hub user can run, and the proxy.

Learners' servers and kernels run as their own system users, so they cannot use the project's
``.venv`` when it lives under a private home (on the build machine, Python itself is under
``/root``). ``cda hub install`` therefore makes a separate virtualenv at a prefix every user can read
(default ``/opt/cda-hub``), from the system's Python (``/usr/bin/python3``), and installs this
package into it - a normal, non-editable install with the same pins (``pyproject.toml``). JupyterHub,
the single-user servers, nbgrader and the learners' kernels all run from it.

configurable-http-proxy comes from npm, at the version pinned in ``pyproject.toml``
(``[tool.cohort-tools.hub]``), into ``<prefix>/proxy``. Nothing is installed when the hub starts:
``cda hub start`` only checks that both are there, and that the environment holds the same
cohort-tools source as the command that starts it (otherwise a hub would run old code).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cohort_tools.core import paths
from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.fileio import atomic_write_text
from cohort_tools.core.i18n import _

RECORD = "cda-hub.json"
DEFAULT_PYTHON = Path("/usr/bin/python3")
PROXY_PACKAGE = "configurable-http-proxy"
LAB_OVERRIDES: dict[str, Any] = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false"}
}
#: JupyterLab's notebook shortcuts for command mode fire on any focused element that is not a text
#: field, so a key typed on a form's drop-down list edits the notebook instead of choosing an
#: option ("B" adds a cell, "R" makes one raw, "D D" deletes one, the arrows move between cells;
#: ipywidgets issue 3912). Each of them is given again without the drop-down lists.
COMMAND_MODE = ".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus"
NOT_ON_DROPDOWNS = ":not(select)"
NOTEBOOK_SHORTCUTS = Path("@jupyterlab", "notebook-extension", "tracker.json")
SHORTCUTS_PLUGIN = "@jupyterlab/shortcuts-extension:shortcuts"

#: The project's files besides the package that notebooks read (the programme), copied into the
#: hub environment; every hub process gets ``CDA_HOME`` pointing here.
HOME_FOLDERS = ("curriculum",)


def lab_overrides(schemas_dir: Path) -> dict[str, Any]:
    """JupyterLab's defaults for every hub user (``LAB_OVERRIDES``), with the notebook's command
    mode shortcuts of the JupyterLab whose schemas are in ``schemas_dir`` kept off drop-down lists."""
    schema = schemas_dir / NOTEBOOK_SHORTCUTS
    try:
        defaults = json.loads(schema.read_text(encoding="utf-8"))["jupyter.lab.shortcuts"]
    except (OSError, ValueError, KeyError) as exc:
        raise CdaError.single(
            schema,
            f"JupyterLab's notebook shortcuts could not be read ({exc}).",
            "reinstall JupyterLab in this environment (pip install -e . from the checkout).",
        ) from None
    shortcuts: list[dict[str, Any]] = []
    for shortcut in defaults:
        if shortcut.get("selector") == COMMAND_MODE and any(shortcut.get("keys") or []):
            shortcuts.append({**shortcut, "disabled": True})
            shortcuts.append({**shortcut, "selector": COMMAND_MODE + NOT_ON_DROPDOWNS})
    return {**LAB_OVERRIDES, SHORTCUTS_PLUGIN: {"shortcuts": shortcuts}}


def write_lab_overrides(settings_dir: Path, schemas_dir: Path) -> None:
    """JupyterLab defaults for every hub user (:func:`lab_overrides`), as ``overrides.json`` in
    JupyterLab's application settings folder: no "get notified about Jupyter news?" prompt (the hub
    makes no outside requests), and keys typed on a form's drop-down list choose an option. Users'
    own settings still win."""
    overrides = lab_overrides(schemas_dir)
    atomic_write_text(settings_dir / "overrides.json", json.dumps(overrides, indent=1))


def cda_home(prefix: Path) -> Path:
    return prefix / "share" / "cohort-tools"


def proxy_executable(prefix: Path) -> Path:
    return prefix / "proxy" / "node_modules" / ".bin" / PROXY_PACKAGE


def source_fingerprint(package_dir: Path | None = None) -> str:
    """A hash of the cohort_tools package's code (every .py file), to tell a stale install."""
    root = package_dir or paths.PACKAGE_DIR
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def proxy_pin(project: Path | None = None) -> str:
    pyproject = (project or paths.project_root()) / "pyproject.toml"
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        return str(data["tool"]["cohort-tools"]["hub"][PROXY_PACKAGE])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        raise CdaError.single(
            pyproject,
            f"the {PROXY_PACKAGE} version is not pinned here.",
            f'add `[tool.cohort-tools.hub]` with `{PROXY_PACKAGE} = "X.Y.Z"`; run `cda hub '
            "install` from a checkout of cohort-tools.",
        ) from None


@dataclass
class InstallReport:
    prefix: Path
    python: str
    proxy: Path
    proxy_version: str
    fingerprint: str

    def summary(self) -> str:
        return _(
            "Hub environment ready at {prefix} ({python}); configurable-http-proxy {version} at "
            "{proxy}."
        ).format(
            prefix=self.prefix, python=self.python, version=self.proxy_version, proxy=self.proxy
        )


def _run(command: list[str], what: str, cwd: Path | None = None) -> str:
    result = subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
        raise CdaError.single(
            command[0],
            f"could not {what}:\n{tail}",
            "check the network access to PyPI and npm, then run `cda hub install` again.",
        )
    return result.stdout


def _readable_by_all(folder: Path) -> None:
    """u+rwX, go+rX on everything below ``folder`` (no write for others)."""
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            path = Path(root) / name
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o755)
        for name in files:
            path = Path(root) / name
            if not path.is_symlink():
                mode = path.stat().st_mode
                path.chmod(mode | 0o644 | (0o111 if mode & 0o100 else 0))
    folder.chmod(folder.stat().st_mode | 0o755)


def install(
    *,
    prefix: Path,
    python: Path = DEFAULT_PYTHON,
    project: Path | None = None,
    proxy: bool = True,
) -> InstallReport:
    """Create (or update) the hub environment at ``prefix`` and install the proxy into it."""
    project = (project or paths.project_root()).resolve()
    problems = []
    if not python.is_file():
        problems.append(
            Problem(
                str(python),
                "this Python does not exist.",
                "install Debian's python3 and python3-venv (`apt-get install python3-venv`), or "
                "give another Python every user can run with --python.",
                field="--python",
            )
        )
    if not (project / "pyproject.toml").is_file():
        problems.append(
            Problem(
                str(project),
                "this is not a checkout of cohort-tools (no pyproject.toml).",
                "run `cda hub install` from the project's checkout.",
            )
        )
    npm = shutil.which("npm")
    if proxy and npm is None:
        problems.append(
            Problem(
                "npm",
                "npm is not installed; configurable-http-proxy comes from npm.",
                "install Node.js 20 or later with npm (`apt-get install nodejs npm`).",
            )
        )
    if problems:
        raise CdaError(problems, headline="The hub environment cannot be installed.")
    pin = proxy_pin(project)
    prefix.mkdir(parents=True, exist_ok=True)
    bin_python = prefix / "bin" / "python"
    if not bin_python.is_file():
        _run([str(python), "-m", "venv", str(prefix)], f"create a virtualenv at {prefix}")
    pip = [str(bin_python), "-m", "pip", "--disable-pip-version-check", "--quiet"]
    _run([*pip, "install", "--upgrade", "pip"], "update pip in the hub environment")
    # Non-editable: the hub environment must not depend on the checkout staying where it is.
    # --force-reinstall --no-deps first would skip dependency updates; a plain install keeps
    # what is already right and replaces cohort-tools when its version is unchanged only with
    # --force-reinstall, so cohort-tools is reinstalled on its own afterwards.
    _run([*pip, "install", str(project)], "install cohort-tools into the hub environment")
    _run(
        [*pip, "install", "--no-deps", "--force-reinstall", str(project)],
        "reinstall cohort-tools in the hub environment",
    )
    version = "not installed"
    chp = proxy_executable(prefix)
    if proxy:
        assert npm is not None
        folder = prefix / "proxy"
        folder.mkdir(exist_ok=True)
        _run(
            [
                npm,
                "install",
                "--prefix",
                str(folder),
                "--no-audit",
                "--no-fund",
                "--omit=dev",
                "--save-exact",
                f"{PROXY_PACKAGE}@{pin}",
            ],
            f"install {PROXY_PACKAGE} {pin} from npm",
        )
        version = _run([str(chp), "--version"], "run configurable-http-proxy").strip()
    installed = (
        _run(
            [
                str(bin_python),
                "-c",
                "import cohort_tools.hub.environment as e; print(e.source_fingerprint())",
            ],
            "check the installed cohort-tools",
        )
        .strip()
        .splitlines()[-1]
    )
    fingerprint = source_fingerprint()
    if installed != fingerprint:
        raise CdaError.single(
            prefix,
            "the cohort-tools installed in the hub environment differs from this checkout's.",
            "run `cda hub install` from the same checkout as `cda`.",
        )
    home = cda_home(prefix)
    for name in HOME_FOLDERS:
        shutil.rmtree(home / name, ignore_errors=True)
        shutil.copytree(project / name, home / name)
    lab = prefix / "share" / "jupyter" / "lab"
    write_lab_overrides(lab / "settings", lab / "schemas")
    record = {
        "fingerprint": fingerprint,
        "programme": _digest(project / "curriculum" / "programme.yaml"),
        "proxy": version,
        "python": str(python),
    }
    atomic_write_text(prefix / RECORD, json.dumps(record, indent=1))
    _readable_by_all(prefix)
    return InstallReport(prefix, str(python), chp, version, fingerprint)


def environment_problems(prefix: Path) -> list[Problem]:
    """What is missing or stale in the hub environment (empty when it is ready to start a hub)."""
    problems = []
    record_file = prefix / RECORD
    if not (prefix / "bin" / "jupyterhub-singleuser").is_file() or not record_file.is_file():
        problems.append(
            Problem(
                str(prefix),
                "the hub environment is not installed here.",
                f"run `cda hub install --prefix {prefix}` (once per machine, and after updating "
                "cohort-tools).",
                field="--prefix",
            )
        )
        return problems
    record = json.loads(record_file.read_text(encoding="utf-8"))
    if record.get("fingerprint") != source_fingerprint():
        problems.append(
            Problem(
                str(prefix),
                "the hub environment holds another version of cohort-tools than this command.",
                f"run `cda hub install --prefix {prefix}` to update it.",
                field="--prefix",
            )
        )
    if record.get("programme") != _digest(paths.programme_file()):
        problems.append(
            Problem(
                str(cda_home(prefix)),
                "the hub environment holds another version of the programme "
                "(curriculum/programme.yaml) than this checkout.",
                f"run `cda hub install --prefix {prefix}` to update it.",
                field="--prefix",
            )
        )
    if not proxy_executable(prefix).is_file():
        problems.append(
            Problem(
                str(proxy_executable(prefix)),
                "configurable-http-proxy is missing: the hub cannot serve anyone without it.",
                f"run `cda hub install --prefix {prefix}` (it installs the proxy from npm).",
                field="--prefix",
            )
        )
    return problems


def running_python() -> str:
    return sys.executable
