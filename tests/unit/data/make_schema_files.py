"""Writes schema_vN.sqlite: a database as schema version N left it, with a little data.

    python tests/unit/data/make_schema_files.py 2     # writes schema_v2.sqlite

Run once for version N just before the schema changes to N + 1 (each version's rows go
in at that version, so it also works afterwards); the file is then kept so that the
upgrade test always starts from a real old database. Each version's rows include the
previous version's.
"""

import sys
from pathlib import Path

import sqlalchemy as sa

from collab_widgets.core.db.migrations import migrate

HERE = Path(__file__).parent

ROWS = {
    1: """
INSERT INTO coaches VALUES (1, 'Old Coach', 'C22222222222', '2025-09-01 08:00:00');
INSERT INTO teams (id, name, code, coach_id, revision, role_rotation, created_at)
    VALUES (1, 'Legacy Team', 'T33333333333', 1, 7, 1, '2025-09-01 08:05:00');
INSERT INTO members VALUES (1, 1, 'Ana', 'ana', 'M44444444444', 1, '2025-09-01 08:06:00', NULL);
INSERT INTO members VALUES (2, 1, 'Ben', 'ben', 'M55555555555', 2, '2025-09-01 08:07:00', NULL);
INSERT INTO role_assignments VALUES (1, 1, 1, 'facilitator', 2, '2025-09-02 08:00:00');
INSERT INTO role_assignments VALUES (2, 1, 1, 'timekeeper', 1, '2025-09-02 08:00:00');
INSERT INTO role_assignments VALUES (3, 1, 1, 'recorder', 2, '2025-09-02 08:00:00');
INSERT INTO norms VALUES (1, 1, 'time', 'We start on time.', 1, '2025-09-02 08:00:00',
                          '2025-09-02 08:00:00', NULL, NULL);
INSERT INTO activity VALUES (1, 1, '2025-09-01 08:05:00', 'team', 'Team created', NULL, NULL);
""",
    2: """
INSERT INTO meetings VALUES (1, 1, '2025-09-10', 'September meeting', '2025-09-02 08:10:00', NULL);
INSERT INTO agenda_items VALUES (1, 1, 1, 'Norms check', 3, 1, NULL);
INSERT INTO agenda_items VALUES (2, 1, 1, 'Looking at data', 30, 2, NULL);
INSERT INTO attendance VALUES (1, 1, 1, 1, 1);
INSERT INTO attendance VALUES (2, 1, 1, 2, 1);
INSERT INTO norm_checks VALUES (1, 1, 1, 1, 1, 'start', 3, '2025-09-10 15:00:00');
""",
    3: """
INSERT INTO live_sessions VALUES (1, 1, 'protocol', 'Chalk talk', 2, '2025-09-10 15:05:00',
                                  '2025-09-10 15:30:00');
INSERT INTO live_prompts VALUES (1, 1, 1, 0, 'board', 'Silent writing', 'Write on the board.',
                                 0, NULL, NULL, NULL, 'closed');
INSERT INTO live_entries VALUES (1, 1, 1, 'note', 1, 'Fractions need pictures first.', NULL,
                                 NULL, '2025-09-10 15:10:00', '2025-09-10 15:10:00', NULL);
INSERT INTO protocol_runs VALUES (1, 1, 1, 1, 'chalk-talk', 'Chalk talk', 'library', 'finished',
                                  0, '2025-09-10 15:05:00', '2025-09-10 15:05:00', NULL, 0, 0,
                                  0, '2025-09-10 15:30:00');
INSERT INTO run_steps VALUES (1, 1, 1, 0, 'silent-writing', 20, 1, 'everyone', '',
                              'Pictures before symbols.', '2025-09-10 15:25:00');
INSERT INTO run_roles VALUES (1, 1, 1, 'facilitator', 2);
""",
    4: """
INSERT INTO assessments VALUES (1, 1, 'September quiz', '2025-09-09', 'quiz.csv', 0, '[]', '[]',
                                2, '2025-09-09 16:00:00', NULL);
INSERT INTO assessment_items VALUES (1, 1, 1, 0, 'Q1', '4.NF.1', 1.0, '', 0);
INSERT INTO assessment_items VALUES (2, 1, 1, 1, 'Q2', '4.NF.2', 2.0, '', 0);
INSERT INTO assessment_students VALUES (1, 1, 1, 'S1', 'Sam Lee', '', '', '{}', '[1.0,2.0]',
                                        '["",""]', NULL, NULL);
INSERT INTO assessment_students VALUES (2, 1, 1, 'S2', 'Kim Diaz', '', '', '{}', '[0.0,1.0]',
                                        '["",""]', NULL, NULL);
INSERT INTO activity VALUES (2, 1, '2025-09-09 16:00:00', 'assessment',
                             'Assessment “September quiz” added', 2, 'assessment/1');
""",
    5: """
INSERT INTO cycles VALUES (1, 1, 'Unit 1: place value', '2025-09-01', '2025-10-10', 'closed',
                           'Place value to thousands.', 'September quiz.', 'Reteach groups.',
                           'Open problems.', '2025-09-01 09:00:00', NULL);
INSERT INTO cycle_assessments VALUES (1, 1, 1, 1);
INSERT INTO goals VALUES (1, 1, 1, '{"baseline": "40", "target": "60"}', 0,
                          '2025-09-02 09:00:00', NULL);
INSERT INTO goal_versions VALUES (1, 1, 1, 1, '{"baseline": "40", "target": "60"}',
                                  'By 10 October, 60%.', 2, '2025-09-02 09:00:00');
INSERT INTO goal_checkpoints VALUES (1, 1, 1, '2025-09-20', 52.0, 'Exit ticket', NULL, 2,
                                     '2025-09-20 09:00:00', NULL);
INSERT INTO wins VALUES (1, 1, 'Sam explained regrouping.', NULL, 1, '2025-09-21 09:00:00',
                         NULL);
""",
    6: """
INSERT INTO syntheses VALUES (1, 1, 1, 'We saw item 4.', 'Denominators.', 'Number lines.',
                              '2025-09-10 16:00:00');
INSERT INTO decisions VALUES (1, 1, 1, 'Reteach in small groups.', 'consensus', '',
                              '["Ana", "Ben"]', NULL, 2, '2025-09-10 16:00:00', NULL);
INSERT INTO actions VALUES (1, 1, 1, 'Plan the reteach', 1, '2025-09-17', 'open', '', 1, 2,
                            '2025-09-10 16:00:00', NULL);
INSERT INTO action_history VALUES (1, 1, 1, 2, '2025-09-10 16:00:00', 'created');
INSERT INTO survey_rounds VALUES (1, 1, 1, 'fist-to-five', 'Fist to five', 2,
                                  '[{"support": 4}, {"support": 5}]', 2,
                                  '2025-09-10 16:00:00', '2025-09-10 16:10:00', NULL);
INSERT INTO survey_responders VALUES (1, 1, 1, 1);
INSERT INTO survey_responders VALUES (2, 1, 1, 2);
""",
    7: """
INSERT INTO coaches VALUES (2, 'Second Coach', 'C66666666666', '2025-09-03 08:00:00');
INSERT INTO coach_teams VALUES (1, 2, 1, '2025-09-03 08:01:00');
""",
    8: """
INSERT INTO workshops VALUES (1, 1, 1, 'Autumn workshop', 'WK2345', 0, 1, 5,
                              '2025-10-01 09:00:00', NULL);
INSERT INTO workshop_prompts VALUES (1, 1, 1, 'choice', 'Which protocol next?',
                                     '["Chalk talk", "Tuning"]', NULL);
INSERT INTO workshop_participants VALUES (1, 1, 'Ana', '2025-10-01 09:01:00', NULL);
INSERT INTO workshop_answers VALUES (1, 1, 1, 1, 'Tuning', '2025-10-01 09:02:00');
""",
    9: """
INSERT INTO workshop_participants VALUES (2, 1, 'Ben', '2025-10-01 09:03:00', NULL,
    '0ad2829fefc0cec72f26bd92b7009b6c277c0e17556bc66b1939c645d67febf4');
""",
    10: "",  # version 10's one column (members.claimed_at) is filled by its own step
    11: """
INSERT INTO assessments VALUES (2, 1, 'October quiz', '2025-10-09', 'oct.csv', 0, '[]',
                                '["2 students have no scores at all and are left out: S901, S902"]',
                                2, '2025-10-09 16:00:00', NULL);
""",  # a warning as saved until version 12, naming students left out
    12: "",  # version 12 changes saved rows only
    13: """
INSERT INTO co_plans VALUES (1, 1, NULL, 'Fractions lesson', '4.NF.1', 'Compare fractions',
                             '', '', '', '2025-11-01 09:00:00', NULL);
INSERT INTO co_plan_segments VALUES (1, 1, 1, 1, 'Warm-up', 10, 'station', NULL);
""",
    14: """
INSERT INTO classes VALUES (1, 1, 2, 'Room 9', 'K7M2Q9', 0, 3, '2027-06-30',
                            '2025-11-02 09:00:00');
INSERT INTO class_students VALUES (1, 1, 1, 'S100', 'Lina Ortiz', 'Lina O.', '{}', NULL,
                                   '2025-11-02 09:01:00');
INSERT INTO class_students VALUES (2, 1, 1, 'S101', 'Omar Haddad', 'Omar H.', '{}', NULL,
                                   '2025-11-02 09:01:00');
""",
    15: """
INSERT INTO families VALUES (1, 1, 1, 1, 'es', 'call after 5pm', '2025-11-03 09:00:00');
INSERT INTO family_guardians VALUES (1, 1, 1, 'Ana Ortiz', NULL, NULL, 0, '2025-11-03 09:00:00');
""",
    16: """
INSERT INTO school_people VALUES (1, 1, 'coordinator', 'Rosa Diaz',
    'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90', '2025-11-04 09:00:00');
""",
}


def write(version: int) -> Path:
    path = HERE / f"schema_v{version}.sqlite"
    path.unlink(missing_ok=True)
    engine = sa.create_engine(f"sqlite:///{path}")
    for number in range(1, version + 1):  # each version's rows into that version's tables
        migrate(engine, target=number)
        with engine.begin() as conn:
            for statement in ROWS[number].split(";"):
                if statement.strip():
                    conn.exec_driver_sql(statement)
    engine.dispose()
    return path


if __name__ == "__main__":
    print(write(int(sys.argv[1])))
