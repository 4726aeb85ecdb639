"""On PostgreSQL, a trigger makes the audit log append-only: UPDATE and DELETE are rejected.

SQLite gets the same guarantee for the ORM from AuditEvent and its queryset; a database-level
trigger there is added too, so raw SQL cannot rewrite history either.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION access_auditevent_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'access_auditevent is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_auditevent_no_update_delete
  BEFORE UPDATE OR DELETE ON access_auditevent
  FOR EACH ROW EXECUTE FUNCTION access_auditevent_append_only();
CREATE TRIGGER access_auditevent_no_truncate
  BEFORE TRUNCATE ON access_auditevent
  FOR EACH STATEMENT EXECUTE FUNCTION access_auditevent_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS access_auditevent_no_truncate ON access_auditevent;
DROP TRIGGER IF EXISTS access_auditevent_no_update_delete ON access_auditevent;
DROP FUNCTION IF EXISTS access_auditevent_append_only();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER access_auditevent_no_update BEFORE UPDATE ON access_auditevent
       BEGIN SELECT RAISE(ABORT, 'access_auditevent is append-only: UPDATE is not allowed'); END;""",
    """CREATE TRIGGER access_auditevent_no_delete BEFORE DELETE ON access_auditevent
       BEGIN SELECT RAISE(ABORT, 'access_auditevent is append-only: DELETE is not allowed'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS access_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS access_auditevent_no_delete;",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("access", "0002_initial")]
    operations = [migrations.RunPython(forward, backward)]
