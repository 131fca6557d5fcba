"""Two sandbox pools on one machine, in different processes (two graders at once, e.g. two cities),
never get the same job uids: a job could otherwise signal or trace the other pool's jobs."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from cohort_tools.notebooks import sandbox

BASE = 390_000  # far from the default block, so a grader running on this machine is not disturbed


def test_a_uid_block_held_by_another_process_is_skipped() -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from cohort_tools.notebooks import sandbox
                print(sandbox._allocate_uids({BASE}, 2), flush=True)
                sys.stdin.read()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert int(holder.stdout.readline()) == BASE
        assert sandbox.uid_held(BASE) and sandbox.uid_held(BASE + 1)
        mine = sandbox._allocate_uids(BASE, 2)
        try:
            assert mine not in (BASE, BASE + 1) and mine + 1 not in (BASE, BASE + 1)
            assert sandbox.uid_held(mine)
        finally:
            sandbox._release_uids(mine, 2)
    finally:
        holder.communicate("")
    # once the other process is gone, its block is free again
    assert not sandbox.uid_held(BASE) and not sandbox.uid_held(mine)
    again = sandbox._allocate_uids(BASE, 2)
    sandbox._release_uids(again, 2)
    assert again == BASE
