"""Registers this app's REST endpoints on the v1 router (called from vidare.api_urls)."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from .api import CentreViewSet, ProgrammeViewSet, TargetGroupViewSet


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the router."""
    router.register("centres", CentreViewSet, basename="centre")
    router.register("programmes", ProgrammeViewSet, basename="programme")
    router.register("target-groups", TargetGroupViewSet, basename="target-group")
