"""The light pages' core (``collab_widgets.core.light``): wrong codes limited in the
database per network address and per code (an IPv6 /64 as one address, right codes
refused too while an address waits, old tries pruned); the JSON
handler's body limit, plain messages and token; the page's policy; tokens kept as hashes;
backups leaving the wrong codes out; and ``collab serve`` mounting the pages it is given.
Every test runs on the real store (SQLite, and PostgreSQL when one is given). The limit
as the workshop page applies it (a class behind one school address gets in, a guessing
run does not, several servers share the count): ``test_workshop_api.py``."""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

import pytest

from collab_widgets.cli import LIGHT_PAGES
from collab_widgets.core.errors import InvalidInput
from collab_widgets.core.light import handlers as light
from collab_widgets.core.light import tokens
from collab_widgets.core.light.service import LightService, service_class
from collab_widgets.core.serving.serve import voila_command, voila_environment
from tests.unit.test_cli import _serve_without_voila
from tests.unit.workshops.test_api import ApiServer


class EchoService(LightService):
    """A light page made only of the core: says back what it is sent."""

    path = "echo"

    def handlers(self, base: str) -> list[tuple]:
        args = {"service": self}
        return [
            (f"{base}{self.path}", EchoPage, args),
            (f"{base}{self.path}/api/(say|gone|bug)", EchoApi, args),
        ]


class EchoPage(light.PageHandler):
    page = "<style>p{}</style><p>Echo</p><script>1</script>"


class EchoApi(light.JsonHandler):
    max_body = 64

    async def answer(self, body: dict, action: str) -> dict:
        if action == "gone":
            raise light.Gone("Your place is gone.")
        if action == "bug":
            raise RuntimeError("a bug")
        said = light.text(body, "say")
        if said == "no":
            raise InvalidInput("Say something else.")
        return await self.service.read(lambda: {"said": said, "times": light.number(body, "n")})


@pytest.fixture
def echo(sqlite_store):
    server = ApiServer(EchoService(db_url=sqlite_store.url, server_token="s3cret"))
    yield server
    server.stop()


def test_the_json_handler_answers_plainly_and_refuses_a_long_body(echo):
    call = echo.call
    assert call("say", {"say": "hi", "n": 2}, token="s3cret") == (200, {"said": "hi", "times": 2})
    assert call("say", {"say": "hi"}, token="wrong") == (403, {"error": light.NEEDS_TOKEN})
    assert call("say", {"say": "no"}, token="s3cret") == (400, {"error": "Say something else."})
    assert call("say", {"say": 7}, token="s3cret") == (400, {"error": light.UNREADABLE})
    assert call("say", {"n": True}, token="s3cret") == (400, {"error": light.UNREADABLE})
    assert call("say", None, raw=b"[]", token="s3cret") == (400, {"error": light.UNREADABLE})
    assert call("gone", {}, token="s3cret") == (410, {"error": "Your place is gone.", "gone": True})
    assert call("bug", {}, token="s3cret") == (500, {"error": light.UNEXPECTED})
    status, refused = call("say", {"say": "x" * 100}, token="s3cret")
    assert status == 413 and refused == {"error": light.JsonHandler.too_long}


def test_the_page_needs_the_token_and_runs_only_its_own_script_and_style(echo):
    with pytest.raises(urllib.error.HTTPError) as no_token:
        urllib.request.urlopen(f"{echo.base}echo", timeout=10)
    assert no_token.value.code == 403
    with urllib.request.urlopen(f"{echo.base}echo?token=s3cret", timeout=10) as response:
        assert response.read().decode() == EchoPage.page
        headers = response.headers
    assert headers["Content-Security-Policy"] == light.content_security_policy(EchoPage.page)
    assert headers["Content-Security-Policy"].count("'sha256-") == 2
    assert headers["Cache-Control"] == "no-store" and headers["X-Content-Type-Options"] == "nosniff"


def test_tokens_are_random_and_the_database_gets_only_their_hash():
    first, second = tokens.new_token(), tokens.new_token()
    assert first != second and len(first) == 32
    assert len(tokens.digest(first)) == 64 and first not in tokens.digest(first)
    assert tokens.digest(first) == tokens.digest(first) != tokens.digest(second)


def test_a_light_page_is_named_by_its_service_class():
    assert service_class(f"{__name__}:EchoService") is EchoService
    for wrong in (f"{__name__}:EchoPage", f"{__name__}:nothing"):
        with pytest.raises(ValueError, match="names no light page"):
            service_class(wrong)


def test_collab_serve_mounts_the_light_pages_it_names(tmp_path, monkeypatch):
    from voila.app import Voila

    from collab_widgets.core.serving.voila_app import CollabVoila

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    options = _serve_without_voila(
        monkeypatch, "--db", str(tmp_path / "w.sqlite"), "serve", "--port", "8898"
    )
    assert options.light_pages == LIGHT_PAGES
    command = voila_command(options)
    monkeypatch.setenv("COLLAB_DB_URL", voila_environment(options)["COLLAB_DB_URL"])
    assert "--CollabVoila.light_pages=collab_widgets.workshops.api:WorkshopService" in command
    assert "--CollabVoila.light_pages=collab_widgets.students.api:StudentService" in command
    assert "--CollabVoila.light_pages=collab_widgets.families.api:FamilyService" in command
    assert "--CollabVoila.light_pages=collab_widgets.community.api:MentorService" in command
    monkeypatch.setattr(sys, "argv", ["voila"])
    voila = CollabVoila()
    voila.initialize(command[3:])
    voila.server_url = "/"
    monkeypatch.setattr(Voila, "init_handlers", lambda self: [])
    assert [route[0] for route in voila.init_handlers()] == [
        "/workshop",
        "/workshop/api/(join|room|answer|leave)",
        "/students",
        "/students/api/(join|page|survey|rate)",
        "/families",
        "/families/api/(open|page|goal|slot|unslot|signup|feedback|texts)",
        "/mentors",
        "/mentors/api/(open|page|log)",
        "/api/team-export",
    ]
    assert voila.light_services["workshop"].db_url.endswith("w.sqlite")
    assert voila.light_services["students"].db_url.endswith("w.sqlite")
    assert voila.light_services["families"].db_url.endswith("w.sqlite")
    assert voila.light_services["mentors"].db_url.endswith("w.sqlite")
    for service in voila.light_services.values():
        service.close()
