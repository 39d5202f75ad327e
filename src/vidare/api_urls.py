"""The REST API, version 1. Each app's api.py holds its viewsets; they are registered here.

JSON only and no API root view: the OpenAPI document at /api/schema/ lists every endpoint.
"""

from rest_framework.routers import DefaultRouter

from vidare.access.staff_api import StaffViewSet
from vidare.assessments.api import AssessmentViewSet
from vidare.codelists import api_register as codelists_api
from vidare.employers import api_register as employers_api
from vidare.enrolments.api import EnrolmentViewSet, ExitViewSet
from vidare.matching import api_register as matching_api
from vidare.organisation import api_register as organisation_api
from vidare.people.api import ParticipantViewSet, ReferralViewSet
from vidare.people.consent_api import ConsentViewSet
from vidare.plans.api import AttendanceViewSet, InterventionViewSet, PlanViewSet
from vidare.vacancies import api_register as vacancies_api

router = DefaultRouter()
router.include_root_view = False
router.include_format_suffixes = False
router.register("staff", StaffViewSet, basename="staff")
router.register("participants", ParticipantViewSet, basename="participant")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("consents", ConsentViewSet, basename="consent")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("exits", ExitViewSet, basename="exit")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("plans", PlanViewSet, basename="plan")
router.register("interventions", InterventionViewSet, basename="intervention")
router.register("attendance", AttendanceViewSet, basename="attendance")
for app_api in (organisation_api, codelists_api, employers_api, vacancies_api, matching_api):
    app_api.register(router)

urlpatterns = router.urls
