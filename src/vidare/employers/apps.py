from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "vidare.employers"
    verbose_name = "Arbetsgivare"
