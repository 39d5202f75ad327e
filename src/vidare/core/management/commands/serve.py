"""`vidare serve`: the web server. Development uses Django's server; production gunicorn."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = ("Serve the web interface. In development (default) Django's server on "
            "127.0.0.1:8000; with VIDARE_PRODUCTION=1, gunicorn (put a reverse proxy with TLS "
            "in front, see docs/operations.md).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on.")
        parser.add_argument("--workers", type=int, default=0,
                            help="gunicorn workers in production (default 2 x cores + 1).")

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        if settings.DEBUG:
            self.stdout.write(self.style.SUCCESS(
                f"Vidare is served on http://{host}:{port}/ – log in with one of the demo "
                "accounts above (`vidare demo` prints them again). Stop with Ctrl-C."))
            call_command("runserver", f"{host}:{port}", use_reloader=False)
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable),
                                                            "gunicorn")
        workers = workers or 2 * (os.cpu_count() or 1) + 1
        # Replace this process so gunicorn receives the service manager's signals.
        args = [gunicorn, "vidare.wsgi", "--bind", f"{host}:{port}",
                            "--workers", str(workers), "--access-logfile", "-",
                            "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS",
                                                                    "127.0.0.1")]
        os.execv(gunicorn, args)  # noqa: S606
