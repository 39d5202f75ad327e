from django.urls import path

from . import views

app_name = "codelists"

urlpatterns = [
    path("yrken/forslag/", views.OccupationSuggestView.as_view(), name="occupation_suggest"),
]
