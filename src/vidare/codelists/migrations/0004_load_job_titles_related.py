"""Load the job titles (data/job_titles.csv) and the related-occupation table made by 0003.

Runs the same loader as 0002: every other list is compared and left unchanged.
"""

from django.db import migrations


def load_codelists(apps, schema_editor):
    from vidare.codelists.loader import CodelistModels, load_all

    load_all(models=CodelistModels.from_apps(apps), using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("codelists", "0003_job_titles_related")]

    operations = [
        migrations.RunPython(load_codelists, migrations.RunPython.noop, elidable=False),
    ]
