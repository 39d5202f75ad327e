"""The second factor: TOTP devices, backup codes and whether a session has passed it."""

from __future__ import annotations

import re
from base64 import b32encode
from typing import Any, NamedTuple
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

# Set when the identity provider vouched for a multi-factor login (value: the user's pk).
EXTERNAL_MFA_SESSION_KEY = "vidare_external_mfa"
# Backup codes waiting to be shown once on the backup-codes page.
NEW_BACKUP_CODES_SESSION_KEY = "vidare_new_backup_codes"
APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


def second_factor_done(request: HttpRequest) -> bool:
    """Whether this session has passed the second factor (or none is required)."""
    if not settings.VIDARE_OTP_REQUIRED:
        return True
    user = request.user
    if not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return True
    return request.session.get(EXTERNAL_MFA_SESSION_KEY) == user.pk


def forget_second_factor(request: HttpRequest) -> None:
    """A new login must pass the second factor again, even for the same account."""
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session.pop(EXTERNAL_MFA_SESSION_KEY, None)


def accept_external_mfa(request: HttpRequest, user: Any) -> None:
    request.session[EXTERNAL_MFA_SESSION_KEY] = user.pk


def app_device(user: Any, *, confirmed: bool = True) -> TOTPDevice | None:
    return (TOTPDevice.objects.devices_for_user(user, confirmed=confirmed)
            .order_by("-id").first())


def pending_app_device(user: Any) -> TOTPDevice:
    """The not yet confirmed device being set up; the same one until it is confirmed, so
    reloading the page does not change the QR code."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def with_next(url: str, next_url: str | None) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def has_second_factor(user: Any) -> bool:
    """Whether the account has a confirmed app or backup codes (even all used up): then a
    login must pass them, and only a verified session may set up a new app."""
    return user_has_device(user, confirmed=True)


def second_factor_url(user: Any, next_url: str | None = None) -> str:
    """Where a user who passed the first factor goes: the code page, or setting up the app."""
    name = "access:otp_verify" if has_second_factor(user) else "access:otp_enrol"
    return with_next(reverse(name), next_url)


def safe_next(request: HttpRequest) -> str:
    """The `next` of the request if it stays on this site, else the start page."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def normalise_code(text: str) -> str:
    """People type codes with spaces or dashes ("123 456", "abcd-efgh")."""
    return re.sub(r"[\s-]", "", text or "").lower()


class CodeCheck(NamedTuple):
    device: TOTPDevice | StaticDevice | None
    # True when a device that could have taken the code was still in its waiting period
    # after earlier wrong codes, so even a right code was not tried.
    waiting: bool


def verify_code(user: Any, code: str) -> CodeCheck:
    """Check `code` against the user's confirmed devices: six digits go to the app, anything
    else to the backup codes, so a mistyped code only slows down the device it was meant
    for. Each device throttles its own failures; a backup code is deleted when used."""
    code = normalise_code(code)
    model: type[TOTPDevice] | type[StaticDevice]
    model = TOTPDevice if re.fullmatch(r"\d{6}", code) else StaticDevice
    waiting = False
    for pk in model.objects.devices_for_user(user, confirmed=True).values_list("pk", flat=True):
        with transaction.atomic():
            device = model.objects.select_for_update().get(pk=pk)
            if not device.verify_is_allowed()[0]:
                waiting = True
                continue
            if code and device.verify_token(code):
                return CodeCheck(device, False)
    return CodeCheck(None, waiting)


def confirm_app(request: HttpRequest, device: TOTPDevice, code: str) -> CodeCheck:
    """Confirm the device being set up with a code from the app. On success the device
    replaces any earlier app, the session counts as verified, and new backup codes wait
    in the session to be shown once."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_is_allowed()[0]:
            return CodeCheck(None, True)
        if not device.verify_token(normalise_code(code)):
            return CodeCheck(None, False)
        device.confirmed = True
        device.save()
        TOTPDevice.objects.filter(user=device.user_id).exclude(pk=device.pk).delete()
        codes = new_backup_codes(device.user)
    otp_login(request, device)
    request.session[NEW_BACKUP_CODES_SESSION_KEY] = codes
    return CodeCheck(device, False)


def new_backup_codes(user: Any) -> list[str]:
    """Replace the user's backup codes with new ones and return them (stored only as the
    device's tokens; shown to the user once)."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, defaults={"name": BACKUP_DEVICE_NAME, "confirmed": True})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(settings.VIDARE_BACKUP_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def backup_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def reset_second_factor(user: Any) -> int:
    """Remove the user's app and backup codes; the next login sets up a new app."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    return removed


def qr_svg(text: str) -> str:
    """An inline SVG QR code (no script or style attribute, so the CSP allows it)."""
    return segno.make(text, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", svgclass="qr",
        title=_("QR code for your authenticator app"))


def grouped_secret(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    text = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))
