from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "vidare.organisation"
    verbose_name = "Organisation"
