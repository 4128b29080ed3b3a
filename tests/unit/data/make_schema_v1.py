"""Writes schema_v1.sqlite: a database as schema version 1 left it, with a little data.

Run once when version 1 was current; kept so the upgrade test always starts from a real
old file. Later schema versions add their own file beside it (schema_v2.sqlite, …).
"""

from pathlib import Path

import sqlalchemy as sa

from collab_widgets.store.migrations import migrate

HERE = Path(__file__).parent

ROWS = """
INSERT INTO coaches VALUES (1, 'Old Coach', 'C22222222222', '2025-09-01 08:00:00');
INSERT INTO teams VALUES (1, 'Legacy Team', 'T33333333333', 1, 7, 1, '2025-09-01 08:05:00');
INSERT INTO members VALUES (1, 1, 'Ana', 'ana', 'M44444444444', 1, '2025-09-01 08:06:00', NULL);
INSERT INTO members VALUES (2, 1, 'Ben', 'ben', 'M55555555555', 2, '2025-09-01 08:07:00', NULL);
INSERT INTO role_assignments VALUES (1, 1, 1, 'facilitator', 2, '2025-09-02 08:00:00');
INSERT INTO role_assignments VALUES (2, 1, 1, 'timekeeper', 1, '2025-09-02 08:00:00');
INSERT INTO role_assignments VALUES (3, 1, 1, 'recorder', 2, '2025-09-02 08:00:00');
INSERT INTO norms VALUES (1, 1, 'time', 'We start on time.', 1, '2025-09-02 08:00:00',
                          '2025-09-02 08:00:00', NULL, NULL);
INSERT INTO activity VALUES (1, 1, '2025-09-01 08:05:00', 'team', 'Team created', NULL, NULL);
"""


def main() -> None:
    path = HERE / "schema_v1.sqlite"
    path.unlink(missing_ok=True)
    engine = sa.create_engine(f"sqlite:///{path}")
    migrate(engine, target=1)
    with engine.begin() as conn:
        for statement in ROWS.split(";"):
            if statement.strip():
                conn.exec_driver_sql(statement)
    engine.dispose()


if __name__ == "__main__":
    main()
