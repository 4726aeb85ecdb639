"""The search stamp also changes when an area (people.Locality) is added, renamed or removed:
the search form lists the areas from the search index (tellonce/directory/search_stamp.py)."""

from django.db import migrations

from tellonce.directory import search_stamp


def forward(apps, schema_editor):
    search_stamp.install(schema_editor.connection)  # adds the trigger on people_locality


def backward(apps, schema_editor):
    search_stamp.remove_table(schema_editor.connection, "people_locality")


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0006_search_stamp'),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
