"""The project installs the same way everywhere, and says how in its first lines."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = {_name(d) for d in conda["dependencies"] if isinstance(d, str)}
    assert "conda-forge" in conda["channels"]
    assert listed - {"python", "pip"} == {_name(d) for d in project["dependencies"]}


def test_voila_is_new_enough_for_the_security_fix():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "voila>=0.5.6" in project["dependencies"]


def test_readme_starts_with_the_two_commands():
    first = (ROOT / "README.md").read_text().splitlines()[:4]
    assert any("run.py serve" in line and "8866" in line for line in first)
    assert any("run.py test" in line for line in first)


def test_the_console_script_is_collab():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["collab"] == "collab_widgets.cli:main"


def test_notebooks_are_committed_without_outputs():
    import json

    notebooks = [*(ROOT / "workbooks").glob("*.ipynb"), *(ROOT / "lab").glob("*.ipynb")]
    assert len(notebooks) > 7
    for path in notebooks:
        cells = json.loads(path.read_text())["cells"]
        for cell in cells:
            if cell["cell_type"] == "code":
                assert not cell["outputs"] and cell["execution_count"] is None, path.name


def _role(relative: str) -> set[str]:
    """The roles a module plays by its place: ``ui``, ``app``, ``store``, ``tables``."""
    parts = relative.removesuffix(".py").split("/")
    return set(parts) | ({"store"} if parts[:2] == ["core", "db"] else set())


def test_domain_code_never_imports_widgets_and_only_store_speaks_sql():
    package = ROOT / "collab_widgets"
    for path in package.rglob("*.py"):
        text = path.read_text()
        relative = path.relative_to(package).as_posix()
        if not _role(relative) & {"ui", "app"}:
            assert "ipywidgets" not in text, relative
        if not _role(relative) & {"store", "tables"}:
            assert "import sqlalchemy" not in text, relative
