"""Fill the new copies of each step's child's status and name on existing steps."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy_child_onto_steps(apps, schema_editor):
    Child = apps.get_model("people", "Child")
    Step = apps.get_model("ehc", "Step")
    child = Child.objects.filter(pk=OuterRef("child_id"))
    # One set-based UPDATE, however many steps there are.
    Step.objects.update(
        child_send_status=Subquery(child.values("send_status")[:1]),
        child_family_name=Subquery(child.values("family_name")[:1]),
        child_given_name=Subquery(child.values("given_name")[:1]),
    )


class Migration(migrations.Migration):

    dependencies = [
        ("ehc", "0003_step_child_copies"),
        ("people", "0002_child_name_keys"),
    ]

    # Going back drops the columns (0003 reversed); nothing to undo here.
    operations = [migrations.RunPython(copy_child_onto_steps, migrations.RunPython.noop)]
