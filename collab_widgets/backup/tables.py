"""Every table that holds a team's data: those a team's export copies, in the order it
copies them, and those it leaves out on purpose."""

from __future__ import annotations

from collab_widgets.actions.tables import action_history, actions, decisions
from collab_widgets.classroom.tables import (
    co_plan_segments,
    co_plan_versions,
    co_plans,
    lesson_studies,
    observation_notes,
    observation_photos,
    peer_notes,
    peer_observations,
)

# A whole backup copies every table on the one metadata, which a domain's tables join when
# imported: so the school's partnerships, which no team export holds, are imported here.
from collab_widgets.community import tables as community_tables  # noqa: F401
from collab_widgets.core.db.tables import activity, members, role_assignments
from collab_widgets.evidence.tables import (
    assessment_items,
    assessment_students,
    assessments,
    column_mappings,
    evidence_settings,
)
from collab_widgets.families.tables import FAMILY_TABLES
from collab_widgets.goals.tables import (
    cycle_assessments,
    cycles,
    goal_checkpoints,
    goal_versions,
    goals,
    wins,
)
from collab_widgets.instruments.tables import survey_responders, survey_rounds
from collab_widgets.live.tables import live_entries, live_prompts, live_sessions, live_votes
from collab_widgets.meetings.tables import agenda_items, attendance, meetings, norm_checks
from collab_widgets.protocols.tables import protocol_runs, run_roles, run_steps
from collab_widgets.reflection.tables import reflections, syntheses
from collab_widgets.students.tables import CLASS_TABLES, class_mappings
from collab_widgets.team.tables import norms

TEAM_TABLES = (
    members,
    role_assignments,
    norms,
    activity,
    meetings,
    agenda_items,
    attendance,
    norm_checks,
    live_sessions,
    live_prompts,
    live_entries,
    live_votes,
    assessments,
    assessment_items,
    assessment_students,
    column_mappings,
    evidence_settings,
    protocol_runs,
    run_steps,
    run_roles,
    cycles,
    cycle_assessments,
    goals,
    goal_versions,
    goal_checkpoints,
    wins,
    syntheses,
    survey_rounds,
    survey_responders,
    decisions,
    actions,
    action_history,
    co_plans,
    co_plan_segments,
    co_plan_versions,
    lesson_studies,
    observation_notes,
    class_mappings,
)

# A team's rows its export leaves out, each for its owner: a member's own reflections
# (only they ever see them, not the facilitator or the coach who exports), photos of
# students' work (kept in this database only), and peer observations with their notes
# (the teacher observed's), and classes with everything about their students (kept only
# until the class's retention date: a copy would outlive it), with their families (contacts,
# children's results, goals, conference notes: the same). A table that carries a team is in
# one of the two lists.
NOT_EXPORTED = (
    reflections,
    observation_photos,
    peer_observations,
    peer_notes,
    *FAMILY_TABLES,
    *CLASS_TABLES,
)
