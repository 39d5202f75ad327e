"""Registers this app's REST endpoints on the v1 router (called from vidare.api_urls)."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the router."""
    from .api import ActivityViewSet, EmployerViewSet, NeedViewSet, PlacementViewSet

    router.register("employers", EmployerViewSet, basename="employer")
    router.register("activities", ActivityViewSet, basename="activity")
    router.register("recruitment-needs", NeedViewSet, basename="recruitment-need")
    router.register("placements", PlacementViewSet, basename="placement")
