"""The stall fix (issue 15, item 4): a wait on a kernel channel is made of 1 s slices, so a reply
whose wake-up the event loop missed (jupyter/nbclient#312) costs a slice, not the cell's time limit;
a wait with nothing to read still ends empty at its timeout."""

from __future__ import annotations

import asyncio
from queue import Empty
from typing import Any

import pytest

from cohort_tools.core import compat


class SlowChannel:
    """A channel whose message arrives on the third wait, whatever that wait's timeout."""

    def __init__(self) -> None:
        self.waits: list[float | None] = []

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:
        self.waits.append(timeout)
        if len(self.waits) < 3:
            raise Empty
        return {"ok": True}


def test_a_long_wait_on_a_kernel_channel_is_made_of_short_ones() -> None:
    channel = SlowChannel()
    compat.poll_in_slices(channel, slice_seconds=0.01)
    assert asyncio.run(channel.get_msg(timeout=60)) == {"ok": True}
    assert len(channel.waits) == 3 and all(w is not None and w <= 0.01 for w in channel.waits)
    forever = SlowChannel()
    compat.poll_in_slices(forever, slice_seconds=0.01)
    assert asyncio.run(forever.get_msg(timeout=None)) == {"ok": True}


def test_a_wait_still_ends_empty_at_its_timeout() -> None:
    class Never:
        async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:
            await asyncio.sleep(timeout or 0)
            raise Empty

    channel = Never()
    compat.poll_in_slices(channel, slice_seconds=0.01)
    with pytest.raises(Empty):
        asyncio.run(channel.get_msg(timeout=0.05))
