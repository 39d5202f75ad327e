from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("inskrivningar/<int:pk>/plan/", views.PlanEditView.as_view(), name="plan_edit"),
    path("inskrivningar/<int:pk>/insatser/ny/", views.InterventionAddView.as_view(),
         name="intervention_add"),
    path("insatser/<int:pk>/andra/", views.InterventionEditView.as_view(),
         name="intervention_edit"),
    path("insatser/<int:pk>/narvaro/", views.AttendanceEditView.as_view(),
         name="attendance_edit"),
    path("deltagare/<int:pk>/narvarorapport/", views.AttendanceReportView.as_view(),
         name="attendance_report"),
]
