"""`vidare oidc discover ISSUER`: the VIDARE_OIDC_* variables for an identity provider."""

from __future__ import annotations

from typing import Any

import requests
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from vidare.access.auth.oidc import discover


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _("Read an OpenID Connect provider's discovery document and print the "
                 "VIDARE_OIDC_* lines for the environment file. Add VIDARE_OIDC_CLIENT_ID "
                 "and VIDARE_OIDC_CLIENT_SECRET from the client registered at the provider, "
                 "with the redirect URI https://<host>/oidc/callback/.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub = actions.add_parser("discover", help=_("Print the endpoint variables."))
        sub.add_argument("issuer", help=_("The issuer URL, e.g. https://login.kommun.se/realms/"
                                          "personal"))

    def handle(self, *args: Any, action: str, issuer: str, **options: Any) -> None:
        try:
            variables = discover(issuer)
        except (requests.RequestException, ValueError) as exc:
            raise CommandError(_("Could not read the discovery document of %(issuer)s: "
                                 "%(error)s") % {"issuer": issuer, "error": exc}) from exc
        for name, value in variables.items():
            self.stdout.write(f"{name}={value}")
        self.stdout.write("VIDARE_OIDC_CLIENT_ID=")
        self.stdout.write("VIDARE_OIDC_CLIENT_SECRET=")
