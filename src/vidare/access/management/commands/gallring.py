"""`vidare gallring [--dry-run]`: scheduled removal of personal data (see access/retention.py).

Prints participant ids and row counts per table, never names. Every run, the dry run
included, is recorded in access.RetentionRun.
"""

from __future__ import annotations

import getpass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from vidare.access import retention


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(_("--today must be a date written YYYY-MM-DD, got %(text)r.")
                           % {"text": text}) from exc


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise CommandError(_("--batch-size must be a whole number of at least 1."))
    return value


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _(
            "Gallring: remove the personal data of everyone whose last exit (or closed "
            "referral) lies more than VIDARE_RETENTION_YEARS (%(years)s) years back, who has "
            "no open enrolment or referral and whose processing is not restricted. Keeps only "
            "de-identified rows for statistics. --dry-run lists what would go and changes "
            "nothing. Every run is recorded."
        ) % {"years": settings.VIDARE_RETENTION_YEARS}

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help=_("List who and how many rows per table would be affected; "
                                   "change nothing."))
        parser.add_argument("--today", type=_date, default=None, metavar="YYYY-MM-DD",
                            help=_("Count the retention period back from this day (default: "
                                   "today)."))
        parser.add_argument("--batch-size", type=_positive, default=100, metavar="N",
                            help=_("Participants per transaction (default %(default)s)."))
        parser.add_argument("--user", default=None,
                            help=_("Who runs it, for the record (default: the operating "
                                   "system account)."))

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        username = options["user"] or getpass.getuser()
        result = retention.run(username=username, dry_run=dry_run, today=options["today"],
                               batch_size=options["batch_size"],
                               progress=None if dry_run else self._progress(options))
        ids = result.details["participant_ids"]
        if dry_run:
            self.stdout.write(_("Dry run: nothing has been changed."))
        self.stdout.write(_("Cutoff: last exit on or before %(date)s (%(years)s years).")
                          % {"date": result.cutoff.isoformat(),
                             "years": result.details["retention_years"]})
        what = _("Due for gallring") if dry_run else _("De-identified")
        self.stdout.write(f"{what}: {len(ids)}")
        if ids:
            self.stdout.write(_("Participant ids: %(ids)s")
                              % {"ids": ", ".join(str(i) for i in ids)})
            self.stdout.write(_("Rows per table:"))
            for key, count in result.details["counts"].items():
                table, action = key.split(" ", 1)
                self.stdout.write(f"  {table:<52} {action:<14} {count:>8}")
        self.stdout.write(_("Recorded as run %(id)s.") % {"id": result.pk})

    def _progress(self, options: dict[str, Any]) -> Any:
        if options["verbosity"] < 2:
            return None
        return lambda text: self.stdout.write(text)
