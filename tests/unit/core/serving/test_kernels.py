"""When a visitor's kernel counts as left: no websocket for the limit, busy or not."""

from __future__ import annotations

import asyncio

import pytest

from collab_widgets.core.serving.kernels import VisitorKernelManager
from collab_widgets.core.serving.serve import ServeOptions, cull_interval


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def manager():
    clock = Clock()
    km = VisitorKernelManager(clock=clock, abandoned_seconds=180)
    km._kernels["k"] = object()  # a kernel as the manager lists it; no process needed
    km._kernel_connections["k"] = 0
    return km, clock


def test_a_kernel_without_a_websocket_for_the_limit_counts_as_left(manager):
    km, clock = manager
    assert not km.unattended_too_long("k")  # first seen without one: its time starts
    clock.now += 179
    assert not km.unattended_too_long("k")
    clock.now += 1
    assert km.unattended_too_long("k")


def test_an_open_websocket_keeps_a_kernel_however_long_and_resets_its_time(manager):
    km, clock = manager
    km.unattended_too_long("k")
    clock.now += 170
    km._kernel_connections["k"] = 1
    assert not km.unattended_too_long("k")
    clock.now += 10_000
    assert not km.unattended_too_long("k")
    km._kernel_connections["k"] = 0  # the page went: a full limit from now
    assert not km.unattended_too_long("k")
    clock.now += 179
    assert not km.unattended_too_long("k")
    clock.now += 1
    assert km.unattended_too_long("k")


def test_a_ticking_kernel_is_ended_although_it_is_never_idle(manager, monkeypatch):
    """A running countdown sends messages every second, so Jupyter's idle cull never ends
    it; the websocket count alone decides."""
    km, clock = manager
    ended, idle_checked = [], []

    async def shutdown(kernel_id, *args, **kwargs):
        ended.append(kernel_id)

    async def idle_cull(self, kernel_id):
        idle_checked.append(kernel_id)

    monkeypatch.setattr(km, "shutdown_kernel", shutdown)
    monkeypatch.setattr(VisitorKernelManager.__mro__[1], "cull_kernel_if_idle", idle_cull)
    asyncio.run(km.cull_kernel_if_idle("k"))
    assert ended == [] and idle_checked == ["k"]
    clock.now += 180
    asyncio.run(km.cull_kernel_if_idle("k"))
    assert ended == ["k"]


def test_a_kernel_whose_page_may_still_be_rendering_gets_longer_but_not_for_ever(manager):
    km, clock = manager
    km.page_rendering()
    km.unattended_too_long("k")
    clock.now += 599
    assert not km.unattended_too_long("k")  # other pages render: its own may be among them
    clock.now += 1
    assert km.unattended_too_long("k")  # a link previewer's fetch, never run


def test_a_kernel_that_never_connected_has_the_limit_from_the_last_page_rendered(manager):
    km, clock = manager
    km.page_rendering()
    km.unattended_too_long("k")
    clock.now += 200
    assert not km.unattended_too_long("k")
    km.page_rendered()  # its page was sent: the websocket should open within moments
    assert not km.unattended_too_long("k")
    clock.now += 180
    assert km.unattended_too_long("k")


def test_a_kernel_that_had_a_websocket_counts_as_left_even_while_pages_render(manager):
    km, clock = manager
    km._kernel_connections["k"] = 1
    km.unattended_too_long("k")
    km._kernel_connections["k"] = 0
    km.page_rendering()
    km.unattended_too_long("k")
    clock.now += 180
    assert km.unattended_too_long("k")


def test_kernels_are_checked_often_enough_for_the_limit():
    assert cull_interval(ServeOptions()) == 30  # the default three minutes end by 3.5
    assert cull_interval(ServeOptions(abandoned_seconds=20)) == 5
