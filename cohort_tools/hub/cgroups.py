"""Per-user memory limits through the kernel's control groups (cgroup v2, or v1's memory controller).

Used by the hub's spawner (inside JupyterHub) and by ``cda hub stop`` (to end leftovers).
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path


def _write(path: Path, text: str) -> None:
    with open(path, "w") as handle:  # not atomic: a cgroup file is a kernel interface
        handle.write(text)


def prepare_cgroup(base: Path, mode: str, user: str, limit: int | None) -> Path:
    """Make ``base/user`` with ``limit`` bytes of memory (no swap beyond it); return it."""
    base.mkdir(exist_ok=True)
    if mode == "v2":
        parent_control = base.parent / "cgroup.subtree_control"
        if "memory" not in parent_control.read_text().split():
            _write(parent_control, "+memory")
        control = base / "cgroup.subtree_control"
        if "memory" not in control.read_text().split():
            _write(control, "+memory")
    folder = base / user
    folder.mkdir(exist_ok=True)
    if limit:
        if mode == "v2":
            _write(folder / "memory.max", str(limit))
            with contextlib.suppress(OSError):
                _write(folder / "memory.swap.max", "0")
        else:
            _write(folder / "memory.limit_in_bytes", str(limit))
            with contextlib.suppress(OSError):  # only with swap accounting
                _write(folder / "memory.memsw.limit_in_bytes", str(limit))
    return folder


def cgroup_pids(folder: Path) -> list[int]:
    try:
        text = (folder / "cgroup.procs").read_text()
    except OSError:
        return []
    return [int(line) for line in text.split()]


def end_cgroup(folder: Path) -> list[int]:
    """Kill whatever is still in a user's cgroup (e.g. an orphaned kernel), then remove it."""
    left = cgroup_pids(folder)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    for _ in range(100):
        if not cgroup_pids(folder):
            break
        time.sleep(0.05)
    with contextlib.suppress(OSError):
        folder.rmdir()
    return left
