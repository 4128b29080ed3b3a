"""A school's community partnerships: partner organisations with their contacts, what they
offer and their agreements; activities done with the community; mentoring programmes with
mentors (their clearance: dates and who verified it, never the check's content), mentees,
matches and meeting logs; service-learning projects with student teams, hours, milestones
and reflections; career-exploration events and placements; and the school's one-year
partnership plan with its goals and activities.

Every row carries its school. What names a student (a mentee, a project's team, a
placement) hangs from a class, a class's student or a grouping with ``ON DELETE CASCADE``:
deleting a class, or taking a student off it, deletes those rows in the same transaction,
so community records are kept no longer than the class (its retention)."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db.tables import UTCDateTime, metadata


def _school() -> sa.Column:
    return sa.Column("school_id", sa.Integer, sa.ForeignKey("schools.id"), nullable=False)


def _owned_by(name: str, target: str, nullable: bool = False) -> sa.Column:
    """A column whose rows go with the row they point at."""
    return sa.Column(name, sa.Integer, sa.ForeignKey(target, ondelete="CASCADE"), nullable=nullable)


def _partner() -> sa.Column:
    """The partner an activity was done with, if any: the record stays if the partner goes."""
    return sa.Column(
        "partner_id", sa.Integer, sa.ForeignKey("partners.id", ondelete="SET NULL"), nullable=True
    )


def _created() -> sa.Column:
    return sa.Column("created_at", UTCDateTime, nullable=False)


partners = sa.Table(
    "partners",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("name_key", sa.String(120), nullable=False),  # folded: no duplicate partner
    sa.Column("kind", sa.String(40), nullable=False),  # business, nonprofit, ...
    sa.Column("offers", sa.Text, nullable=False),  # JSON list of offer ids (library)
    sa.Column("notes", sa.Text, nullable=False),
    _created(),
    sa.UniqueConstraint("school_id", "name_key", name="uq_partner_name"),
)


partner_contacts = sa.Table(
    "partner_contacts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    _owned_by("partner_id", "partners.id"),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("role", sa.String(120), nullable=False),
    sa.Column("reach", sa.String(200), nullable=False),  # email or phone: coordinator only
    _created(),
)


partner_agreements = sa.Table(
    "partner_agreements",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    _owned_by("partner_id", "partners.id"),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("starts_on", sa.Date, nullable=False),
    sa.Column("ends_on", sa.Date, nullable=False),
    _created(),
)


community_activities = sa.Table(
    "community_activities",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    _partner(),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("held_on", sa.Date, nullable=False),
    sa.Column("involvement", sa.String(40), nullable=False),  # one of the six types
    sa.Column("participants", sa.Integer, nullable=False),
    _created(),
)


mentoring_programmes = sa.Table(
    "mentoring_programmes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    _partner(),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("starts_on", sa.Date, nullable=False),
    sa.Column("ends_on", sa.Date, nullable=False),
    sa.Column("minutes_a_week", sa.Integer, nullable=False),
    sa.Column("weights", sa.Text, nullable=False),  # JSON {criterion: weight}
    _created(),
)


mentors = sa.Table(
    "mentors",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    _owned_by("programme_id", "mentoring_programmes.id"),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("interests", sa.Text, nullable=False),  # JSON list of words
    sa.Column("times", sa.Text, nullable=False),  # JSON list of time ids ("tue-pm")
    sa.Column("languages", sa.Text, nullable=False),  # JSON list of language codes
    # the screening: when it was done, until when it holds, who verified it (never what it
    # found); no match and no mentor page without one valid today
    sa.Column("cleared_on", sa.Date, nullable=True),
    sa.Column("clearance_expires_on", sa.Date, nullable=True),
    sa.Column("cleared_by", sa.String(120), nullable=False),
    sa.Column("code_hash", sa.String(64), nullable=True, unique=True),  # the mentor page's
    _created(),
)


mentees = sa.Table(
    "mentees",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    _owned_by("programme_id", "mentoring_programmes.id"),
    _owned_by("class_id", "classes.id"),
    _owned_by("student_id", "class_students.id"),
    sa.Column("interests", sa.Text, nullable=False),
    sa.Column("times", sa.Text, nullable=False),
    sa.Column("languages", sa.Text, nullable=False),
    _created(),
    sa.UniqueConstraint("programme_id", "student_id", name="uq_mentee_student"),
)


mentor_matches = sa.Table(
    "mentor_matches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    _owned_by("programme_id", "mentoring_programmes.id"),
    _owned_by("mentor_id", "mentors.id"),
    _owned_by("mentee_id", "mentees.id"),
    sa.Column("started_on", sa.Date, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),  # why they were matched, in words
    sa.Column("closed_on", sa.Date, nullable=True),
    sa.Column("closing_note", sa.Text, nullable=False),
    _created(),
)


mentor_logs = sa.Table(
    "mentor_logs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    _owned_by("match_id", "mentor_matches.id"),
    sa.Column("met_on", sa.Date, nullable=False),
    sa.Column("minutes", sa.Integer, nullable=False),
    sa.Column("activity", sa.String(200), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("check_in", sa.Integer, nullable=False),  # how it is going, 1 to 4
    _created(),
)


service_projects = sa.Table(
    "service_projects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    _partner(),
    _owned_by("class_id", "classes.id"),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("standards", sa.Text, nullable=False),  # the curriculum link
    sa.Column("starts_on", sa.Date, nullable=False),
    sa.Column("ends_on", sa.Date, nullable=False),
    sa.Column("outcomes", sa.Text, nullable=False),
    sa.Column("quality", sa.Text, nullable=False),  # JSON {standard id: rating}
    _created(),
)


project_teams = sa.Table(
    "project_teams",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    _owned_by("project_id", "service_projects.id"),
    # the group it was made from: the team stays (with its size then) if the teacher
    # later changes or deletes those groups, so the school's record of service stands
    sa.Column(
        "grouping_id",
        sa.Integer,
        sa.ForeignKey("groupings.id", ondelete="SET NULL"),
        nullable=True,
    ),
    sa.Column("group_number", sa.Integer, nullable=False),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("students", sa.Integer, nullable=False),  # how many the team had when made
    _created(),
    sa.UniqueConstraint("project_id", "grouping_id", "group_number", name="uq_project_team"),
)


service_hours = sa.Table(
    "service_hours",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    _owned_by("project_team_id", "project_teams.id"),
    sa.Column("served_on", sa.Date, nullable=False),
    sa.Column("hours", sa.Float, nullable=False),  # per student of the team
    sa.Column("what", sa.String(200), nullable=False),
    _created(),
)


project_milestones = sa.Table(
    "project_milestones",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    _owned_by("project_id", "service_projects.id"),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("done_on", sa.Date, nullable=True),
    _created(),
)


service_reflections = sa.Table(
    "service_reflections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    _owned_by("project_team_id", "project_teams.id"),
    sa.Column("what", sa.Text, nullable=False),
    sa.Column("so_what", sa.Text, nullable=False),
    sa.Column("now_what", sa.Text, nullable=False),
    _created(),
)


career_events = sa.Table(
    "career_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    _partner(),
    sa.Column("kind", sa.String(20), nullable=False),  # speaker, job_shadow, internship, ...
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("held_on", sa.Date, nullable=False),
    _created(),
)


career_placements = sa.Table(
    "career_placements",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    _owned_by("event_id", "career_events.id"),
    _owned_by("class_id", "classes.id"),
    _owned_by("student_id", "class_students.id"),
    sa.Column("hours", sa.Float, nullable=False),
    sa.Column("reflection", sa.Text, nullable=False),
    _created(),
    sa.UniqueConstraint("event_id", "student_id", name="uq_career_placement"),
)


partnership_plans = sa.Table(
    "partnership_plans",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    sa.Column("title", sa.String(120), nullable=False),  # "2026–27"
    sa.Column("starts_on", sa.Date, nullable=False),
    sa.Column("ends_on", sa.Date, nullable=False),
    sa.Column("evaluation", sa.Text, nullable=False),  # the year-end summary, typed
    _created(),
    sa.UniqueConstraint("school_id", "title", name="uq_plan_title"),
)


plan_goals = sa.Table(
    "plan_goals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    _owned_by("plan_id", "partnership_plans.id"),
    sa.Column("kind", sa.String(20), nullable=False),  # academic, behaviour, climate
    sa.Column("text", sa.Text, nullable=False),
    # an academic goal's PLC goal (a team's SMART goal), if it is linked to one
    sa.Column(
        "team_goal_id", sa.Integer, sa.ForeignKey("goals.id", ondelete="SET NULL"), nullable=True
    ),
    _created(),
)


plan_activities = sa.Table(
    "plan_activities",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _school(),
    _owned_by("goal_id", "plan_goals.id"),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("involvement", sa.String(40), nullable=False),
    sa.Column("planned_on", sa.Date, nullable=False),
    sa.Column("responsible", sa.String(120), nullable=False),
    sa.Column("expected", sa.Integer, nullable=False),  # participants expected
    # the evaluation: did it happen, and how many came (None: not yet said)
    sa.Column("happened", sa.Boolean, nullable=True),
    sa.Column("participants", sa.Integer, nullable=True),
    _created(),
)


COMMUNITY_TABLES = (
    partners,
    partner_contacts,
    partner_agreements,
    community_activities,
    mentoring_programmes,
    mentors,
    mentees,
    mentor_matches,
    mentor_logs,
    service_projects,
    project_teams,
    service_hours,
    project_milestones,
    service_reflections,
    career_events,
    career_placements,
    partnership_plans,
    plan_goals,
    plan_activities,
)
