from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "vidare.demo"
    verbose_name = "Demokommun"
