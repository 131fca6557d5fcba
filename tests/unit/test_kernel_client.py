"""A freshly forked kernel is ready as soon as it greets the client's IOPub subscription and answers
kernel_info (no 0.2 s of listening to a silent channel, no 100 ms zmq reconnect wait); a kernel that
does not greet falls back on jupyter_client's handshake; a kernel that dies while starting says so."""

from __future__ import annotations

import asyncio
from queue import Empty
from typing import Any

import pytest
import zmq
from jupyter_client.asynchronous.client import AsyncKernelClient

from cohort_tools.notebooks import kernels
from cohort_tools.notebooks.kernels import RECONNECT_MS, ForkedKernelClient


class Channel:
    """A kernel channel that hands out scripted messages, then nothing."""

    def __init__(self, messages: list[dict[str, Any]]) -> None:
        self.messages = list(messages)
        self.waits = 0

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:
        self.waits += 1
        if not self.messages:
            raise Empty
        return self.messages.pop(0)


class Scripted(ForkedKernelClient):
    """The client with its channels and liveness replaced by a script."""

    def __init__(self, iopub: list[dict[str, Any]], *, alive: bool = True) -> None:
        super().__init__()
        self.scripted_iopub = Channel(iopub)
        self.scripted_shell = Channel([])
        self.alive = alive
        self.fell_back = False

    @property
    def iopub_channel(self) -> Channel:
        return self.scripted_iopub

    @property
    def shell_channel(self) -> Channel:
        return self.scripted_shell

    def kernel_info(self) -> str:
        self.scripted_shell.messages += [
            {"parent_header": {"msg_id": "someone-else"}},
            {"parent_header": {"msg_id": "info-1"}, "msg_type": "kernel_info_reply"},
        ]
        return "info-1"

    async def _async_is_alive(self) -> bool:
        return self.alive


def test_a_kernel_is_ready_once_it_greets_and_answers_kernel_info() -> None:
    client = Scripted([{"msg_type": "status"}, {"msg_type": "iopub_welcome"}])
    asyncio.run(client.wait_for_ready(timeout=10))
    assert client.scripted_iopub.waits == 2  # the greeting was what it waited for
    assert client.scripted_shell.messages == []  # and the reply to its own kernel_info request


def test_a_kernel_that_does_not_greet_gets_jupyter_clients_handshake(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(kernels, "GREETING_WAIT", 0.0)
    calls: list[float | None] = []

    async def handshake(self: Any, timeout: float | None = None) -> None:
        calls.append(timeout)

    monkeypatch.setattr(AsyncKernelClient, "wait_for_ready", handshake)
    asyncio.run(Scripted([]).wait_for_ready(timeout=10))
    assert len(calls) == 1


def test_a_kernel_that_dies_while_starting_is_reported() -> None:
    with pytest.raises(RuntimeError, match="died"):
        asyncio.run(Scripted([], alive=False).wait_for_ready(timeout=10))


def test_the_client_tries_again_soon_to_reach_a_kernel_still_binding_its_ports() -> None:
    client = ForkedKernelClient()
    try:
        assert client.context.getsockopt(zmq.RECONNECT_IVL) == RECONNECT_MS
    finally:
        client.context.term()
