"""`vidare staff`: staff accounts and roles from the command line, for the first setup.

    vidare staff add USERNAME --first-name NAME --last-name NAME [--email ..] [--title ..]
                     [--phone ..] [--password-stdin | --no-password]
    vidare staff grant USERNAME ROLE [--centre CODE]
    vidare staff revoke USERNAME ROLE [--centre CODE]
    vidare staff list [--json]

The command is the operator on the server: like `vidare vacancies import` without --user it
acts as nobody (`actor=None` in vidare.access.staff), and the history records the change as
made on the "command line" with the operating-system account. The same rules as on the web
apply (username, e-mail, password validators, centre for the role, no duplicate). An error
names the field and the rule and exits with status 1; nothing is saved.
"""

from __future__ import annotations

import getpass
import json
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from vidare.access import staff
from vidare.access.models import User
from vidare.access.roles import Role


def _error_text(exc: ValidationError) -> str:
    if not hasattr(exc, "error_dict"):
        return "; ".join(exc.messages)
    lines = []
    for field, errors in exc.error_dict.items():
        for error in errors:
            message = error.message % error.params if error.params else error.message
            lines.append(f"{field}: {message} ({error.code or 'invalid'})")
    return "\n".join(lines)


class Command(BaseCommand):
    stealth_options = ("stdin",)

    @property
    def help(self) -> str:  # type: ignore[override]
        return _("Staff accounts and roles: `add` an account, `grant` or `revoke` a role, "
                 "`list` the staff. For the first system administrator: `vidare staff add "
                 "USERNAME --first-name .. --last-name ..` then `vidare staff grant USERNAME "
                 "systemadministrator`. Recorded in the history as done on the command line.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = actions.add_parser("add", help=_("Add a member of staff (no role yet)."))
        add.add_argument("username")
        add.add_argument("--first-name", required=True)
        add.add_argument("--last-name", required=True)
        add.add_argument("--email", default="")
        add.add_argument("--title", default="")
        add.add_argument("--phone", default="")
        how = add.add_mutually_exclusive_group()
        how.add_argument("--password-stdin", action="store_true",
                         help=_("Read the password from the first line of standard input "
                                "(otherwise it is asked for on the terminal)."))
        how.add_argument("--no-password", action="store_true",
                         help=_("No password: the person logs in through the municipality's "
                                "identity provider, or gets a temporary one later."))
        roles = ", ".join(Role.values)
        for name, text in (("grant", _("Give a role.")), ("revoke", _("Take a role back."))):
            sub = actions.add_parser(name, help=text)
            sub.add_argument("username")
            sub.add_argument("role", help=roles)
            sub.add_argument("--centre", default=None, metavar="CODE",
                             help=_("The centre's code; none for a municipality-wide role."))
        listing = actions.add_parser("list", help=_("List the staff and their roles."))
        listing.add_argument("--json", action="store_true", help=_("As JSON."))

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, f"do_{action}")(options)
        except ValidationError as exc:
            raise CommandError(_error_text(exc)) from None

    # --- helpers ---

    def _user(self, username: str) -> User:
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError("username: " + _("No account with username %(username)r.")
                               % {"username": username} + " (does_not_exist)")
        return user

    def _centre(self, code: str | None) -> Any:
        from vidare.organisation.models import Centre

        if not code:
            return None
        centre = Centre.objects.filter(code=code).first()
        if centre is None:
            codes = ", ".join(Centre.objects.values_list("code", flat=True)) or "–"
            raise CommandError("centre: " + _("No centre with code %(code)r. Codes: "
                                              "%(codes)s.") % {"code": code, "codes": codes}
                               + " (does_not_exist)")
        return centre

    def _password(self, options: dict[str, Any]) -> str | None:
        if options["no_password"]:
            return None
        stdin = options.get("stdin") or sys.stdin
        if options["password_stdin"]:
            password = stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("password: " + _("Standard input held no password.")
                                   + " (required)")
            return password
        if not stdin.isatty():
            raise CommandError("password: " + _("Not on a terminal: give --password-stdin "
                                                "or --no-password.") + " (required)")
        first = getpass.getpass(_("Password: "))
        if first != getpass.getpass(_("Password again: ")):
            raise CommandError("password: " + _("The two passwords are not the same.")
                               + " (password_mismatch)")
        return first

    # --- actions ---

    def do_add(self, options: dict[str, Any]) -> None:
        user = staff.create_staff(
            actor=None, username=options["username"], first_name=options["first_name"],
            last_name=options["last_name"], email=options["email"], title=options["title"],
            phone=options["phone"], password=self._password(options))
        self.stdout.write(_("Added %(username)s (%(name)s), no role yet.")
                          % {"username": user.username, "name": user.get_full_name()})

    def do_grant(self, options: dict[str, Any]) -> None:
        user = self._user(options["username"])
        membership = staff.grant_role(actor=None, user=user, role=options["role"],
                                      centre=self._centre(options["centre"]))
        self.stdout.write(_("%(username)s now has the role %(role)s (%(where)s).") % {
            "username": user.username, "role": membership.role,
            "where": membership.centre.code if membership.centre else _("whole municipality")})

    def do_revoke(self, options: dict[str, Any]) -> None:
        user = self._user(options["username"])
        membership = staff.find_membership(user, options["role"],
                                           self._centre(options["centre"]))
        staff.revoke_role(actor=None, membership=membership)
        self.stdout.write(_("%(username)s no longer has the role %(role)s.")
                          % {"username": user.username, "role": membership.role})

    def do_list(self, options: dict[str, Any]) -> None:
        users = (User.objects.prefetch_related("memberships__centre")
                 .order_by("username"))
        rows = [{"username": u.username, "first_name": u.first_name, "last_name": u.last_name,
                 "email": u.email, "title": u.title, "active": u.is_active,
                 "roles": sorted(({"role": m.role, "centre": m.centre.code if m.centre else None}
                                  for m in u.memberships.all()),
                                 key=lambda r: (r["role"], r["centre"] or ""))}
                for u in users]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            roles = ", ".join(f"{r['role']}@{r['centre']}" if r["centre"] else r["role"]
                              for r in row["roles"]) or "–"
            state = "" if row["active"] else f" [{_('inactive')}]"
            name = f"{row['first_name']} {row['last_name']}".strip()
            self.stdout.write(f"{row['username']:<20} {name:<30} {roles}{state}")
