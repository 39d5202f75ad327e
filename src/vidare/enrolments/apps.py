from django.apps import AppConfig


class EnrolmentsConfig(AppConfig):
    name = "vidare.enrolments"
    verbose_name = "Inskrivningar"
