"""The search stamp also changes when a service's stored copies are rewritten: the search
index keeps them (tellonce/directory/search_stamp.py, search_index.py)."""

from django.db import migrations

from tellonce.directory import search_stamp


def forward(apps, schema_editor):
    search_stamp.install(schema_editor.connection)  # replaces the service's triggers


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0007_search_stamp_localities'),
    ]

    operations = [
        # Backwards leaves the wider triggers: they only change the stamp more often.
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
