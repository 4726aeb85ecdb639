"""Each service records which code wrote its stored copies (directory/stored.py), so copies
written by other code are never served and `migrate` rewrites them.

On SQLite, adding a column with a default rebuilds the table, and the rebuild drops the
table's triggers: the search stamp's triggers on directory_service (0008's) are installed
again here, their SQL frozen as 0008 ran it.
"""

from django.db import migrations, models

from tellonce import triggers

PG_INSTALL = """
DROP TRIGGER IF EXISTS directory_service_search_stamp ON directory_service;
CREATE TRIGGER directory_service_search_stamp
  AFTER INSERT OR UPDATE OF id, name, status, free, minimum_age, maximum_age, last_modified, organization_id, oruk_item, result_card OR DELETE OR TRUNCATE ON directory_service
  FOR EACH STATEMENT EXECUTE FUNCTION directory_search_stamp_bump();
"""
SQLITE_INSTALL = [
    'DROP TRIGGER IF EXISTS directory_service_search_stamp_insert;',
    'CREATE TRIGGER directory_service_search_stamp_insert AFTER INSERT ON directory_service BEGIN INSERT OR REPLACE INTO directory_searchstamp (id, stamp) VALUES (1, random()); END;',
    'DROP TRIGGER IF EXISTS directory_service_search_stamp_update;',
    'CREATE TRIGGER directory_service_search_stamp_update AFTER UPDATE OF id, name, status, free, minimum_age, maximum_age, last_modified, organization_id, oruk_item, result_card ON directory_service BEGIN INSERT OR REPLACE INTO directory_searchstamp (id, stamp) VALUES (1, random()); END;',
    'DROP TRIGGER IF EXISTS directory_service_search_stamp_delete;',
    'CREATE TRIGGER directory_service_search_stamp_delete AFTER DELETE ON directory_service BEGIN INSERT OR REPLACE INTO directory_searchstamp (id, stamp) VALUES (1, random()); END;',
]


def reinstall_stamp_triggers(apps, schema_editor):
    triggers.execute(schema_editor.connection, PG_INSTALL, SQLITE_INSTALL)


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0008_search_stamp_stored_copies"),
    ]

    operations = [
        migrations.AddField(
            model_name="service",
            name="copies_version",
            field=models.CharField(blank=True, editable=False, max_length=16),
        ),
        migrations.RunPython(reinstall_stamp_triggers, migrations.RunPython.noop),
    ]
