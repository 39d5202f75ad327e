"""Load the shipped code lists (data/*.csv and pycountry) into the tables made by 0001."""

from django.db import migrations


def load_codelists(apps, schema_editor):
    from vidare.codelists.loader import CodelistModels, load_all

    load_all(models=CodelistModels.from_apps(apps), using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("codelists", "0001_initial")]

    operations = [
        migrations.RunPython(load_codelists, migrations.RunPython.noop, elidable=False),
    ]
