from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("lediga-jobb/<int:pk>/kandidater/", views.VacancyCandidatesView.as_view(),
         name="vacancy_candidates"),
    path("deltagare/<int:pk>/lediga-jobb/", views.ParticipantVacanciesView.as_view(),
         name="participant_vacancies"),
    path("matchning/forslag/", views.ProposalListView.as_view(), name="proposal_list"),
    path("matchning/forslag/<int:pk>/", views.ProposalDetailView.as_view(),
         name="proposal_detail"),
    path("matchning/omatchade-behov/", views.UnmetNeedsView.as_view(), name="unmet_needs"),
    path("matchning/granskning/", views.FairnessAuditView.as_view(), name="fairness_audit"),
]
