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
