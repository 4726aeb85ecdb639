"""Audit rows are sealed into the hash chain just after their transaction commits
(tellonce/access/chain.py): the triggers let one update through, from no sequence to a
sequence and hash with nothing else changed (tellonce/access/append_only.py), and an index
finds the rows waiting for it. The application role's grant of UPDATE on those columns is
applied after migrate (tellonce/access/apps.py, db_roles.grant).

No table is rebuilt on SQLite (an index and triggers only), so no other trigger is lost.
"""

from django.db import migrations, models
from django.db.models import Q

from tellonce.access import append_only


def let_sealing_through(apps, schema_editor):
    append_only.install(schema_editor.connection)


def refuse_every_update(apps, schema_editor):
    append_only.install_0005(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("access", "0008_merge_hash_chain"),
    ]

    operations = [
        migrations.RunPython(let_sealing_through, refuse_every_update),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=Q(sequence__isnull=True), fields=["id"], name="access_audit_unsealed"
            ),
        ),
    ]
