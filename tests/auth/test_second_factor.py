"""The second factor: required of every staff role, set up at the first login, codes checked."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from vidare.access.auth import otp
from vidare.access.models import AccessLogEntry

from .conftest import app_code, give_app, logged_in, login_verified, password_login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("otp_on")]

ENROL = "/logga-in/autentiseringsapp/"
VERIFY = "/logga-in/kod/"
CASELOAD = "/mina-deltagare/"
API = "/api/v1/participants/"


def blocked(client: Client, to: str) -> bool:
    page = client.get(CASELOAD)
    api = client.get(API)
    return (page.status_code == 302 and page["Location"].startswith(to)
            and api.status_code == 403
            and api.json()["errors"][0]["code"] == "second_factor_required")


@pytest.mark.parametrize("key", ["coach_h", "chief_h", "syv_h", "broker_h", "af_h", "analyst",
                                 "social", "admin"])
def test_every_role_must_set_up_the_app_before_reaching_anything(world, client, key):
    response = password_login(client, key)
    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=%2F"
    assert logged_in(client)
    assert blocked(client, ENROL)
    assert client.get("/").status_code == 302
    assert client.get("/konto/").status_code == 302


def test_nothing_is_read_before_the_second_factor(world, client):
    person = world.register()
    password_login(client, "coach_h")
    response = client.get(reverse("people:participant_detail", args=[person.pk]))
    assert response.status_code == 302 and response["Location"].startswith(ENROL)
    assert client.get(f"{API}{person.pk}/").status_code == 403
    assert not AccessLogEntry.objects.exists()


def test_first_login_sets_up_the_app_then_shows_backup_codes_once(world, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below must not delay the right one
    user = world.users["coach_h"]
    password_login(client, "coach_h", next_url=CASELOAD)

    page = client.get(f"{ENROL}?next={CASELOAD}")
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert "<svg" in html and 'class="qr"' in html
    assert otp.grouped_secret(device) in html
    assert client.get(ENROL).context["secret"] == otp.grouped_secret(device)  # same on reload

    wrong = client.post(ENROL, {"code": "000000", "next": CASELOAD})
    assert wrong.status_code == 200
    assert "wrong or has expired" in wrong.context["form"].errors["code"][0]
    device.refresh_from_db()
    assert not device.confirmed
    assert blocked(client, ENROL)

    right = client.post(ENROL, {"code": app_code(device), "next": CASELOAD})
    assert right.status_code == 302
    assert right["Location"] == f"/konto/reservkoder/?next={CASELOAD.replace('/', '%2F')}"
    device.refresh_from_db()
    assert device.confirmed

    shown = client.get(right["Location"])
    codes = shown.context["codes"]
    assert len(codes) == 10 == StaticToken.objects.filter(device__user=user).count()
    assert all(code in shown.content.decode() for code in codes)
    assert f'href="{CASELOAD}"' in shown.content.decode()
    again = client.get("/konto/reservkoder/")
    assert again.context["codes"] is None
    assert codes[0] not in again.content.decode()

    assert client.get(CASELOAD).status_code == 200
    assert client.get(API).status_code == 200


def test_login_with_the_app_code(world, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = give_app(world.users["coach_h"])
    response = password_login(client, "coach_h", next_url=CASELOAD)
    assert response["Location"] == f"{VERIFY}?next=%2Fmina-deltagare%2F"
    assert blocked(client, VERIFY)

    wrong = client.post(VERIFY, {"code": "123456", "next": CASELOAD})
    assert wrong.status_code == 200 and wrong.context["form"].errors["code"]
    assert client.post(VERIFY, {"code": "", "next": CASELOAD}).status_code == 200
    assert blocked(client, VERIFY)

    right = client.post(VERIFY, {"code": app_code(device), "next": CASELOAD})
    assert right.status_code == 302 and right["Location"] == CASELOAD
    assert client.get(CASELOAD).status_code == 200
    assert client.get(API).status_code == 200


def test_a_wrong_code_makes_the_next_try_wait(world, client):
    device = give_app(world.users["coach_h"])
    password_login(client, "coach_h")
    client.post(VERIFY, {"code": "000000"})
    refused = client.post(VERIFY, {"code": app_code(device)})
    assert "Wait a minute" in refused.context["form"].errors["code"][0]
    assert blocked(client, VERIFY)
    # The waiting period (1 s after one wrong code, doubling each time) has passed.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=5))
    assert client.post(VERIFY, {"code": app_code(device)}).status_code == 302
    assert client.get(CASELOAD).status_code == 200


def test_an_app_code_is_accepted_once(world):
    device = give_app(world.users["coach_h"])
    first, second = Client(), Client()
    password_login(first, "coach_h")
    password_login(second, "coach_h")
    code = app_code(device)
    assert first.post(VERIFY, {"code": code}).status_code == 302
    assert second.post(VERIFY, {"code": code}).status_code == 200
    assert blocked(second, VERIFY)


def test_a_backup_code_works_once(world, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # the refused reuse must not delay the next code
    user = world.users["coach_h"]
    give_app(user)
    codes = otp.new_backup_codes(user)
    first, second = Client(), Client()
    password_login(first, "coach_h")
    used = first.post(VERIFY, {"code": codes[0][:4] + "-" + codes[0][4:].upper()}, follow=True)
    assert used.redirect_chain[0] == ("/", 302)
    assert "You have 9 left" in used.content.decode()
    assert first.get(CASELOAD).status_code == 200

    password_login(second, "coach_h")
    assert second.post(VERIFY, {"code": codes[0]}).status_code == 200
    assert blocked(second, VERIFY)
    assert second.post(VERIFY, {"code": codes[1]}).status_code == 302


def test_without_the_second_factor_the_app_cannot_be_replaced(world, client):
    user = world.users["coach_h"]
    device = give_app(user)
    password_login(client, "coach_h")
    assert client.get(ENROL)["Location"].startswith(VERIFY)
    assert client.post(ENROL, {"code": "123456"})["Location"].startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=user)) == [device]
    # Used-up backup codes still count as a second factor: no way round them either.
    device.delete()
    otp.new_backup_codes(user)
    StaticToken.objects.filter(device__user=user).delete()
    assert client.get(ENROL)["Location"].startswith(VERIFY)


def test_a_verified_user_replaces_the_app_and_gets_new_backup_codes(world, client):
    user = world.users["coach_h"]
    old = login_verified(client, user)
    old_codes = otp.new_backup_codes(user)
    page = client.get(ENROL)
    assert page.status_code == 200 and page.context["replacing"]
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(ENROL, {"code": app_code(new)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=user)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    new_codes = client.get("/konto/reservkoder/").context["codes"]
    assert not set(old_codes) & set(new_codes)
    assert client.get(CASELOAD).status_code == 200


def test_new_backup_codes_replace_the_old_ones(world, client):
    user = world.users["coach_h"]
    login_verified(client, user)
    old = otp.new_backup_codes(user)
    response = client.post("/konto/reservkoder/", {"next": "/konto/"})
    assert response["Location"] == "/konto/reservkoder/?next=%2Fkonto%2F"
    new = client.get(response["Location"]).context["codes"]
    assert len(new) == 10 and not set(old) & set(new)
    assert set(StaticToken.objects.filter(device__user=user)
               .values_list("token", flat=True)) == set(new)


def test_next_must_stay_on_this_site(world, client):
    device = give_app(world.users["coach_h"])
    password_login(client, "coach_h", next_url="https://evil.example/")
    response = client.post(VERIFY, {"code": app_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_logout_and_language_work_before_the_second_factor(world, client):
    password_login(client, "coach_h")
    assert client.post("/i18n/setlang/", {"language": "sv", "next": "/"}).status_code == 302
    assert client.post("/logga-ut/")["Location"] == "/logga-in/"
    assert not logged_in(client)


def test_the_login_page_sends_a_logged_in_user_on_to_the_step_left(world, client):
    give_app(world.users["coach_h"])
    password_login(client, "coach_h")
    assert client.get("/logga-in/")["Location"].startswith(VERIFY)
    verified = Client()
    login_verified(verified, world.users["coach_h"])
    assert verified.get(f"/logga-in/?next={CASELOAD}")["Location"] == CASELOAD


def test_the_account_page_shows_what_is_set_up(world, client):
    user = world.users["coach_h"]
    login_verified(client, user)
    otp.new_backup_codes(user)
    page = client.get("/konto/")
    assert page.status_code == 200
    assert page.context["app"] is not None and page.context["backup_codes_left"] == 10


# --- vidare otp ---------------------------------------------------------------------------

def run_otp(*args: str) -> str:
    out = StringIO()
    call_command("otp", *args, stdout=out)
    return out.getvalue()


def test_otp_code_refuses_in_production(world, settings):
    give_app(world.users["coach_h"])
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only in development"):
        run_otp("code", "coach_h")


def test_otp_code_prints_a_code_that_logs_in_when_debug_is_on(world, settings, client):
    give_app(world.users["coach_h"])
    settings.DEBUG = True
    code = run_otp("code", "coach_h").strip()
    assert re.fullmatch(r"\d{6}", code)
    password_login(client, "coach_h")
    assert client.post(VERIFY, {"code": code})["Location"] == "/"
    with pytest.raises(CommandError, match="No account"):
        run_otp("code", "nobody")
    with pytest.raises(CommandError, match="no authenticator app"):
        run_otp("code", "coach_a")


def test_otp_reset_sends_the_user_back_to_setting_up_the_app(world, client):
    user = world.users["coach_h"]
    login_verified(client, user)
    otp.new_backup_codes(user)
    assert "authenticator app set up" in run_otp("status", "coach_h")
    assert "Removed" in run_otp("reset", "coach_h")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert "not set up, 0 unused" in run_otp("status", "coach_h")
    assert blocked(client, ENROL)  # the session lost its verified device
    fresh = Client()
    assert password_login(fresh, "coach_h")["Location"].startswith(ENROL)
