"""`vidare demo`: load the synthetic demo municipality (see vidare.demo.generator).

Every person in the demo is synthetic; identity numbers come from Skatteverket's test lists or are
reserve numbers. Running it again on a database that has the demo changes nothing; `--reset`
deletes the demo (only the demo) and builds it again.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from vidare.demo import generator
from vidare.enrolments.models import Enrolment, EnrolmentStatus, ExitReason


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(_("--today must be a date written YYYY-MM-DD, got %(text)r.")
                           % {"text": text}) from exc


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        # Translated when asked for: argparse does not take lazy strings.
        return _(
            "Load the synthetic demo municipality: four centres, five programmes, staff in every "
            "role and about 1 500 participants with three years of referrals, enrolments, "
            "assessments, plans, attendance and exits. Every person is synthetic: identity "
            "numbers come only from Skatteverket's test lists (or are reserve numbers). "
            "Idempotent: if the demo is already loaded, nothing is added and the logins are "
            "printed again."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--participants", type=int, default=generator.DEFAULT_PARTICIPANTS, metavar="N",
            help=_("Number of participants to generate (default %(default)s). Job coaches "
                   "grow with N (4 per centre per 1 500) so caseloads stay realistic."))
        parser.add_argument(
            "--seed", type=int, default=generator.DEFAULT_SEED,
            help=_("Random seed (default %(default)s): the same seed, date and size give the "
                   "same demo."))
        parser.add_argument(
            "--today", type=_date, default=None, metavar="YYYY-MM-DD",
            help=_("The day the three years of history end (default: today)."))
        parser.add_argument(
            "--reset", action="store_true",
            help=_("Delete the demo staff and the participants they created, with all their "
                   "records, then generate again. Other data is left alone."))
        parser.add_argument("--quiet", action="store_true",
                            help=_("No progress bar and no summary; only the logins."))

    def handle(self, *args: Any, participants: int, seed: int, today: date | None,
               reset: bool, quiet: bool, **options: Any) -> None:
        if participants < 0:
            raise CommandError(_("--participants must be zero or more."))
        if reset and generator.is_loaded():
            counts = generator.delete_demo()
            if not quiet:
                self.stdout.write(_("Deleted the demo: %(people)s participants, %(staff)s staff.")
                                  % {"people": counts.get("people.Participant", 0),
                                     "staff": counts.get("access.User", 0)})
        if generator.is_loaded():
            self.stdout.write(_("The demo is already loaded; nothing was added. Use --reset to "
                                "generate it again."))
            self._print_logins()
            return
        started = time.monotonic()
        with tqdm(total=participants, unit=_("person"), disable=quiet or participants == 0,
                  desc=_("Demo participants")) as bar:
            try:
                result = generator.generate(participants=participants, seed=seed, today=today,
                                            progress=bar.update)
            except generator.DemoDataError as exc:
                raise CommandError(str(exc)) from exc
        if not quiet:
            self._print_summary(result, time.monotonic() - started, today or date.today())
        self._print_logins()

    def _print_summary(self, result: generator.Result, seconds: float, today: date) -> None:
        people = generator.demo_participants()
        enrolments = Enrolment.objects.filter(participant__in=people)
        running = enrolments.exclude(status=EnrolmentStatus.EXITED).count()
        exits, shares = generator.outcome_shares(people)
        work = sum(shares[r] for r in ExitReason.work_or_studies())
        authority = shares[ExitReason.EMPLOYMENT_SERVICE] + shares[ExitReason.SOCIAL_INSURANCE]
        other = shares[ExitReason.OTHER_INTERVENTION]
        self.stdout.write(self.style.SUCCESS(
            _("Loaded the demo in %(seconds).0f s: %(people)s participants, %(rows)s rows, "
              "history up to %(today)s.")
            % {"seconds": seconds, "people": result.participants, "rows": result.rows,
               "today": today}))
        self.stdout.write(
            _("Enrolments: %(total)s, running: %(running)s. Exits: %(exits)s — work or studies "
              "%(work).0f %%, another intervention %(other).0f %%, another authority "
              "%(authority).0f %%, moved, dropped out or other %(rest).0f %%.")
            % {"total": enrolments.count(), "running": running, "exits": exits,
               "work": 100 * work, "other": 100 * other, "authority": 100 * authority,
               "rest": 100 * (1 - work - other - authority) if exits else 0})
        self.stdout.write(_("Every person in the demo is synthetic. Identity numbers come only "
                            "from Skatteverket's test lists or are reserve numbers (R…)."))

    def _print_logins(self) -> None:
        rows = generator.logins()
        if not rows:
            return
        self.stdout.write("")
        self.stdout.write(_("Demo logins (password for every account: %(password)s)")
                          % {"password": generator.DEMO_PASSWORD})
        headers = (_("Role"), _("Centre"), _("Username"))
        widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(3)]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        self.stdout.write(line.format(*headers))
        self.stdout.write(line.format(*("-" * w for w in widths)))
        for row in rows:
            self.stdout.write(line.format(*row))
        self.stdout.write(_("More job coaches per centre: coach2.<centre>, coach3.<centre>, …"))
        self.stdout.write(_("After the password, Vidare asks for a code from the account's "
                            "authenticator app: `vidare otp code USERNAME` prints it (demo and "
                            "development only)."))
