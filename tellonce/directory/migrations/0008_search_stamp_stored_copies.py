"""The search stamp also changes when a service's stored copies are rewritten: the search
index keeps them (tellonce/directory/search_stamp.py, search_index.py). The service's
triggers are replaced by ones that watch the stored copies' columns too. The SQL is frozen
here, as this migration first ran it; backwards puts back 0006's narrower triggers."""

from django.db import migrations

from tellonce import triggers

PG_INSTALL = """
DROP TRIGGER IF EXISTS directory_service_search_stamp ON directory_service;
CREATE TRIGGER directory_service_search_stamp
  AFTER INSERT OR UPDATE OF id, name, status, free, minimum_age, maximum_age, last_modified, organization_id, oruk_item, result_card OR DELETE OR TRUNCATE ON directory_service
  FOR EACH STATEMENT EXECUTE FUNCTION directory_search_stamp_bump();
"""
PG_BACK = """
DROP TRIGGER IF EXISTS directory_service_search_stamp ON directory_service;
CREATE TRIGGER directory_service_search_stamp
  AFTER INSERT OR UPDATE OF id, name, status, free, minimum_age, maximum_age, last_modified, organization_id OR DELETE OR TRUNCATE ON directory_service
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
SQLITE_BACK = [
    'DROP TRIGGER IF EXISTS directory_service_search_stamp_insert;',
    'CREATE TRIGGER directory_service_search_stamp_insert AFTER INSERT ON directory_service BEGIN INSERT OR REPLACE INTO directory_searchstamp (id, stamp) VALUES (1, random()); END;',
    'DROP TRIGGER IF EXISTS directory_service_search_stamp_update;',
    'CREATE TRIGGER directory_service_search_stamp_update AFTER UPDATE OF id, name, status, free, minimum_age, maximum_age, last_modified, organization_id ON directory_service BEGIN INSERT OR REPLACE INTO directory_searchstamp (id, stamp) VALUES (1, random()); END;',
    'DROP TRIGGER IF EXISTS directory_service_search_stamp_delete;',
    'CREATE TRIGGER directory_service_search_stamp_delete AFTER DELETE ON directory_service BEGIN INSERT OR REPLACE INTO directory_searchstamp (id, stamp) VALUES (1, random()); END;',
]


def forward(apps, schema_editor):
    triggers.execute(schema_editor.connection, PG_INSTALL, SQLITE_INSTALL)


def backward(apps, schema_editor):
    triggers.execute(schema_editor.connection, PG_BACK, SQLITE_BACK)


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0007_search_stamp_localities'),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
