"""OpenID Connect login, end to end: Django's test client drives mozilla-django-oidc against
the fake provider over real HTTP (tests/auth/fake_oidc.py); nothing of ours is mocked."""

from __future__ import annotations

import time
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client
from jwcrypto import jwk

from vidare.settings.security import oidc_settings

from .conftest import give_app, logged_in

pytestmark = pytest.mark.django_db

CASELOAD = "/mina-deltagare/"


def start(client: Client, next_url: str = "") -> str:
    """Our start URL -> the provider's authorize URL (checked) -> the provider's redirect
    back to us, as the browser would follow it. Returns the callback path and query."""
    response = client.get("/oidc/logga-in/" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    authorize = response["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["response_type"] == ["code"] and "openid" in query["scope"][0].split()
    assert query["code_challenge_method"] == ["S256"] and query["nonce"][0]
    assert query["redirect_uri"] == ["http://testserver/oidc/callback/"]
    back = requests.get(authorize, allow_redirects=False, timeout=5)
    assert back.status_code == 302, back.text
    location = urlsplit(back.headers["Location"])
    assert location.netloc == "testserver"
    return f"{location.path}?{location.query}"


def login(client: Client, next_url: str = ""):
    return client.get(start(client, next_url))


def test_login_reaches_an_existing_account_by_email(world, oidc, client):
    coach = world.users["coach_h"]
    coach.email = "Coach.Hisingen@kommun.example"
    coach.save()
    oidc.login_as("idp-123", email="coach.hisingen@kommun.example", email_verified=True)
    users = get_user_model().objects.count()
    response = login(client, CASELOAD)
    assert response.status_code == 302 and response["Location"] == CASELOAD
    assert client.session["_auth_user_id"] == str(coach.pk)
    assert client.get(CASELOAD).status_code == 200
    assert get_user_model().objects.count() == users
    # The code was exchanged with the PKCE verifier and our client secret.
    exchange = oidc.token_requests[-1]
    assert exchange["code_verifier"] and exchange["client_secret"] == oidc.client_secret


def test_login_reaches_an_existing_account_by_username_claim(world, oidc, client):
    oidc.login_as("idp-456", preferred_username="coach_a")
    assert login(client)["Location"] == "/"
    assert client.session["_auth_user_id"] == str(world.users["coach_a"].pk)


@pytest.mark.usefixtures("otp_on")
def test_without_the_providers_mfa_the_totp_step_follows(world, oidc, client):
    oidc.login_as("idp-1", preferred_username="coach_h", amr=["pwd"])
    response = login(client, CASELOAD)
    assert response["Location"] == "/logga-in/autentiseringsapp/?next=%2Fmina-deltagare%2F"
    assert client.get(CASELOAD).status_code == 302
    give_app(world.users["coach_a"])
    other = Client()
    oidc.login_as("idp-2", preferred_username="coach_a", amr=["pwd"])
    assert login(other)["Location"].startswith("/logga-in/kod/")


@pytest.mark.usefixtures("otp_on")
@pytest.mark.parametrize("claims, accepted", [
    ({"amr": ["pwd", "mfa"]}, True),
    ({"amr": "mfa"}, True),
    ({"acr": "http://id.elegnamnden.se/loa/1.0/loa3"}, True),
    ({"acr": "http://id.elegnamnden.se/loa/1.0/loa2"}, False),
    ({"amr": ["pwd", "kba"]}, False),
])
def test_the_providers_mfa_counts_as_the_second_factor(world, oidc, client, settings, claims,
                                                       accepted):
    settings.VIDARE_OIDC_MFA_ACR = ["http://id.elegnamnden.se/loa/1.0/loa3"]
    oidc.login_as("idp-1", preferred_username="coach_h", **claims)
    response = login(client, CASELOAD)
    assert (response["Location"] == CASELOAD) is accepted
    assert (client.get(CASELOAD).status_code == 200) is accepted
    assert (client.get("/api/v1/participants/").status_code == 200) is accepted


@pytest.mark.parametrize("claims", [
    {"preferred_username": "nobody", "email": "nobody@kommun.example"},
    {"email": "coach.hisingen@kommun.example", "email_verified": False},
    {"preferred_username": "inactive"},
])
def test_no_account_no_login_and_none_is_created(world, oidc, client, claims):
    world.users["coach_h"].email = "coach.hisingen@kommun.example"
    world.users["coach_h"].save()
    get_user_model().objects.create_user("inactive", is_active=False)
    users = get_user_model().objects.count()
    oidc.login_as("idp-9", **claims)
    response = login(client)
    assert response["Location"] == "/logga-in/"
    assert not logged_in(client)
    assert get_user_model().objects.count() == users
    page = client.get("/logga-in/")
    assert "did not succeed" in page.content.decode()


@pytest.mark.usefixtures("axes_on")
def test_failed_provider_logins_do_not_lock_out_the_address(world, oidc, client):
    oidc.login_as("idp-9", preferred_username="nobody")
    for _ in range(6):
        assert login(client)["Location"] == "/logga-in/"
    assert not AccessAttempt.objects.exists()
    oidc.login_as("idp-1", preferred_username="coach_h")
    assert login(client)["Location"] == "/"
    assert logged_in(client)


def test_two_accounts_with_the_same_email_match_neither(world, oidc, client):
    for key in ("coach_h", "coach_a"):
        world.users[key].email = "team@kommun.example"
        world.users[key].save()
    oidc.login_as("idp-3", email="team@kommun.example")
    assert login(client)["Location"] == "/logga-in/"
    assert not logged_in(client)


def test_a_state_this_session_did_not_send_is_rejected(world, oidc, client):
    oidc.login_as("idp-1", preferred_username="coach_h")
    callback = start(client)
    forged = callback.replace("state=", "state=x")
    assert client.get(forged).status_code == 400
    assert not logged_in(client)
    # Another browser presenting this callback has no state at all.
    stranger = Client()
    assert stranger.get(callback)["Location"] == "/logga-in/"
    assert not logged_in(stranger)


def test_a_callback_cannot_be_replayed(world, oidc, client):
    oidc.login_as("idp-1", preferred_username="coach_h")
    callback = start(client)
    assert client.get(callback).status_code == 302 and logged_in(client)
    client.post("/logga-ut/")
    assert client.get(callback).status_code in (302, 400)
    assert not logged_in(client)


@pytest.mark.parametrize("changes", [
    {"nonce": "not-the-nonce-we-sent"},
    {"nonce": None},
    {"aud": "another-client"},
    {"aud": ["vidare", "another-client"]},
    {"iss": "http://127.0.0.1:1/evil"},
    {"exp": int(time.time()) - 60},
    {"exp": None},
])
def test_an_id_token_that_fails_a_check_is_rejected(world, oidc, client, changes):
    oidc.login_as("idp-1", preferred_username="coach_h")
    oidc.id_token_changes = changes
    assert login(client).status_code == 400
    assert not logged_in(client)


def test_an_id_token_signed_with_another_key_is_rejected(world, oidc, client):
    oidc.login_as("idp-1", preferred_username="coach_h")
    oidc.sign_with = jwk.JWK.generate(kty="RSA", size=2048, kid=oidc.key.kid, alg="RS256")
    assert login(client).status_code == 400
    assert not logged_in(client)


def test_userinfo_about_another_subject_is_rejected(world, oidc, client):
    oidc.login_as("idp-1", preferred_username="coach_h")
    oidc.userinfo_changes = {"sub": "idp-someone-else"}
    assert login(client)["Location"] == "/logga-in/"
    assert not logged_in(client)


def test_an_error_from_the_provider_logs_nobody_in(world, oidc, client):
    response = client.get("/oidc/callback/?error=access_denied&state=x")
    assert response["Location"] == "/logga-in/"
    assert not logged_in(client)


def test_the_login_page_offers_the_provider_only_when_configured(world, oidc, client, settings):
    assert 'href="/oidc/logga-in/"' in client.get("/logga-in/").content.decode()
    settings.VIDARE_OIDC_ENABLED = False
    assert "/oidc/logga-in/" not in client.get("/logga-in/").content.decode()
    assert client.get("/oidc/logga-in/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_settings_from_the_environment():
    assert oidc_settings({})["VIDARE_OIDC_ENABLED"] is False
    with pytest.raises(ImproperlyConfigured, match="VIDARE_OIDC_CLIENT_SECRET"):
        oidc_settings({"VIDARE_OIDC_ISSUER": "https://idp.example", "VIDARE_OIDC_CLIENT_ID": "v",
                       "VIDARE_OIDC_AUTHORIZATION_ENDPOINT": "https://idp.example/a",
                       "VIDARE_OIDC_TOKEN_ENDPOINT": "https://idp.example/t",
                       "VIDARE_OIDC_USERINFO_ENDPOINT": "https://idp.example/u",
                       "VIDARE_OIDC_JWKS_ENDPOINT": "https://idp.example/j"})


def test_discover_prints_the_environment_lines(provider):
    out = StringIO()
    call_command("oidc", "discover", provider.issuer, stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    assert lines["VIDARE_OIDC_ISSUER"] == provider.issuer
    assert lines["VIDARE_OIDC_TOKEN_ENDPOINT"] == f"{provider.issuer}/token"
    assert lines["VIDARE_OIDC_JWKS_ENDPOINT"] == f"{provider.issuer}/jwks"
    with pytest.raises(CommandError, match="names issuer"):
        call_command("oidc", "discover", provider.issuer + "/other", stdout=StringIO())
