from django.urls import path

from . import views

app_name = "enrolments"

urlpatterns = [
    path("mina-deltagare/", views.CaseloadView.as_view(), name="caseload"),
    path("deltagare/<int:pk>/inskrivning/ny/", views.EnrolmentAddView.as_view(),
         name="enrolment_add"),
    path("inskrivningar/<int:pk>/utskrivning/", views.ExitAddView.as_view(), name="exit_add"),
    path("inskrivningar/<int:pk>/ansvarig/", views.EnrolmentReassignView.as_view(),
         name="enrolment_reassign"),
    path("inskrivningar/<int:pk>/status/", views.EnrolmentPauseView.as_view(),
         name="enrolment_pause"),
    path("oversikt/", views.CentreOverviewView.as_view(), name="centre_overview"),
]
