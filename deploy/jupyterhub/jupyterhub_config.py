"""A district's JupyterHub in front of several `collab serve` processes on one PostgreSQL.

Run it as ``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py`` with the settings below in
the environment. It is the configuration the hub tests run (tests/browser/test_hub_browser.py),
with the test sign-in switched on; docs/deployment.md explains the choices.

What it sets up:

* the hub and its proxy (configurable-http-proxy, from npm) on loopback by default;
* ``COLLAB_HUB_SERVICES`` hub-managed services, ``collab-a``, ``collab-b``, …: each a
  ``collab serve --require-hub`` on a loopback port of its own, reached through the proxy at
  ``/services/<name>/``. The proxy routes by prefix and balances nothing, so a page's
  websocket goes to the server that rendered the page (and holds its kernel); everything the
  servers share (live boards, workshop rooms and their wrong-code limits, the activity
  record) is in the one database;
* the services believe X-Forwarded-For only from the proxy (``--trusted-proxy 127.0.0.1``),
  sign visitors in with the hub's OAuth without a consent page, and may read users' names
  (to notice a user removed from the hub);
* single-user servers (a member's JupyterLab) get no database URL and no credential: their
  environment is built from a short list of harmless variables, never from the hub's own.

Settings (environment variables):

COLLAB_DB_URL               required: the workbook database, a PostgreSQL URL
                            (``postgresql+psycopg://user:password@host:5432/db``). Given to
                            the services in their environment, not on their command line
                            (a command line is visible to every user of the machine).
COLLAB_HUB_IP               the address the hub's proxy listens on (default 127.0.0.1; a
                            district puts its TLS front end or load balancer before it)
COLLAB_HUB_PORT             the proxy's port (default 8000)
COLLAB_HUB_PUBLIC_URL       the address people type, when it is not http://IP:PORT (behind
                            TLS or another name); the services' links are made from it
COLLAB_HUB_INTERNAL_PORT    the hub's own port on 127.0.0.1 (default 8081)
COLLAB_HUB_PROXY_API_PORT   the proxy's REST API port on 127.0.0.1 (default 8001)
COLLAB_HUB_SERVICES         how many `collab serve` services (default 2: collab-a, collab-b)
COLLAB_HUB_SERVICE_PORTS    their loopback ports, comma-separated (default 8871, 8872, …)
COLLAB_HUB_POOL_SIZE        preheated kernels per workbook in each service (default 2)
COLLAB_HUB_CHECK_SECONDS    how often a service asks the hub whether its signed-in users
                            still exist (``--hub-check-seconds``, default 60)
COLLAB_HUB_SERVE_ARGS       more `collab serve` options for every service (e.g.
                            ``--workshop 30 --workbooks /srv/workbooks``), shell-quoted
COLLAB_HUB_STATE_DIR        the hub's own files: its sqlite database, its cookie secret and
                            the proxy's pid file (default /srv/jupyterhub; a temporary folder
                            in the tests). Keep it readable by the hub's user only.
COLLAB_HUB_TEST_AUTH        ``1``: sign in with JupyterHub's test authenticator (any name, the
                            one password below: DummyAuthenticator, or its successor
                            SharedPasswordAuthenticator from JupyterHub 5.3). For tests
                            only; refused off loopback.
COLLAB_HUB_TEST_PASSWORD    the test sign-in's password (required with the switch)
COLLAB_HUB_TEST_ADMIN_TOKEN with the switch: the API token of a ``collab-test-admin`` service
                            that may create users' tokens and remove users (what a test does
                            through the hub's REST API)

The sign-in itself is the district's choice: set ``c.JupyterHub.authenticator_class`` (LDAP,
OAuthenticator for an OIDC/OAuth provider, a SAML front end…) and who may sign in
(``c.Authenticator.allowed_users`` / ``allowed_groups``) in a file that loads this one, or
below. Hub users are linked to workbook people with ``collab hub link`` (docs/deployment.md).
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - given by JupyterHub's config loader

LOOPBACK = "127.0.0.1"


def _setting(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def _number(name: str, default: int) -> int:
    text = _setting(name, str(default))
    try:
        return int(text)
    except ValueError:
        sys.exit(f"{name} must be a whole number, not {text!r}")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


DB_URL = os.environ.get("COLLAB_DB_URL", "").strip()
if not DB_URL:
    sys.exit("COLLAB_DB_URL is not set: give the workbook database's PostgreSQL URL.")
if not DB_URL.startswith("postgresql"):
    sys.exit(
        "COLLAB_DB_URL must be a PostgreSQL URL: several servers share the database, which a "
        "SQLite file cannot do safely."
    )

HUB_IP = _setting("COLLAB_HUB_IP", LOOPBACK)
HUB_PORT = _number("COLLAB_HUB_PORT", 8000)
GIVEN_PUBLIC_URL = _setting("COLLAB_HUB_PUBLIC_URL", "").rstrip("/")
if not GIVEN_PUBLIC_URL and HUB_IP in ("0.0.0.0", "::", ""):
    sys.exit(
        f"COLLAB_HUB_IP={HUB_IP} listens on every network: set COLLAB_HUB_PUBLIC_URL to the "
        "address people open (the links the servers give are made from it)."
    )
PUBLIC_URL = GIVEN_PUBLIC_URL or f"http://{HUB_IP}:{HUB_PORT}"
STATE = Path(_setting("COLLAB_HUB_STATE_DIR", "/srv/jupyterhub"))
STATE.mkdir(parents=True, exist_ok=True, mode=0o700)
TEST_AUTH = os.environ.get("COLLAB_HUB_TEST_AUTH") == "1"

# --- the hub and its proxy ---------------------------------------------------------------------

c.JupyterHub.bind_url = f"http://{HUB_IP}:{HUB_PORT}"
if GIVEN_PUBLIC_URL:
    c.JupyterHub.public_url = GIVEN_PUBLIC_URL
c.JupyterHub.hub_bind_url = f"http://{LOOPBACK}:{_number('COLLAB_HUB_INTERNAL_PORT', 8081)}"
# configurable-http-proxy (the default proxy), started and stopped by the hub
c.ConfigurableHTTPProxy.api_url = f"http://{LOOPBACK}:{_number('COLLAB_HUB_PROXY_API_PORT', 8001)}"
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.cleanup_servers = True
# the hub's own users and tokens (not the workbook's data); a district may point it at
# PostgreSQL too (c.JupyterHub.db_url), in a database of its own
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")

# --- the workbook servers, as hub-managed services --------------------------------------------

SERVICES = _number("COLLAB_HUB_SERVICES", 2)
if not 1 <= SERVICES <= 26:
    sys.exit("COLLAB_HUB_SERVICES must be between 1 and 26.")
NAMES = [f"collab-{chr(ord('a') + i)}" for i in range(SERVICES)]
if os.environ.get("COLLAB_HUB_SERVICE_PORTS", "").strip():
    PORTS = [int(p) for p in os.environ["COLLAB_HUB_SERVICE_PORTS"].split(",") if p.strip()]
    if len(PORTS) != SERVICES:
        sys.exit(f"COLLAB_HUB_SERVICE_PORTS names {len(PORTS)} ports for {SERVICES} services.")
else:
    PORTS = [8871 + i for i in range(SERVICES)]
POOL_SIZE = _number("COLLAB_HUB_POOL_SIZE", 2)
CHECK_SECONDS = _number("COLLAB_HUB_CHECK_SECONDS", 60)
SERVE_ARGS = shlex.split(os.environ.get("COLLAB_HUB_SERVE_ARGS", ""))


def _service(name: str, port: int) -> dict:
    return {
        "name": name,
        "url": f"http://{LOOPBACK}:{port}",  # the proxy's route for /services/<name>/
        "command": [
            sys.executable,
            "-m",
            "collab_widgets.cli",
            "serve",
            "--require-hub",
            "--trusted-proxy",
            LOOPBACK,  # configurable-http-proxy, on this machine
            "--pool-size",
            str(POOL_SIZE),
            "--hub-check-seconds",
            str(CHECK_SECONDS),
            *SERVE_ARGS,
        ],
        # A managed service's environment is only this, the hub's variables for it
        # (JUPYTERHUB_API_TOKEN, JUPYTERHUB_SERVICE_URL, …) and a few harmless ones (PATH,
        # LANG, VIRTUAL_ENV…): the database URL is given here, and to nothing else.
        "environment": {
            "COLLAB_DB_URL": DB_URL,
            "COLLAB_PUBLIC_URL": f"{PUBLIC_URL}/services/{name}",
        },
        "oauth_no_confirm": True,  # the district's own service: no consent page
    }


c.JupyterHub.services = [_service(name, port) for name, port in zip(NAMES, PORTS, strict=True)]
c.JupyterHub.load_roles = [
    {
        "name": "collab-servers",
        "description": "The workbook servers: see whether a signed-in user still exists",
        "scopes": ["read:users:name"],
        "services": list(NAMES),
    },
    # Every hub user may use the workbook's services (JupyterHub 5 took access:services out
    # of its default user role). What they then open is what `collab hub link` linked them
    # to; a user linked to nobody opens nothing. A district that lets only some users in
    # gives these scopes to a group's role instead.
    {
        "name": "user",
        "description": "Standard user privileges, and the workbook's services",
        "scopes": ["self", *(f"access:services!service={name}" for name in NAMES)],
    },
]

# --- single-user servers (a member's JupyterLab): no keys to the database ----------------------

# Only these of the hub's variables reach a user's server; never COLLAB_DB_URL or another
# credential. A member's JupyterLab reads their own team through the workbook's team export
# with their own hub token (docs/deployment.md), not through the database.
SAFE_TO_KEEP = [  # JupyterHub's own default list, written out so that it stays this short
    "PATH",
    "PYTHONPATH",
    "CONDA_ROOT",
    "CONDA_DEFAULT_ENV",
    "VIRTUAL_ENV",
    "LANG",
    "LC_ALL",
    "JUPYTERHUB_SINGLEUSER_APP",
]
c.Spawner.env_keep = SAFE_TO_KEEP
# the workbook's address only (an address, not a key): team_from_hub() asks it for a team
# the user facilitates or coaches, with their own token
c.Spawner.environment = {"COLLAB_SERVICE_URL": f"{PUBLIC_URL}/services/{NAMES[0]}/"}
for _key, _value in [*((k, "") for k in c.Spawner.env_keep), *c.Spawner.environment.items()]:
    if _key.startswith(("COLLAB_DB", "PG", "DATABASE")) or "postgresql" in _value:
        sys.exit(f"{_key} must not be passed to users' servers: it reaches the database.")
# a user's server's own token may reach the workbook's services (its team export), beside
# what JupyterHub's "server" role gives it
c.Spawner.server_token_scopes = [
    "users:activity!user",
    "access:servers!server",
    *(f"access:services!service={name}" for name in NAMES),
]

# --- sign-in ------------------------------------------------------------------------------------

# The district's authenticator goes here (or in a file that loads this one), e.g.
#   c.JupyterHub.authenticator_class = "ldapauthenticator.LDAPAuthenticator"
#   c.JupyterHub.authenticator_class = "oauthenticator.generic.GenericOAuthenticator"
# with c.Authenticator.allowed_users / allowed_groups saying who may sign in.
if TEST_AUTH:
    if not _is_loopback(HUB_IP):
        sys.exit("COLLAB_HUB_TEST_AUTH signs anyone in: it is refused off loopback.")
    password = os.environ.get("COLLAB_HUB_TEST_PASSWORD", "")
    if not password:
        sys.exit("COLLAB_HUB_TEST_AUTH needs COLLAB_HUB_TEST_PASSWORD.")
    try:  # JupyterHub 5.3 and later: the dummy's password moved to its own authenticator
        from jupyterhub.authenticators.shared import SharedPasswordAuthenticator  # noqa: F401
    except ImportError:
        c.JupyterHub.authenticator_class = "dummy"
        c.DummyAuthenticator.password = password
    else:
        c.JupyterHub.authenticator_class = "shared-password"
        c.SharedPasswordAuthenticator.user_password = password
    c.Authenticator.allow_all = True
    admin_token = os.environ.get("COLLAB_HUB_TEST_ADMIN_TOKEN", "")
    if admin_token:
        c.JupyterHub.services.append({"name": "collab-test-admin", "api_token": admin_token})
        c.JupyterHub.load_roles.append(
            {
                "name": "collab-test-admin",
                "description": "The tests' hand on the hub: users' tokens, removing users",
                "scopes": ["admin:users", "tokens", "list:users", "read:users"],
                "services": ["collab-test-admin"],
            }
        )
