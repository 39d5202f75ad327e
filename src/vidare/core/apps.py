from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vidare.core"
    verbose_name = "Vidare"
