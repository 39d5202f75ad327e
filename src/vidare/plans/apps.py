from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "vidare.plans"
    verbose_name = "Handlingsplaner"
