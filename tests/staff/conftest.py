"""Fixtures for staff administration: the world's system administrator and a helper that
counts what the database holds, to prove that a refused or invalid call saved nothing."""

from __future__ import annotations

from typing import Any

import pytest

PASSWORD = "Lagom-langt-losen-42"


def snapshot() -> tuple[Any, ...]:
    """Everything a staff action can change, to compare before and after."""
    from vidare.access.models import Membership, User

    return (
        sorted(User.objects.values_list("pk", "username", "first_name", "last_name", "email",
                                        "title", "phone", "is_active", "password")),
        sorted(Membership.objects.values_list("pk", "user_id", "role", "centre_id")),
        User.history.count(), Membership.history.count(),
    )


@pytest.fixture
def admin(world: Any) -> Any:
    return world.users["admin"]


@pytest.fixture
def coach(world: Any) -> Any:
    return world.users["coach_h"]
