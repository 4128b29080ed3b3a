"""Synthetic demo data: coaches, teams, members, norms, roles and meetings.

Deterministic for a given "today" (the injectable clock): the same names, norms, marks and
dates every time. Codes are random (they are keys). No real people or students.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from .model import CHECK_PHASES
from .norm_library import load_suggestions
from .store import Store, meetings, members, norms, teams

SEED = 2026

DEMO_TEAMS = {
    "Grade 4 Math": ["Avery M.", "Jordan K.", "Priya S.", "Mateo R.", "Lin W."],
    "Grade 7 Science": ["Sam O.", "Noor A.", "Diego F.", "Hana T."],
    "English 9": ["Chris B.", "Amara N.", "Tomás L.", "Yuki I.", "Rosa G.", "Ben D."],
}


@dataclass
class DemoData:
    coach_code: str
    team_codes: dict[str, str] = field(default_factory=dict)
    member_tokens: dict[str, dict[str, str]] = field(default_factory=dict)


def seed_demo(store: Store) -> DemoData:
    """Add the demo teams to ``store`` under the first coach (created if needed)."""
    rng = random.Random(SEED)
    _, coach_code, _ = teams.first_coach_code(store)
    coach = store.open_coach(coach_code)
    demo = DemoData(coach_code)
    suggestions = load_suggestions()
    today = store.clock.today()
    for team_name, names in DEMO_TEAMS.items():
        scope = teams.create_team(coach, team_name)
        roster = [members.add(scope, name) for name in names]
        demo.team_codes[team_name] = teams.team_code(scope)
        demo.member_tokens[team_name] = {m.name: m.token for m in roster}
        for _ in range(rng.randint(2, 5)):
            members.rotate_roles(scope)
        chosen = []
        for category in ("time", "listening", "confidentiality", "decision-making"):
            chosen.append(norms.add(scope, category, rng.choice(suggestions[category])))
        past = meetings.create(scope, today - dt.timedelta(days=14), "Unit 3 common assessment")
        meetings.create(scope, today + dt.timedelta(days=rng.randint(1, 6)), "Team meeting")
        for member in roster:
            present = rng.random() > 0.15
            meetings.set_attendance(scope, past.id, member.id, present)
            if not present:
                continue
            as_member = scope.as_member(member.id)
            for norm in chosen:
                for phase in CHECK_PHASES:
                    rating = min(4, max(1, round(rng.gauss(3.0 if phase == "start" else 3.3, 0.7))))
                    meetings.check_norm(as_member, past.id, norm.id, phase, rating)
    return demo
