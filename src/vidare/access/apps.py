from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _ensure_access_log_append_only(using: str = "default", **kwargs: Any) -> None:
    # A migration that rebuilds the table on SQLite drops its triggers; put them back.
    from .append_only import install

    install(connections[using])


class AccessConfig(AppConfig):
    name = "vidare.access"
    verbose_name = "Behörighet"

    def ready(self) -> None:
        post_migrate.connect(_ensure_access_log_append_only, sender=self,
                             dispatch_uid="vidare.access.append_only")
