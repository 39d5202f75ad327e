"""`vidare otp`: the second factor from the operator's side.

`vidare otp reset USERNAME` removes a user's authenticator app and backup codes (a lost
phone); their next login sets up a new app. `vidare otp status USERNAME` shows what is set
up. `vidare otp code USERNAME` prints the current code, for the demo and development only:
it refuses when DEBUG is off, because in production a code must come from the user's app.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django_otp.oath import TOTP

from vidare.access.auth import otp


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _("The second factor of a staff account: `reset` removes the authenticator app "
                 "and backup codes so that the next login sets up a new app; `status` shows "
                 "what is set up; `code` prints the current code (development and demo only).")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for name, text in (
                ("code", _("Print the current code (only with DEBUG on).")),
                ("reset", _("Remove the app and backup codes; the next login sets up a new "
                            "app.")),
                ("status", _("Show whether an app and backup codes are set up."))):
            sub = actions.add_parser(name, help=text)
            sub.add_argument("username")

    def handle(self, *args: Any, action: str, username: str, **options: Any) -> None:
        if action == "code" and not settings.DEBUG:
            raise CommandError(_("`vidare otp code` works only in development and the demo "
                                 "(DEBUG on). In production the code comes from the user's "
                                 "own authenticator app; `vidare otp reset` lets them set up "
                                 "a new one."))
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(_("No account with username %(username)r.")
                               % {"username": username}) from exc
        getattr(self, f"do_{action}")(user)

    def do_code(self, user: Any) -> None:
        device = otp.app_device(user) or otp.app_device(user, confirmed=False)
        if device is None:
            raise CommandError(_("%(username)s has no authenticator app yet; one is set up at "
                                 "the next login.") % {"username": user.username})
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")

    def do_reset(self, user: Any) -> None:
        otp.reset_second_factor(user)
        self.stdout.write(_("Removed the authenticator app and backup codes of %(username)s. "
                            "At their next login (or next page, if logged in) they set up a "
                            "new app.")
                          % {"username": user.username})

    def do_status(self, user: Any) -> None:
        app = otp.app_device(user)
        self.stdout.write(_("%(username)s: authenticator app %(app)s, %(left)s unused backup "
                            "codes.") % {
            "username": user.username,
            "app": (_("set up %(date)s") % {"date": f"{app.created_at:%Y-%m-%d}"}) if app
            else _("not set up"),
            "left": otp.backup_codes_left(user)})
