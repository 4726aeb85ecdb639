"""The audit log becomes a hash chain (tellonce/access/chain.py): every row gets a sequence
number and a hash, the rows already there chained in the order they were written, and the
triggers are put back with SQLite's INSERT OR REPLACE closed (tellonce/access/append_only.py).

On SQLite adding a unique column rebuilds the table, which drops its triggers: they are lifted
first and installed again at the end.
"""

from django.db import migrations, models

from tellonce.access import append_only, chain


def lift_triggers(apps, schema_editor):
    append_only.remove(schema_editor.connection)


def chain_existing_rows(apps, schema_editor):
    using = schema_editor.connection.alias
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {chain.HEAD} (id, sequence, hash) VALUES (1, 0, %s)", [chain.GENESIS]
        )
    chain.seal_unsealed(apps.get_model("access", "AuditEvent"), using=using)
    append_only.install(schema_editor.connection)


def unchain(apps, schema_editor):
    append_only.remove(schema_editor.connection)


def reinstall_0003(apps, schema_editor):
    append_only.install_0003(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('access', '0004_statutory_basis_index_holds_the_dates'),
    ]

    operations = [
        migrations.RunPython(lift_triggers, reinstall_0003),
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ('sequence', models.PositiveBigIntegerField(default=0)),
                ('hash', models.CharField(max_length=64)),
            ],
        ),
        migrations.AddField(
            model_name='auditevent',
            name='detail_salt',
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='sequence',
            field=models.PositiveBigIntegerField(editable=False, null=True, unique=True),
        ),
        migrations.RunPython(chain_existing_rows, unchain),
    ]
