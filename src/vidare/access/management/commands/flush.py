"""Django's `flush`, able to empty the append-only access log.

Emptying the whole database is the operator's decision about the installation (and what the
test runner does between transactional tests), not an edit of the log. The triggers that
refuse DELETE (SQLite's flush) and TRUNCATE (PostgreSQL's) are lifted for the flush and
put back straight after.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from vidare.access import append_only


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        append_only.remove(connection)
        try:
            super().handle(**options)
        finally:
            append_only.install(connection)
