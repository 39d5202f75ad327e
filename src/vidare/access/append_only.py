"""The access log is append-only in the database itself, not only in the ORM.

Triggers refuse every UPDATE and DELETE of a row of access_accesslogentry, and on
PostgreSQL also TRUNCATE, whoever sends it (the application, a raw SQL session, a script).
Both databases report the refusal as an integrity error. Emptying the whole database is
the operator's decision about the installation, not an edit of the log: `flush` lifts the
triggers for its run (management/commands/flush.py), and dropping the database or the
SQLite file is beyond any trigger. In production the application's database role should
not own the tables, so it cannot drop the triggers either.

The triggers are installed by migration access.0004 and again after every `migrate`
(apps.py), because SQLite drops a table's triggers whenever a migration rebuilds the table.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "access_accesslogentry"
MESSAGE = "access log is append-only"

_POSTGRESQL_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION vidare_access_log_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP USING ERRCODE = 'restrict_violation';
        END $$""",
    f"DROP TRIGGER IF EXISTS access_log_append_only ON {TABLE}",
    f"""CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION vidare_access_log_append_only()""",
    f"DROP TRIGGER IF EXISTS access_log_no_truncate ON {TABLE}",
    f"""CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION vidare_access_log_append_only()""",
]
_POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS access_log_append_only ON {TABLE}",
    f"DROP TRIGGER IF EXISTS access_log_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS vidare_access_log_append_only()",
]
_SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS access_log_no_{op.lower()} BEFORE {op} ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {op} refused'); END"""
    for op in ("UPDATE", "DELETE")
]
_SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS access_log_no_{op}" for op in ("update", "delete")]

_STATEMENTS = {
    "postgresql": (_POSTGRESQL_INSTALL, _POSTGRESQL_REMOVE),
    "sqlite": (_SQLITE_INSTALL, _SQLITE_REMOVE),
}


def _run(connection: BaseDatabaseWrapper, install: bool) -> None:
    statements = _STATEMENTS.get(connection.vendor)
    if statements is None or TABLE not in connection.introspection.table_names():
        return  # other databases are not supported; before migration there is no table
    with connection.cursor() as cursor:
        for sql in statements[0 if install else 1]:
            cursor.execute(sql)


def install(connection: BaseDatabaseWrapper) -> None:
    """Install (or re-install) the triggers; safe to repeat."""
    _run(connection, install=True)


def remove(connection: BaseDatabaseWrapper) -> None:
    _run(connection, install=False)
