"""`collab serve` as a JupyterHub service: the session reaches the kernel from the server
only, the options it takes from the hub, and the watch on removed users
(collab_widgets.core.serving.hub_sign_in). The real hub is in tests/browser/test_hub_browser.py."""

from __future__ import annotations

import asyncio
import sys
from urllib.parse import parse_qs

import pytest
from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

from collab_widgets.core.db import Store
from collab_widgets.core.db import hub as hub_store
from collab_widgets.core.errors import AccessDenied
from collab_widgets.core.light.handlers import TRUSTED_PROXIES_VARIABLE, client_address
from collab_widgets.core.serving import hub_sign_in
from collab_widgets.core.serving.serve import voila_command, voila_environment
from tests.unit.test_cli import _serve_without_voila

HUB_ENVIRONMENT = {
    "JUPYTERHUB_SERVICE_NAME": "collab-a",
    "JUPYTERHUB_API_TOKEN": "service-token",
    "JUPYTERHUB_API_URL": "http://127.0.0.1:8081/hub/api",
    "JUPYTERHUB_CLIENT_ID": "service-collab-a",
    "JUPYTERHUB_SERVICE_PREFIX": "/services/collab-a/",
    "JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:10101",
    "JUPYTERHUB_OAUTH_CALLBACK_URL": "/services/collab-a/oauth_callback",
    "JUPYTERHUB_BASE_URL": "/",
    "JUPYTERHUB_HOST": "",
}


@pytest.fixture
def under_a_hub(monkeypatch):
    for name, value in HUB_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    yield
    hub_sign_in._active.clear()


def _request(query: str, headers: dict | None = None, remote_ip: str = "127.0.0.1"):
    line = RequestStartLine("GET", f"/services/collab-a/00_start_here.ipynb?{query}", "HTTP/1.1")
    request = HTTPServerRequest(
        start_line=line, headers=HTTPHeaders({"Host": "hub", **(headers or {})})
    )
    request.remote_ip = remote_ip
    return request


def test_a_session_in_the_browsers_own_address_never_reaches_the_kernel():
    request = _request("team=T1&hub_session=stolen&hub_session=again&member=M1")
    hub_sign_in.drop_session_from_browser(request)
    assert parse_qs(request.query) == {"team": ["T1"], "member": ["M1"]}
    assert "hub_session" not in request.query_arguments and "hub_session" not in request.arguments


def test_the_server_adds_the_session_it_wrote_for_the_signed_in_visitor(tmp_path, fixed_clock):
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    Store(url).close()

    class SignIn(hub_sign_in.HubSignIn):
        async def visitor(self, handler):
            return "ana"

    class Handler:
        request = _request("hub_team=3&hub_session=forged")

    sign_in = SignIn(url, auth=object(), service="collab-a")
    hub_sign_in.drop_session_from_browser(Handler.request)
    assert asyncio.run(sign_in.sign_in(Handler)) is True
    [secret] = parse_qs(Handler.request.query)["hub_session"]
    assert parse_qs(Handler.request.query)["hub_team"] == ["3"] and secret != "forged"
    store = Store(url)
    assert store.open_hub(secret).hub_user == "ana"
    with pytest.raises(AccessDenied):
        store.open_hub("forged")
    store.close()
    sign_in.close()


def test_users_the_hub_no_longer_has_lose_their_pages_and_links(team, monkeypatch):
    hub_store.link_member(team.store, "ana", team.code, "Ana")
    hub_store.link_member(team.store, "ben", team.code, "Ben")
    pages = {u: hub_store.start_session(team.store, u, "collab-a") for u in ("ana", "ben")}
    hub_store.start_session(team.store, "chen", "collab-b")  # another server's to ask

    asked = []

    class SignIn(hub_sign_in.HubSignIn):
        async def _hub_has(self, name):
            asked.append(name)
            return name != "ana"

    sign_in = SignIn(team.store.url, auth=object(), service="collab-a")
    assert asyncio.run(sign_in.forget_removed_users()) == []  # said once: not yet
    assert team.store.open_hub(pages["ana"]).teams()
    assert asyncio.run(sign_in.forget_removed_users()) == ["ana"]  # twice running
    assert asked == ["ana", "ben", "ana", "ben"]
    with pytest.raises(AccessDenied):
        team.store.open_hub(pages["ana"])
    assert team.store.open_hub(pages["ben"]).teams()
    assert [link.hub_user for link in hub_store.links(team.store)] == ["ben"]
    sign_in.close()


def test_a_linked_user_removed_while_away_loses_their_links_too(team):
    hub_store.link_member(team.store, "ana", team.code, "Ana")
    hub_store.link_member(team.store, "ben", team.code, "Ben")  # never signed in yet
    secret = hub_store.start_session(team.store, "ana", "collab-b")
    hub_store.end_session(team.store, secret)  # no page open anywhere now

    class SignIn(hub_sign_in.HubSignIn):
        async def _hub_has(self, name):
            return False

    sign_in = SignIn(team.store.url, auth=object(), service="collab-a")
    asyncio.run(sign_in.forget_removed_users())
    assert asyncio.run(sign_in.forget_removed_users()) == ["ana"]
    # a hub knows nobody before their first sign-in: Ben, linked ahead, keeps his link
    assert [link.hub_user for link in hub_store.links(team.store)] == ["ben"]
    sign_in.close()


def test_a_hub_that_cannot_answer_ends_nobodys_page(under_a_hub, tmp_path):
    sign_in = hub_sign_in.HubSignIn(f"sqlite:///{tmp_path / 'w.sqlite'}")
    sign_in.auth.api_url = "http://127.0.0.1:9/hub/api"  # nothing listens there
    assert asyncio.run(sign_in._hub_has("ana")) is True
    sign_in.close()


def test_serve_under_a_hub_takes_its_prefix_and_address_and_requires_its_sign_in(
    under_a_hub, tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    options = _serve_without_voila(
        monkeypatch,
        "--db",
        str(tmp_path / "w.sqlite"),
        "serve",
        "--require-hub",
        "--trusted-proxy",
        "127.0.0.1",
        "--hub-check-seconds",
        "5",
    )
    assert (options.host, options.port, options.base_url) == (
        "127.0.0.1",
        10101,
        "/services/collab-a/",
    )
    out = capsys.readouterr().out
    assert "sign in through the JupyterHub" in out and "Coach link" not in out
    command, env = voila_command(options), voila_environment(options)
    assert "--Voila.base_url=/services/collab-a/" in command
    assert "--CollabVoila.hub_check_seconds=5" in command
    assert env["COLLAB_REQUIRE_HUB"] == "1" and env[TRUSTED_PROXIES_VARIABLE] == "127.0.0.1"


def test_require_hub_without_a_hub_is_refused_plainly(tmp_path, monkeypatch, capsys):
    from collab_widgets.cli import main

    for name in HUB_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    assert main(["--db", str(tmp_path / "w.sqlite"), "serve", "--require-hub"]) == 2
    assert "--require-hub needs a JupyterHub" in capsys.readouterr().err


def test_a_server_under_a_hub_mounts_the_sign_in_callback(under_a_hub, tmp_path, monkeypatch):
    from voila.app import Voila

    from collab_widgets.core.serving.voila_app import CollabVoila

    monkeypatch.setenv("COLLAB_DB_URL", f"sqlite:///{tmp_path / 'w.sqlite'}")
    monkeypatch.setattr(sys, "argv", ["voila"])
    voila = CollabVoila()
    voila.initialize(["--Voila.base_url=/services/collab-a/"])
    voila.server_url = "/services/collab-a/"
    monkeypatch.setattr(Voila, "init_handlers", lambda self: [])
    assert [route[0] for route in voila.init_handlers()] == ["/services/collab-a/oauth_callback"]
    assert hub_sign_in.active() is not None and hub_sign_in.active().service == "collab-a"


def test_a_users_own_server_is_not_a_hub_service():
    assert hub_sign_in.running_as_hub_service(HUB_ENVIRONMENT)
    own_server = {k: v for k, v in HUB_ENVIRONMENT.items() if k != "JUPYTERHUB_SERVICE_NAME"}
    assert not hub_sign_in.running_as_hub_service(own_server)


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ("", "127.0.0.1", "203.0.113.9", "127.0.0.1"),  # no proxy trusted: the header is words
        ("127.0.0.1", "198.51.100.7", "203.0.113.9", "198.51.100.7"),  # not from the proxy
        ("127.0.0.1", "127.0.0.1", "203.0.113.9", "203.0.113.9"),
        ("127.0.0.1", "127.0.0.1", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the proxy's own
        ("127.0.0.1,10.0.0.2", "127.0.0.1", "203.0.113.9, 10.0.0.2", "203.0.113.9"),
        ("127.0.0.1", "127.0.0.1", "not-an-address", "127.0.0.1"),
        ("127.0.0.1", "127.0.0.1", "", "127.0.0.1"),
        ("10.42.0.0/16", "10.42.7.3", "203.0.113.9", "203.0.113.9"),  # a cluster's proxy pods
        ("10.42.0.0/16", "10.43.0.1", "203.0.113.9", "10.43.0.1"),
        ("127.0.0.1", "::ffff:127.0.0.1", "203.0.113.9", "203.0.113.9"),
    ],
)
def test_a_forwarded_address_is_believed_only_from_a_trusted_proxy(
    monkeypatch, trusted, remote, forwarded, expected
):
    monkeypatch.setenv(TRUSTED_PROXIES_VARIABLE, trusted)
    request = _request("", {"X-Forwarded-For": forwarded} if forwarded else {}, remote)
    assert client_address(request) == expected
