"""vidare vacancies import FILE [--dry-run] [--json] [--user USERNAME]"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vidare.vacancies.jobsearch import JobSearchFormatError, import_ads, parse_ads, read_ads


class Command(BaseCommand):
    help = ("Vacancies. `import FILE` reads job ads in Arbetsförmedlingen's JobSearch format "
            "(a /search response, a list of ads, one ad, or JSON Lines as the historical-ads "
            "files) and creates or updates one vacancy per ad, keyed on the ad id.")

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import}")
        imp = sub.add_parser(
            "import", help="Import JobSearch ads as vacancies.",
            description="Create a vacancy per ad, or update the one imported from the same ad "
            "earlier (never a duplicate). New employers are registered by organisationsnummer. "
            "Prints one line per ad: created, updated, unchanged or skipped, with every field "
            "that was missing, unknown or of the wrong type. Ads without a known occupation "
            "are imported with the warning 'not enough information to match'; ads without id "
            "or headline are skipped. Exit status 1 if the file cannot be read, 0 otherwise.")
        imp.add_argument("file", help="The JSON file, or - for standard input.")
        imp.add_argument("--dry-run", action="store_true",
                         help="Do everything and report, then roll back: nothing is saved.")
        imp.add_argument("--json", action="store_true",
                         help="Print the report as one JSON object.")
        imp.add_argument("--user", default=None, metavar="USERNAME",
                         help="Record the import as done by this job broker (default: the "
                         "command line, attributed to nobody).")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            from vidare.access.models import User
            from vidare.access.roles import Capability

            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {options['user']!r}.")
            if not actor.can(Capability.MANAGE_EMPLOYERS):
                raise CommandError(f"{actor.username} may not change the employer register "
                                   "(needs the job broker or unit manager role).")
        path = options["file"]
        try:
            ads = parse_ads(sys.stdin.read()) if path == "-" else read_ads(path)
        except FileNotFoundError:
            raise CommandError(f"No such file: {path}") from None
        except (IsADirectoryError, PermissionError) as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        except JobSearchFormatError as exc:
            raise CommandError(f"{path}: {exc}") from None
        report = import_ads(ads, actor=actor, dry_run=options["dry_run"], source=path)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            for line in report.lines():
                self.stdout.write(line)
