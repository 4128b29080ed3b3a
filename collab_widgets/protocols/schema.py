"""A protocol as data: the file format, its checks, and fitting it to the time a team has.

A protocol file is YAML (documented in ``docs/authoring-protocols.md``). :func:`parse`
checks every field and reports *all* problems of a file, each naming the file, the line
and the field, in words a coach can act on.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from collab_widgets.core.data_files import KEY, Lines, Problem, field_path, key_from_file, read_yaml
from collab_widgets.core.errors import InvalidInput
from collab_widgets.live.model import PROMPT_KINDS
from collab_widgets.live.rules import MAX_DOTS
from collab_widgets.protocols.model import Protocol, Step

# Roles a protocol can give out. "participants" is everyone without another role.
ROLES = ("facilitator", "presenter", "timekeeper", "recorder", "participants")
# Who speaks or stays silent in a step: roles, or everyone.
VOICES = (*ROLES, "everyone")
# What a step collects from the team: the live engine's kinds of prompt.
INPUTS = PROMPT_KINDS
INPUT_NAMES = {
    "notes": "free notes (taken by the recorder)",
    "board": "sticky notes on a shared board",
    "round": "a round: each member speaks in turn",
    "dot-vote": "a dot vote",
    "fist-to-five": "a fist-to-five check",
    "rating": "a rating",
}

MAX_PROTOCOL_MINUTES = 480
MAX_STEP_MINUTES = 240
SCALES = range(3, 11)
DEFAULT_SCALE = 5

TOP_FIELDS = {
    "id",
    "title",
    "purpose",
    "when",
    "minutes",
    "roles",
    "anonymous",
    "steps",
    "source",
    "links",
}
STEP_FIELDS = {
    "key",
    "title",
    "minutes",
    "prompt",
    "input",
    "speakers",
    "silent",
    "anonymous",
    "dots",
    "vote_on",
    "options",
    "scale",
}


def fitted(protocol: Protocol, minutes: int) -> Protocol:
    """The same protocol with its step times scaled to ``minutes`` in all."""
    return replace(protocol, steps=fit_minutes(protocol.steps, minutes))


def fit_minutes(steps: tuple[Step, ...], minutes: int) -> tuple[Step, ...]:
    """Split ``minutes`` over the steps in proportion to their own minutes.

    Largest remainders, so the parts add up to exactly ``minutes``; every step keeps at
    least one minute, so the team still passes through each of them.
    """
    if not steps:
        return steps
    if minutes < len(steps):
        raise InvalidInput(
            f"This protocol has {len(steps)} steps and needs at least {len(steps)} minutes."
        )
    total = sum(step.minutes for step in steps)
    ideal = [step.minutes * minutes / total for step in steps]
    parts = [max(1, int(share)) for share in ideal]
    while sum(parts) < minutes:  # give a minute to the step furthest below its share
        i = max(range(len(steps)), key=lambda i: (ideal[i] - parts[i], -i))
        parts[i] += 1
    while sum(parts) > minutes:  # take one from the step furthest above its share
        i = max((i for i in range(len(steps)) if parts[i] > 1), key=lambda i: parts[i] - ideal[i])
        parts[i] -= 1
    return tuple(replace(step, minutes=part) for step, part in zip(steps, parts, strict=True))


# --- reading and checking a file ---------------------------------------------------------


class _Checker:
    def __init__(self, file: str, lines: Lines):
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []

    def fail(self, path: tuple, message: str, at_key: bool = False) -> None:
        self.problems.append(
            Problem(self.file, self.lines.line(path, at_key), field_path(path), message)
        )

    def text(self, data: dict, path: tuple, required: bool = True) -> str:
        value = data.get(path[-1])
        if value is None:
            if required:
                self.fail(path[:-1], f"field '{path[-1]}' is missing; add it as text.")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(path, "must be text (not empty, not a number or a list).")
            return ""
        return value.strip()

    def whole(self, data: dict, path: tuple, low: int, high: int, what: str) -> int | None:
        value = data.get(path[-1])
        if value is None:
            self.fail(path[:-1], f"field '{path[-1]}' is missing; give {what}.")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(path, f"must be {what}: a whole number from {low} to {high}.")
            return None
        return value

    def flag(self, data: dict, path: tuple) -> bool:
        value = data.get(path[-1], False)
        if not isinstance(value, bool):
            self.fail(path, "must be true or false.")
            return False
        return value

    def choices(self, data: dict, path: tuple, allowed: tuple[str, ...]) -> tuple[str, ...]:
        value = data.get(path[-1], [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(path, f"must be a list drawn from: {', '.join(allowed)}.")
            return ()
        chosen = []
        for index, item in enumerate(value):
            if item not in allowed:
                self.fail((*path, index), f"'{item}' is not one of: {', '.join(allowed)}.")
            else:
                chosen.append(item)
        return tuple(chosen)

    def unknown(self, data: dict, path: tuple, known: set[str]) -> None:
        for name in data:
            if name not in known:
                self.fail(
                    (*path, name),
                    f"is not a field of a protocol{' step' if path else ''} (a typo?); "
                    f"the fields are: {', '.join(sorted(known))}.",
                    at_key=True,
                )


def parse(text: str, file: str) -> tuple[Protocol | None, list[Problem]]:
    """A protocol from the YAML ``text`` of ``file``, or None and every problem found."""
    node, data, invalid = read_yaml(text, file, invalid="not valid YAML")
    if invalid is not None:
        return None, [invalid]
    check = _Checker(file, Lines(node))
    if not isinstance(data, dict):
        check.fail((), "a protocol file holds fields such as 'title:' and 'steps:'.")
        return None, check.problems
    check.unknown(data, (), TOP_FIELDS)
    key = data.get("id", key_from_file(file))
    if not isinstance(key, str) or not KEY.match(key):
        check.fail(("id",), "must be lower-case letters, digits and dashes, e.g. 'tuning'.")
    title = check.text(data, ("title",))
    purpose = check.text(data, ("purpose",))
    when = check.text(data, ("when",))
    source = check.text(data, ("source",))
    roles = check.choices(data, ("roles",), ROLES)
    if "roles" not in data:
        check.fail((), "field 'roles' is missing; list the roles, at least facilitator.")
    elif "facilitator" not in roles:
        check.fail(("roles",), "must include facilitator: every protocol has one.")
    links = _links(check, data)
    anonymous = check.flag(data, ("anonymous",))
    steps = _steps(check, data, set(roles))
    declared = check.whole(data, ("minutes",), 1, MAX_PROTOCOL_MINUTES, "the total minutes")
    if declared is not None and steps and declared != sum(s.minutes for s in steps):
        check.fail(
            ("minutes",),
            f"says {declared} but the steps add up to {sum(s.minutes for s in steps)} minutes; "
            "make them agree.",
        )
    if check.problems:
        return None, check.problems
    protocol = Protocol(
        key=key,
        title=title,
        purpose=purpose,
        when=when,
        roles=roles,
        steps=tuple(steps),
        source=source,
        links=links,
        anonymous=anonymous,
        file=file,
    )
    return protocol, []


def _links(check: _Checker, data: dict) -> tuple[str, ...]:
    links = data.get("links", [])
    if not isinstance(links, list):
        check.fail(("links",), "must be a list of web addresses.")
        return ()
    good = []
    for index, link in enumerate(links):
        if not isinstance(link, str) or not re.match(r"^https?://\S+$", link):
            check.fail(("links", index), "must be a web address starting with https://.")
        else:
            good.append(link)
    return tuple(good)


def _steps(check: _Checker, data: dict, roles: set[str]) -> list[Step]:
    raw = data.get("steps")
    if raw is None:
        check.fail((), "field 'steps' is missing; list the protocol's steps under it.")
        return []
    if not isinstance(raw, list) or not raw:
        check.fail(("steps",), "must be a list with at least one step.")
        return []
    steps: list[Step] = []
    seen: dict[str, str] = {}  # key -> input of earlier steps
    for index, item in enumerate(raw):
        path = ("steps", index)
        if not isinstance(item, dict):
            check.fail(path, "each step holds fields such as 'title:' and 'minutes:'.")
            continue
        step = _step(check, item, path, index, roles, seen)
        if step is not None:
            steps.append(step)
        # Known even when the step has problems, so later steps are not blamed for them.
        key = item.get("key", f"step-{index + 1}")
        if isinstance(key, str):
            seen.setdefault(key, item.get("input"))
    return steps if len(steps) == len(raw) else []


def _step(
    check: _Checker, item: dict, path: tuple, index: int, roles: set[str], seen: dict[str, str]
) -> Step | None:
    before = len(check.problems)
    check.unknown(item, path, STEP_FIELDS)
    key = item.get("key", f"step-{index + 1}")
    if not isinstance(key, str) or not KEY.match(key):
        check.fail((*path, "key"), "must be lower-case letters, digits and dashes.")
    elif key in seen:
        check.fail((*path, "key"), f"'{key}' is used by an earlier step; keys must differ.")
    title = check.text(item, (*path, "title"))
    prompt = check.text(item, (*path, "prompt"))
    minutes = check.whole(item, (*path, "minutes"), 1, MAX_STEP_MINUTES, "the step's minutes")
    kind = item.get("input")
    if kind not in INPUTS:
        if "input" in item:
            check.fail((*path, "input"), f"must be one of: {', '.join(INPUTS)}.")
        else:
            check.fail(path, f"field 'input' is missing; use one of: {', '.join(INPUTS)}.")
    speakers = check.choices(item, (*path, "speakers"), VOICES)
    silent = check.choices(item, (*path, "silent"), VOICES)
    for field, chosen in (("speakers", speakers), ("silent", silent)):
        for role in chosen:
            if role != "everyone" and role not in roles:
                check.fail(
                    (*path, field),
                    f"names the role '{role}', which the protocol's 'roles' does not list.",
                )
    both = set(speakers) & set(silent)
    if both:
        check.fail((*path, "silent"), f"'{sorted(both)[0]}' cannot both speak and stay silent.")
    anonymous = check.flag(item, (*path, "anonymous"))
    if anonymous and kind != "board":
        check.fail((*path, "anonymous"), "only sticky notes on a board can be anonymous.")
    dots = vote_on = scale = None
    options: tuple[str, ...] = ()
    for field, belongs in (("dots", "dot-vote"), ("vote_on", "dot-vote"), ("scale", "rating")):
        if field in item and kind != belongs:
            check.fail((*path, field), f"belongs only to a step whose input is {belongs}.")
    if "options" in item and kind != "dot-vote":
        check.fail((*path, "options"), "belongs only to a step whose input is dot-vote.")
    if kind == "dot-vote":
        dots = check.whole(item, (*path, "dots"), 1, MAX_DOTS, "each member's number of dots")
        options = _options(check, item, path)
        vote_on = item.get("vote_on")
        if vote_on is None and not options:
            check.fail(path, "a dot vote needs 'vote_on' (an earlier board step) or 'options'.")
        elif vote_on is not None and (not isinstance(vote_on, str) or seen.get(vote_on) != "board"):
            check.fail(
                (*path, "vote_on"), f"must name an earlier board step; '{vote_on}' is not one."
            )
        elif vote_on is not None and options:
            check.fail((*path, "options"), "use either 'vote_on' or 'options', not both.")
    if kind == "rating":
        scale = item.get("scale", DEFAULT_SCALE)
        if not isinstance(scale, int) or isinstance(scale, bool) or scale not in SCALES:
            check.fail((*path, "scale"), f"must be a whole number from {SCALES.start} to 10.")
    if len(check.problems) > before:
        return None
    return Step(
        key=key,
        title=title,
        minutes=minutes,
        prompt=prompt,
        input=kind,
        speakers=speakers,
        silent=silent,
        anonymous=anonymous,
        dots=dots,
        vote_on=vote_on,
        options=options,
        scale=scale,
    )


def _options(check: _Checker, item: dict, path: tuple) -> tuple[str, ...]:
    value: Any = item.get("options", [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        check.fail((*path, "options"), "must be a list of short texts.")
        return ()
    return tuple(v.strip() for v in value)
