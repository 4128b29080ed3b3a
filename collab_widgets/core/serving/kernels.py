"""Kernels that end with their visitors, and preheated kernels that are alive when handed out.

Voilà wraps the kernel manager named by ``VoilaConfiguration.multi_kernel_manager_class``
in its own pooling class, so :class:`VisitorKernelManager` sits beneath the pool: its
``cull_kernel_if_idle`` is reached only for kernels that left the pool (a visitor's), and
its ``_pools`` are the pool's own.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Int

from collab_widgets.core.serving.serve import ABANDONED_SECONDS

NEVER_CONNECTED_SECONDS = 600  # far longer than any page takes to render


class VisitorKernelManager(AsyncMappingKernelManager):
    abandoned_seconds = Int(
        ABANDONED_SECONDS,
        config=True,
        help="end a visitor's kernel after this many seconds with no open websocket, "
        "busy or not (a running countdown keeps a kernel from ever being idle)",
    )

    def __init__(self, *args, clock: Callable[[], float] = time.monotonic, **kwargs):
        super().__init__(*args, **kwargs)
        self._clock = clock
        self._unattended_since: dict[str, float] = {}
        # Kernels that died and were started again blank by Jupyter's restarter: a pooled
        # one no longer holds the page it pre-ran, so it cannot serve a visitor.
        self.restarted: set[str] = set()
        # A page's websocket opens only once the page has been rendered, which on a busy
        # server can take longer than the limit: while pages are being rendered, a kernel
        # that never had a websocket gets NEVER_CONNECTED_SECONDS.
        self.pages_rendering = 0
        self._last_page_rendered = clock()
        self._connected_once: set[str] = set()

    async def start_kernel(self, *args, **kwargs) -> str:
        kernel_id = await super().start_kernel(*args, **kwargs)
        self.get_kernel(kernel_id).add_restart_callback(
            lambda: self.restarted.add(kernel_id), "restart"
        )
        return kernel_id

    def unattended_too_long(self, kernel_id: str) -> bool:
        """Whether the kernel has had no websocket for ``abandoned_seconds``, counted from
        the first time it was seen without one (a cull tick: Voilà's pool never asks about
        its own kernels, so a pooled kernel's time starts when it is handed out)."""
        now = self._clock()
        for gone in self._unattended_since.keys() - self._kernels.keys():
            del self._unattended_since[gone]
        self.restarted &= self._kernels.keys()
        self._connected_once &= self._kernels.keys()
        if self._kernel_connections.get(kernel_id, 0):
            self._connected_once.add(kernel_id)
            self._unattended_since.pop(kernel_id, None)
            return False
        since = self._unattended_since.setdefault(kernel_id, now)
        if kernel_id not in self._connected_once:
            if self.pages_rendering:
                # its page may still be on its way; but not for ever (a link previewer
                # fetches a page and never runs it, while others keep the server rendering)
                return now - since >= max(self.abandoned_seconds, NEVER_CONNECTED_SECONDS)
            since = max(since, self._last_page_rendered)  # its page may just have been sent
        return now - since >= self.abandoned_seconds

    def page_rendering(self) -> None:
        self.pages_rendering += 1

    def page_rendered(self) -> None:
        self.pages_rendering -= 1
        self._last_page_rendered = self._clock()

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        if self.unattended_too_long(kernel_id):
            self.log.info(
                "Ending kernel %s: its page has had no connection for %d seconds",
                kernel_id,
                self.abandoned_seconds,
            )
            await self.shutdown_kernel(kernel_id)
            return
        await super().cull_kernel_if_idle(kernel_id)

    async def discard_dead_pooled_kernels(self, notebook: str) -> int:
        """Take out of ``notebook``'s pool every preheated kernel that cannot serve a page
        (it failed to start, died, or its pre-run of the notebook failed), end it and start
        replacements, so a visitor gets a live kernel rather than an endless spinner.
        Returns how many were taken out."""
        pool = getattr(self, "_pools", {}).get(notebook, [])
        unusable = []
        for item in list(pool):
            if not item.done():
                continue
            if item.cancelled() or item.exception() is not None:  # it never started
                unusable.append((item, None))
            elif not await self._can_serve(item.result()["kernel_id"], item.result()["task"]):
                unusable.append((item, item.result()["kernel_id"]))
        for item, kernel_id in unusable:
            pool.remove(item)
            self.log.warning("A preheated kernel for %s cannot serve a page; replaced", notebook)
            if kernel_id in self:
                await self.shutdown_kernel(kernel_id, now=True)
        if unusable:
            self.fill_if_needed(delay=0, notebook_name=notebook)
        return len(unusable)

    async def _can_serve(self, kernel_id: str, render: asyncio.Task) -> bool:
        if kernel_id in self.restarted:
            return False
        if render.done() and (render.cancelled() or render.exception() is not None):
            return False
        return kernel_id in self and await self.get_kernel(kernel_id).is_alive()
