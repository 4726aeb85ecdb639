"""Steps keep copies of their child's SEND status and name, for the worklist."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("ehc", "0002_step_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="step",
            name="child_send_status",
            field=models.CharField(default="none", max_length=20),
        ),
        migrations.AddField(
            model_name="step",
            name="child_family_name",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="step",
            name="child_given_name",
            field=models.CharField(blank=True, max_length=100),
        ),
    ]
