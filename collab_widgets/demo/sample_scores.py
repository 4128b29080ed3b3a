"""Synthetic common-assessment results for the demo teams: invented students, no real ones.

For each demo team of :mod:`collab_widgets.demo.sample` (Grade 4 Math, Grade 7 Science,
English 9) there is an item map (item, standard, max points, correct answer), a roster of
about 120-130 invented students in the sections the team's members teach (the teacher
names are the members' names, so a teacher finds "their own" students), attributes for
subgroups (ELL, IEP, Gender; some groups are under 10 students so that suppression shows)
and a PRE and a POST assessment: mostly the same students (a few moved in or out), growth
from pre to post, items of varying difficulty, a few "absent" cells and some blanks.
Grade 4 Math tells the story of the demo's "Looking at data" meeting: item 4 (comparing
fractions) is about 62% correct in the post and most wrong answers are B; items 1-3 are
above 85% in every class; nine students left item 7 (the word problem) blank.

Everything is deterministic: a NumPy Generator with a fixed seed, so the same code (and
NumPy) gives the same students, answers and files every time.

    from collab_widgets.evidence import read_scores
    from collab_widgets.demo.sample_scores import assessment, item_map, write_format_samples

    post = assessment("Grade 4 Math", "post")   # a row per student, cells as exported
    scores = read_scores(post, key=item_map("Grade 4 Math"))
    write_format_samples(Path("scores"))         # one file per supported format and shape

Pure Python, pandas, NumPy and openpyxl: nothing here knows about widgets or the store.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 2026
PRE, POST = "pre", "post"
ABSENT = "absent"

# The members of each demo team, as in collab_widgets.demo.sample.DEMO_TEAMS (copied, so that
# this module does not import the store; tests/unit/test_sample_scores.py checks they agree).
TEACHERS = {
    "Grade 4 Math": ("Avery M.", "Jordan K.", "Priya S.", "Mateo R.", "Lin W."),
    "Grade 7 Science": ("Sam O.", "Noor A.", "Diego F.", "Hana T."),
    "English 9": ("Chris B.", "Amara N.", "Tomás L.", "Yuki I.", "Rosa G.", "Ben D."),
}
TEAMS = tuple(TEACHERS)

PERSON_COLUMNS = ("Student ID", "First Name", "Last Name", "Teacher", "Section")
ATTRIBUTES = ("ELL", "IEP", "Gender")
ITEM_MAP_COLUMNS = ("Item", "Standard", "Max Points", "Answer")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Invented, varied first names (all writable in Windows-1252) and family names. A student
# is a random pairing of the two: nobody real.
FIRST_F = _words(
    "Aaliyah Amara Ana Anya Aisha Amelia Ayesha Beatriz Chloé Daniela Eleni Esperanza Fatima "
    "Freya Gabriela Hana Imani Inés Ingrid Isabela Jasmine Kalani Keiko Leilani Lucía Mariam "
    "Marisol Maya Mei Nadia Nia Noemí Olivia Priya Rania Renée Saanvi Siobhan Sofia Tatiana "
    "Thandiwe Valentina Wanjiru Ximena Yasmin Zainab Zoë"
)
FIRST_M = _words(
    "Aarav Ahmed Alejandro Amir Andrés Arjun Björn Bongani Carlos Chen Diego Dmitri Elijah "
    "Emeka Ethan Hamza Hiroshi Ibrahim Isaac Jin Joaquín José Kai Kofi Kwame Lars Liam Luca "
    "Malik Mateus Minh Mohammed Nikolai Nils Omar Oscar Rafael Ravi Rohan Samir Santiago "
    "Sebastián Tariq Tenzin Theo Tuan Wei Yusuf"
)
FIRST_X = _words("Alex Ari Charlie Eden Kiran Morgan Noa Quinn Remy Riley Rowan Sage Sasha Skyler")
LAST = _words(
    "Abara Adeyemi Ahmadi Alvarez Andersen Asante Bakshi Banerjee Becker Begay Castillo Chavez "
    "Chen Cohen Costa Dang Delgado Diallo Díaz Dubois Eriksen Fernández Fischer Garcia Ghosh "
    "Gonzalez Gutiérrez Haddad Haile Hashemi Hernández Hoang Horvath Ibrahim Ito Jansen "
    "Jiménez Johnson Kahale Kariuki Kaur Kim Kowalski Kuznetsov Lee Lindqvist Lopez Mahmoud "
    "Mendoza Mensah Moreau Moreno Müller Murphy Nakamura Nguyen Novak Nowak O'Brien Odhiambo "
    "Okafor Okonkwo Olsen Ortiz Park Patel Pereira Petrov Popescu Quispe Rahman Ramírez Reyes "
    "Rossi Santos Sato Schmidt Silva Singh Smith Suzuki Takahashi Tanaka Tesfaye Torres Tran "
    "Vargas Wang Williams Wong Yamamoto Yazzie Yilmaz Zhang Zulu"
)


@dataclass(frozen=True)
class _Item:
    name: str
    standard: str
    max_points: int
    pre: float  # share of the points earned before the unit (for an option item: correct)
    post: float  # ... and after it
    answer: str = ""  # the correct option of a multiple-choice item
    options: str = ""  # "ABCD" for a multiple-choice item, "" for constructed response
    distractors: tuple[tuple[str, float], ...] = ()  # weights of wrong options; () random
    step: float = 1.0  # 0.5 where a rubric gives half points
    blanks: tuple[int, int] | None = None  # exact number left blank (pre, post)


def _mc(name, standard, answer, pre, post, options="ABCD", distractors=()) -> _Item:
    return _Item(name, standard, 1, pre, post, answer, options, distractors)


def _cr(name, standard, max_points, pre, post, step=1.0, blanks=None) -> _Item:
    return _Item(name, standard, max_points, pre, post, step=step, blanks=blanks)


@dataclass(frozen=True)
class _Team:
    index: int
    id_digit: str  # the first digit of every student id of the team
    sections: tuple[tuple[str, str], ...]  # (section, teacher)
    size: tuple[int, int]  # students per section, lowest and highest
    items: tuple[_Item, ...]


_SPECS = {
    "Grade 4 Math": _Team(
        0,
        "4",
        (
            ("4A", "Avery M."),
            ("4B", "Jordan K."),
            ("4C", "Priya S."),
            ("4D", "Mateo R."),
            ("4E", "Lin W."),
        ),
        (22, 26),
        (
            _mc("Q1", "4.NBT.5", "A", 0.86, 0.95),
            _mc("Q2", "4.NBT.5", "D", 0.84, 0.94),
            _mc("Q3", "4.NF.1", "B", 0.80, 0.94),
            # comparing fractions: B is the fraction with the larger denominator
            _mc("Q4", "4.NF.2", "C", 0.44, 0.635, distractors=(("A", 0.13), ("B", 0.75))),
            _mc("Q5", "4.NF.2", "A", 0.60, 0.78),
            _mc("Q6", "4.NF.1", "D", 0.62, 0.81),
            _cr("Q7", "4.MD.2", 3, 0.40, 0.64, blanks=(12, 9)),  # the word problem
            _cr("Q8", "4.NF.1", 2, 0.52, 0.74),
            _mc("Q9", "4.NF.2", "B", 0.58, 0.76),
            _mc("Q10", "4.MD.2", "C", 0.55, 0.72),
            _cr("Q11", "4.NBT.5", 2, 0.58, 0.79, step=0.5),
            _cr("Q12", "4.NF.2", 3, 0.38, 0.61),
        ),
    ),
    "Grade 7 Science": _Team(
        1,
        "7",
        (
            ("Period 1", "Sam O."),
            ("Period 2", "Noor A."),
            ("Period 3", "Diego F."),
            ("Period 4", "Hana T."),
            ("Period 6", "Sam O."),
        ),
        (24, 28),
        (
            _mc("Q1", "MS-PS1-1", "B", 0.70, 0.86),
            _mc("Q2", "MS-PS1-1", "D", 0.64, 0.80),
            _mc("Q3", "MS-PS1-2", "A", 0.55, 0.73),
            _mc("Q4", "MS-PS1-2", "C", 0.50, 0.70),
            _mc("Q5", "MS-PS1-4", "B", 0.48, 0.66),
            # conservation of mass: D says mass is lost when a gas escapes
            _mc("Q6", "MS-PS1-5", "A", 0.35, 0.52, distractors=(("B", 0.15), ("D", 0.7))),
            _mc("Q7", "MS-PS1-4", "D", 0.58, 0.75),
            _cr("Q8", "MS-PS1-2", 2, 0.45, 0.66),
            _cr("Q9", "MS-PS1-5", 3, 0.32, 0.55),
            _cr("Q10", "MS-PS1-4", 3, 0.40, 0.61),
        ),
    ),
    "English 9": _Team(
        2,
        "9",
        (
            ("Period 1", "Chris B."),
            ("Period 2", "Amara N."),
            ("Period 3", "Tomás L."),
            ("Period 4", "Yuki I."),
            ("Period 5", "Rosa G."),
            ("Period 7", "Ben D."),
        ),
        (20, 24),
        (
            _mc("Q1", "RL.9-10.1", "C", 0.72, 0.85, "ABCDE"),
            _mc("Q2", "RL.9-10.1", "A", 0.66, 0.80, "ABCDE"),
            _mc("Q3", "RL.9-10.2", "E", 0.48, 0.62, "ABCDE", (("A", 0.1), ("C", 0.6))),
            _mc("Q4", "RL.9-10.3", "B", 0.62, 0.76, "ABCDE"),
            _mc("Q5", "RL.9-10.4", "D", 0.68, 0.79, "ABCDE"),
            _mc("Q6", "RL.9-10.4", "B", 0.57, 0.72, "ABCDE"),
            _mc("Q7", "RL.9-10.5", "A", 0.52, 0.68, "ABCDE"),
            _cr("Q8", "RL.9-10.1", 2, 0.50, 0.69),
            _cr("Q9", "RL.9-10.2", 2, 0.42, 0.61, step=0.5),
            _cr("Q10", "RL.9-10.2", 4, 0.45, 0.63),
        ),
    ),
}
# The exit ticket of the Grade 4 story ("item-4-style questions next Friday"), as a Google
# Forms quiz: question, standard, correct answer, the other choices (the misconception first).
FORMS_QUIZ = (
    ("Which fraction is greater: 3/8 or 3/4?", "4.NF.2", "3/4", ("3/8", "They are equal")),
    ("Which fraction is greater: 2/5 or 2/3?", "4.NF.2", "2/3", ("2/5", "They are equal")),
    ("Which fraction is less: 1/6 or 1/3?", "4.NF.2", "1/6", ("1/3", "They are equal")),
    ("Which symbol makes this true: 5/8 __ 1/2?", "4.NF.2", ">", ("<", "=")),
    ("Which fraction is equal to 1/2?", "4.NF.1", "2/4", ("2/3", "1/3")),
    ("Which fraction is greater: 5/12 or 5/6?", "4.NF.2", "5/6", ("5/12", "They are equal")),
    ("Which fraction is closest to 1?", "4.NF.2", "7/8", ("1/8", "3/8")),
    ("Which symbol makes this true: 2/6 __ 2/4?", "4.NF.2", "<", (">", "=")),
    ("Which fraction is greater: 3/10 or 3/5?", "4.NF.2", "3/5", ("3/10", "They are equal")),
    (
        "Sam ate 1/4 of a pizza. Lee ate 1/3 of a pizza of the same size. Who ate more?",
        "4.NF.2",
        "Lee",
        ("Sam", "They ate the same"),
    ),
)


# --- public API ----------------------------------------------------------------------


def item_map(team_name: str) -> pd.DataFrame:
    """The team's item map (answer key): columns Item, Standard, Max Points, Answer (the
    correct option of a multiple-choice item, "" for a constructed-response one)."""
    spec = _spec(team_name)
    return pd.DataFrame(
        [(i.name, i.standard, i.max_points, i.answer) for i in spec.items],
        columns=list(ITEM_MAP_COLUMNS),
    )


def assessment(team_name: str, which: str) -> pd.DataFrame:
    """The team's "pre" or "post" assessment as a score export holds it: a row per
    student with Student ID, First Name, Last Name, Teacher, Section, ELL, IEP, Gender,
    then one column per item (the option letter chosen for a multiple-choice item, the
    points earned for a constructed-response one; "" when left blank, "absent" when the
    student missed that part) and Total (points earned). Every cell is text."""
    if which not in (PRE, POST):
        raise ValueError(f"which is 'pre' or 'post', not {which!r}")
    return _team_data(team_name)[which].copy()


def write_format_samples(folder: Path) -> list[Path]:
    """Write one file per supported format and shape into ``folder`` (made if missing),
    all from Grade 4 Math, and return their paths: the pre and post (wide CSV) and the item
    map; the post as Windows-1252 with semicolons and decimal commas, UTF-8 with a BOM,
    TSV, UTF-16 text, an xlsx with the scores on its second sheet ("Scores") and a long
    file; an exit ticket as a Google Forms quiz export with its key; and two files that
    must fail to import ("broken_..."). The same bytes every time (the xlsx has fixed
    document and zip times), as long as NumPy, zlib and openpyxl are the same."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    team = "Grade 4 Math"
    pre, post, key = assessment(team, PRE), assessment(team, POST), item_map(team)
    items = [str(i) for i in key["Item"]]
    numeric = [*(i.name for i in _spec(team).items if not i.options), "Total"]
    written: list[Path] = []

    def csv_file(name, frame, **kwargs) -> None:
        written.append(_write_csv(folder / name, frame, **kwargs))

    csv_file("grade4_math_unit3_pre.csv", pre)
    csv_file("grade4_math_unit3_post.csv", post)
    csv_file("grade4_math_item_map.csv", key)
    # A European spreadsheet's export: Windows-1252, semicolons, decimal commas.
    european = post[["Student ID", "Last Name", "First Name", "Teacher", "Section"]].rename(
        columns={"Section": "Class"}
    )
    european = european.join(post[[*ATTRIBUTES, *items, "Total"]])
    for column in numeric:
        european[column] = european[column].str.replace(".", ",", regex=False)
    csv_file(
        "wide_windows1252_semicolon_decimal_comma.csv",
        european,
        delimiter=";",
        encoding="cp1252",
        newline="\r\n",
    )
    # Excel's "CSV UTF-8": a byte order mark, CRLF line ends.
    csv_file("wide_utf8_bom.csv", post, encoding="utf-8-sig", newline="\r\n")
    # A gradebook's tab-separated export with its own header names.
    gradebook = pd.DataFrame(
        {
            "Student Number": post["Student ID"],
            "Student Name": post["Last Name"] + ", " + post["First Name"],
            "Teacher Name": post["Teacher"],
            "Period": post["Section"],
        }
    ).join(post[[*ATTRIBUTES, *items]])
    gradebook["Total Score"] = post["Total"]
    csv_file("wide_tab.tsv", gradebook, delimiter="\t")
    # Excel's "Unicode text": UTF-16 with a byte order mark, tabs, CRLF.
    csv_file("wide_utf16.txt", post, delimiter="\t", encoding="utf-16", newline="\r\n")
    written.append(_write_xlsx(folder / "wide_two_sheets.xlsx", post))
    csv_file("long_points.csv", _long(post, key))
    quiz, quiz_key = _forms_quiz(post)
    csv_file("google_forms_quiz.csv", quiz)
    csv_file("google_forms_key.csv", quiz_key)
    # Files that must not import.
    twice = post.head(8)
    twice = pd.concat([twice, twice.iloc[[2]]], ignore_index=True)
    csv_file("broken_duplicate_student.csv", twice)
    written.append(_write_text(folder / "broken_not_a_table.csv", _NOT_A_TABLE))
    return written


# --- generating ------------------------------------------------------------------------


def _spec(team_name: str) -> _Team:
    try:
        return _SPECS[team_name]
    except KeyError:
        raise ValueError(f"no demo team {team_name!r}; one of: {', '.join(TEAMS)}") from None


@functools.cache
def _team_data(team_name: str) -> dict[str, pd.DataFrame]:
    spec = _spec(team_name)
    roster = _roster(spec)
    return {which: _assessment(spec, roster, which) for which in (PRE, POST)}


def _draw(rng: np.random.Generator, names: list[str], count: int) -> list[str]:
    """``count`` names, each used once before any is used again."""
    drawn: list[str] = []
    while len(drawn) < count:
        drawn += [names[i] for i in rng.permutation(len(names))]
    return drawn[:count]


def _roster(spec: _Team) -> pd.DataFrame:
    """Every student of the team (pre and post), sorted by section and name, with an
    ability (``theta``) and whether they sat the pre and the post."""
    rng = np.random.default_rng([SEED, spec.index])
    sizes = rng.integers(spec.size[0], spec.size[1] + 1, len(spec.sections))
    n = int(sizes.sum())
    section_of = np.repeat(np.arange(len(spec.sections)), sizes)
    gender = np.where(rng.random(n) < 0.5, "F", "M").astype(object)
    gender[rng.choice(n, int(rng.integers(2, 6)), replace=False)] = "X"
    pools = {"F": FIRST_F, "M": FIRST_M, "X": FIRST_X}
    firsts = {g: iter(_draw(rng, pools[g], int((gender == g).sum()))) for g in pools}
    lasts = iter(_draw(rng, LAST, 4 * n))
    first, last, seen = [], [], set()
    for g in gender:
        given = next(firsts[g])
        family = next(lasts)
        while (given, family) in seen:
            family = next(lasts)
        seen.add((given, family))
        first.append(given)
        last.append(family)
    ell = rng.random(n) < 0.12
    iep = rng.random(n) < 0.13
    section_effect = rng.normal(0, 0.2, len(spec.sections))
    theta = rng.normal(0, 1, n) - 0.3 * ell - 0.4 * iep + section_effect[section_of]
    numbers = rng.choice(9000, n, replace=False) + 1000
    moved = rng.choice(n, 7, replace=False)
    roster = pd.DataFrame(
        {
            "Student ID": [f"S{spec.id_digit}{k:04d}" for k in numbers],
            "First Name": first,
            "Last Name": last,
            "Teacher": [spec.sections[s][1] for s in section_of],
            "Section": [spec.sections[s][0] for s in section_of],
            "ELL": np.where(ell, "Y", "N"),
            "IEP": np.where(iep, "Y", "N"),
            "Gender": gender,
            "section": section_of,
            "theta": theta,
            "pre": True,
            "post": True,
        }
    )
    roster.loc[moved[:3], "post"] = False  # moved out after the pre
    roster.loc[moved[3:], "pre"] = False  # moved in after it
    return roster.sort_values(["section", "Last Name", "First Name"], ignore_index=True)


def _assessment(spec: _Team, roster: pd.DataFrame, which: str) -> pd.DataFrame:
    rng = np.random.default_rng([SEED, spec.index, 0 if which == PRE else 1])
    sat = roster[roster[which]].reset_index(drop=True)
    n = len(sat)
    ability = sat["theta"].to_numpy()
    if which == POST:
        ability = ability + 0.55 + rng.normal(0, 0.35, n)
    sections = sat["section"].to_numpy()
    shift = {
        s: 0.08 * (ability[sections == s].mean() - ability.mean()) + rng.normal(0, 0.02)
        for s in np.unique(sections)
    }
    # a student or two missed the second sitting (the constructed-response items)
    absent = np.zeros(n, bool)
    absent[rng.choice(n, 2 if which == PRE else 1, replace=False)] = True
    cells: dict[str, np.ndarray] = {}
    earned = np.zeros(n)
    for item in spec.items:
        column = np.full(n, "", dtype=object)
        missed = absent if not item.options else np.zeros(n, bool)
        column[missed] = ABSENT
        blank = _blanks(rng, item, which, ~missed)
        target = item.pre if which == PRE else item.post
        propensity = ability + rng.normal(0, 0.8, n)
        for s in np.unique(sections):
            rows = np.flatnonzero((sections == s) & ~missed & ~blank)
            p = float(np.clip(target + shift[s], 0.02, 0.97))
            ranked = rows[np.argsort(propensity[rows], kind="stable")]  # weakest first
            if item.options:
                correct = round(p * len(rows))
                right, wrong = ranked[len(rows) - correct :], ranked[: len(rows) - correct]
                column[right] = item.answer
                earned[right] += item.max_points
                column[wrong] = _wrong_options(rng, item, len(wrong))
            else:
                points = _levels(item, p, len(rows))
                column[ranked] = [_number(x) for x in points]
                earned[ranked] += points
        cells[item.name] = column
    frame = sat[[*PERSON_COLUMNS, *ATTRIBUTES]].copy()
    for name, column in cells.items():
        frame[name] = column
    frame["Total"] = [_number(x) for x in earned]
    return frame.astype(str)


def _blanks(rng: np.random.Generator, item: _Item, which: str, eligible: np.ndarray):
    n = len(eligible)
    if item.blanks is not None:
        blank = np.zeros(n, bool)
        count = item.blanks[0 if which == PRE else 1]
        blank[rng.choice(np.flatnonzero(eligible), count, replace=False)] = True
        return blank
    return eligible & (rng.random(n) < (0.01 if item.options else 0.025))


def _wrong_options(rng: np.random.Generator, item: _Item, count: int) -> list[str]:
    others = [o for o in item.options if o != item.answer]
    weights = dict(item.distractors)
    if weights:
        rest = (1.0 - sum(weights.values())) / max(1, len(others) - len(weights))
        p = np.array([weights.get(o, rest) for o in others])
    else:
        p = rng.dirichlet(np.full(len(others), 4.0))
    return list(rng.choice(others, count, p=p / p.sum()))


def _levels(item: _Item, p: float, count: int) -> np.ndarray:
    """``count`` scores from 0 to the item's maximum (in its steps), sorted, spread as a
    binomial whose mean is ``p`` of the maximum (largest remainders rounded up)."""
    steps = round(item.max_points / item.step)
    pmf = np.array([math.comb(steps, k) * p**k * (1 - p) ** (steps - k) for k in range(steps + 1)])
    exact = pmf * count
    counts = np.floor(exact).astype(int)
    for k in np.argsort(-(exact - counts), kind="stable")[: count - counts.sum()]:
        counts[k] += 1
    return np.repeat(np.arange(steps + 1) * item.step, counts)


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


# --- the other shapes --------------------------------------------------------------------


def _long(post: pd.DataFrame, key: pd.DataFrame) -> pd.DataFrame:
    """One row per student and item: Student ID, Item, Points, Max Points, Standard (an
    option item's points are its maximum when the answer is right, else 0)."""
    rows = []
    for student in post.to_dict("records"):
        for item in key.to_dict("records"):
            cell, maximum = student[item["Item"]], str(item["Max Points"])
            if item["Answer"] and cell:
                cell = maximum if cell == item["Answer"] else "0"
            rows.append((student["Student ID"], item["Item"], cell, maximum, item["Standard"]))
    return pd.DataFrame(rows, columns=["Student ID", "Item", "Points", "Max Points", "Standard"])


def _forms_quiz(post: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The exit ticket as a Google Forms quiz export, and its key."""
    rng = np.random.default_rng([SEED, 0, 2])
    totals = pd.to_numeric(post["Total"])
    strength = (totals.rank(pct=True).to_numpy() - 0.5) * 3 + rng.normal(0, 0.9, len(post))
    took = np.sort(rng.choice(len(post), len(post) - 6, replace=False))  # six were away
    questions = [q for q, *_ in FORMS_QUIZ]
    rows = []
    start = dt.datetime(2026, 2, 13, 8, 50)
    sections = sorted(post["Section"].unique())
    for i in took:
        student = post.iloc[i]
        answers, score = [], 0
        for number, (_, _, right, others) in enumerate(FORMS_QUIZ):
            p = 1 / (1 + math.exp(-(strength[i] + 1.8 - 0.1 * number)))
            if rng.random() < 0.012:  # skipped
                answers.append("")
            elif rng.random() < p:
                answers.append(right)
                score += 1
            else:
                answers.append(others[0] if rng.random() < 0.75 else others[-1])
        hour = sections.index(student["Section"])
        when = start + dt.timedelta(hours=hour, seconds=int(rng.integers(60, 1500)))
        stamp = when.strftime("%Y/%m/%d %I:%M:%S %p EST").replace(" 0", " ")
        rows.append(
            (
                when,
                stamp,
                f"{student['Student ID'].lower()}@students.example.org",
                f"{score} / {len(FORMS_QUIZ)}",
                f"{student['First Name']} {student['Last Name']}",
                student["Teacher"],
                *answers,
            )
        )
    rows.sort(key=lambda row: row[0])
    quiz = pd.DataFrame(
        [row[1:] for row in rows],
        columns=["Timestamp", "Email Address", "Score", "Name", "Teacher", *questions],
    )
    key = pd.DataFrame(
        [(q, standard, 1, right) for q, standard, right, _ in FORMS_QUIZ],
        columns=list(ITEM_MAP_COLUMNS),
    )
    return quiz, key


_NOT_A_TABLE = """Dear families

The Unit 3 common assessment is next Tuesday.
Please make sure your child gets a good night's sleep.
Scores will be shared at conferences.

Thank you
The Grade 4 team
"""

_INSTRUCTIONS = (
    "Unit 3 common assessment: Grade 4 Math (post)",
    "Enter one row per student on the sheet “Scores”.",
    "Multiple-choice items (Q1-Q6, Q9, Q10): the letter the student chose.",
    "Constructed-response items (Q7, Q8, Q11, Q12): the points earned (Q11 in half points).",
    "Leave a cell blank when the item was skipped; write “absent” for a missed sitting.",
    "Synthetic sample data: the students are invented.",
)


# --- writing -------------------------------------------------------------------------------


def _write_csv(
    path: Path,
    frame: pd.DataFrame,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    newline: str = "\n",
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow([str(c) for c in frame.columns])
    writer.writerows([[str(v) for v in row] for row in frame.itertuples(index=False)])
    text = buffer.getvalue()
    # UTF-16 as Excel writes it: little-endian with a byte order mark
    utf16 = encoding == "utf-16"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le") if utf16 else text.encode(encoding))
    return path


def _write_text(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry the same time, so that the same workbook gives the
    same bytes (openpyxl adds some entries from data, the sheets from temporary files)."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=(2026, 1, 1, 0, 0, 0))
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        data = Path(filename).read_bytes()
        self.writestr(arcname or Path(filename).name, data, compress_type, compresslevel)


def _write_xlsx(path: Path, post: pd.DataFrame) -> Path:
    """A workbook with an "Instructions" sheet first and the scores on "Scores"."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    notes = book.active
    notes.title = "Instructions"
    for line in _INSTRUCTIONS:
        notes.append([line])
    notes.column_dimensions["A"].width = 90
    sheet = book.create_sheet("Scores")
    sheet.append(list(post.columns))
    for row in post.itertuples(index=False):
        sheet.append([_cell(v) for v in row])
    sheet.freeze_panes = "B2"
    fixed = dt.datetime(2026, 1, 1)
    book.properties.creator = "collab_widgets.demo.sample_scores"
    book.properties.created = book.properties.modified = fixed
    buffer = io.BytesIO()
    ExcelWriter(book, _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    path.write_bytes(buffer.getvalue())
    return path


def _cell(value: str):
    """A number as a number (as a teacher types it), anything else as text."""
    if value and value.replace(".", "", 1).isdigit():
        return float(value) if "." in value else int(value)
    return value or None
