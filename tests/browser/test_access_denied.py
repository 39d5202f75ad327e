"""A job coach of one centre cannot open a participant of another, and the attempt is logged."""

from __future__ import annotations

import pytest
from conftest import build_world
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from vidare.access.models import AccessLogEntry

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, username: str, password: str = "test-password-123") -> None:
    page.goto(page.base_url + "/logga-in/")
    page.fill("[name=username]", username)
    page.fill("[name=password]", password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    device = TOTPDevice.objects.get(user__username=username)
    page.fill("[name=code]", f"{TOTP(device.bin_key, device.step, device.t0).token():06d}")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    if "/konto/reservkoder/" in page.url:
        page.locator("main a.button").click()
        page.wait_for_load_state()


def test_coach_from_angered_cannot_open_a_hisingen_participant(page, settings):
    settings.VIDARE_OTP_REQUIRED = True
    world = build_world()
    hisingen_person = world.register(first_name="Hedda", last_name="Hisingsson")
    world.enrol(hisingen_person)

    log_in(page, "coach_a")
    assert "/logga-in/" not in page.url

    # Not in search results ...
    page.goto(page.base_url + "/deltagare/?q=Hisingsson")
    assert page.locator(f"main a[href='/deltagare/{hisingen_person.pk}/']").count() == 0
    assert "Hedda" not in page.inner_text("main")
    # ... and the record itself answers as if it did not exist.
    response = page.goto(page.base_url + f"/deltagare/{hisingen_person.pk}/")
    assert response.status == 404
    body = page.inner_text("main")
    assert "Hedda" not in body and hisingen_person.identity_number[-4:] not in body

    refused = AccessLogEntry.objects.filter(username="coach_a", participant=hisingen_person,
                                            allowed=False)
    assert refused.count() == 1
    assert not AccessLogEntry.objects.filter(username="coach_a", participant=hisingen_person,
                                             allowed=True).exists()

    # The unit manager of Hisingen sees the refused attempt on the review page.
    page.context.clear_cookies()
    log_in(page, "chief_h")
    page.goto(page.base_url + "/behorighet/atkomstlogg/?refused=1")
    assert "coach_a" in page.inner_text("main") or "Coach Angered" in page.inner_text("main")
