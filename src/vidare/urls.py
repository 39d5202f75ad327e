from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from vidare.core.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("vidare.access.urls")),
    path("", include("vidare.people.urls")),
    path("", include("vidare.enrolments.urls")),
    path("", include("vidare.assessments.urls")),
    path("", include("vidare.plans.urls")),
    path("", include("vidare.employers.urls")),
    path("", include("vidare.vacancies.urls")),
    path("", include("vidare.matching.urls")),
    path("", include("vidare.codelists.urls")),
    path("administration/", include("vidare.organisation.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("vidare.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]

handler400 = "vidare.core.errors.bad_request"
handler403 = "vidare.core.errors.permission_denied"
handler404 = "vidare.core.errors.not_found"
handler500 = "vidare.core.errors.server_error"
