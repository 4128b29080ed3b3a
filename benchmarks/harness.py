"""What the benchmarks share: the server's kernel processes, their CPU, two generated
baseline notebooks, statistics and the browser's version. Only ratios against baselines
measured in the same run mean anything on this shared machine."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import signal
import statistics
import subprocess
import time
from pathlib import Path

import nbformat
import psutil

from collab_widgets.core.serving.process import CHROMIUM

BARE = "_bare.ipynb"
LIBS = "_libs.ipynb"


def write_generated_notebooks(folder: Path) -> None:
    # The bare notebook imports ipywidgets while preheating (before wait_for_request), as
    # the workbooks do their imports while preheating: the baseline is the floor.
    write_notebook(
        folder / BARE,
        "import ipywidgets as widgets\nfrom voila.utils import wait_for_request\n\n"
        "wait_for_request()",
        "label = widgets.Label('not clicked')\n"
        "label.add_class('bare-label')\n"
        "button = widgets.Button(description='Click')\n"
        "button.add_class('bare-ready')\n"
        "\n"
        "\n"
        "def on_click(_button):\n"
        "    label.value = 'clicked'\n"
        "\n"
        "\n"
        "button.on_click(on_click)\n"
        "widgets.VBox([button, label])",
    )
    write_notebook(
        folder / LIBS,
        "from voila.utils import wait_for_request\n\nwait_for_request()",
        "import ipywidgets as widgets\n"
        "import matplotlib\n"
        "import matplotlib.figure\n"
        "import pandas\n"
        "import sqlalchemy\n"
        "\n"
        "done = widgets.Button(description='Imported')\n"
        "done.add_class('collab-ready')\n"
        "done",
    )


def write_notebook(path: Path, *cells: str) -> None:
    """A generated baseline notebook of these code cells, with the kernel every workbook
    uses."""
    from nbformat import v4

    notebook = v4.new_notebook(cells=[v4.new_code_cell(source) for source in cells])
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, path)


def cpu_percents(processes: list[psutil.Process], interval: float) -> list[float]:
    """Each live process's CPU use over one ``interval``, in % of one core."""
    alive = []
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.cpu_percent(None)
            alive.append(process)
    time.sleep(interval)
    percents = []
    for process in alive:
        with contextlib.suppress(psutil.Error):
            percents.append(process.cpu_percent(None))
    return percents


def cpu_percent(processes: list[psutil.Process], interval: float) -> float:
    """The processes' CPU use together over one ``interval``, in % of one core."""
    return sum(cpu_percents(processes, interval))


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def quantile(values: list[float], percent: int) -> float | None:
    """The ``percent``-th percentile (inclusive method), e.g. 90 or 95."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def p90(values: list[float]) -> float | None:
    return quantile(values, 90)


def ratio(value: float | None, base: float | None) -> float | None:
    if value is None or not base:
        return None
    return value / base


def fmt(value: float | None, spec: str = ".0f") -> str:
    return "n/a" if value is None else format(value, spec)


def chromium_version() -> str:
    with contextlib.suppress(Exception):
        return subprocess.run(
            [CHROMIUM, "--version"], capture_output=True, text=True, timeout=20
        ).stdout.strip()
    return "unknown"


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "chromium": chromium_version(),
        "loadavg_end": os.getloadavg(),
    }


def run_until_stopped(run, args) -> int:
    """``run(args)``, with SIGTERM unwinding like Ctrl-C so that the server and the
    temporary folder are cleaned up."""

    def interrupt(*_args):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    return run(args)


def write_results(folder: Path, prefix: str, started: dt.datetime, payload: dict) -> Path:
    """Every sample and summary as JSON in ``folder`` (ignored by git); returns the file."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{prefix}{started:%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(payload, indent=2))
    return out


# --- processes: CPU and memory, counted from outside ------------------------------------


def process_tree(pid: int) -> list[psutil.Process]:
    """The process ``pid`` and every descendant alive now (none if it is gone)."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def cpu_snapshot(processes: list[psutil.Process]) -> dict[int, tuple[float, float]]:
    """pid -> (its start time, CPU seconds used so far, user + system)."""
    taken = {}
    for process in processes:
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            taken[process.pid] = (process.create_time(), times.user + times.system)
    return taken


def cpu_between(before: dict, after: dict) -> float:
    """CPU seconds used between two snapshots: all of a process started in between, the
    difference for one alive at both (a process that ended in between is not counted)."""
    used = 0.0
    for pid, (started, seconds) in after.items():
        earlier = before.get(pid)
        used += seconds - earlier[1] if earlier and earlier[0] == started else seconds
    return used


def memory_mib(process: psutil.Process) -> dict[str, float] | None:
    """RSS, PSS (where the system gives it) and USS of one process, MiB."""
    try:
        info = process.memory_full_info()
    except psutil.Error:
        return None
    return {
        "rss": info.rss / 2**20,
        "pss": getattr(info, "pss", 0) / 2**20,
        "uss": info.uss / 2**20,
    }


def memory_total(processes: list[psutil.Process]) -> dict[str, float]:
    """The processes' RSS, PSS and USS added up, MiB (PSS adds up to what they take
    together; RSS counts shared libraries once per process), and how many there were."""
    total = {"rss": 0.0, "pss": 0.0, "uss": 0.0, "processes": 0}
    for process in processes:
        memory = memory_mib(process)
        if memory:
            for key, value in memory.items():
                total[key] += value
            total["processes"] += 1
    return total


# --- PostgreSQL -------------------------------------------------------------------------

# pg_stat_database's counters read as the database's load
PG_COUNTERS = (
    "xact_commit",
    "xact_rollback",
    "tup_returned",
    "tup_fetched",
    "tup_inserted",
    "tup_updated",
    "tup_deleted",
    "blks_read",
    "blks_hit",
)


@contextlib.contextmanager
def fresh_postgres_database(server_url: str, prefix: str = "collab_bench"):
    """A new, empty database on the PostgreSQL server of ``server_url`` (whose user may
    create databases), dropped at the end with every connection to it; yields its URL."""
    import sqlalchemy as sa

    base = sa.make_url(server_url)
    name = f"{prefix}_{dt.datetime.now():%Y%m%d_%H%M%S}_{os.getpid()}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def pg_database_stats(database_url: str) -> dict[str, float]:
    """The database's pg_stat_database counters and open connections (``numbackends``)
    now, read over a connection to the server's own database ``postgres`` so that the
    reading is not counted in them; ``at`` is the server's clock, in seconds."""
    import sqlalchemy as sa

    url = sa.make_url(database_url)
    engine = sa.create_engine(url.set(database="postgres"), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                sa.text(
                    f"SELECT numbackends, {', '.join(PG_COUNTERS)}, "
                    "extract(epoch from clock_timestamp()) AS at "
                    "FROM pg_stat_database WHERE datname = :name"
                ),
                {"name": url.database},
            ).one()
    finally:
        engine.dispose()
    return {key: float(value) for key, value in row._mapping.items()}


def pg_rates(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """Each pg_stat_database counter's rate per second between two readings."""
    seconds = after["at"] - before["at"]
    return {key: (after[key] - before[key]) / seconds for key in PG_COUNTERS}


def postgres_backends(database: str) -> list[psutil.Process]:
    """The server processes of PostgreSQL's connections to ``database`` (their title is
    ``postgres: …: USER DATABASE HOST(PORT) STATE``)."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        title = " ".join(process.info["cmdline"] or [])
        if title.startswith("postgres:") and f" {database} " in f"{title} ":
            found.append(process)
    return found
