"""JupyterLab for the data-minded: the same workbooks against the same database, and the
notebooks under ``lab/`` that show the code behind every number on a team's own data.

It listens on loopback only, behind Jupyter's own token, and fetches nothing from outside
(no news feed, no update check). Voilà's preview in JupyterLab draws pages with the
``collab`` template, as ``collab serve`` does.

JupyterLab runs code: whoever uses it can read the database file. It is a tool for the
person who runs the server, not a place to give a team (docs/access-and-privacy.md).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from collab_widgets.core.serving.serve import JUPYTER_DATA, default_workbooks

LAB_PORT = 8888
# JupyterLab's defaults for this project: it neither asks about nor fetches Jupyter news
SETTINGS = Path(__file__).parent / "lab_settings"
# and the server's (settings a command line cannot give): Voilà's preview loads no MathJax
# from a CDN, and serves no file of the folder (its default: any picture, with no token)
SERVER_CONFIG = SETTINGS / "jupyter_server_config.json"
# What a workbook page's kernel is told by Voilà; a notebook kernel must not inherit it
# from the shell that started JupyterLab (a stray QUERY_STRING would open a team).
PAGE_VARIABLES = ("QUERY_STRING", "VOILA_PREHEAT", "VOILA_BASE_URL", "VOILA_KERNEL_ID")


@dataclass
class LabOptions:
    db_url: str
    port: int = LAB_PORT
    open_browser: bool = True
    workbooks: Path = field(default_factory=default_workbooks)
    protocols: Path | None = None

    @property
    def root(self) -> Path:
        """The folder JupyterLab shows: the one holding ``workbooks/`` and ``lab/``."""
        return self.workbooks.resolve().parent


def lab_command(options: LabOptions) -> list[str]:
    opened = options.workbooks.resolve().relative_to(options.root).as_posix()
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={options.port}",
        "--ServerApp.port_retries=0",  # the port asked for, or none
        f"--ServerApp.root_dir={options.root}",
        f"--LabApp.default_url=/lab/tree/{opened}",
        # nothing fetched from outside: no news feed, no check for a newer JupyterLab
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",  # lists installed extensions, asks PyPI nothing
        f"--LabApp.app_settings_dir={SETTINGS}",
        f"--ServerApp.config_file={SERVER_CONFIG}",
        "--VoilaConfiguration.template=collab",
        "--VoilaConfiguration.allow_template_override=NO",  # ?template=lab fetches an icon font
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # a container or CI machine running as root: JupyterLab refuses unless told, and
        # the notebooks' kernels run as root like the rest of this process
        command.append("--allow-root")
    if not options.open_browser:
        command.append("--no-browser")
    return command


def lab_environment(options: LabOptions) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PAGE_VARIABLES}
    env["COLLAB_DB_URL"] = options.db_url
    if options.protocols is not None:
        env["COLLAB_PROTOCOLS"] = str(options.protocols)
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(JUPYTER_DATA), env.get("JUPYTER_PATH", "")) if p
    )
    return env
