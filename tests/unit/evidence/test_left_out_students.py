"""A student with no score is left out of an assessment: the uploader's report names them
(the uploader holds the file), the saved warning every member and notebook sees names no
one, and one saved before that rule is read without the ids."""

from __future__ import annotations

import dataclasses

import pandas as pd

from collab_widgets.evidence import saved, store
from collab_widgets.evidence.app import EvidenceApp
from collab_widgets.evidence.scores import read_scores
from collab_widgets.lab.team_data import team_data
from tests.unit.evidence.test_app import page, upload

SCORES = pd.DataFrame(
    {
        "Student ID": [f"S{n:03}" for n in range(12)] + ["S999"],
        "Q1": [1] * 12 + [None],
        "Q2": [0, 1] * 6 + [None],
    }
)


def test_the_saved_warning_names_no_student_and_the_report_does(sqlite_team, tmp_path):
    scores = read_scores(SCORES, name="Left out")
    assert scores.left_out == ("S999",)
    assert "1 student has no scores at all and is left out." in scores.warnings
    assert not any("S999" in w for w in scores.warnings)
    assessment = saved.save(sqlite_team.member(0), scores, "Left out")
    info = store.assessments(sqlite_team.member(0))[0]
    assert info.id == assessment and not any("S999" in w for w in info.warnings)
    lab = team_data(sqlite_team.member(0)).scores("Left out")
    assert not any("S999" in w for w in lab.warnings) and "S999" not in repr(lab)

    app: EvidenceApp = page(sqlite_team, 0)
    file = tmp_path / "left_out.csv"
    SCORES.to_csv(file, index=False)
    upload(app.upload.scores_file, file)
    assert "Left out, with no score in the file: S999" in app.upload.report.value


def test_a_warning_saved_with_ids_before_is_read_without_them(sqlite_team):
    scores = read_scores(SCORES, name="Old")
    old = [w.replace("is left out.", "is left out: S999") for w in scores.warnings]
    saved.save(sqlite_team.member(0), dataclasses.replace(scores, warnings=old), "Old")
    (info,) = store.assessments(sqlite_team.member(0))
    assert "1 student has no scores at all and is left out." in info.warnings
    assert not any("S999" in w for w in info.warnings)
