"""The links people share (team link, personal link, coach link) and between workbooks."""

from __future__ import annotations

import os
from urllib.parse import urlencode

START_PAGE = "voila/render/00_start_here.ipynb"
# The workbooks, in the order of the cycle, with the names the pages show for them.
WORKBOOKS = (
    ("00_start_here.ipynb", "Start here"),
    ("01_protocols.ipynb", "Protocols"),
    ("02_evidence_analysis.ipynb", "Evidence"),
    ("03_goal_setting.ipynb", "Goals"),
    ("04_todays_meeting.ipynb", "Today's meeting"),
    ("05_reflection_and_actions.ipynb", "Reflection and actions"),
    ("06_in_the_classroom.ipynb", "In the classroom"),
    ("08_students.ipynb", "Students together"),
    ("09_families.ipynb", "Families"),
)


def base_url() -> str:
    """The server's address as visitors reach it (``collab serve`` sets COLLAB_PUBLIC_URL)."""
    return os.environ.get("COLLAB_PUBLIC_URL", "http://127.0.0.1:8866").rstrip("/")


def _query(params: dict[str, str]) -> str:
    if os.environ.get("COLLAB_SERVER_TOKEN"):  # `collab serve --token`: links carry it
        params["token"] = os.environ["COLLAB_SERVER_TOKEN"]
    return urlencode(params)


def _link(page: str = START_PAGE, **params: str) -> str:
    query = _query(params)
    return f"{base_url()}/{page}?{query}" if query else f"{base_url()}/{page}"


def workbook_link(notebook: str, **params: str) -> str:
    """A link from one workbook page to another, relative so it works behind any address."""
    return f"{notebook}?{_query(params)}"


def team_link(team_code: str, notebook: str = "00_start_here.ipynb") -> str:
    return _link(f"voila/render/{notebook}", team=team_code)


def personal_link(team_code: str, member_token: str) -> str:
    return _link(team=team_code, member=member_token)


def coach_link(coach_code: str) -> str:
    return _link(coach=coach_code)


def workshop_link(workshop_code: str) -> str:
    """What participants open (or scan): the light workshop page with its code filled in."""
    return _link("workshop", code=workshop_code)


def student_link(class_code: str = "", card_code: str = "") -> str:
    """What students open (or scan): the light students' page, with the class code filled
    in (the board's poster) or a card's own code (a student's card) after ``#``, which
    browsers never send to a server (so it is in no server's log); the page takes it out
    of the address bar once read. A card never carries the class code: a lost card opens
    nothing without the code on the board, and a new class code shuts every lost card out."""
    link = _link("students", **({"class": class_code} if class_code else {}))
    return f"{link}#card={card_code}" if card_code else link


def family_link(code: str) -> str:
    """What a guardian opens (or scans): the light family page, with their own link code
    after ``#``, which browsers never send to a server (so it is in no server's log); the
    page takes it out of the address bar once read and keeps it in the tab's memory only."""
    return f"{_link('families')}#code={code}"


def mentor_link(code: str) -> str:
    """What a mentor opens (or scans): the light mentor page, with their own link code
    after ``#`` (never sent to a server, so in no server's log); the page takes it out of
    the address bar once read and keeps it in the tab's memory only."""
    return f"{_link('mentors')}#code={code}"


def presenter_link(coach_code: str) -> str:
    return _link("voila/render/07_workshop_presenter.ipynb", coach=coach_code)


def school_link(code: str) -> str:
    """A school's coordinator's or principal's link: the community partnerships page."""
    return _link("voila/render/10_community.ipynb", school=code)
