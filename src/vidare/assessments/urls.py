from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("deltagare/<int:pk>/kartlaggning/ny/", views.AssessmentAddView.as_view(),
         name="assessment_add"),
    path("deltagare/<int:pk>/kartlaggningar/", views.AssessmentListView.as_view(),
         name="assessment_list"),
    path("kartlaggningar/<int:pk>/", views.AssessmentDetailView.as_view(),
         name="assessment_detail"),
]
