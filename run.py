#!/usr/bin/env python3
"""The two commands, for a fresh machine with only Python 3.11+.

    python3 run.py serve   # isolated environment, install, demo data if empty, serve :8866
    python3 run.py test    # isolated environment with test tools, lint, every test
    python3 run.py lab     # JupyterLab on the workbooks, same database (127.0.0.1:8888)
    python3 run.py bench [start|live|staff|evidence|workshop|students|…]  # benchmarks/README.md
    python3 run.py screenshots   # the pictures in docs/screenshots/, on the demo data

Anything after the command is passed on (to `collab serve` or `collab lab`, to pytest or
to the benchmark).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
ENV = ROOT / ".venv"


def python_in_env() -> Path:
    return ENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment(extra: str) -> Path:
    """Create .venv and install the project (again only when pyproject.toml changed)."""
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py is what an older Python meets first
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not python_in_env().exists():
        print("Creating the environment in .venv …", flush=True)
        venv.create(ENV, with_pip=True)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extra.encode()).hexdigest()
    stamp = ENV / f".installed-{extra or 'app'}"
    if not stamp.exists() or stamp.read_text() != wanted:
        print("Installing the workbook and its dependencies …", flush=True)
        pip = [str(python_in_env()), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "--upgrade", "pip"], check=True)
        target = f".[{extra}]" if extra else "."
        subprocess.run([*pip, "-e", target], check=True, cwd=ROOT)
        stamp.write_text(wanted)
    return python_in_env()


def _server(name: str, args: list[str]) -> int:
    """``collab serve`` or ``collab lab`` on the demo data when the database is empty."""
    python = ensure_environment("")
    command = [str(python), "-m", "collab_widgets.cli", name, "--seed-demo-if-empty", *args]
    try:
        return subprocess.call(command, cwd=ROOT)
    except KeyboardInterrupt:
        return 0


def serve(args: list[str]) -> int:
    return _server("serve", args)


def lab(args: list[str]) -> int:
    return _server("lab", args)


# run in a second pytest beside the rest: the browser tests, the JupyterLab notebooks and
# the workbooks run top to bottom (each about a minute), so that the two runs take about as
# long as each other
ALONGSIDE = ["tests/browser", "lab", "workbooks"]


def _test_paths() -> list[str]:
    import tomllib

    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]
    return options["ini_options"]["testpaths"]


def _every_test(python: Path) -> int:
    """The browser tests mostly wait on servers and pages while the rest mostly compute, so
    the two run side by side (each with its own temporary folder) and the whole run takes
    about as long as the longer; the browser run's report follows the other's."""
    others = [path for path in _test_paths() if path not in ALONGSIDE]
    with tempfile.TemporaryDirectory(prefix="collab-test-") as scratch:
        report = Path(scratch) / "browser.log"
        pytest = [str(python), "-m", "pytest"]
        with report.open("w") as out:
            browser = subprocess.Popen(
                [*pytest, *ALONGSIDE, f"--basetemp={scratch}/browser"],
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            rest = subprocess.call([*pytest, *others, f"--basetemp={scratch}/rest"], cwd=ROOT)
            print("\nThe browser tests and the notebooks, run alongside:", flush=True)
            browser.wait()
        print(report.read_text(), flush=True)
        return rest or browser.returncode


def test(args: list[str]) -> int:
    python = ensure_environment("test")
    lint = subprocess.call([str(python), "-m", "ruff", "check", "."], cwd=ROOT)
    # the layer rules: import-linter's contracts in pyproject.toml
    contracts = subprocess.call([str(python.with_name("lint-imports")), "--no-cache"], cwd=ROOT)
    if args:
        tests = subprocess.call([str(python), "-m", "pytest", *args], cwd=ROOT)
    else:
        tests = _every_test(python)
    return tests or lint or contracts


BENCHMARKS = {
    "start": "benchmarks/bench_start.py",
    "live": "benchmarks/bench_live.py",
    "evidence": "benchmarks/bench_evidence.py",
    "workshop": "benchmarks/bench_workshop.py",
    "students": "benchmarks/bench_students.py",
    "families": "benchmarks/bench_families.py",
    "compare": "benchmarks/bench_compare.py",
    "observe": "benchmarks/bench_observe.py",
    "grouping": "benchmarks/bench_grouping.py",
    "staff": "benchmarks/bench_staff_meeting.py",
}


def bench(args: list[str]) -> int:
    name = args.pop(0) if args and args[0] in BENCHMARKS else "start"
    python = ensure_environment("test")
    return subprocess.call([str(python), BENCHMARKS[name], *args], cwd=ROOT)


def screenshots(args: list[str]) -> int:
    python = ensure_environment("test")
    return subprocess.call([str(python), "docs/screenshots/make_screenshots.py", *args], cwd=ROOT)


def main() -> int:
    commands = {
        "serve": serve,
        "lab": lab,
        "test": test,
        "bench": bench,
        "screenshots": screenshots,
    }
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
