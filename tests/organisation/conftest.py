"""Fixtures for the organisation pages: an enrolment that keeps Hisingen and Jobbtorg busy."""

from __future__ import annotations

from typing import Any

import pytest

# Every role of the shared world except the system administrator.
OTHER_ROLES = ["coach_h", "coach_a", "chief_h", "syv_h", "broker_h", "af_h", "analyst",
               "social"]


@pytest.fixture
def admin(world: Any) -> Any:
    return world.users["admin"]


@pytest.fixture
def busy(world: Any) -> Any:
    """An open enrolment in Jobbtorg at Hisingen, target group försörjningsstöd."""
    return world.enrol(world.register(first_name="Bo", last_name="Upptagen"))


def snapshot() -> tuple[Any, ...]:
    """Everything the organisation actions can write, to show that nothing changed."""
    from vidare.organisation.models import Centre, Programme, TargetGroup

    return (
        list(Centre.objects.order_by("pk").values()),
        list(Programme.objects.order_by("pk").values()),
        list(TargetGroup.objects.order_by("pk").values()),
        sorted(Programme.centres.through.objects.values_list("programme_id", "centre_id")),
        sorted(Programme.target_groups.through.objects.values_list("programme_id",
                                                                   "targetgroup_id")),
        Centre.history.count(), Programme.history.count(), TargetGroup.history.count(),
    )
