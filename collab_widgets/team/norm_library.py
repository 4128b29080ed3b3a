"""Norm suggestions: a data file a coach can copy and edit, checked when it is loaded."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from collab_widgets.core.errors import InvalidInput
from collab_widgets.team.model import NORM_CATEGORIES


def load_suggestions(path: str | Path | None = None) -> dict[str, list[str]]:
    """Category -> suggested commitments. Errors name the file, line and field."""
    if path is None:
        return _packaged()
    return _parse(Path(path).read_text(encoding="utf-8"), str(path))


@cache
def _packaged() -> dict[str, list[str]]:
    text = (
        resources.files("collab_widgets.team")
        .joinpath("data")
        .joinpath("norm_suggestions.yaml")
        .read_text(encoding="utf-8")
    )
    return _parse(text, "norm_suggestions.yaml")


def _parse(text: str, name: str) -> dict[str, list[str]]:
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise InvalidInput(
            f"{name}{where}: not valid YAML ({getattr(exc, 'problem', exc)})."
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("categories"), dict):
        raise InvalidInput(f"{name}, line 1: field 'categories' is missing; list norms under it.")
    lines = {k.value: v for k, v in node.value} if node else {}
    categories_node = lines.get("categories")
    category_lines = {k.value: k.start_mark.line + 1 for k, _ in categories_node.value}
    result: dict[str, list[str]] = {}
    for category, suggestions in data["categories"].items():
        line = category_lines.get(category, 1)
        if category not in NORM_CATEGORIES:
            raise InvalidInput(
                f"{name}, line {line}: category '{category}' is not one of "
                f"{', '.join(NORM_CATEGORIES)}."
            )
        if not isinstance(suggestions, list) or not all(
            isinstance(s, str) and s.strip() for s in suggestions
        ):
            raise InvalidInput(
                f"{name}, line {line}: field 'categories.{category}' must be a list of sentences."
            )
        result[category] = suggestions
    if "source" not in data:
        raise InvalidInput(f"{name}: field 'source' is missing; cite where the ideas come from.")
    return result
