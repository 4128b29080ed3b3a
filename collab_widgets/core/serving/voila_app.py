"""Voilà as ``collab serve`` runs it: the standalone server plus the light pages it is
given (``--CollabVoila.light_pages``: "module:Class" names of
:class:`~collab_widgets.core.light.service.LightService` subclasses, such as the workshop
participants' page) in the same process. Run as
``python -m collab_widgets.core.serving.voila_app`` with Voilà's options."""

from __future__ import annotations

import gc
import os

from tornado.ioloop import IOLoop
from traitlets import Dict, Int, List, Unicode
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from collab_widgets.core.light.service import THREADS, LightService, service_class
from collab_widgets.core.serving import hub_sign_in
from collab_widgets.core.serving.routes import harden, refuse_control_characters


class WorkbookPageHandler(TornadoVoilaHandler):
    """A workbook page, as Voilà renders it, with two additions."""

    async def prepare(self):
        await super().prepare()  # first: Voilà's error page needs the visitor it sets
        refuse_control_characters(self.request)
        hub_sign_in.drop_session_from_browser(self.request)
        sign_in = hub_sign_in.active()
        if sign_in is not None and not await sign_in.sign_in(self):
            return  # on the way to the hub's sign-in
        # The page's shutdown beacon sends the `_xsrf` cookie's value as the server's XSRF
        # check requires, but Voilà's page never sets that cookie, so every beacon was
        # refused (voila-dashboards/voila#1458) and every visit left its kernel running.
        # Reading the token sets the cookie.
        self.xsrf_token  # noqa: B018 - read for its effect

    async def get_generator(self, path=None):
        # A preheated kernel that died is never handed out: the visitor gets a new one.
        await self.kernel_manager.discard_dead_pooled_kernels(self.notebook_path or path)
        self.kernel_manager.page_rendering()
        try:
            async for html in super().get_generator(path):
                yield html
        finally:
            self.kernel_manager.page_rendered()


class CollabVoila(Voila):
    light_pages = List(
        Unicode(),
        config=True,
        help="light pages served beside the workbooks, as 'module:Class' names of "
        "LightService subclasses",
    )
    light_page_threads = Int(THREADS, config=True, help="threads answering each light page's reads")
    light_services = Dict(help="the light pages' services, by their path")
    hub_check_seconds = Int(
        hub_sign_in.CHECK_SECONDS,
        config=True,
        help="under a JupyterHub: how often to ask the hub whether the users this server "
        "signed in still exist (their pages end when not)",
    )

    def init_handlers(self) -> list:
        # the pages and APIs need the same token as Voilà's own pages (--token)
        token = self.token or os.environ.get("COLLAB_SERVER_TOKEN", "")
        db_url = os.environ.get("COLLAB_DB_URL") or None
        services: list[LightService] = [
            service_class(name)(db_url, token, self.light_page_threads) for name in self.light_pages
        ]
        self.light_services = {service.path: service for service in services}
        base = self.server_url if self.server_url.endswith("/") else self.server_url + "/"
        # first, so that Voilà's catch-all routes do not take the light pages' paths
        light_routes = [route for service in services for route in service.handlers(base)]
        if hub_sign_in.running_as_hub_service():
            sign_in = hub_sign_in.HubSignIn(db_url, self.hub_check_seconds)
            hub_sign_in.activate(sign_in)
            light_routes += hub_sign_in.hub_handlers(sign_in, base)
        return light_routes + harden(super().init_handlers(), WorkbookPageHandler)

    def listen(self) -> None:
        # What the server built to start (Voilà, Jupyter Server, their templates) lives as
        # long as it does: kept out of the garbage collector's full passes, which otherwise
        # walk it all and hold every request for a fifth of a second (seen in
        # benchmarks/bench_workshop.py while a room joined).
        IOLoop.current().add_callback(_freeze_what_lives_on)
        if hub_sign_in.active() is not None:
            IOLoop.current().add_callback(hub_sign_in.active().start_watching)
        super().listen()

    def stop(self) -> None:
        for service in self.light_services.values():
            service.close()
        if hub_sign_in.active() is not None:
            hub_sign_in.active().close()
        super().stop()


def _freeze_what_lives_on() -> None:
    gc.collect()  # what is garbage by now is freed, not frozen with the rest
    gc.freeze()


main = CollabVoila.launch_instance

if __name__ == "__main__":
    main()
