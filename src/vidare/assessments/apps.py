from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "vidare.assessments"
    verbose_name = "Kartläggning"
