"""The SEND taxonomy (fixed ids from tellonce.directory.taxonomy), so a fresh database has it."""

from django.db import migrations


def create(apps, schema_editor):
    from tellonce.directory import taxonomy as t

    Taxonomy = apps.get_model("directory", "Taxonomy")
    TaxonomyTerm = apps.get_model("directory", "TaxonomyTerm")
    Taxonomy.objects.update_or_create(
        id=t.TAXONOMY_ID,
        defaults={"name": t.TAXONOMY_NAME, "description": t.TAXONOMY_DESCRIPTION,
                  "version": t.TAXONOMY_VERSION},
    )
    for position, term in enumerate(t.ALL_TERMS):
        TaxonomyTerm.objects.update_or_create(
            id=term.id,
            defaults={"taxonomy_id": t.TAXONOMY_ID, "code": term.code, "name": term.name,
                      "description": term.description, "position": position,
                      "parent_id": t.term_id(term.parent) if term.parent else None},
        )


def remove(apps, schema_editor):
    from tellonce.directory import taxonomy as t

    apps.get_model("directory", "Taxonomy").objects.filter(id=t.TAXONOMY_ID).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
