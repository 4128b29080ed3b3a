"""The live engine: prompts a team answers together, each member from their own device.

A *session* (a protocol run; later an evidence dialogue, a survey, a workshop) holds
*prompts* in order. Members answer the open prompt: sticky notes on a board, a mark on a
fist-to-five or a rating, dots in a dot vote. Every page learns of changes through the
team's change counter (:meth:`TeamScope.revision`), which every write here raises.

Rules kept here, in the kernel, whatever a page sends (the pure ones are in
:mod:`collab_widgets.live.rules`, called inside the transaction):

- A note is saved as it is typed: it is made blank ("New note") and filled in. A blank
  note shows as being written, and is neither voted on, counted, nor in results.
- An anonymous note is stored without its author: nothing links it to a member. Its
  writer may change it only from the page that wrote it (``mine``: ids that page holds).
- Marks and votes are one member's own; a member's dots never exceed the budget.
- Totals of a vote and the marks of a check are shown only once the prompt is closed.
- The session's moderator (or a coach) groups notes, removes any note and closes prompts.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import sqlalchemy as sa

from collab_widgets.core.db import tables as core_tables
from collab_widgets.core.db.database import Permission, TeamScope
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.core.model import check_text
from collab_widgets.live import rules
from collab_widgets.live import tables as t
from collab_widgets.live.model import (
    CLOSED,
    ENTRY_KINDS,
    OPEN,
    PROMPT_KINDS,
    PROMPT_STATUSES,
    WAITING,
    Board,
    Contribution,
    LiveMark,
    LiveNote,
    LivePrompt,
)

NOTE_KIND, OPTION_KIND, CHECK_KIND = ENTRY_KINDS


# --- sessions and prompts (written inside a caller's transaction) ----------------------


def open_session(
    conn: sa.Connection, scope: TeamScope, kind: str, title: str, moderator_id: int | None
) -> int:
    return conn.execute(
        t.live_sessions.insert().values(
            team_id=scope.team_id,
            kind=kind,
            title=title[:200],
            moderator_id=moderator_id,
            created_at=scope.store.now(),
        )
    ).inserted_primary_key[0]


def end_session(conn: sa.Connection, scope: TeamScope, session_id: int) -> None:
    conn.execute(
        t.live_sessions.update()
        .where(t.live_sessions.c.id == session_id, t.live_sessions.c.team_id == scope.team_id)
        .values(ended_at=scope.store.now())
    )


def add_prompt(
    conn: sa.Connection,
    scope: TeamScope,
    session_id: int,
    position: int,
    kind: str,
    title: str,
    text: str,
    *,
    anonymous: bool = False,
    budget: int | None = None,
    scale: int | None = None,
    source_prompt_id: int | None = None,
    options: Sequence[str] = (),
    status: str = OPEN,
) -> int:
    if kind not in PROMPT_KINDS or status not in PROMPT_STATUSES:
        raise InvalidInput(f"“{kind}” is not a kind of prompt the live board knows.")
    prompt_id = conn.execute(
        t.live_prompts.insert().values(
            team_id=scope.team_id,
            session_id=session_id,
            position=position,
            kind=kind,
            title=title[:200],
            text=text,
            anonymous=anonymous,
            budget=budget,
            scale=scale,
            source_prompt_id=source_prompt_id,
            status=status,
        )
    ).inserted_primary_key[0]
    now = scope.store.now()
    for option in options:
        conn.execute(
            t.live_entries.insert().values(
                team_id=scope.team_id,
                prompt_id=prompt_id,
                kind=OPTION_KIND,
                text=option,
                created_at=now,
                updated_at=now,
            )
        )
    return prompt_id


def set_status(conn: sa.Connection, scope: TeamScope, prompt_id: int, status: str) -> None:
    conn.execute(
        t.live_prompts.update()
        .where(t.live_prompts.c.id == prompt_id, t.live_prompts.c.team_id == scope.team_id)
        .values(status=status)
    )


def close_if_open(conn: sa.Connection, scope: TeamScope, prompt_id: int) -> None:
    """Close a step's input as the team leaves it; one not yet open stays waiting."""
    conn.execute(
        t.live_prompts.update()
        .where(
            t.live_prompts.c.id == prompt_id,
            t.live_prompts.c.team_id == scope.team_id,
            t.live_prompts.c.status == OPEN,
        )
        .values(status=CLOSED)
    )


RESULT_KINDS = ("dot-vote", "fist-to-five", "rating")  # closing one shows its results


def reopen(conn: sa.Connection, scope: TeamScope, prompt_id: int) -> None:
    """Open a step's input as the protocol arrives at it. A vote or check whose results
    were shown stays closed when the team comes back to it: its results stay in view."""
    conn.execute(
        t.live_prompts.update()
        .where(
            t.live_prompts.c.id == prompt_id,
            t.live_prompts.c.team_id == scope.team_id,
            sa.or_(
                t.live_prompts.c.status == WAITING,
                t.live_prompts.c.kind.not_in(RESULT_KINDS),
            ),
        )
        .values(status=OPEN)
    )


# --- who moderates ---------------------------------------------------------------------


def is_moderator(conn: sa.Connection, scope: TeamScope, session_id: int) -> bool:
    """The session's moderator, a coach, or (if the moderator left the team) whoever may
    facilitate the team."""
    if scope.actor.is_coach:
        return True
    moderator = conn.execute(
        sa.select(t.live_sessions.c.moderator_id, core_tables.members.c.deleted_at)
        .outerjoin(core_tables.members, core_tables.members.c.id == t.live_sessions.c.moderator_id)
        .where(t.live_sessions.c.id == session_id, t.live_sessions.c.team_id == scope.team_id)
    ).first()
    if moderator is None:
        raise NotFound("That live session is not there any more.")
    if moderator.moderator_id is not None and moderator.deleted_at is None:
        return moderator.moderator_id == scope.member_id
    return scope.allows(Permission.FACILITATE, conn)


def require_moderator(conn: sa.Connection, scope: TeamScope, session_id: int) -> None:
    if not is_moderator(conn, scope, session_id):
        raise AccessDenied("Only the facilitator of this protocol (or the coach) can do that.")


# --- reading ---------------------------------------------------------------------------


def _prompt(row) -> LivePrompt:
    return LivePrompt(
        id=row.id,
        session_id=row.session_id,
        position=row.position,
        kind=row.kind,
        title=row.title,
        text=row.text,
        anonymous=row.anonymous,
        status=row.status,
        budget=row.budget,
        scale=row.scale,
        source_prompt_id=row.source_prompt_id,
    )


def _prompt_row(conn: sa.Connection, scope: TeamScope, prompt_id: int):
    row = conn.execute(
        sa.select(t.live_prompts).where(
            t.live_prompts.c.id == prompt_id, t.live_prompts.c.team_id == scope.team_id
        )
    ).first()
    if row is None:
        raise NotFound("That prompt is not there any more; reload the page.")
    return row


def prompts(scope: TeamScope, session_id: int) -> list[LivePrompt]:
    with scope.reading() as conn:
        rows = conn.execute(
            sa.select(t.live_prompts)
            .where(
                t.live_prompts.c.session_id == session_id,
                t.live_prompts.c.team_id == scope.team_id,
            )
            .order_by(t.live_prompts.c.position)
        )
        return [_prompt(row) for row in rows]


def prompts_by_id(
    conn: sa.Connection, scope: TeamScope, prompt_ids: Collection[int]
) -> dict[int, LivePrompt]:
    """The team's prompts of these ids (read inside a caller's transaction)."""
    rows = conn.execute(
        sa.select(t.live_prompts).where(
            t.live_prompts.c.id.in_(prompt_ids), t.live_prompts.c.team_id == scope.team_id
        )
    )
    return {row.id: _prompt(row) for row in rows}


def _written(entries: sa.Table = t.live_entries):
    """Notes with something written on them (a blank one is still being typed)."""
    return sa.func.length(sa.func.trim(sa.func.coalesce(entries.c.text, ""))) > 0


def _notes(
    conn: sa.Connection, scope: TeamScope, prompt_id: int, kind: str, written: bool = False
) -> list[LiveNote]:
    rows = conn.execute(
        sa.select(t.live_entries, core_tables.members.c.name.label("author"))
        .outerjoin(core_tables.members, core_tables.members.c.id == t.live_entries.c.member_id)
        .where(
            t.live_entries.c.prompt_id == prompt_id,
            t.live_entries.c.team_id == scope.team_id,
            t.live_entries.c.kind == kind,
            t.live_entries.c.deleted_at.is_(None),
            _written() if written else sa.true(),
        )
        .order_by(t.live_entries.c.id)
    )
    return [LiveNote(r.id, r.text or "", r.group_name, r.member_id, r.author) for r in rows]


def board(scope: TeamScope, prompt_id: int) -> Board:
    """What the prompt shows to the acting member right now. A board shows every note in
    the order they were started, blank ones too (someone is writing them)."""
    with scope.reading() as conn:
        prompt = _prompt(_prompt_row(conn, scope, prompt_id))
        if prompt.kind == "board":
            return Board(prompt, tuple(_notes(conn, scope, prompt_id, NOTE_KIND)))
        if prompt.kind == "dot-vote":
            return _vote_board(conn, scope, prompt)
        if prompt.kind in ("fist-to-five", "rating"):
            return _check_board(conn, scope, prompt)
        return Board(prompt)


def _vote_targets(conn: sa.Connection, scope: TeamScope, prompt: LivePrompt) -> list[LiveNote]:
    if prompt.source_prompt_id is not None:
        return _notes(conn, scope, prompt.source_prompt_id, NOTE_KIND, written=True)
    return _notes(conn, scope, prompt.id, OPTION_KIND)


def _vote_board(conn: sa.Connection, scope: TeamScope, prompt: LivePrompt) -> Board:
    votes = conn.execute(
        sa.select(t.live_votes.c.entry_id, t.live_votes.c.member_id, t.live_votes.c.dots).where(
            t.live_votes.c.prompt_id == prompt.id,
            t.live_votes.c.team_id == scope.team_id,
            t.live_votes.c.dots > 0,
        )
    ).all()
    choices = _vote_targets(conn, scope, prompt)
    return rules.vote_board(prompt, choices, votes, scope.member_id)


def _check_board(conn: sa.Connection, scope: TeamScope, prompt: LivePrompt) -> Board:
    rows = conn.execute(
        sa.select(t.live_entries.c.member_id, t.live_entries.c.value, core_tables.members.c.name)
        .join(core_tables.members, core_tables.members.c.id == t.live_entries.c.member_id)
        .where(
            t.live_entries.c.prompt_id == prompt.id,
            t.live_entries.c.team_id == scope.team_id,
            t.live_entries.c.kind == CHECK_KIND,
        )
        .order_by(core_tables.members.c.position)
    ).all()
    mine = next((r.value for r in rows if r.member_id == scope.member_id), None)
    marks = None
    if prompt.status == CLOSED:
        marks = tuple(LiveMark(r.member_id, r.name, r.value) for r in rows)
    return Board(prompt, my_mark=mine, marks=marks, answered=len(rows))


def contributions(scope: TeamScope, session_id: int) -> tuple[list[Contribution], int]:
    """How many notes, marks and votes each member gave in a session (the "voices"), and
    how many anonymous notes, which count for nobody by name."""
    entries = t.live_entries
    in_session = sa.select(t.live_prompts.c.id).where(
        t.live_prompts.c.session_id == session_id, t.live_prompts.c.team_id == scope.team_id
    )
    with scope.reading() as conn:
        per_member = conn.execute(
            sa.select(entries.c.member_id, sa.func.count().label("n"))
            .where(
                entries.c.prompt_id.in_(in_session),
                entries.c.member_id.is_not(None),
                sa.or_(
                    entries.c.kind == CHECK_KIND, sa.and_(entries.c.kind == NOTE_KIND, _written())
                ),
                entries.c.deleted_at.is_(None),
            )
            .group_by(entries.c.member_id)
        ).all()
        voted = conn.execute(
            sa.select(
                t.live_votes.c.member_id, sa.func.count(sa.distinct(t.live_votes.c.prompt_id))
            )
            .where(t.live_votes.c.prompt_id.in_(in_session), t.live_votes.c.dots > 0)
            .group_by(t.live_votes.c.member_id)
        ).all()
        anonymous = conn.execute(
            sa.select(sa.func.count()).where(
                entries.c.prompt_id.in_(in_session),
                entries.c.member_id.is_(None),
                entries.c.kind == NOTE_KIND,
                entries.c.deleted_at.is_(None),
                _written(),
            )
        ).scalar_one()
        roster = conn.execute(
            sa.select(core_tables.members.c.id, core_tables.members.c.name)
            .where(
                core_tables.members.c.team_id == scope.team_id,
                core_tables.members.c.deleted_at.is_(None),
            )
            .order_by(core_tables.members.c.position, core_tables.members.c.id)
        ).all()
    counts = {row.member_id: row.n for row in per_member}
    for member_id, prompts_voted in voted:
        counts[member_id] = counts.get(member_id, 0) + prompts_voted
    return [Contribution(m.id, m.name, counts.get(m.id, 0)) for m in roster], anonymous


# --- answering -------------------------------------------------------------------------


def _open_prompt(conn: sa.Connection, scope: TeamScope, prompt_id: int, kinds: Collection[str]):
    row = _prompt_row(conn, scope, prompt_id)
    if row.kind not in kinds:
        raise InvalidInput("That does not fit this step; reload the page.")
    if row.status != OPEN:
        raise InvalidInput("This step is not open for answers (it has closed or not started yet).")
    return row


def _member(scope: TeamScope) -> int:
    if scope.member_id is None:
        raise InvalidInput("Only members of the team answer; a coach follows along.")
    return scope.member_id


def add_note(scope: TeamScope, prompt_id: int, text: str = "") -> int:
    """A sticky note on an open board, blank while it is being typed; anonymous boards
    keep no author with it."""
    text = check_text(text, "note")
    with scope.writing() as conn:
        prompt = _open_prompt(conn, scope, prompt_id, ("board",))
        member = _member(scope)  # a coach follows; on an anonymous board too
        on_board = conn.execute(
            sa.select(sa.func.count()).where(*_board_notes(scope, prompt_id))
        ).scalar()
        if on_board >= rules.MAX_NOTES:
            raise InvalidInput(
                f"This board holds {rules.MAX_NOTES} notes, as many as it takes: group "
                "the ideas, or add yours to a note that says the same."
            )
        author = None if prompt.anonymous else member
        now = scope.store.now()
        return conn.execute(
            t.live_entries.insert().values(
                team_id=scope.team_id,
                prompt_id=prompt_id,
                kind=NOTE_KIND,
                member_id=author,
                text=text,
                created_at=now,
                updated_at=now,
            )
        ).inserted_primary_key[0]


def seed_notes(
    conn: sa.Connection, scope: TeamScope, notes: Sequence[tuple[int, str, str, int | None]]
) -> None:
    """Notes put on boards by the page that starts them (a lesson study's observation
    notes on its debrief's boards): ``(prompt id, text, group, author)`` each, inside the
    caller's transaction. The prompts must be the team's; an anonymous board keeps no
    author; each board takes at most :data:`rules.MAX_NOTES`."""
    prompt_ids = {prompt_id for prompt_id, *_ in notes}
    if not prompt_ids:
        return
    anonymous = dict(
        conn.execute(
            sa.select(t.live_prompts.c.id, t.live_prompts.c.anonymous).where(
                t.live_prompts.c.id.in_(prompt_ids), t.live_prompts.c.team_id == scope.team_id
            )
        ).all()
    )
    if set(anonymous) != prompt_ids:
        raise NotFound("That board is not this team's.")
    now = scope.store.now()
    rows, on_board = [], dict.fromkeys(prompt_ids, 0)
    for prompt_id, text, group, author in notes:
        if on_board[prompt_id] >= rules.MAX_NOTES:
            continue
        on_board[prompt_id] += 1
        rows.append(
            dict(
                team_id=scope.team_id,
                prompt_id=prompt_id,
                kind=NOTE_KIND,
                member_id=None if anonymous[prompt_id] else author,
                text=text,
                group_name=group[: rules.MAX_GROUP],
                created_at=now,
                updated_at=now,
            )
        )
    conn.execute(t.live_entries.insert(), rows)


def _note_row(conn: sa.Connection, scope: TeamScope, note_id: int):
    row = conn.execute(
        sa.select(
            t.live_entries,
            t.live_prompts.c.session_id,
            t.live_prompts.c.status.label("prompt_status"),
            t.live_sessions.c.ended_at.label("session_ended"),
        )
        .join(t.live_prompts, t.live_prompts.c.id == t.live_entries.c.prompt_id)
        .join(t.live_sessions, t.live_sessions.c.id == t.live_prompts.c.session_id)
        .where(
            t.live_entries.c.id == note_id,
            t.live_entries.c.team_id == scope.team_id,
            t.live_entries.c.kind == NOTE_KIND,
            t.live_entries.c.deleted_at.is_(None),
        )
    ).first()
    if row is None:
        raise NotFound("That note is not on the board any more.")
    return row


def _own(row, scope: TeamScope, mine: Collection[int]) -> bool:
    return rules.is_own_note(row.member_id, row.id, scope.member_id, mine)


def edit_note(scope: TeamScope, note_id: int, text: str, mine: Collection[int] = ()) -> None:
    """Change your own note, saved as typed. ``mine``: ids of anonymous notes this page
    wrote (kernel memory, never from the browser)."""
    text = check_text(text, "note")
    with scope.writing() as conn:
        row = _note_row(conn, scope, note_id)
        if not _own(row, scope, mine):
            raise AccessDenied("You can change only your own notes.")
        # Finishing a sentence as the facilitator moves on is fine; once the protocol
        # has ended, its notes stay as they were.
        if row.session_ended is not None:
            raise InvalidInput("This protocol has finished; its notes stay as they are.")
        conn.execute(
            t.live_entries.update()
            .where(t.live_entries.c.id == note_id)
            .values(text=text, updated_at=scope.store.now())
        )


def delete_note(scope: TeamScope, note_id: int, mine: Collection[int] = ()) -> None:
    """Move a note to the trash: your own, or any note for the moderator."""
    with scope.writing() as conn:
        row = _note_row(conn, scope, note_id)
        # Once the protocol has ended its board is the meeting's record: only the
        # facilitator may still take a note off it (to the trash).
        if row.session_ended is not None or not _own(row, scope, mine):
            require_moderator(conn, scope, row.session_id)
        conn.execute(
            t.live_entries.update()
            .where(t.live_entries.c.id == note_id)
            .values(deleted_at=scope.store.now())
        )


def _require_sorter(conn: sa.Connection, scope: TeamScope, note) -> None:
    """While the board is open every member sorts its notes (affinity grouping is the
    team's work); after, only the moderator."""
    sorting = note.prompt_status == OPEN and note.session_ended is None
    if not (sorting and scope.member_id is not None):
        require_moderator(conn, scope, note.session_id)


def _board_notes(scope: TeamScope, prompt_id: int):
    entries = t.live_entries.c
    return (
        entries.team_id == scope.team_id,
        entries.prompt_id == prompt_id,
        entries.kind == NOTE_KIND,
        entries.deleted_at.is_(None),
    )


def group_note(scope: TeamScope, note_id: int, group: str) -> None:
    """Put a note in a named group (empty: no group)."""
    group = rules.group_name(group)
    with scope.writing() as conn:
        _require_sorter(conn, scope, _note_row(conn, scope, note_id))
        conn.execute(
            t.live_entries.update()
            .where(t.live_entries.c.id == note_id)
            .values(group_name=group or None)
        )


def group_together(scope: TeamScope, note_ids: Collection[int]) -> str:
    """Notes of one board into a new group, "Group N" with the first N no group of the
    board has; chosen as the notes move (writes to a team go one after another), so two
    people starting a group at once start two. Returns the group's name."""
    with scope.writing() as conn:
        notes = [_note_row(conn, scope, note_id) for note_id in note_ids]
        prompts = {note.prompt_id for note in notes}
        if len(prompts) != 1:
            raise InvalidInput("Only notes of one board go into a group together.")
        _require_sorter(conn, scope, notes[0])
        taken = conn.execute(
            sa.select(t.live_entries.c.group_name).where(*_board_notes(scope, notes[0].prompt_id))
        ).scalars()
        group = rules.fresh_group(set(taken))
        conn.execute(
            t.live_entries.update()
            .where(t.live_entries.c.id.in_([note.id for note in notes]))
            .values(group_name=group)
        )
        return group


def rename_group(scope: TeamScope, prompt_id: int, old: str, new: str) -> int:
    """Every note of the board in group ``old`` into ``new``, at once (notes a teammate
    has put there since this page last looked included). Returns how many moved."""
    new = rules.group_name(new)
    if not old or not new:
        return 0
    with scope.writing() as conn:
        inside = (*_board_notes(scope, prompt_id), t.live_entries.c.group_name == old)
        first = conn.execute(sa.select(t.live_entries.c.id).where(*inside).limit(1)).scalar()
        if first is None:
            return 0
        _require_sorter(conn, scope, _note_row(conn, scope, first))
        return conn.execute(t.live_entries.update().where(*inside).values(group_name=new)).rowcount


def mark(scope: TeamScope, prompt_id: int, value: int) -> None:
    """Your fist-to-five (0-5) or rating (1 to the scale); a new mark replaces yours."""
    with scope.writing() as conn:
        prompt = _prompt(_open_prompt(conn, scope, prompt_id, ("fist-to-five", "rating")))
        rules.check_mark(prompt, value)
        member_id = _member(scope)
        now = scope.store.now()
        where = (
            t.live_entries.c.prompt_id == prompt_id,
            t.live_entries.c.member_id == member_id,
            t.live_entries.c.kind == CHECK_KIND,
        )
        changed = conn.execute(
            t.live_entries.update().where(*where).values(value=value, updated_at=now)
        ).rowcount
        if not changed:
            conn.execute(
                t.live_entries.insert().values(
                    team_id=scope.team_id,
                    prompt_id=prompt_id,
                    kind=CHECK_KIND,
                    member_id=member_id,
                    value=value,
                    created_at=now,
                    updated_at=now,
                )
            )


def vote(scope: TeamScope, prompt_id: int, note_id: int, change: int) -> None:
    """Put a dot on a note (``change`` +1) or take one back (-1), within your budget."""
    rules.check_dot_change(change)  # before anything is read
    with scope.writing() as conn:
        prompt = _prompt(_open_prompt(conn, scope, prompt_id, ("dot-vote",)))
        member_id = _member(scope)
        choices = {note.id for note in _vote_targets(conn, scope, prompt)}
        mine = dict(
            conn.execute(
                sa.select(t.live_votes.c.entry_id, t.live_votes.c.dots).where(
                    t.live_votes.c.prompt_id == prompt_id,
                    t.live_votes.c.member_id == member_id,
                )
            ).all()
        )
        now_on_note = rules.dots_after_vote(prompt.budget, mine, choices, note_id, change)
        if note_id in mine:
            conn.execute(
                t.live_votes.update()
                .where(
                    t.live_votes.c.prompt_id == prompt_id,
                    t.live_votes.c.member_id == member_id,
                    t.live_votes.c.entry_id == note_id,
                )
                .values(dots=now_on_note)
            )
        else:
            conn.execute(
                t.live_votes.insert().values(
                    team_id=scope.team_id,
                    prompt_id=prompt_id,
                    entry_id=note_id,
                    member_id=member_id,
                    dots=now_on_note,
                )
            )


def close_prompt(scope: TeamScope, prompt_id: int) -> None:
    """Close voting or a check: results show to everyone. The moderator's."""
    with scope.writing() as conn:
        row = _prompt_row(conn, scope, prompt_id)
        require_moderator(conn, scope, row.session_id)
        if row.status == CLOSED:
            raise InvalidInput("This is closed already; the results are showing.")
        set_status(conn, scope, prompt_id, CLOSED)
