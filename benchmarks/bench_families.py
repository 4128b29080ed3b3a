"""Families benchmark: 30 families opening their own page at once, against one alone.

Measured as the students' benchmark measures (``bench_students.py``), with the machinery
the light pages' benchmarks share (``light_burst.py``: this module is the families' page
and class). Serves the workbooks with ``collab serve`` on loopback (no warm kernels:
families use the light page, ``/families``, one static page and a JSON API in the server's
own process) on a fresh database holding one class of ``--families`` (30) students, a
family for each with one guardian and their own link (``/families#code=…``, as
``collab_widgets.team.links.family_link`` makes), ten of the families reading their page
in Spanish (so both languages are served, by both kinds of client), and the class family
meeting a week ahead with a result for every child, its agenda and two home activities from
the library: each family's page draws the meeting, the class graph with the child's bar
marked, the agenda, the activities and the goal form. Then, behind each network in turn
(``--networks``), ``--rounds`` (5) times:

1. **Alone**: one raw client opens the page while nothing else happens, then one Chromium
   page; each twice, the second counted (the first warms the server's code paths).
2. **Burst**: 30 families start at the same moment, each with their own link:
   ``--browsers`` (3) real Chromium pages and the rest (27) raw HTTP clients. A raw client
   fetches the page (``/families``: one response holding the whole page), then posts
   ``open`` with its code (``{code, lang: ""}``: the family's own language) and gets the
   family's page back (the payload the page draws). A Chromium page is a phone-sized
   context of its own (360 × 740, touch), open on a blank page before the guardian's link
   is followed: the page reads the code after ``#``, opens and draws the family's page.

**Time to interactive**: until the guardian can use the family's own page. Raw: from the
start until ``open`` has answered (the page, then the call). Chromium: by the page's own
clock from the start of its navigation, until the page's ``collab-family-ready`` mark (set
once the page ``open`` answered is drawn and usable). Per burst: the 95th percentile of all
30, each against its own kind alone just before it (target, the issue's: p95 ≤ 2× one
family alone), and each kind's median and p95; then the median over the bursts, with every
burst's figure. Also reported: *the page* (raw: the page arrived; Chromium: its script ran)
and *the open call* (the server's share).

**The networks** are the workshop benchmark's: ``loopback``, ``laptop`` (40 ms, 10 Mbps)
and ``phone`` (150 ms, 1.6 Mbps down, 750 kbps up). The browsers run at nice 19.

**Memory**: what all the families opening their page cost the server process (its USS at
the end, less before the first).

Nothing fails on timing (this machine is shared and noisy): the figures are printed and
written to ``benchmarks/results/families-*.json``.

    python3 run.py bench families [--families 30] [--browsers 3] [--rounds 5]
                                  [--networks loopback laptop phone]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import light_burst
from light_burst import LightPage

from collab_widgets.core.db import Store
from collab_widgets.families import library
from collab_widgets.families.store import class_meetings, guardians
from collab_widgets.students.rules import StudentRow
from collab_widgets.students.store import classes
from collab_widgets.team.store import members, teams

FIRST = ("Maya", "Omar", "Lena", "Theo", "Zara", "Ivan", "Ruth", "Femi", "Ana", "Ben")
LAST = "RKPBNDEACL"
MEETING = "Fractions family night"
SPANISH_EVERY = 3  # families 1, 4, 7, …: ten of 30, one of the three browsers among them

PAGE = LightPage(
    label="families",
    page="/families",
    page_has=b'id="family"',
    fragment="code",
    api="/families/api/open",
    body={"lang": ""},  # "": the family's own language, as the page sends (none chosen)
    code_field="code",
    # the meeting with its graph (bins: a class of 30 is shown), its activities, its form
    answer_has=("child", "meetings.0.graph.bins", "meetings.0.activities", "meetings.0.default_by"),
    mark="collab-family-ready",
    heading=MEETING,  # the meeting's title, as its teacher wrote it (the same in both languages)
    interactive="opened, own page",
    call="open",
)


def make_class(db_url: str, count: int) -> list[str]:
    """A class of ``count`` students, a family each with one guardian and their link, ten
    in three reading Spanish, and a class family meeting a week ahead with every child's
    result: each guardian's link code, in the class's order."""
    store = Store(db_url)
    _, coach_code, _ = teams.first_coach_code(store)
    coach = store.open_coach(coach_code)
    as_coach = teams.create_team(coach, "Grade 4 Math")
    team_code = teams.team_code(as_coach)
    teacher_token = members.add(as_coach, "Ana").token
    teacher = store.open_team(team_code, teacher_token)
    class_id = classes.create_class(teacher, "Room 12")
    rows = [
        StudentRow(f"S{n:04d}", f"{FIRST[n % 10]} Student{n}", f"{FIRST[n % 10]} {LAST[n // 10]}.")
        for n in range(count)
    ]
    classes.add_students(teacher, class_id, rows)
    guardians.open_families(teacher, class_id)
    codes = []
    for n, family in enumerate(guardians.families(teacher, class_id)):
        guardian_id = guardians.add_guardian(teacher, family.id, f"Guardian {n}")
        codes.append(guardians.issue_link(teacher, guardian_id))
        if n % SPANISH_EVERY == 1:
            guardians.set_language(teacher, family.id, "es")
    roster = classes.roster(teacher, class_id)
    activities = [
        {
            "title": dict(a.title),
            "materials": dict(a.materials),
            "steps": {lang: list(steps) for lang, steps in a.steps.items()},
        }
        for a in library.activities_for("fractions", 4)[:2]
    ]
    class_meetings.prepare_meeting(
        teacher,
        class_id,
        title=MEETING,
        held_on=store.clock.today() + dt.timedelta(days=7),
        starts_at="18:00",
        skill="Fractions on a number line",
        assessment_id=None,
        assessment_name="Unit 3 check",
        results={s.id: float(35 + (n * 37) % 65) for n, s in enumerate(roster)},
        agenda=[{"title": dict(i.title), "minutes": i.minutes} for i in library.load_agenda()],
        activities=activities,
    )
    store.close()
    return codes


def prepare(db_url: str, count: int) -> tuple[LightPage, list[str]]:
    """The class, and the page as its families open it: ``/families#code=…``."""
    return PAGE, make_class(db_url, count)


def main(argv: list[str] | None = None) -> int:
    return light_burst.main(PAGE.label, __doc__, prepare, argv)


if __name__ == "__main__":
    sys.exit(main())
