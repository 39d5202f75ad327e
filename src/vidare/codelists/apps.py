from django.apps import AppConfig


class CodelistsConfig(AppConfig):
    name = "vidare.codelists"
    verbose_name = "Kodlistor"
