"""Registers this app's REST endpoints on the v1 router (called from vidare.api_urls)."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from .api import OccupationViewSet


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the router."""
    router.register("occupations", OccupationViewSet, basename="occupation")
