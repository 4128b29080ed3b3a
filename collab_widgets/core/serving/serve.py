"""Running the workbooks under standalone Voilà, safely and offline.

Standalone (not a Jupyter server extension) so the kernel API is not exposed, with the
light pages it is given added (:mod:`.voila_app`); sources
stripped and tracebacks hidden; loopback-only unless told otherwise; preheated kernels
(the notebook calls ``voila.utils.wait_for_request`` so the link's code still arrives);
idle kernels culled; a large websocket message limit for uploads; and the ``collab``
template, which loads nothing from outside the server.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from collab_widgets.core.db.database import REQUIRE_HUB_VARIABLE
from collab_widgets.core.errors import InvalidInput
from collab_widgets.core.light.handlers import TRUSTED_PROXIES_VARIABLE
from collab_widgets.core.serving.hub_sign_in import CHECK_SECONDS, CHECK_VARIABLE

JUPYTER_DATA = Path(__file__).parent / "jupyter_data"
# voila.json there raises the websocket message limit to 100 MB for uploads (a dict
# setting: on the command line traitlets would pass the number on as text).
VOILA_CONFIG = Path(__file__).parent / "voila_config"


# A visitor whose laptop lid closed or whose network went leaves no word: the server only
# learns that the page's websocket is gone. Three minutes ride out a reconnecting phone or a
# reload, and are short enough that a morning of use leaves nothing behind.
ABANDONED_SECONDS = 180


def default_workbooks() -> Path:
    here = Path.cwd() / "workbooks"
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[3] / "workbooks"


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8866
    db_url: str = ""
    token: str | None = None
    pool_size: int = 2
    cull_idle_seconds: int = 3600
    abandoned_seconds: int = ABANDONED_SECONDS  # a page gone without a word
    workbooks: Path = field(default_factory=default_workbooks)
    protocols: Path | None = None  # a coach's folder of protocol files
    workshop: int = 0  # participants expected: the presenter's kernel is kept warm
    # light pages served beside the workbooks ("module:Class" of a LightService subclass)
    light_pages: tuple[str, ...] = ()
    base_url: str = "/"  # under a JupyterHub: the service's prefix, /services/<name>/
    require_hub: bool = False  # teachers' and coaches' pages open by hub sign-in only
    trusted_proxies: tuple[str, ...] = ()  # whose X-Forwarded-For is believed
    # seconds before a kernel taken from a pool is replaced (Voilà's default: 1); a staff
    # meeting's wave opens faster with pools as large as the wave and this past its end
    pool_refill_seconds: float = 1.0
    hub_check_seconds: int = CHECK_SECONDS  # how often the hub is asked about the users signed in

    @property
    def public_url(self) -> str:
        """The address in printed and shown links: COLLAB_PUBLIC_URL when the server is
        reached through another name (a reverse proxy), else the one it listens on."""
        if os.environ.get("COLLAB_PUBLIC_URL"):
            return os.environ["COLLAB_PUBLIC_URL"].rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}"


def check_address(host: str, port: int) -> None:
    """Refuse plainly, before Voilà starts, an address this computer cannot listen on."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise InvalidInput(
            f"--host {host} is not an address of this computer. Leave it out to serve on "
            "127.0.0.1, or use 0.0.0.0 for every network."
        ) from exc
    family, kind, _, _, address = infos[0]
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise InvalidInput(
                    f"Port {port} on {host} is already in use: the workbook (or another "
                    "program) is probably running already. Open "
                    f"http://{host}:{port}/ or choose another port with --port."
                ) from exc
            raise InvalidInput(
                f"Cannot listen on {host}:{port} ({exc.strerror}). Choose another --port "
                "(ports below 1024 need administrator rights)."
            ) from exc


PRESENTER_NOTEBOOK = "07_workshop_presenter.ipynb"
COMMUNITY_NOTEBOOK = "10_community.ipynb"


def kernel_pools(options: ServeOptions) -> dict:
    """Voilà's kernel pools: ``pool_size`` warm kernels for each team workbook. The
    presenter's page keeps none (it would cost a kernel's memory on every server) unless
    ``--workshop N`` says a workshop is coming, and nor does the community page, which a
    school's coordinator and principal open now and then. Participants', students',
    families' and mentors' pages need no kernel."""
    return {
        "default": {"pool_size": options.pool_size},
        PRESENTER_NOTEBOOK: {"pool_size": 1 if options.workshop else 0},
        COMMUNITY_NOTEBOOK: {"pool_size": 0},
    }


def config_folder(options: ServeOptions) -> Path:
    """voila.json for this run: the fixed settings and the kernel pools."""
    settings = json.loads((VOILA_CONFIG / "voila.json").read_text())
    settings["VoilaKernelManager"] = {"kernel_pools_config": kernel_pools(options)}
    folder = Path(tempfile.mkdtemp(prefix="collab-voila-"))  # private to this user
    (folder / "voila.json").write_text(json.dumps(settings, indent=2))
    return folder


def cull_interval(options: ServeOptions) -> int:
    """How often kernels are checked: a sixth of the abandoned limit (30 s by default),
    so a kernel ends at most a sixth later than its limit."""
    return max(5, min(30, options.abandoned_seconds // 6))


# Where Voilà puts a kernel's socket: <folder>/voila_XXXXXXXX/kernel-<uuid>-ipc-<n>
SOCKET_NAME_LENGTH = len("/voila_12345678/kernel-") + 36 + len("-ipc-9")
SOCKET_PATH_LIMIT = {"darwin": 103, "linux": 107}  # AF_UNIX, without the final NUL
SHORT_FOLDER = "/tmp"


def kernel_transport() -> list[str]:
    """Kernels talk to the server over Unix sockets in a folder only the server's user can
    open (Voilà makes it with ``mkdtemp``), where the system has them. On TCP, Jupyter
    picks five free loopback ports and the kernel binds them a moment later; a port taken
    in between (another kernel starting, another program) kills the kernel, and its page
    waits for nothing; and any local user can connect to a loopback port. A socket's path
    has a short limit: where the temporary folder is too long for it (macOS's usually is),
    the folder is made in /tmp instead, or kernels stay on TCP if that does not fit either."""
    if os.name != "posix":
        return []
    limit = SOCKET_PATH_LIMIT.get(sys.platform, min(SOCKET_PATH_LIMIT.values()))
    for folder in (tempfile.gettempdir(), SHORT_FOLDER):
        if len(folder) + SOCKET_NAME_LENGTH <= limit and os.access(folder, os.W_OK):
            return ["--KernelManager.transport=ipc", f"--Voila.connection_dir_root={folder}"]
    return []


def voila_command(options: ServeOptions) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "collab_widgets.core.serving.voila_app",
        str(options.workbooks),
        "--no-browser",
        f"--Voila.ip={options.host}",
        f"--port={options.port}",
        "--template=collab",
        # a page's address cannot ask for another template (Voilà's own fetch an icon font
        # from a CDN) or theme
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        "--Voila.port_retries=0",  # the port asked for, or none: printed links must be right
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.preheat_kernel=True",
        f"--VoilaConfiguration.default_pool_size={options.pool_size}",
        f"--VoilaKernelManager.fill_delay={options.pool_refill_seconds:g}",
        f"--Voila.base_url={options.base_url}",
        f"--CollabVoila.hub_check_seconds={options.hub_check_seconds}",
        "--VoilaConfiguration.multi_kernel_manager_class="
        "collab_widgets.core.serving.kernels.VisitorKernelManager",
        f"--VisitorKernelManager.abandoned_seconds={options.abandoned_seconds}",
        f"--MappingKernelManager.cull_idle_timeout={options.cull_idle_seconds}",
        f"--MappingKernelManager.cull_interval={cull_interval(options)}",
        f"--Voila.config_file_paths={config_folder(options)}",
    ]
    command += kernel_transport()
    command += [f"--CollabVoila.light_pages={name}" for name in options.light_pages]
    if options.token:
        command.append(f"--token={options.token}")
    return command


def voila_environment(options: ServeOptions) -> dict[str, str]:
    env = dict(os.environ)
    env["COLLAB_DB_URL"] = options.db_url
    if options.protocols is not None:
        env["COLLAB_PROTOCOLS"] = str(options.protocols)
    env["COLLAB_PUBLIC_URL"] = options.public_url
    if options.token:
        env["COLLAB_SERVER_TOKEN"] = options.token
    env.pop(REQUIRE_HUB_VARIABLE, None)
    if options.require_hub:
        env[REQUIRE_HUB_VARIABLE] = "1"
    env[TRUSTED_PROXIES_VARIABLE] = ",".join(options.trusted_proxies)
    env[CHECK_VARIABLE] = str(options.hub_check_seconds)  # pages check their sign-in as often
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(JUPYTER_DATA), env.get("JUPYTER_PATH", "")) if p
    )
    return env


def run(options: ServeOptions) -> int:
    """Serve until interrupted; returns Voilà's exit code."""
    return run_server(voila_command(options), voila_environment(options))


def run_server(command: list[str], env: dict[str, str]) -> int:
    """Run a server process until it ends or is interrupted; returns its exit code."""
    process = subprocess.Popen(command, env=env)
    signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            return process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()
