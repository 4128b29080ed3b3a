"""The layer rules are import-linter contracts in pyproject.toml, checked by a tool.

The package keeps them; and each kind of break, written into a copy of the package, makes
``lint-imports`` fail naming the contract, so a contract that could never fail is caught."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(project: Path, *contracts: str) -> subprocess.CompletedProcess:
    chosen = [arg for contract in contracts for arg in ("--contract", contract)]
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", *chosen, "pyproject.toml"],
        cwd=project,
        capture_output=True,
        text=True,
        # the copy, not the installed package, is the one analysed
        env={**os.environ, "PYTHONPATH": str(project)},
        timeout=120,
    )


def test_the_package_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " broken." in result.stdout and "0 broken" in result.stdout


# (contract id, file in the package, line written into it, what the report names)
BREAKS = [
    ("sql", "goals/smart.py", "import sqlalchemy", "collab_widgets.goals.smart -> sqlalchemy"),
    ("widgets", "evidence/analysis.py", "import ipywidgets", "collab_widgets.evidence.analysis"),
    ("layers", "core/clock.py", "import collab_widgets.goals.smart", "collab_widgets.core.clock"),
    (
        "no-cycles",
        "evidence/privacy.py",
        "from collab_widgets.evidence import views",
        "collab_widgets.evidence",
    ),
    ("live-ui", "goals/progress.py", "from collab_widgets.live import ui", "goals.progress"),
    ("live-tables", "goals/store.py", "from collab_widgets.live import tables", "goals.store"),
    ("goals-store", "live/rules.py", "from collab_widgets.goals import store", "live.rules"),
]


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("contracts")
    shutil.copytree(
        ROOT / "collab_widgets",
        project / "collab_widgets",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    return project


@pytest.mark.parametrize(("contract", "where", "line", "named"), BREAKS, ids=[b[0] for b in BREAKS])
def test_a_deliberate_violation_breaks_its_contract(package_copy, contract, where, line, named):
    target = package_copy / "collab_widgets" / where
    original = target.read_text()
    assert lint_imports(package_copy, contract).returncode == 0  # the copy keeps it first
    target.write_text(f"{original}\n{line}  # a deliberate violation\n")
    try:
        result = lint_imports(package_copy, contract)
    finally:
        target.write_text(original)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout and named in result.stdout, result.stdout
