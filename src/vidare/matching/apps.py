from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "vidare.matching"
    verbose_name = "Matchning"
