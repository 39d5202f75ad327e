"""The `vidare` entry point and production configuration by environment alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

VIDARE = str(Path(sys.executable).with_name("vidare"))


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items()
            if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY",
                         "ALLOWED_HOSTS", "VIDARE_PRODUCTION")}
    return subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        args, capture_output=True, text=True, env={**base, **env}, timeout=120, check=False)


def test_help_lists_the_operator_commands():
    out = run([VIDARE, "--help"])
    assert out.returncode == 0
    for command in ("serve", "demo", "migrate", "codelists"):
        assert command in out.stdout


def test_production_without_secret_stops_with_a_clear_message(tmp_path):
    out = run([VIDARE, "check"], VIDARE_PRODUCTION="1", ALLOWED_HOSTS="vidare.example.se",
              DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
    assert out.returncode != 0
    assert "SECRET_KEY must be set" in out.stderr


def test_production_deploy_check_passes_with_full_environment(tmp_path):
    out = run([VIDARE, "check", "--deploy", "--fail-level", "WARNING"],
              VIDARE_PRODUCTION="1", ALLOWED_HOSTS="vidare.example.se",
              SECRET_KEY="x" * 20 + "a-long-random-production-secret-9f8e7d6c5b4a",
              DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3",
              VIDARE_VAR_DIR=str(tmp_path))
    assert out.returncode == 0, out.stdout + out.stderr
