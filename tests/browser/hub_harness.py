"""A real JupyterHub for the browser tests: the hub from PyPI, its proxy
(configurable-http-proxy, from npm) and two `collab serve` services on a fresh PostgreSQL
database, started with the configuration the project ships
(deploy/jupyterhub/jupyterhub_config.py) and its test sign-in, and stopped with every process
it started (hub, proxy, services, their kernels): none may be left.

``running_hub(folder)`` is a context manager giving a :class:`Hub`.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

from collab_widgets.core.db import Store
from collab_widgets.core.serving.process import free_port
from collab_widgets.demo.sample import DemoData, seed_demo
from collab_widgets.team.store import members, teams

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PROXY = "configurable-http-proxy"
SERVICES = ("collab-a", "collab-b")
START_SECONDS = 120  # the hub, its proxy and two servers, on a busy two-core machine
HUB_CHECK_SECONDS = 2  # how often the services ask the hub about their users

# the hub users the tests sign in as, and whom each is linked to in the workbook
COACH_USER = "coach-kim"
MEMBER_TEAM = "Grade 4 Math"
OTHER_TEAM = "Grade 7 Science"
MEMBERS = {  # hub user -> (team, member name)
    "avery": (MEMBER_TEAM, "Avery M."),
    "jordan": (MEMBER_TEAM, "Jordan K."),
    "sam": (OTHER_TEAM, "Sam O."),
}
FACILITATOR_USER = "lead-g4"  # linked to MEMBER_TEAM's facilitator, whoever that is


def missing(tool: str, how: str) -> None:
    """What the other browser tests do when Chromium is missing: under CI a missing tool
    fails the run (.ci/run installs it), elsewhere the hub tests are skipped."""
    message = f"{tool} is missing: {how} (see .ci/run)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def postgres_server_url() -> str:
    url = os.environ.get("COLLAB_TEST_POSTGRES_URL", "")
    if not url:
        missing("PostgreSQL", "set COLLAB_TEST_POSTGRES_URL to a server's URL")
    return url


@contextlib.contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server of ``server_url`` (whose user may create
    databases), dropped afterwards: its URL."""
    import psycopg

    parts = urlsplit(server_url)
    name = f"collab_hub_{secrets.token_hex(4)}"
    plain = urlunsplit(parts._replace(scheme="postgresql"))  # psycopg's own spelling
    try:
        admin = psycopg.connect(plain, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        missing("PostgreSQL", f"cannot connect to COLLAB_TEST_POSTGRES_URL ({exc})")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(parts._replace(path=f"/{name}"))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def collab(db_url: str, *args: str) -> str:
    """A `collab` command on the database; its output."""
    done = subprocess.run(
        [sys.executable, "-m", "collab_widgets.cli", *args],
        env={**os.environ, "COLLAB_DB_URL": db_url},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, f"collab {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


@dataclass
class Hub:
    base: str  # the proxy's public address, http://127.0.0.1:PORT
    db_url: str
    demo: DemoData
    password: str
    admin_token: str
    log_path: Path
    process: subprocess.Popen | None = None
    serving_since: float = 0.0  # time.monotonic() when the hub and both services answered
    team_ids: dict[str, int] = field(default_factory=dict)
    linked: dict[str, tuple[str, str]] = field(default_factory=dict)  # hub user -> team, name
    facilitator_user: str = ""
    # the codes as they stand after linking (which renews a linked person's own link)
    coach_code: str = ""
    team_codes: dict[str, str] = field(default_factory=dict)
    member_tokens: dict[str, dict[str, str]] = field(default_factory=dict)

    def read_codes(self) -> None:
        """The coach's code, each team's code and its members' personal links, as the
        server's operator reads them (`collab coach list`, the coach's pages)."""
        store = Store(self.db_url)
        try:
            self.coach_code = teams.first_coach_code(store)[1]
            coach = store.open_coach(self.coach_code, operator=True)
            for name, team_id in self.team_ids.items():
                scope = coach.open_team_by_id(team_id)
                self.team_codes[name] = teams.team_code(scope)
                self.member_tokens[name] = {m.name: m.token for m in members.roster(scope)}
        finally:
            store.close()

    def coach(self, store: Store):
        """The coach's scope, as the server's operator opens it (with the code as it is
        now: linking or unlinking the coach renews it)."""
        return store.open_coach(teams.first_coach_code(store)[1], operator=True)

    def service(self, name: str) -> str:
        return f"{self.base}/services/{name}"

    def url(self, service: str, notebook: str = "00_start_here.ipynb", **params) -> str:
        """A workbook page on ``service``."""
        query = f"?{urlencode(params)}" if params else ""
        return f"{self.service(service)}/voila/render/{notebook}{query}"

    def api(self, method: str, path: str, body: dict | None = None, token: str = "") -> tuple:
        """The hub's REST API (``/hub/api/<path>``) as the tests' admin service: (status,
        JSON answer)."""
        return request(
            method,
            f"{self.base}/hub/api/{path}",
            body,
            {"Authorization": f"token {token or self.admin_token}"},
        )

    def user_token(self, user: str, scopes: list[str]) -> str:
        """A token of ``user`` with ``scopes`` (those a user's server's token has)."""
        body = {"note": "team export test", "scopes": scopes}
        status, answer = self.api("POST", f"users/{user}/tokens", body)
        assert status in (200, 201), (status, answer)
        return answer["token"]

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def request(method: str, url: str, body=None, headers=None, timeout: float = 30) -> tuple:
    """(status, JSON answer or text) of one HTTP request; errors are answers too."""
    data = None if body is None else json.dumps(body).encode()
    sent = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if data is not None:
        sent.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(sent, timeout=timeout) as answer:
            status, raw = answer.status, answer.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw or b"null")
    except ValueError:
        return status, raw.decode(errors="replace")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as answer:
            return answer.status == 200
    except OSError:
        return False


def _descendants(pid: int) -> list:
    import psutil

    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


class ProcessWatch:
    """Every process the hub started (the proxy, the services, their Voilà servers and
    kernels), noted while the hub runs: once the hub has stopped, none may be left."""

    def __init__(self, pid: int, proxy_pid_file: Path):
        self.pid = pid
        self.proxy_pid_file = proxy_pid_file  # the proxy runs in a session of its own
        self.seen: dict[int, object] = {}

    def note(self) -> None:
        import psutil

        found = _descendants(self.pid)
        with contextlib.suppress(OSError, ValueError, psutil.Error):
            proxy = psutil.Process(int(self.proxy_pid_file.read_text().strip()))
            found += [proxy, *proxy.children(recursive=True)]
        for process in found:
            self.seen.setdefault(process.pid, process)

    def started(self, word: str) -> int:
        """How many of the processes seen have ``word`` in their command line."""
        import psutil

        count = 0
        for process in self.seen.values():
            with contextlib.suppress(psutil.Error):
                count += word in " ".join(process.cmdline())
        return count

    def left(self, wait: float = 30) -> list[str]:
        import psutil

        deadline = time.monotonic() + wait
        alive = list(self.seen.values())
        while alive and time.monotonic() < deadline:
            _, alive = psutil.wait_procs(alive, timeout=0.5)
        described = []
        for process in alive:
            with contextlib.suppress(psutil.Error):
                described.append(f"{process.pid}: {' '.join(process.cmdline())[:160]}")
                process.kill()
        return described


@contextlib.contextmanager
def running_hub(folder: Path, pool_size: int = 0) -> Iterator[Hub]:
    """The hub with two `collab serve` services on a fresh PostgreSQL database holding the
    demo teams, the hub users of :data:`MEMBERS` and :data:`COACH_USER` linked to them."""
    if shutil.which(PROXY) is None:
        missing(PROXY, "npm install -g configurable-http-proxy")
    with fresh_database(postgres_server_url()) as db_url:
        store = Store(db_url)
        demo = seed_demo(store)
        coach = store.open_coach(demo.coach_code, operator=True)
        team_ids = {name: coach.open_team(code).team_id for name, code in demo.team_codes.items()}
        leading = members.current_roles(coach.open_team(demo.team_codes[MEMBER_TEAM]))
        store.close()
        linked = dict(MEMBERS)
        facilitator = leading["facilitator"].name  # the team export is theirs (or the coach's)
        facilitator_user = next((u for u, (_, n) in linked.items() if n == facilitator), None)
        if facilitator_user is None:
            facilitator_user = FACILITATOR_USER
            linked[facilitator_user] = (MEMBER_TEAM, facilitator)
        collab(db_url, "hub", "link", COACH_USER, "--coach", demo.coach_code)
        for user, (team, member) in linked.items():
            code = demo.team_codes[team]
            collab(db_url, "hub", "link", user, "--team", code, "--member", member)
        hub = Hub(
            base="",
            db_url=db_url,
            demo=demo,
            password=secrets.token_urlsafe(12),
            admin_token=secrets.token_hex(32),
            log_path=folder / "hub.log",
            team_ids=team_ids,
            linked=linked,
            facilitator_user=facilitator_user,
        )
        hub.read_codes()  # linking renewed the linked people's links
        for attempt in range(1, PORT_ATTEMPTS + 1):
            watch = _start(hub, folder / f"hub-state-{attempt}", pool_size)
            if watch is not None:
                break
        else:
            raise RuntimeError(f"every port chosen was taken first; see {hub.log_path}")
        try:
            yield hub
            watch.note()
        finally:
            left = _stop(hub, watch)
        assert left == [], f"processes left after the hub stopped: {left}"


PORT_ATTEMPTS = 3
PORT_TAKEN = ("already in use", "EADDRINUSE")


def _start(hub: Hub, state: Path, pool_size: int) -> ProcessWatch | None:
    """The hub started on free ports, serving: the watch on its processes; None when another
    program took one of the ports between their choosing and their use (all stopped)."""
    ports = [free_port() for _ in SERVICES]
    hub.base = f"http://127.0.0.1:{free_port()}"
    env = {
        **os.environ,
        "COLLAB_DB_URL": hub.db_url,
        "COLLAB_HUB_IP": "127.0.0.1",
        "COLLAB_HUB_PORT": str(urlsplit(hub.base).port),
        "COLLAB_HUB_INTERNAL_PORT": str(free_port()),
        "COLLAB_HUB_PROXY_API_PORT": str(free_port()),
        "COLLAB_HUB_SERVICES": str(len(SERVICES)),
        "COLLAB_HUB_SERVICE_PORTS": ",".join(map(str, ports)),
        "COLLAB_HUB_POOL_SIZE": str(pool_size),
        "COLLAB_HUB_CHECK_SECONDS": str(HUB_CHECK_SECONDS),
        "COLLAB_HUB_STATE_DIR": str(state),
        "COLLAB_HUB_TEST_AUTH": "1",
        "COLLAB_HUB_TEST_PASSWORD": hub.password,
        "COLLAB_HUB_TEST_ADMIN_TOKEN": hub.admin_token,
    }
    env.pop("QUERY_STRING", None)
    env.pop("COLLAB_PUBLIC_URL", None)
    logged_before = hub.log_path.stat().st_size if hub.log_path.exists() else 0
    with hub.log_path.open("ab") as log:  # the hub's, the proxy's and the services' output
        hub.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            # the hub stops its services with SIGINT first: one started with SIGINT ignored
            # (from a background job) would pass that on, and each service would stop only
            # at the hub's SIGTERM, ten seconds later
            preexec_fn=_interruptible,
        )
    watch = ProcessWatch(hub.process.pid, state / "jupyterhub-proxy.pid")
    try:
        _wait_until_serving(hub, watch)
        # what must be stopped at the end is known: the proxy and the services
        assert watch.started(PROXY) == 1, _tail(hub)
        assert watch.started("collab_widgets.cli serve") == len(SERVICES), _tail(hub)
        hub.serving_since = time.monotonic()
    except BaseException:
        left = _stop(hub, watch)
        assert left == [], f"processes left after the hub stopped: {left}"
        with hub.log_path.open("rb") as log:
            log.seek(logged_before)
            this_time = log.read().decode(errors="replace")
        if any(taken in this_time for taken in PORT_TAKEN):
            return None
        raise
    return watch


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_until_serving(hub: Hub, watch: ProcessWatch) -> None:
    """The hub answers, and each service answers its workshop page through the proxy."""
    waiting = [f"{hub.base}/hub/api/", *(f"{hub.service(name)}/workshop" for name in SERVICES)]
    deadline = time.monotonic() + START_SECONDS
    while waiting and time.monotonic() < deadline:
        watch.note()
        if hub.process.poll() is not None:
            raise RuntimeError(f"jupyterhub exited ({hub.process.returncode}):\n{_tail(hub)}")
        if _answers(waiting[0]):
            waiting.pop(0)
        else:
            time.sleep(0.5)
    if waiting:
        raise RuntimeError(f"{waiting[0]} did not answer in {START_SECONDS} s:\n{_tail(hub)}")
    watch.note()


def _stop(hub: Hub, watch: ProcessWatch) -> list[str]:
    """SIGTERM to the hub: it stops its services (which stop their kernels) and its proxy.
    Then whatever it started and is still running is killed, and named."""
    process = hub.process
    if process is None:
        return []
    watch.note()
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    left = watch.left()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    return left


def _tail(hub: Hub, lines: int = 60) -> str:
    return "\n".join(hub.log().splitlines()[-lines:])
