"""Demo accounts come with an authenticator app, so the demo shows the real login."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from vidare.demo import generator

from .conftest import password_login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("otp_on")]


def test_every_demo_account_has_an_app_with_a_key_from_seed_and_username(settings):
    generator.generate(participants=0, seed=7, today=date(2026, 6, 15))
    users = list(generator.demo_users())
    devices = {d.user_id: d for d in TOTPDevice.objects.filter(user__in=users, confirmed=True)}
    assert set(devices) == {u.pk for u in users}
    for user in users:
        assert devices[user.pk].key == generator.demo_otp_key(7, user.username)
    assert generator.demo_otp_key(7, "coach.hisingen") != generator.demo_otp_key(
        8, "coach.hisingen")

    settings.DEBUG = True
    out = StringIO()
    call_command("otp", "code", "coach.hisingen", stdout=out)
    client = Client()
    response = password_login(client, "coach.hisingen", generator.DEMO_PASSWORD)
    assert response["Location"].startswith("/logga-in/kod/")
    assert client.post("/logga-in/kod/", {"code": out.getvalue().strip()}).status_code == 302
    assert client.get("/mina-deltagare/").status_code == 200

    generator.delete_demo()
    assert not TOTPDevice.objects.exists()


def test_the_demo_command_says_how_to_get_a_code():
    out = StringIO()
    call_command("demo", "--participants", "0", "--today", "2026-06-15", "--quiet", stdout=out)
    assert "vidare otp code USERNAME" in out.getvalue()
