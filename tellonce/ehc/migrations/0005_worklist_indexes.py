"""Indexes for open steps only (the worklist's sorts by due date, no date last, and by
child's name; by caseworker; by kind) and for done steps only (the measures, covering)."""

from django.db import migrations, models

OPEN = models.Q(("cancelled", False), ("done_on__isnull", True))


class Migration(migrations.Migration):

    dependencies = [
        ("ehc", "0004_copy_child_onto_steps"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="step", name="ehc_step_open_due"),
        migrations.RemoveIndex(model_name="step", name="ehc_step_kind_done"),
        migrations.RemoveIndex(model_name="step", name="ehc_step_kind_b84f3f_idx"),
        migrations.RemoveIndex(model_name="step", name="ehc_step_casewor_adfa16_idx"),
        migrations.AddIndex(
            model_name="step",
            index=models.Index(
                models.F("local_authority"),
                models.ExpressionWrapper(
                    models.Q(("due__isnull", True)), output_field=models.BooleanField()
                ),
                models.F("due"),
                models.F("id"),
                models.F("child_send_status"),
                condition=OPEN,
                name="ehc_step_open_by_due",
            ),
        ),
        migrations.AddIndex(
            model_name="step",
            index=models.Index(
                condition=OPEN,
                fields=[
                    "local_authority",
                    "child_family_name",
                    "child_given_name",
                    "id",
                    "child_send_status",
                    "due",
                ],
                name="ehc_step_open_by_name",
            ),
        ),
        migrations.AddIndex(
            model_name="step",
            index=models.Index(
                condition=OPEN, fields=["caseworker", "due"], name="ehc_step_open_by_caseworker"
            ),
        ),
        migrations.AddIndex(
            model_name="step",
            index=models.Index(condition=OPEN, fields=["kind", "due"], name="ehc_step_open_by_kind"),
        ),
        migrations.AddIndex(
            model_name="step",
            index=models.Index(
                condition=models.Q(("done_on__isnull", False)),
                fields=["local_authority", "kind", "done_on", "cancelled", "exception", "due"],
                name="ehc_step_done_by_kind",
            ),
        ),
    ]
