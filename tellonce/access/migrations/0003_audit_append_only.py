"""A trigger makes the audit log append-only: UPDATE and DELETE (and, on PostgreSQL, TRUNCATE)
are rejected by the database itself, whatever the client. See tellonce/access/append_only.py.
"""

from django.db import migrations

from tellonce.access import append_only


def forward(apps, schema_editor):
    append_only.install_0003(schema_editor.connection)


def backward(apps, schema_editor):
    append_only.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("access", "0002_initial")]
    operations = [migrations.RunPython(forward, backward)]
