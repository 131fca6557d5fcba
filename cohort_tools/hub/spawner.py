"""The hub's spawner: JupyterHub's LocalProcessSpawner with real users, plus memory limits.

LocalProcessSpawner starts each user's server as that system user (so file permissions separate
learners) but does not enforce ``mem_limit``: JupyterHub only passes it to the server as the
``MEM_LIMIT`` variable. :class:`CgroupSpawner` enforces it with the kernel's control groups when the
machine lets root write them (cgroup v2 with the memory controller, or the v1 memory controller):
before the server starts, a cgroup ``<hub cgroup>/<user>`` is made with the limit, and the server
process moves itself into it before it drops to the user's id, so the server and every kernel it
starts count against the user's one limit. When a user's processes together exceed it, the kernel
ends the largest of them (usually a kernel, which JupyterLab reports as "The kernel died").

Where cgroups are not writable (some containers), the hub says at start that limits are not
enforced; use SystemdSpawner (e.g. The Littlest JupyterHub) or KubeSpawner there.

This module runs inside the hub (the hub environment's JupyterHub imports it).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Unicode

from cohort_tools.hub.cgroups import end_cgroup, prepare_cgroup


class CgroupSpawner(LocalProcessSpawner):  # type: ignore[misc]  # JupyterHub ships no type hints
    """LocalProcessSpawner whose servers (and their kernels) live in a memory-limited cgroup."""

    cgroup_base = Unicode("", config=True, help="The hub's cgroup folder; '' = no limits.")
    cgroup_mode = Unicode("", config=True, help="'v2' or 'v1'.")

    def _cgroup(self) -> Path | None:
        if not self.cgroup_base:
            return None
        return Path(str(self.cgroup_base)) / str(self.user.name)

    def make_preexec_fn(self, name: str) -> Callable[[], None]:
        drop_privileges = super().make_preexec_fn(name)
        folder = self._cgroup()

        def preexec() -> None:
            if folder is not None:
                # still root here: join the user's cgroup, then become the user
                with open(folder / "cgroup.procs", "w") as handle:
                    handle.write(str(os.getpid()))
            drop_privileges()

        return preexec

    async def start(self) -> Any:
        folder = self._cgroup()
        if folder is not None:
            end_cgroup(folder)  # leftovers of an earlier server of this user
            prepare_cgroup(Path(self.cgroup_base), self.cgroup_mode, self.user.name, self.mem_limit)
            self.log.info(
                "Memory limit for %s: %s bytes (cgroup %s)", self.user.name, self.mem_limit, folder
            )
        return await super().start()

    async def stop(self, now: bool = False) -> None:
        await super().stop(now=now)
        folder = self._cgroup()
        if folder is not None:
            left = end_cgroup(folder)
            if left:
                self.log.warning("Ended %d leftover process(es) of %s", len(left), self.user.name)
