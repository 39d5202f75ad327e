"""The access log cannot be changed or deleted: not by the ORM, not by raw SQL, on SQLite and
PostgreSQL alike; deleting a person or an account leaves the entries as written."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import build_world
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from vidare.access import append_only
from vidare.access.models import AccessLogEntry, User

from .conftest import local, write_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(world):
    person = world.register(first_name="Logg", last_name="Postsson")
    return write_entry(world.users["coach_h"], person, local(2026, 3, 2, 10))


def raw(sql: str, params: list | None = None) -> None:
    # In a savepoint: on PostgreSQL a failed statement spoils the surrounding transaction.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


@pytest.mark.parametrize("sql", [
    "UPDATE access_accesslogentry SET what = 'edited' WHERE id = %s",
    "UPDATE access_accesslogentry SET participant_id = NULL WHERE id = %s",
    "DELETE FROM access_accesslogentry WHERE id = %s",
])
def test_the_database_refuses_raw_updates_and_deletes(entry, sql):
    with pytest.raises(IntegrityError, match="append-only"):
        raw(sql, [entry.pk])
    stored = AccessLogEntry.objects.get(pk=entry.pk)
    assert (stored.what, stored.participant_id) == ("participant_detail", entry.participant_id)


def test_the_database_refuses_to_empty_the_table_row_by_row(entry):
    with pytest.raises(IntegrityError, match="append-only"):
        raw("DELETE FROM access_accesslogentry")
    assert AccessLogEntry.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_postgresql_refuses_truncate(entry):
    with pytest.raises(IntegrityError, match="append-only: TRUNCATE refused"):
        raw("TRUNCATE access_accesslogentry")
    assert AccessLogEntry.objects.count() == 1


def test_inserting_still_works_after_a_refusal(entry, world):
    with pytest.raises(IntegrityError):
        raw("DELETE FROM access_accesslogentry")
    write_entry(world.users["syv_h"], entry.participant, local(2026, 3, 2, 11))
    assert AccessLogEntry.objects.count() == 2


def test_the_orm_refuses_every_kind_of_change(entry):
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(what="edited")
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.all().delete()
    entry.what = "edited"
    with pytest.raises(PermissionError), transaction.atomic():
        AccessLogEntry.objects.bulk_update([entry], ["what"])
    assert AccessLogEntry.objects.get(pk=entry.pk).what == "participant_detail"


def test_deleting_the_person_or_the_account_leaves_the_entry_as_written(entry):
    person_id, user_id = entry.participant_id, entry.user_id
    # Not through an action (gallring owns that): the point is the database side of it.
    type(entry.participant).objects.filter(pk=person_id).delete()
    User.objects.filter(pk=user_id).delete()
    stored = AccessLogEntry.objects.select_related("user", "participant").get(pk=entry.pk)
    assert (stored.participant_id, stored.user_id) == (person_id, user_id)
    assert stored.participant is None and stored.user is None
    assert (stored.participant_ref, stored.username) == (str(person_id), "coach_h")


def test_every_migrate_puts_the_triggers_back(entry):
    # SQLite drops a table's triggers when a migration rebuilds the table; as if one had:
    append_only.remove(connection)
    raw("UPDATE access_accesslogentry SET what = 'unprotected' WHERE id = %s", [entry.pk])
    call_command("migrate", verbosity=0)
    with pytest.raises(IntegrityError, match="append-only"):
        raw("DELETE FROM access_accesslogentry")


# Serialized like the browser test, so that this test's own flushes leave the database as
# such tests expect it (empty, without post_migrate recreating content types).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_flush_empties_the_whole_database_and_keeps_the_protection(world):
    person = world.register(first_name="Tömd", last_name="Databasson",
                            referral={"referred_on": date(2026, 1, 5)})
    write_entry(world.users["coach_h"], person, local(2026, 3, 2, 10))
    # Without post_migrate: the triggers must come back by the flush itself.
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert not AccessLogEntry.objects.exists()
    again = build_world()
    person = again.register(first_name="Ny", last_name="Postsson")
    kept = write_entry(again.users["coach_h"], person, local(2026, 3, 2, 10))
    with pytest.raises(IntegrityError, match="append-only"):
        raw("DELETE FROM access_accesslogentry WHERE id = %s", [kept.pk])
