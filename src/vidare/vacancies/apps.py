from django.apps import AppConfig


class VacanciesConfig(AppConfig):
    name = "vidare.vacancies"
    verbose_name = "Lediga jobb"
