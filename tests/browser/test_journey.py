"""One participant from referral to exit in a real Chromium, checked on the timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import build_world
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from vidare.core.dates import week_start
from vidare.core.identity import test_personnummer_list
from vidare.enrolments.models import Enrolment
from vidare.people.models import Participant
from vidare.plans.models import Attendance

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def submit(page) -> None:
    page.locator("main form button[type=submit].primary").first.click()
    page.wait_for_load_state()


def test_caseworker_takes_a_participant_from_referral_to_exit(page, settings):
    # The real login: lockout armed, second factor required (the test settings turn both off).
    settings.VIDARE_OTP_REQUIRED = True
    settings.AXES_ENABLED = True
    policy_violations: list[str] = []
    page.on("console", lambda m: policy_violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    world = build_world()
    today = timezone.localdate()
    referred = today - timedelta(days=70)
    started = referred + timedelta(days=7)
    number = next(n for n in test_personnummer_list() if n.startswith("1985"))
    base = page.base_url

    page.goto(base + "/logga-in/")
    page.fill("[name=username]", "coach_h")
    page.fill("[name=password]", "test-password-123")
    submit(page)
    # First login: set up the authenticator app from the QR code, confirm with its code,
    # see the backup codes once.
    assert "/logga-in/autentiseringsapp/" in page.url
    assert page.locator("svg.qr").is_visible()
    device = TOTPDevice.objects.get(user=world.users["coach_h"], confirmed=False)
    page.fill("[name=code]", f"{TOTP(device.bin_key, device.step, device.t0).token():06d}")
    submit(page)
    assert "/konto/reservkoder/" in page.url
    assert page.locator("ol.backup-codes li").count() == 10
    page.locator("main a.button").click()
    page.wait_for_load_state()
    assert page.url.endswith("/mina-deltagare/")

    # Register with the first referral.
    page.goto(base + "/deltagare/ny/")
    page.fill("[name=identity_number]", f"{number[2:8]}-{number[8:]}")
    page.fill("[name=first_name]", "Amina")
    page.fill("[name=last_name]", "Testsson")
    page.select_option("[name=source]", "socialtjanst")
    page.select_option("[name=centre]", str(world.hisingen.pk))
    page.fill("[name=referred_on]", referred.isoformat())
    page.fill("[name=referrer_name]", "Socialsekreterare Test")
    submit(page)
    participant = Participant.objects.get(identity_number=number)
    assert page.url.endswith(f"/deltagare/{participant.pk}/")
    assert "Amina Testsson" in page.inner_text("h1")

    # Enrol.
    page.goto(base + f"/deltagare/{participant.pk}/inskrivning/ny/")
    page.select_option("[name=programme]", str(world.jobbtorg.pk))
    page.select_option("[name=centre]", str(world.hisingen.pk))
    page.fill("[name=start_date]", started.isoformat())
    page.select_option("[name=responsible]", str(world.users["coach_h"].pk))
    page.check(f"[name=target_groups][value='{world.tg['forsorjningsstod'].pk}']")
    submit(page)
    enrolment = Enrolment.objects.get(participant=participant)

    # Assess: Swedish level and work experience as a cleaner (SSYK 9111).
    page.goto(base + f"/deltagare/{participant.pk}/kartlaggning/ny/")
    page.fill("[name=assessed_on]", (started + timedelta(days=3)).isoformat())
    page.select_option("[name=swedish_level]", "sfi_c")
    page.fill("[name=work_experiences-0-occupation]", "9111")
    page.fill("[name=work_experiences-0-years]", "3")
    submit(page)
    assert participant.assessments.get().work_experiences.get().occupation.code == "9111"

    # Plan an internship and record attendance for its first week.
    page.goto(base + f"/inskrivningar/{enrolment.pk}/insatser/ny/")
    page.select_option("[name=kind]", "praktik")
    page.fill("[name=title]", "Praktik lokalvård")
    page.fill("[name=provider]", "Städbolaget AB")
    page.fill("[name=start_date]", (started + timedelta(days=14)).isoformat())
    page.fill("[name=hours_per_week]", "20")
    submit(page)
    intervention = enrolment.interventions.get()
    monday = week_start(intervention.start_date)
    page.goto(base + f"/insatser/{intervention.pk}/narvaro/")
    page.fill(f"[name=w{monday:%Y%m%d}-hours_attended]", "18")
    page.fill(f"[name=w{monday:%Y%m%d}-hours_absent]", "2")
    page.select_option(f"[name=w{monday:%Y%m%d}-absence_reason]", "sjuk")
    submit(page)
    assert Attendance.objects.get(intervention=intervention).hours_attended == 18

    # Exit to unsubsidised work.
    page.goto(base + f"/inskrivningar/{enrolment.pk}/utskrivning/")
    page.fill("[name=exit_date]", (today - timedelta(days=1)).isoformat())
    page.select_option("[name=reason]", "arbete_osubventionerat")
    page.fill("[name=employer_name]", "Städbolaget AB")
    submit(page)
    enrolment.refresh_from_db()
    assert enrolment.status == "exited"

    # The timeline shows every step, in order.
    page.goto(base + f"/deltagare/{participant.pk}/")
    kinds = page.eval_on_selector_all(
        "ol.timeline li", "items => items.map(li => li.className.replace('ev-', ''))")
    for kind in ("referral", "enrolment", "assessment", "intervention_started", "attendance",
                 "exit"):
        assert kind in kinds, kinds
    order = [kinds.index(k) for k in ("referral", "enrolment", "assessment",
                                      "intervention_started", "exit")]
    assert order == sorted(order), kinds
    assert "Städbolaget AB" in page.inner_text("ol.timeline")
    assert policy_violations == []
