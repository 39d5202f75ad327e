"""Fixtures for the authentication tests: the checks the test settings turn off, turned on."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .fake_oidc import FakeOIDCProvider

PASSWORD = "test-password-123"  # conftest.build_world's


@pytest.fixture
def otp_on(settings: Any) -> None:
    settings.VIDARE_OTP_REQUIRED = True


@pytest.fixture
def axes_on(settings: Any) -> None:
    settings.AXES_ENABLED = True


def app_code(device: TOTPDevice) -> str:
    """The code the user's app shows now; if that one was already used (django-otp accepts a
    time step once), the next step's, which the one-step tolerance accepts."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += (device.last_t + 1 - totp.t()) * device.step
    return f"{totp.token():0{device.digits}d}"


def give_app(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def login_verified(client: Client, user: Any) -> TOTPDevice:
    """Log `client` in as `user` with a session that has passed the second factor."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or give_app(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def password_login(client: Client, username: str, password: str = PASSWORD,
                   next_url: str = "", **extra: Any) -> Any:
    return client.post("/logga-in/", {"username": username, "password": password,
                                      "next": next_url}, **extra)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def provider() -> Iterator[FakeOIDCProvider]:
    fake = FakeOIDCProvider().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def oidc(settings: Any, provider: FakeOIDCProvider) -> FakeOIDCProvider:
    """OIDC switched on against the fake provider, configured as an operator would:
    `vidare oidc discover` for the endpoints, then the environment parsed by the settings."""
    from vidare.access.auth.oidc import discover
    from vidare.settings.security import oidc_settings

    env = {**discover(provider.issuer), "VIDARE_OIDC_CLIENT_ID": provider.client_id,
           "VIDARE_OIDC_CLIENT_SECRET": provider.client_secret}
    for name, value in oidc_settings(env).items():
        setattr(settings, name, value)
    return provider
