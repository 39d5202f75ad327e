"""The access log becomes append-only in the database.

The links to user and participant stop being constraints and are no longer nulled when the
account or the person is deleted (an UPDATE the triggers would refuse); then the triggers
that refuse UPDATE and DELETE are installed (PostgreSQL and SQLite, see append_only.py).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def install(apps, schema_editor):
    from vidare.access import append_only

    append_only.install(schema_editor.connection)


def remove(apps, schema_editor):
    from vidare.access import append_only

    append_only.remove(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('access', '0003_retentionrun_accesslogentry_allowed'),
        ('people', '0002_historicalparticipant_deidentified_on_and_more'),
    ]

    operations = [
        migrations.AlterField(
            model_name='accesslogentry',
            name='participant',
            field=models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.participant'),
        ),
        migrations.AlterField(
            model_name='accesslogentry',
            name='user',
            field=models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        # After the AlterFields: SQLite rebuilds the table for them, dropping its triggers.
        migrations.RunPython(install, remove, elidable=False),
    ]
