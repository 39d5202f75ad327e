"""Lockout after repeated failed logins (django-axes), and no password login to the API."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from .conftest import logged_in, password_login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]


def fail(client: Client, times: int, username: str = "coach_h", **extra: str) -> list[int]:
    return [password_login(client, username, "wrong-password-9", **extra).status_code
            for _ in range(times)]


def test_five_failures_lock_the_account_from_that_address_even_for_the_right_password(world):
    client = Client()
    assert fail(client, 4) == [200] * 4
    locked = password_login(client, "coach_h", "wrong-password-9")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    right = password_login(client, "coach_h")
    assert right.status_code == 429
    assert not logged_in(client)
    assert "Too many failed logins" in right.content.decode()


def test_the_lock_is_per_username_and_address(world):
    fail(Client(), 5)
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert password_login(elsewhere, "coach_h").status_code == 302
    other_user = Client()
    assert password_login(other_user, "coach_a").status_code == 302


def test_a_client_cannot_escape_the_lock_by_inventing_forwarded_addresses(world):
    # Behind the proxy (127.0.0.1, trusted), the right-most X-Forwarded-For entry is the
    # address the proxy saw; whatever the client put before it does not count.
    client = Client()
    statuses = [password_login(client, "coach_h", "wrong-password-9",
                               HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 10.0.0.5").status_code
                for i in range(6)]
    assert statuses[-2:] == [429, 429]
    assert password_login(client, "coach_h",
                          HTTP_X_FORWARDED_FOR="192.0.2.99, 10.0.0.5").status_code == 429
    assert password_login(client, "coach_h",
                          HTTP_X_FORWARDED_FOR="10.0.0.6").status_code == 302


def test_forwarded_addresses_from_an_untrusted_peer_are_ignored(world):
    client = Client(REMOTE_ADDR="203.0.113.7")
    fail(client, 5, HTTP_X_FORWARDED_FOR="10.0.0.5")
    assert password_login(client, "coach_h", HTTP_X_FORWARDED_FOR="10.0.0.8").status_code == 429


def test_an_operator_can_unlock(world):
    client = Client()
    fail(client, 5)
    assert reset(username="coach_h") == 1
    assert password_login(client, "coach_h").status_code == 302
    assert logged_in(client)


def test_the_lock_lifts_after_the_cool_off(world):
    client = Client()
    fail(client, 5)
    assert password_login(client, "coach_h").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert password_login(client, "coach_h").status_code == 302


def test_a_successful_login_clears_earlier_failures(world):
    client = Client()
    fail(client, 4)
    assert password_login(client, "coach_h").status_code == 302
    client.post("/logga-ut/")
    assert fail(client, 4) == [200] * 4
    assert password_login(client, "coach_h").status_code == 302


def test_the_api_takes_no_password(world):
    api = APIClient()
    credentials = base64.b64encode(b"coach_h:test-password-123").decode()
    response = api.get("/api/v1/participants/", HTTP_AUTHORIZATION=f"Basic {credentials}")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "not_authenticated"
