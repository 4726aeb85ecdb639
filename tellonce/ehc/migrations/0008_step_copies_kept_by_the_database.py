"""Each EHC step's copies of its child's name, SEND status and locality (Step's docstring
says why the worklist keeps them) are kept true by the database: a trigger on people_child
copies them onto the child's steps whenever any code changes them, so an edit of the child's
details can never leave the worklist showing an old name or the wrong caseload.

The child's local authority is not copied by the trigger: moving a child between councils
(a transfer of the plan, SEND Regulations 2014 reg 15) also moves the measures' counts, which
`ehc.actions.copy_child_onto_steps` does in the same transaction.

The SQL is frozen here, as this migration first ran it.
"""

from django.db import migrations

from tellonce import triggers

PG_INSTALL = """
CREATE OR REPLACE FUNCTION ehc_step_copy_child() RETURNS trigger AS $$
BEGIN
  UPDATE ehc_step SET child_given_name = NEW.given_name, child_family_name = NEW.family_name,
    child_send_status = NEW.send_status, child_locality_id = NEW.locality_id
  WHERE child_id = NEW.id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS people_child_copy_onto_steps ON people_child;
CREATE TRIGGER people_child_copy_onto_steps
  AFTER UPDATE OF given_name, family_name, send_status, locality_id ON people_child
  FOR EACH ROW
  WHEN (OLD.given_name IS DISTINCT FROM NEW.given_name
        OR OLD.family_name IS DISTINCT FROM NEW.family_name
        OR OLD.send_status IS DISTINCT FROM NEW.send_status
        OR OLD.locality_id IS DISTINCT FROM NEW.locality_id)
  EXECUTE FUNCTION ehc_step_copy_child();
"""
PG_REMOVE = """
DROP TRIGGER IF EXISTS people_child_copy_onto_steps ON people_child;
DROP FUNCTION IF EXISTS ehc_step_copy_child();
"""
SQLITE_INSTALL = [
    "DROP TRIGGER IF EXISTS people_child_copy_onto_steps;",
    """CREATE TRIGGER people_child_copy_onto_steps
  AFTER UPDATE OF given_name, family_name, send_status, locality_id ON people_child
  FOR EACH ROW
  WHEN OLD.given_name IS NOT NEW.given_name OR OLD.family_name IS NOT NEW.family_name
    OR OLD.send_status IS NOT NEW.send_status OR OLD.locality_id IS NOT NEW.locality_id
  BEGIN
    UPDATE ehc_step SET child_given_name = NEW.given_name, child_family_name = NEW.family_name,
      child_send_status = NEW.send_status, child_locality_id = NEW.locality_id
    WHERE child_id = NEW.id;
  END;""",
]
SQLITE_REMOVE = ["DROP TRIGGER IF EXISTS people_child_copy_onto_steps;"]


def forward(apps, schema_editor):
    triggers.execute(schema_editor.connection, PG_INSTALL, SQLITE_INSTALL)


def backward(apps, schema_editor):
    triggers.execute(schema_editor.connection, PG_REMOVE, SQLITE_REMOVE)


class Migration(migrations.Migration):

    dependencies = [
        ("ehc", "0007_done_step_counts"),
        ("people", "0006_personal_involvement_index_holds_dates_and_child"),
    ]

    operations = [migrations.RunPython(forward, backward)]
