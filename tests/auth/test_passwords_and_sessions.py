"""Argon2 password hashes, idle session expiry, and logout everywhere on password change."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import timezone

from vidare.settings import base, security

from .conftest import PASSWORD, logged_in, login_verified, password_login

pytestmark = pytest.mark.django_db

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"
NEW_PASSWORD = "a-new-long-password-42"


@pytest.fixture
def real_hashers(settings):
    # The test settings hash with MD5 for speed; these tests use the installation's list.
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def test_every_environment_hashes_new_passwords_with_argon2(world, real_hashers):
    assert base.PASSWORD_HASHERS[0] == ARGON2
    user = world.users["coach_h"]
    user.set_password(NEW_PASSWORD)
    user.save()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(NEW_PASSWORD)


def test_an_older_hash_becomes_argon2_at_the_next_login(world, real_hashers, client):
    user = world.users["coach_h"]
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    assert password_login(client, "coach_h").status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")


def session_row(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_ends_after_thirty_idle_minutes_and_each_request_restarts_the_clock(
        world, client):
    assert base.SESSION_COOKIE_AGE == 30 * 60 and base.SESSION_SAVE_EVERY_REQUEST
    client.force_login(world.users["coach_h"])
    response = client.get("/mina-deltagare/")
    assert response.status_code == 200
    # A browser-session cookie; the 30 minutes are kept on the server.
    assert response.cookies["sessionid"]["max-age"] == ""
    left = session_row(client).expire_date - timezone.now()
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)

    # 25 minutes idle: still in, and the clock starts again.
    Session.objects.filter(pk=session_row(client).pk).update(
        expire_date=timezone.now() + timedelta(minutes=5))
    assert client.get("/mina-deltagare/").status_code == 200
    assert session_row(client).expire_date - timezone.now() > timedelta(minutes=29)

    # 30 minutes idle: gone.
    Session.objects.filter(pk=session_row(client).pk).update(
        expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/mina-deltagare/")
    assert response.status_code == 302 and response["Location"].startswith("/logga-in/")
    assert client.get("/api/v1/participants/").status_code == 403


def test_the_idle_time_is_set_by_the_environment():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = "from vidare.settings import test; print(test.SESSION_COOKIE_AGE)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,  # noqa: S603
                         env={**env, "VIDARE_SESSION_IDLE_MINUTES": "10"}, check=True)
    assert out.stdout.strip() == "600"
    with pytest.raises(ImproperlyConfigured, match="VIDARE_SESSION_IDLE_MINUTES"):
        security.positive_int({"VIDARE_SESSION_IDLE_MINUTES": "half an hour"},
                              "VIDARE_SESSION_IDLE_MINUTES", 30)
    with pytest.raises(ImproperlyConfigured, match="above zero"):
        security.positive_int({"X": "0"}, "X", 30)


def test_follow_up_thresholds_are_set_by_the_environment():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = ("from vidare.settings import test as s; print(s.VIDARE_OFFICE_HOURS, "
            "s.VIDARE_ACCESS_LOG_UNUSUAL_READS_PER_DAY, s.VIDARE_INACTIVITY_DAYS)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,  # noqa: S603
                         env={**env, "VIDARE_OFFICE_HOURS": "8-17",
                              "VIDARE_ACCESS_LOG_UNUSUAL_READS_PER_DAY": "5",
                              "VIDARE_INACTIVITY_DAYS": "45"}, check=True)
    assert out.stdout.strip() == "(8, 17) 5 45"
    assert security.hour_range({}, "H", (7, 19)) == (7, 19)
    assert security.hour_range({"H": " 6–18 "}, "H", (7, 19)) == (6, 18)
    for bad in ("19-7", "7", "7-25", "sju-nitton", "7-19-20", "-1-5"):
        with pytest.raises(ImproperlyConfigured, match="VIDARE_OFFICE_HOURS"):
            security.hour_range({"VIDARE_OFFICE_HOURS": bad}, "VIDARE_OFFICE_HOURS", (7, 19))


@pytest.mark.usefixtures("otp_on")
def test_changing_the_password_logs_out_every_other_session(world):
    user = world.users["coach_h"]
    here, elsewhere = Client(), Client()
    login_verified(here, user)
    login_verified(elsewhere, user)
    assert elsewhere.get("/mina-deltagare/").status_code == 200

    page = here.get("/konto/losenord/")
    assert page.status_code == 200
    bad = here.post("/konto/losenord/", {"old_password": "not-it-at-all-1",
                                         "new_password1": NEW_PASSWORD,
                                         "new_password2": NEW_PASSWORD})
    assert bad.status_code == 200 and "old_password" in bad.context["form"].errors
    response = here.post("/konto/losenord/", {"old_password": PASSWORD,
                                              "new_password1": NEW_PASSWORD,
                                              "new_password2": NEW_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/konto/"
    assert "Every other session of your account has been logged out" in (
        response.content.decode())

    # This session stays in, second factor included; the other one is out.
    assert here.get("/mina-deltagare/").status_code == 200
    gone = elsewhere.get("/mina-deltagare/")
    assert gone.status_code == 302 and gone["Location"].startswith("/logga-in/")
    assert not logged_in(elsewhere)
    assert password_login(Client(), "coach_h").status_code == 200  # old password
    assert password_login(Client(), "coach_h", NEW_PASSWORD).status_code == 302


def test_a_weak_new_password_is_refused_with_the_rule(world, client):
    client.force_login(world.users["coach_h"])
    response = client.post("/konto/losenord/", {"old_password": PASSWORD,
                                                "new_password1": "short1",
                                                "new_password2": "short1"})
    assert response.status_code == 200
    assert "at least 12 characters" in " ".join(response.context["form"].errors[
        "new_password2"])
    world.users["coach_h"].refresh_from_db()
    assert world.users["coach_h"].check_password(PASSWORD)
