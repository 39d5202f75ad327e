from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "vidare.access"
    verbose_name = "Behörighet"
