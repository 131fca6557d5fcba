"""The process's umask is read without being changed: changing it to 0 and back would let a file
another thread creates meanwhile (the demo builds the book alongside the course) be world-writable."""

from __future__ import annotations

import os
import sys

import pytest

from cohort_tools.core import fileio


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_the_umask_is_read_without_setting_it(monkeypatch: pytest.MonkeyPatch) -> None:
    previous = os.umask(0o027)
    try:

        def no_setting(mask: int) -> int:
            raise AssertionError(f"os.umask({mask:o}) was called")

        monkeypatch.setattr(fileio.os, "umask", no_setting)
        assert fileio.process_umask() == 0o027
    finally:
        monkeypatch.undo()
        os.umask(previous)
