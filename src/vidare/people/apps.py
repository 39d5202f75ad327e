from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "vidare.people"
    verbose_name = "Deltagare"
