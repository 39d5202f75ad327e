"""`vidare access-log export --from DATE --to DATE [--format csv|json] [--output FILE]`

The operator's export of the access log for follow-up: every entry of the period (local
dates, both included) with the flags of unusual access, as the log holds it: user names and
participant references, no names of participants. Each export writes a line to the
`vidare.access` logger.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import getpass
import json
import logging
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vidare.access import review
from vidare.access.models import AccessLogEntry

logger = logging.getLogger("vidare.access")


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-01-31") from None


class _Unterminated:
    """The command's stdout without the newline OutputWrapper adds to each write."""

    def __init__(self, wrapper: Any) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")


class Command(BaseCommand):
    help = "Export the access log of a period for follow-up (CSV or JSON)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        return super().create_parser(prog_name, "access-log", **kwargs)  # as typed

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        export = actions.add_parser(
            "export", help="Write every entry of the period, with the flags of unusual access.",
            description="Write every access-log entry from --from to --to (local dates, both "
                        "included) with the flags of unusual access.")
        export.add_argument("--from", dest="date_from", type=iso_date, required=True,
                            metavar="DATE", help="First day, YYYY-MM-DD.")
        export.add_argument("--to", dest="date_to", type=iso_date, required=True,
                            metavar="DATE", help="Last day, YYYY-MM-DD.")
        export.add_argument("--format", choices=("csv", "json"), default="csv",
                            help="csv (default) or json.")
        export.add_argument("--output", metavar="FILE",
                            help="Write to FILE instead of standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = options["date_from"], options["date_to"]
        if end < start:
            raise CommandError(f"--to ({end}) is before --from ({start}); the period must "
                               "run forwards.")
        qs = review.LogFilter(date_from=start, date_to=end).apply(AccessLogEntry.objects.all())
        signs = review.unusual_access(qs)
        rows = review.export_rows(qs, signs=signs)
        with ExitStack() as stack:
            if options["output"]:
                try:
                    out: Any = stack.enter_context(
                        open(options["output"], "w", encoding="utf-8", newline=""))
                except OSError as exc:
                    raise CommandError(f"--output: cannot write {options['output']}: "
                                       f"{exc.strerror}") from exc
            else:
                out = _Unterminated(self.stdout)
            writer = self.write_json if options["format"] == "json" else self.write_csv
            count = writer(out, rows, start, end)
        logger.info("access log exported by %s (command): %s to %s, %d entries, %s",
                    getpass.getuser(), start, end, count, options["output"] or "stdout")
        if options["output"]:
            self.stderr.write(f"{count} entries written to {options['output']}.")

    @staticmethod
    def write_csv(out: Any, rows: Iterator[dict[str, Any]], start: dt.date,
                  end: dt.date) -> int:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(review.EXPORT_FIELDS)
        count = 0
        for row in rows:
            writer.writerow([
                ",".join(v) if isinstance(v, list)
                else str(v).lower() if isinstance(v, bool) else v
                for v in (row[f] for f in review.EXPORT_FIELDS)])
            count += 1
        return count

    @staticmethod
    def write_json(out: Any, rows: Iterator[dict[str, Any]], start: dt.date,
                   end: dt.date) -> int:
        # Streamed entry by entry: a year's log need not fit in memory.
        out.write(json.dumps({"from": start.isoformat(), "to": end.isoformat()})[:-1])
        out.write(', "entries": [')
        count = 0
        for row in rows:
            out.write((",\n  " if count else "\n  ") + json.dumps(row, ensure_ascii=False))
            count += 1
        out.write(f'\n], "count": {count}}}\n')
        return count
