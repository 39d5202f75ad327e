from django.urls import path

from . import views

app_name = "vacancies"

urlpatterns = [
    path("lediga-jobb/", views.VacancyListView.as_view(), name="vacancy_list"),
    path("lediga-jobb/ny/", views.VacancyAddView.as_view(), name="vacancy_add"),
    path("lediga-jobb/<int:pk>/", views.VacancyDetailView.as_view(), name="vacancy_detail"),
    path("lediga-jobb/<int:pk>/andra/", views.VacancyEditView.as_view(), name="vacancy_edit"),
    path("lediga-jobb/<int:pk>/stang/", views.VacancyCloseView.as_view(),
         name="vacancy_close"),
]
