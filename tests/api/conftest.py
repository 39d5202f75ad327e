"""Helpers for the API tests: a logged-in client per role and a compact view of errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import models
from rest_framework.test import APIClient


@pytest.fixture
def api(world: Any) -> Callable[[str], APIClient]:
    """api("coach_h") -> a client logged in as that user of the world."""

    def client_for(key: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(world.users[key])
        return client

    return client_for


def errors_of(response: Any) -> set[tuple[str, str]]:
    """{(field, code)} of an error response, after checking the common shape."""
    body = response.json()
    assert set(body) == {"errors"}, body
    for item in body["errors"]:
        assert set(item) == {"field", "code", "message"}, item
        assert item["message"], item
    return {(item["field"], item["code"]) for item in body["errors"]}


def counts(*model_classes: type[models.Model]) -> dict[str, int]:
    """Row counts of the models and their history tables, to prove nothing was written."""
    out = {}
    for model in model_classes:
        out[model.__name__] = model.objects.count()
        history = getattr(model, "history", None)
        if history is not None:
            out[f"history:{model.__name__}"] = history.model.objects.count()
    return out
