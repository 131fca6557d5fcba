"""The cold sandbox waits for its pid 1 to end; a zombie has ended (its namespace is empty)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from cohort_tools.notebooks.sandbox import _running, _wait_gone


def test_a_live_process_is_running_and_a_missing_one_is_not() -> None:
    assert _running(os.getpid())
    assert not _running(2**22 + 12345)  # above the kernel's largest pid


def test_a_zombie_is_not_running_so_the_wait_ends_before_it_is_reaped() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    # Not reaped: the child stays a zombie until waited for (as bubblewrap's pid 1 does until
    # the host's init reaps it).
    while _state(child.pid) != "Z":
        time.sleep(0.01)
    try:
        assert not _running(child.pid)
        _wait_gone(child.pid, timeout=60)
        assert _state(child.pid) == "Z"  # the wait ended without anyone reaping it
    finally:
        child.wait()


def _state(pid: int) -> str:
    with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
        return stat.read().rpartition(")")[2].split()[0]
