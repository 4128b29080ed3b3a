"""The family page and its JSON API, served by a real tornado server on a loopback port (as
inside ``collab serve``), over a real store with the fixed clock: opening with the link's
code; the answer in the family's language or the one asked for, refusals included; wrong,
rotated and unreadable calls refused plainly; goals checked field by field; a conference
time taken a moment earlier; the body limit; the server's token; the page's policy and
words; and that the service stays light."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from collab_widgets.core.light import handlers as light
from collab_widgets.core.light.handlers import content_security_policy
from collab_widgets.families import api, texts
from collab_widgets.families.api import FamilyService, PageHandler
from collab_widgets.families.store import class_meetings, conferences, family_workshops, guardians
from collab_widgets.families.store.family import (
    CHANGED,
    GOAL_CHANGED,
    SLOT_TAKEN,
    SURVEY_DONE,
    WRONG_LINK,
)
from collab_widgets.families.texts import CATALOGUE
from tests.unit.families.conftest import MEETING_DAY
from tests.unit.workshops.test_api import ApiServer

ROOT = Path(__file__).resolve().parents[3]


def es(message: str, **values) -> str:
    return CATALOGUE.text("es", message, **values)


def call(server: ApiServer, action: str, body=None, *, lang="", raw=None, token=""):
    """(status, answer) of ``POST families/api/<action>[?lang=…]``."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"token {token}"
    query = f"?lang={lang}" if lang else ""
    request = urllib.request.Request(
        f"{server.base}families/api/{action}{query}",
        data=raw if raw is not None else json.dumps(body).encode(),
        headers=headers,
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def server(classroom):
    running = ApiServer(FamilyService(db_url=classroom.team.store.url))
    yield running
    running.stop()


def _code(classroom, index: int = 0) -> str:
    return classroom.links[classroom.family_ids[index]]


def _wrong_codes_stored(classroom) -> int:
    with classroom.team.store.reading() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM wrong_codes").scalar()


# --- opening ---------------------------------------------------------------------------------


def test_the_link_code_opens_the_familys_own_page(server, classroom):
    status, page = call(server, "open", {"code": _code(classroom).lower()})
    assert status == 200, page
    assert (page["child"], page["class"], page["teacher"]) == ("Maya R.", "Room 12", "Ana")
    assert page["language"] == "en" and page["texts"] == texts.PAGE
    assert page["languages"] == [{"id": "en", "name": "English"}, {"id": "es", "name": "Español"}]
    (meeting,) = page["meetings"]
    assert meeting["id"] == classroom.meeting_id and meeting["title"] == "Fractions night"
    assert meeting["when"] == {
        "date": "Tuesday, October 20",
        "time": "6:00\u202fPM",
        "iso": "2026-10-20",
    }
    assert meeting["past"] is False and meeting["goal"] is None
    assert meeting["default_by"] == "2026-12-19"
    bins = meeting["graph"]["bins"]
    assert [b["count"] for b in bins] == [0, 1, 1, 1, 2]
    assert [b["child"] for b in bins] == [False, True, False, False, False]
    assert [b["label"] for b in bins] == ["0%–19%", "20%–39%", "40%–59%", "60%–79%", "80%–100%"]
    assert meeting["graph"]["child"] == "Maya R.'s result: 35%"
    assert meeting["agenda"] == [{"title": "Welcome", "minutes": 10, "missing": False}]
    # the page again, as the page polls it
    assert call(server, "page", {"code": _code(classroom)}) == (200, page)


def test_the_page_answers_in_the_familys_language_or_the_one_asked_for(server, classroom):
    guardians.set_language(classroom.teacher, classroom.family_ids[0], "es")
    status, page = call(server, "open", {"code": _code(classroom)})
    assert status == 200 and page["language"] == "es"
    assert page["texts"]["title"] == "La página de su familia"
    (meeting,) = page["meetings"]
    assert meeting["when"]["date"] == "martes, 20 de octubre" and meeting["when"]["time"] == "18:00"
    assert meeting["graph"]["child"] == "Resultado de Maya R.: 35\u00a0%"
    assert meeting["agenda"][0]["title"] == "Bienvenida"
    activity = meeting["activities"][0]
    assert activity["title"] == "Tiras de fracciones"
    assert activity["missing"] is True and activity["materials"] == "Paper"  # in English
    # an English-speaking family, and a page switched to Spanish
    status, page = call(server, "page", {"code": _code(classroom, 1), "lang": "es-MX"})
    assert page["language"] == "es" and page["texts"]["meetings"] == es(texts.PAGE["meetings"])
    assert call(server, "page", {"code": _code(classroom), "lang": "en"})[1]["language"] == "en"


def test_the_sign_in_words_come_without_a_code_and_count_nothing(server, classroom):
    status, answer = call(server, "texts", {"lang": "es-419"})
    assert status == 200
    assert answer == api.texts_payload("es") and answer["language"] == "es"
    assert answer["texts"]["code_label"] == "El código de su familia"
    status, answer = call(server, "texts", {"code": "WRONG2345678"})
    assert status == 200 and answer["language"] == "en" and "child" not in answer
    assert _wrong_codes_stored(classroom) == 0


def test_a_wrong_code_is_refused_in_the_language_asked_for(server, classroom):
    assert call(server, "open", {"code": "WRONGCODE234", "lang": "es"}) == (
        403,
        {"error": es(WRONG_LINK)},
    )
    # before the server knows the family, the page's own language in the address
    assert call(server, "open", {"code": "WRONGCODE235"}, lang="es") == (
        403,
        {"error": es(WRONG_LINK)},
    )
    assert call(server, "open", {"code": ""}) == (403, {"error": WRONG_LINK})
    assert _wrong_codes_stored(classroom) == 3
    assert es(WRONG_LINK).startswith("Este enlace no abre")


def test_a_rotated_link_ends_the_open_page(server, classroom):
    code = _code(classroom)
    assert call(server, "open", {"code": code})[0] == 200
    guardians.issue_link(classroom.teacher, classroom.guardians[classroom.family_ids[0]])
    for action, extra in (("page", {}), ("slot", {"slot": 1}), ("goal", {"meeting": 1})):
        body = {"code": code, "lang": "es", **extra}
        assert call(server, action, body) == (410, {"error": es(CHANGED), "gone": True}), action
    assert call(server, "open", {"code": code}) == (403, {"error": WRONG_LINK})


# --- changes ---------------------------------------------------------------------------------


def _goal(classroom, index=0, **typed):
    values = {"practice": "Read together for 15 minutes", "times": "4", "target": "80", "by": ""}
    called = {"code": _code(classroom, index), "meeting": classroom.meeting_id, "version": None}
    return {**called, **values, **typed}


def test_a_goal_with_words_in_a_number_box_is_explained_and_not_saved(server, classroom):
    guardians.set_language(classroom.teacher, classroom.family_ids[0], "es")
    status, page = call(server, "goal", _goal(classroom, times="cuatro", target="ochenta"))
    assert status == 200
    assert page["problems"] == {
        "times_per_week": "Escriba cuántas veces por semana con un número entero, por ejemplo 4.",
        "target": "Escriba la meta como un número del 1 al 100, por ejemplo 80.",
    }
    assert page["meetings"][0]["goal"] is None
    assert class_meetings.goals(classroom.teacher, classroom.class_id) == []
    # a goal below the child's result now: the value filled in
    status, page = call(server, "goal", _goal(classroom, target="30"))
    assert page["problems"] == {
        "target": "Elija una meta más alta que el resultado actual de su hijo o hija (35)."
    }
    status, page = call(server, "goal", _goal(classroom))
    assert status == 200 and "problems" not in page
    goal = page["meetings"][0]["goal"]
    assert (goal["practice"], goal["times"], goal["target"], goal["version"]) == (
        "Read together for 15 minutes",
        4,
        80.0,
        1,
    )
    assert goal["by"] == "2026-12-19"
    assert goal["text"] == (
        "Nuestra meta: Read together for 15 minutes, 4 veces por semana, para llegar a "
        "80\u00a0% el 19 de diciembre de 2026."
    )
    assert page["meetings"][0]["progress"] == es(texts.PROGRESS["waiting"])
    # the same family's other guardian, who had not seen it: told, nothing overwritten
    other = guardians.add_guardian(classroom.teacher, classroom.family_ids[0], "Parent 1b")
    code = guardians.issue_link(classroom.teacher, other)
    body = {**_goal(classroom), "code": code, "practice": "Count coins at the shop"}
    assert call(server, "goal", body) == (400, {"error": es(GOAL_CHANGED)})
    status, page = call(server, "goal", {**body, "version": 1})
    assert status == 200 and page["meetings"][0]["goal"]["version"] == 2


def test_a_time_taken_a_moment_earlier_is_said_plainly(server, classroom):
    guardians.set_language(classroom.teacher, classroom.family_ids[0], "es")
    conferences.add_slots(
        classroom.teacher, classroom.class_id, "individual", MEETING_DAY, "15:00", 20, 2
    )
    first, second = conferences.slots(classroom.teacher, classroom.class_id)
    status, page = call(server, "slot", {"code": _code(classroom, 1), "slot": first.id})
    assert status == 200 and [s["mine"] for s in page["slots"]] == [True, False]
    assert page["slots"][0]["kind"] == "Parent–teacher conference"
    # Maya's family still saw it free
    status, refused = call(server, "slot", {"code": _code(classroom), "slot": first.id})
    assert (status, refused) == (400, {"error": es(SLOT_TAKEN)})
    assert refused["error"].startswith("Otra familia eligió ese horario")
    status, page = call(server, "slot", {"code": _code(classroom), "slot": second.id})
    assert [s["id"] for s in page["slots"] if s["mine"]] == [second.id]
    assert page["slots"][0]["kind"] == "Reunión de la familia con el docente"
    status, page = call(server, "unslot", {"code": _code(classroom), "slot": second.id})
    assert status == 200 and not any(s["mine"] for s in page["slots"])


def test_workshops_and_the_feedback_survey_through_the_page(server, classroom):
    workshop = family_workshops.add_workshop(
        classroom.teacher,
        classroom.class_id,
        {"en": "Reading at home"},
        MEETING_DAY,
        "17:30",
        "Library",
    )
    body = {"code": _code(classroom), "lang": "es"}
    status, page = call(server, "signup", {**body, "workshop": workshop, "coming": True})
    assert status == 200
    assert page["workshops"] == [
        {
            "id": workshop,
            "title": "Reading at home",
            "missing": True,
            "place": "Library",
            "signed_up": True,
            "date": "martes, 20 de octubre",
            "time": "17:30",
            "iso": "2026-10-20",
        }
    ]
    round_id = family_workshops.open_round(classroom.teacher, classroom.class_id, "Autumn")
    feedback = call(server, "page", body)[1]["feedback"]
    assert feedback["round"] == round_id and feedback["answered"] is False
    answers = {q["id"]: 4 for q in feedback["questions"]}
    status, page = call(server, "feedback", {**body, "round": round_id, "answers": answers})
    assert status == 200 and page["feedback"]["answered"] is True
    again = {**body, "round": round_id, "answers": answers}
    assert call(server, "feedback", again) == (400, {"error": es(SURVEY_DONE)})


# --- refusals before anything is read --------------------------------------------------------


def test_a_body_over_the_limit_is_refused_in_the_pages_language(server, classroom):
    huge = json.dumps(_goal(classroom, practice="x" * (api.MAX_BODY + 10))).encode()
    assert call(server, "goal", raw=huge, lang="es") == (413, {"error": es(api.TOO_LONG)})
    assert call(server, "goal", raw=huge) == (413, {"error": api.TOO_LONG})
    assert es(api.TOO_LONG) == "Es demasiado largo para enviarlo; no se guardó."


def test_an_unreadable_call_is_refused_plainly_and_counts_no_code(server, classroom):
    spanish = es(light.UNREADABLE)
    assert spanish != light.UNREADABLE
    for raw in (b"not json", b"[1, 2]", b'{"code": 7}', b'{"code": "x", "lang": 3}'):
        assert call(server, "open", raw=raw, lang="es") == (400, {"error": spanish}), raw
    for action, extra in (
        ("goal", {"meeting": "1"}),
        ("slot", {}),
        ("signup", {"workshop": 1, "coming": "yes"}),
        ("feedback", {"round": 1, "answers": [4]}),
    ):
        body = {"code": "WRONGCODE234", "lang": "es", **extra}
        assert call(server, action, body) == (400, {"error": spanish}), action
    assert _wrong_codes_stored(classroom) == 0


def test_the_server_token_is_needed_for_the_page_and_every_call(classroom):
    running = ApiServer(FamilyService(db_url=classroom.team.store.url, server_token="s3cret"))
    try:
        for action in api.ACTIONS:  # refused before the body is read: the address's language
            status, refused = call(running, action, {"code": _code(classroom)}, lang="es")
            assert (status, refused) == (403, {"error": es(light.NEEDS_TOKEN)}), action
        assert call(running, "texts", {}) == (403, {"error": light.NEEDS_TOKEN})
        assert call(running, "open", {"code": _code(classroom)}, token="s3cret")[0] == 200
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{running.base}families", timeout=10)
        assert refused.value.code == 403 and "token=" in refused.value.read().decode()
        with urllib.request.urlopen(f"{running.base}families?token=s3cret", timeout=10) as page:
            assert page.status == 200
    finally:
        running.stop()


# --- the page itself -------------------------------------------------------------------------

PRODUCT_WORDS = (
    "Goal",
    "Conference",
    "Meeting",
    "Workshop",
    "Feedback",
    "Family",
    "Families",
    "Teacher",
    "Save",
    "Send",
    "Choose",
    "Language",
    "Open",
    "Child",
    "Progress",
)


def test_the_page_runs_only_its_own_script_and_style_and_fetches_nothing(server):
    with urllib.request.urlopen(f"{server.base}families", timeout=10) as got:
        page = got.read().decode()
        policy = got.headers["Content-Security-Policy"]
        assert got.headers["Cache-Control"] == "no-store"
        assert got.headers["Referrer-Policy"] == "no-referrer"
    assert page == PageHandler.page and policy == content_security_policy(page)
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert "script-src 'sha256-" in policy and policy.count("'sha256-") == 2
    assert "unsafe" not in policy and "http" not in policy
    assert page.count("<script>") == 1 and page.count("<style>") == 1
    assert "http" not in page and "src=" not in page and "<link" not in page
    assert "@import" not in page and "url(" not in page and "@font-face" not in page
    assert ".innerHTML" not in page and "insertAdjacentHTML" not in page


def test_the_page_keeps_nothing_on_the_device_and_labels_every_field(server):
    page = PageHandler.page
    script = page.split("<script>")[1]
    for keeper in ("localStorage", "sessionStorage", "indexedDB", "document.cookie", "caches."):
        assert keeper not in script, keeper
    # the code after "#code=" leaves the address bar once read; the token goes in a header
    assert 'fragment.get("code")' in script and "history.replaceState" in script
    assert 'headers.Authorization = "token " + serverToken' in script
    for field_id in re.findall(r'<(?:input|select|textarea)[^>]* id="([^"]+)"', page):
        assert f'for="{field_id}"' in page, field_id
    assert "label.htmlFor = input.id" in script  # the goal boxes, made by the script
    assert 'role="alert"' in page and 'role="status"' in page and 'aria-live="polite"' in page
    for landmark in ("<header", "<main", "<section"):
        assert landmark in page
    assert "min-height: 2.75rem" in page  # touch targets of 44px


def test_every_word_on_the_page_comes_from_the_server(server):
    page = PageHandler.page
    assert re.search(r"<title>[^<]*</title>", page)
    bare = re.sub(r"<(script|style|title)>.*?</\1>", "", page, flags=re.DOTALL)
    visible = re.sub(r"<[^>]+>", " ", bare)
    assert re.findall(r"[A-Za-z]+", visible) == []
    assert not re.search(r'(?:placeholder|aria-label|title|alt)="', page)
    for word in PRODUCT_WORDS:
        assert not re.search(rf"\b{word}\b", page), word
    script = page.split("<script>")[1].split("</script>")[0]
    code = re.sub(r"//[^\n]*", "", script)  # the comments are the code's, not the page's
    literals = re.findall(r'"([^"\\]*)"', code)
    sentences = [t for t in literals if re.fullmatch(r"[A-Za-z ,.;:'!?]+", t) and " " in t.strip()]
    assert sentences == ["use strict"]
    # every text the script reads is one the server sends
    used = set(re.findall(r"texts\.(\w+)", script)) | set(re.findall(r'"(goal_\w+)"', script))
    assert used <= set(texts.PAGE), used - set(texts.PAGE)
    assert 'document.documentElement.lang = shown === "qps" ? "en" : shown' in script
    assert "document.title = texts.title" in script


# --- light --------------------------------------------------------------------------------------

HEAVY = ("matplotlib", "ipywidgets", "alembic", "pandas", "numpy")


def test_the_family_page_loads_no_plotting_widgets_pandas_or_migrations(classroom, tmp_path):
    check = (
        "import sys, json\n"
        "from collab_widgets.core.serving import voila_app\n"
        "before = set(sys.modules)\n"
        "from collab_widgets.families import api\n"
        f"service = api.FamilyService({classroom.team.store.url!r})\n"
        f"session = service.sign_in({_code(classroom)!r}, '127.0.0.1', False)\n"
        "page = service.page(session, 'es')\n"
        "assert page['child'] == 'Maya R.', page\n"
        "print('MODULES', json.dumps(sorted(sys.modules)))\n"
        "print('OWN', json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    env = {"HOME": str(tmp_path), "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    loaded, own = set(json.loads(lines["MODULES"])), set(json.loads(lines["OWN"]))
    assert sorted(set(HEAVY) & loaded) == []
    assert sorted(m for m in own if m.split(".")[0] in HEAVY) == []
