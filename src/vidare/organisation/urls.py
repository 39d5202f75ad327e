"""The system administrator's organisation pages, under administration/ (vidare/urls.py)."""

from django.urls import path

from . import views

app_name = "organisation"

urlpatterns = [
    path("enheter/", views.CentreListView.as_view(), name="centre_list"),
    path("enheter/ny/", views.CentreAddView.as_view(), name="centre_add"),
    path("enheter/<int:pk>/andra/", views.CentreEditView.as_view(), name="centre_edit"),
    path("program/", views.ProgrammeListView.as_view(), name="programme_list"),
    path("program/nytt/", views.ProgrammeAddView.as_view(), name="programme_add"),
    path("program/<int:pk>/andra/", views.ProgrammeEditView.as_view(), name="programme_edit"),
    path("malgrupper/", views.TargetGroupListView.as_view(), name="target_group_list"),
    path("malgrupper/ny/", views.TargetGroupAddView.as_view(), name="target_group_add"),
    path("malgrupper/<int:pk>/andra/", views.TargetGroupEditView.as_view(),
         name="target_group_edit"),
]
