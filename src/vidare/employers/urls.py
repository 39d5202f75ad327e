from django.urls import path

from . import views

app_name = "employers"

urlpatterns = [
    path("arbetsgivare/", views.EmployerListView.as_view(), name="employer_list"),
    path("arbetsgivare/ny/", views.EmployerAddView.as_view(), name="employer_add"),
    path("arbetsgivare/uppfoljningar/", views.FollowUpListView.as_view(), name="follow_ups"),
    path("arbetsgivare/<int:pk>/", views.EmployerDetailView.as_view(), name="employer_detail"),
    path("arbetsgivare/<int:pk>/andra/", views.EmployerEditView.as_view(),
         name="employer_edit"),
    path("arbetsgivare/<int:pk>/kontaktpersoner/ny/", views.ContactAddView.as_view(),
         name="contact_add"),
    path("arbetsgivare/kontaktpersoner/<int:pk>/andra/", views.ContactEditView.as_view(),
         name="contact_edit"),
    path("arbetsgivare/<int:pk>/aktiviteter/ny/", views.ActivityAddView.as_view(),
         name="activity_add"),
    path("arbetsgivare/aktiviteter/<int:pk>/andra/", views.ActivityEditView.as_view(),
         name="activity_edit"),
    path("arbetsgivare/aktiviteter/<int:pk>/klar/", views.ActivityDoneView.as_view(),
         name="activity_done"),
    path("arbetsgivare/<int:pk>/behov/nytt/", views.NeedAddView.as_view(), name="need_add"),
    path("arbetsgivare/behov/<int:pk>/andra/", views.NeedEditView.as_view(), name="need_edit"),
    path("arbetsgivare/<int:pk>/avtal/nytt/", views.AgreementAddView.as_view(),
         name="agreement_add"),
    path("arbetsgivare/avtal/<int:pk>/andra/", views.AgreementEditView.as_view(),
         name="agreement_edit"),
    path("arbetsgivare/<int:pk>/placeringar/ny/", views.PlacementAddView.as_view(),
         name="placement_add"),
    path("placeringar/<int:pk>/andra/", views.PlacementEditView.as_view(),
         name="placement_edit"),
]
