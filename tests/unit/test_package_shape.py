"""The package's shape (issue 21): a folder per domain over one core, modules named by role.

At the root: only ``__init__.py``, the command line and packages (the core and the
domains). No two modules share a name, except the role names every domain uses."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "collab_widgets"
ROLE_NAMES = {
    "__init__",
    "model",  # records
    "rules",  # pure rules
    "render",  # escaped HTML, no widgets
    "tables",  # the domain's tables
    "store",  # the only SQL
    "ui",  # the only widgets
    "app",  # the page a workbook opens
    "state",  # a screen's state, without widgets
    "library",  # the shipped data files and a coach's own
    "schema",  # what a data file must hold
    "api",  # a light page's JSON API (workshop participants, students, families)
    "cards",  # printable cards with QR codes (students, families), escaped HTML
}


def modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts]


def test_the_root_holds_only_the_package_the_command_line_and_packages():
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "cli.py"]
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__")
    for folder in folders:
        assert (PACKAGE / folder / "__init__.py").exists(), f"{folder} is not a package"
    assert "core" in folders


def test_no_two_modules_share_a_name_except_the_role_names():
    places = defaultdict(list)
    for path in modules():
        places[path.stem].append(path.relative_to(PACKAGE).as_posix())
    for path in PACKAGE.rglob("*"):  # a package's name counts too (``store/`` beside ``store.py``)
        if path.is_dir() and (path / "__init__.py").exists():
            places[path.name].append(path.relative_to(PACKAGE).as_posix() + "/")
    shared = {
        name: where for name, where in places.items() if len(where) > 1 and name not in ROLE_NAMES
    }
    assert not shared, shared


def test_a_domain_init_imports_nothing():
    """Importing one record of a domain must not load the domain's heavy parts (pandas)."""
    for init in PACKAGE.glob("*/__init__.py"):
        lines = [
            line
            for line in init.read_text().splitlines()
            if line.startswith(("import ", "from ")) and "__future__" not in line
        ]
        assert not lines, f"{init.parent.name}/__init__.py imports {lines}"


def test_every_workbook_shows_a_coach_the_same_dashboard():
    """The browser's every-view test walks the coach's own page on one workbook only."""
    from collab_widgets.reports.app import WorkbookApp
    from collab_widgets.team.ui.page import WorkbookPage

    apps = [  # the package's apps (tests make pages of their own)
        app
        for app in _subclasses(WorkbookPage)
        if app is not WorkbookApp and app.__module__.startswith("collab_widgets.")
    ]
    assert len(apps) >= 7
    assert all(app.coach_dashboard is WorkbookApp.coach_dashboard for app in apps)


def _subclasses(base: type) -> list[type]:
    import importlib

    for path in PACKAGE.glob("*/app.py"):
        importlib.import_module(f"collab_widgets.{path.parent.name}.app")
    found, todo = [], [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found
