"""The `vidare` command: one entry point for users and operators.

`vidare serve`, `vidare demo`, `vidare migrate`, ... are Django management commands
underneath; `vidare --help` lists them and `vidare COMMAND --help` explains each.
"""

from __future__ import annotations

import os
import sys

from vidare.settings import settings_module

# Commands a user or operator runs, shown first in `vidare --help`.
PRIMARY_COMMANDS = {
    "serve": "Start the web server (development: Django's server; production: gunicorn).",
    "demo": "Load the synthetic demo municipality (idempotent).",
    "migrate": "Create or update the database tables.",
    "codelists": "Load or inspect SSYK, SUN and other code lists.",
    "occupations": "`occupations suggest TEXT...` (or `-` for stdin): SSYK codes for job titles.",
    "vacancies": "`vacancies import FILE`: load job ads in JobSearch JSON format.",
    "gallring": "Retention: remove personal data due for deletion (--dry-run lists it).",
    "staff": "Staff accounts and roles: `staff add`, `grant`, `revoke`, `list`.",
    "otp": "Second factor: `otp reset USER` after a lost phone; `otp code USER` (demo only).",
    "check": "Check the installation (`vidare check --deploy` for production).",
    "access-log": "Export the access log for follow-up "
                  "(`vidare access-log export --from DATE --to DATE`).",
}
# Spellings on the command line for management commands whose module names cannot have them.
ALIASES = {"access-log": "access_log"}


def _print_help() -> None:
    print("Usage: vidare COMMAND [options]\n\nCommands:")
    for name, text in PRIMARY_COMMANDS.items():
        print(f"  {name:<16} {text}")
    print("\nEvery Django management command is also available; `vidare help --commands` "
          "lists them,\nand `vidare COMMAND --help` describes one.")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        _print_help()
        return
    from django.core.management import execute_from_command_line

    args = [ALIASES.get(argv[1], argv[1]), *argv[2:]]
    if args[0] == "help" and len(args) > 1:
        args[1] = ALIASES.get(args[1], args[1])
    execute_from_command_line(["vidare", *args])


if __name__ == "__main__":
    main()
