"""The protocol runner as a state machine: which step, how much time is left, who speaks.

Pure functions on an immutable :class:`RunState`, given "now" by the caller (the
injectable clock), so every transition and every second of the countdown is tested
without widgets and without waiting. The store keeps the state in a row; the page shows
it. Only the facilitator changes it (the store checks that). The rules of who holds a
run's roles are here too, checked by the store when a run starts.

The countdown never stops a step: after the last minute it shows how far over time the
step is, and the facilitator decides to extend, move on or go back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from collab_widgets.core.errors import InvalidInput
from collab_widgets.protocols.model import FINISHED, PAUSED, RUNNING, Protocol, RunState, Step

MAX_EXTENSION = 30  # minutes added at once
RUN_ROLES = ("facilitator", "presenter", "timekeeper", "recorder")  # held by one member each


def _require_live(state: RunState) -> None:
    if state.status == FINISHED:
        raise InvalidInput("This protocol has finished; start it again to run it once more.")


def pause(state: RunState, now: dt.datetime) -> RunState:
    _require_live(state)
    if state.status == PAUSED:
        raise InvalidInput("The protocol is already paused.")
    return replace(state, status=PAUSED, paused_at=now)


def resume(state: RunState, now: dt.datetime) -> RunState:
    _require_live(state)
    if state.status != PAUSED:
        raise InvalidInput("The protocol is not paused.")
    paused = (now - state.paused_at).total_seconds()
    return replace(
        state,
        status=RUNNING,
        paused_at=None,
        paused_seconds=state.paused_seconds + max(0.0, paused),
    )


def extend(state: RunState, minutes: int, now: dt.datetime) -> RunState:
    _require_live(state)
    whole = isinstance(minutes, int) and not isinstance(minutes, bool)
    if not whole or not 1 <= minutes <= MAX_EXTENSION:
        raise InvalidInput(f"Extend a step by 1 to {MAX_EXTENSION} minutes at a time.")
    return replace(state, extra_seconds=state.extra_seconds + minutes * 60)


def _go_to(state: RunState, position: int, now: dt.datetime) -> RunState:
    """A step's clock starts afresh when the team arrives at it (running, not paused)."""
    return replace(
        state,
        position=position,
        status=RUNNING,
        step_started_at=now,
        paused_at=None,
        paused_seconds=0.0,
        extra_seconds=0,
        turn=0,
    )


def advance(state: RunState, now: dt.datetime) -> RunState:
    """To the next step (the facilitator's "next" or "skip"); after the last, finish."""
    _require_live(state)
    if state.is_last:
        return finish(state, now)
    return _go_to(state, state.position + 1, now)


def back(state: RunState, now: dt.datetime) -> RunState:
    _require_live(state)
    if state.position == 0:
        raise InvalidInput("This is the first step; there is no step before it.")
    return _go_to(state, state.position - 1, now)


def finish(state: RunState, now: dt.datetime) -> RunState:
    _require_live(state)
    stopped = state
    if state.status == PAUSED:  # the pause ends with the run
        stopped = resume(state, now)
    return replace(stopped, status=FINISHED, ended_at=now)


def leaves_step(before: RunState, after: RunState) -> bool:
    """Whether a transition takes the team off the step it was on (to another step, or
    the run's end): that step's input then closes."""
    return after.position != before.position or after.status == FINISHED


def next_turn(state: RunState, speakers: int) -> RunState:
    """The next member's turn in a round; past the last, the round is complete."""
    _require_live(state)
    if state.turn >= speakers:
        raise InvalidInput("Everyone has had their turn in this round.")
    return replace(state, turn=state.turn + 1)


# --- who holds a role, who speaks -------------------------------------------------------


def check_roles(protocol: Protocol, roles: dict[str, int]) -> None:
    """The roles given at a run's start (role -> member id) are roles the protocol uses,
    and the presenter does not also facilitate."""
    unknown = set(roles) - (set(protocol.roles) & set(RUN_ROLES))
    if unknown:
        raise InvalidInput(f"“{sorted(unknown)[0]}” is not a role in {protocol.title}.")
    if roles.get("presenter") is not None and roles.get("presenter") == roles.get("facilitator"):
        raise InvalidInput("The presenter cannot also facilitate; choose someone else.")


def is_recorder(member_id: int | None, recorder_id: int | None) -> bool:
    """Whether a member is the run's recorder, who takes the notes of its steps (so may
    its facilitator: the store asks who moderates)."""
    return member_id is not None and member_id == recorder_id


def anonymous_board(step: Step, anonymous: bool) -> bool:
    """Whether a step's board keeps no author with its notes: where the step says so, or
    on every board of a run started ``anonymous``. Only a board has notes to hide."""
    return step.input == "board" and (step.anonymous or anonymous)


def default_roles(
    protocol_roles: Sequence[str], team_roles: dict[str, int], me: int | None
) -> dict[str, int | None]:
    """Who takes each of a protocol's roles, to start with: the team's current
    facilitator, timekeeper and recorder (the facilitator defaults to whoever starts
    it); the presenter is chosen each time."""
    chosen: dict[str, int | None] = {}
    for role in protocol_roles:
        if role == "participants":
            continue
        chosen[role] = team_roles.get(role)
    if "facilitator" in chosen and chosen["facilitator"] is None:
        chosen["facilitator"] = me
    return chosen


def round_order(
    silent: Sequence[str], roster: Sequence[tuple[int, str]], roles: dict[str, int]
) -> list[tuple[int, str]]:
    """Members in the order they speak in a round: roster order, silent roles left out,
    the presenter (if speaking) last, as the protocols of looking at evidence ask."""
    if "everyone" in silent:
        return []
    quiet = {roles[r] for r in silent if r in roles}
    presenter = roles.get("presenter")
    order = [m for m in roster if m[0] not in quiet and m[0] != presenter]
    order += [m for m in roster if m[0] == presenter and m[0] not in quiet]
    return order


def voices(
    speakers: Sequence[str], silent: Sequence[str], names: dict[str, str]
) -> tuple[str, str]:
    """(who speaks, who stays silent) in words, with the names of role holders."""

    def words(roles: Sequence[str]) -> str:
        return ", ".join(f"{role} ({names[role]})" if role in names else role for role in roles)

    speaking = words(speakers) or ("nobody" if "everyone" in silent else "")
    return speaking, words(silent)


def clock_text(seconds: float) -> str:
    """``12:05`` while time is left, ``+1:12`` once over time."""
    over = seconds < 0
    whole = int(abs(seconds) + (0 if over else 0.999))  # 59.2 s left shows 1:00
    text = f"{whole // 60}:{whole % 60:02d}"
    return f"+{text}" if over else text
