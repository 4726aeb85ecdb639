"""The search stamp also changes when an area (people.Locality) is added, renamed or removed:
the search form lists the areas from the search index (tellonce/directory/search_stamp.py).
The SQL is frozen here, as this migration first ran it."""

from django.db import migrations

from tellonce import triggers

PG_INSTALL = """
DROP TRIGGER IF EXISTS people_locality_search_stamp ON people_locality;
CREATE TRIGGER people_locality_search_stamp
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON people_locality
  FOR EACH STATEMENT EXECUTE FUNCTION directory_search_stamp_bump();
"""
PG_REMOVE = """
DROP TRIGGER IF EXISTS people_locality_search_stamp ON people_locality;
"""
SQLITE_INSTALL = [
    'DROP TRIGGER IF EXISTS people_locality_search_stamp_insert;',
    'CREATE TRIGGER people_locality_search_stamp_insert AFTER INSERT ON people_locality BEGIN INSERT OR REPLACE INTO directory_searchstamp (id, stamp) VALUES (1, random()); END;',
    'DROP TRIGGER IF EXISTS people_locality_search_stamp_update;',
    'CREATE TRIGGER people_locality_search_stamp_update AFTER UPDATE ON people_locality BEGIN INSERT OR REPLACE INTO directory_searchstamp (id, stamp) VALUES (1, random()); END;',
    'DROP TRIGGER IF EXISTS people_locality_search_stamp_delete;',
    'CREATE TRIGGER people_locality_search_stamp_delete AFTER DELETE ON people_locality BEGIN INSERT OR REPLACE INTO directory_searchstamp (id, stamp) VALUES (1, random()); END;',
]
SQLITE_REMOVE = [
    'DROP TRIGGER IF EXISTS people_locality_search_stamp_insert;',
    'DROP TRIGGER IF EXISTS people_locality_search_stamp_update;',
    'DROP TRIGGER IF EXISTS people_locality_search_stamp_delete;',
]


def forward(apps, schema_editor):
    triggers.execute(schema_editor.connection, PG_INSTALL, SQLITE_INSTALL)


def backward(apps, schema_editor):
    triggers.execute(schema_editor.connection, PG_REMOVE, SQLITE_REMOVE)


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0006_search_stamp'),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
