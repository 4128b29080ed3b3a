"""Students benchmark: a class of 30 opening their own page at once, against one alone.

Measured as the workshop benchmark measures (``bench_workshop.py``), with the machinery
the light pages' benchmarks share (``light_burst.py``: this module is the students' page
and class). Serves the workbooks with ``collab serve`` on loopback (no warm kernels:
students use the light page, ``/students``, one static page and a JSON API in the server's
own process) on a fresh database holding one class of ``--students`` (30) students with
cards, its groups (of five), the interest survey open and a teamwork check open: each
student's page shows the survey and five people to rate on five questions, as in class.
Then, behind each network in turn (``--networks``), ``--rounds`` (5) times:

1. **Alone**: one raw client signs in while nothing else happens, then one Chromium page;
   each twice, the second counted (the first warms the server's code paths).
2. **Burst**: 30 students start at the same moment, each with their own card:
   ``--browsers`` (3) real Chromium pages and the rest (27) raw HTTP clients. A raw client
   does what a phone's browser does over the network, each request on a new connection:
   it fetches the page (``/students?class=…``: one response holding the whole page), then
   posts ``join`` with the class code and its card code and gets the student's page back
   (the payload the page draws the student's page from). The raw clients run on one
   asyncio loop in a process of their own (the workshop benchmark's ``http``). A Chromium
   page is a phone-sized context of its own (360 × 740, touch), open on a blank page
   before the card's link (``/students?class=…#card=…``) is followed: the page reads the
   codes, signs in and draws the student's page.

**Time to interactive**: until the student can use their own page. Raw: from the start
until the ``join`` call has answered (the page, then the join). Chromium: by the page's
own clock from the start of its navigation, until the page's ``collab-signed-in`` mark
(set once the survey and the evaluation are drawn and usable). Per burst: the 95th
percentile of all 30, each against its own kind alone just before it (target: p95 ≤ 2×),
and each kind's median and p95; then the median over the bursts, with every burst's
figure. Also reported: *the page* (raw: the page arrived; Chromium: its script ran,
DOMContentLoaded's end) and *the join call* (raw clients: the ``join`` request alone; the
server's share).

**The networks** are the workshop benchmark's: ``loopback`` (this machine, nothing
between: one student alone takes a few milliseconds of the server, so the ratio counts
the requests queued on two shared cores), and Lighthouse's presets ``laptop`` (40 ms,
10 Mbps) and ``phone`` (150 ms, 1.6 Mbps down, 750 kbps up), waited out by the raw
clients and given to each page by Chromium's own network emulation.

**Shared cores.** The browsers (and Playwright's driver) stand for the students' own
phones but share the server's two cores here, so they run at the lowest priority (nice
19): the server and the raw clients' process go first.

**Memory**: what all the students signing in cost the server process (its USS at the end,
less before the first).

Nothing fails on timing (this machine is shared and noisy): the figures are printed and
written to ``benchmarks/results/``.

    python3 run.py bench students [--students 30] [--browsers 3] [--rounds 5]
                                  [--networks loopback laptop phone]
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import light_burst
from light_burst import LightPage

from collab_widgets.core.db import Store
from collab_widgets.students.model import Placement
from collab_widgets.students.rules import StudentRow
from collab_widgets.students.store import classes, evaluations, groupings
from collab_widgets.team.store import members, teams

GROUP_SIZE = 5
FIRST = ("Maya", "Omar", "Lena", "Theo", "Zara", "Ivan", "Ruth", "Femi", "Ana", "Ben")
LAST = "RKPBNDEACL"
EVALUATION = "Teamwork check"

# the class's own page and body are filled in once the class is made (prepare)
PAGE = LightPage(
    label="students",
    page="/students",
    page_has=b'id="sign-in"',
    fragment="card",
    api="/students/api/join",
    body={},
    code_field="card",
    answer_has=("survey", "evaluation"),
    mark="collab-signed-in",  # set once the survey and the evaluation are drawn and usable
    heading=EVALUATION,
)


def make_class(db_url: str, students: int) -> tuple[str, list[str]]:
    """A class of ``students`` with cards, groups of five, the survey and an evaluation
    open: the class code and each student's card code."""
    store = Store(db_url)
    _, coach_code, _ = teams.first_coach_code(store)
    coach = store.open_coach(coach_code)
    as_coach = teams.create_team(coach, "Grade 7 Science")
    team_code = teams.team_code(as_coach)
    teacher_token = members.add(as_coach, "Ana").token
    teacher = store.open_team(team_code, teacher_token)
    class_id = classes.create_class(teacher, "7B Science")
    rows = [
        StudentRow(f"S{n:04d}", f"{FIRST[n % 10]} Student{n}", f"{FIRST[n % 10]} {LAST[n // 10]}.")
        for n in range(students)
    ]
    classes.add_students(teacher, class_id, rows)
    cards = classes.issue_student_codes(teacher, class_id)
    ids = sorted(cards)
    grouping_id = groupings.save(
        teacher,
        class_id,
        "groups",
        "Project teams",
        {},
        None,
        [Placement(sid, n // GROUP_SIZE + 1) for n, sid in enumerate(ids)],
    )
    classes.set_survey_open(teacher, class_id, True)
    evaluations.open_evaluation(teacher, class_id, grouping_id, EVALUATION)
    code = classes.class_info(teacher, class_id).code
    store.close()
    return code, [cards[sid] for sid in ids]


def prepare(db_url: str, students: int) -> tuple[LightPage, list[str]]:
    """The class, and the page as its students open it: ``/students?class=…#card=…``."""
    class_code, cards = make_class(db_url, students)
    page = dataclasses.replace(
        PAGE, page=f"/students?class={class_code}", body={"class": class_code}
    )
    return page, cards


def main(argv: list[str] | None = None) -> int:
    return light_burst.main(PAGE.label, __doc__, prepare, argv)


if __name__ == "__main__":
    sys.exit(main())
