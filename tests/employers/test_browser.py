"""The jobbmäklare's pages in a real Chromium: the employer page, the follow-ups and a
vacancy, with the demo register loaded; no Content Security Policy violation. Screenshots
go to test-artifacts/."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from conftest import build_world
from django.utils import timezone

from tests.browser.conftest import ARTIFACTS, page  # noqa: F401
from vidare.demo.employers import create_demo_employers
from vidare.employers.actions import record_placement
from vidare.employers.models import Employer
from vidare.vacancies.models import Vacancy

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_broker_pages(page):  # noqa: F811
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    world = build_world()
    today = timezone.localdate()
    create_demo_employers(today, [world.users["broker_h"]], random.Random(1))
    garage = Employer.objects.get(name="Exempel Bilverkstad AB")
    person = world.register(first_name="Hanna", last_name="Hisingsson")
    record_placement(None, garage, person, "praktik", today - timedelta(days=10))
    base = page.base_url
    page.goto(base + "/logga-in/")
    page.fill("[name=username]", "broker_h")
    page.fill("[name=password]", "test-password-123")
    page.locator("main form button[type=submit].primary").first.click()
    page.wait_for_load_state()
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{base}/arbetsgivare/{garage.pk}/")
    assert page.locator("h1").inner_text() == "Exempel Bilverkstad AB"
    assert page.locator("#h-placements + table").get_by_text("Hisingsson").is_visible()
    page.screenshot(path=str(ARTIFACTS / "employer-page.png"), full_page=True)

    page.goto(f"{base}/arbetsgivare/uppfoljningar/")
    assert page.locator("main table").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / "follow-ups.png"), full_page=True)
    # Mark the first follow-up done: the button posts and comes back to the list.
    before = page.locator("main table").first.locator("tbody tr").count()
    page.locator("main table").first.locator("button").first.click()
    page.wait_for_load_state()
    assert "/arbetsgivare/uppfoljningar/" in page.url
    assert page.locator("main table").first.locator("tbody tr").count() == before - 1

    vacancy = Vacancy.objects.get(title="Sommarvikarie vårdbiträde, äldreboende")
    page.goto(f"{base}/lediga-jobb/{vacancy.pk}/")
    page.screenshot(path=str(ARTIFACTS / "vacancy-page.png"), full_page=True)
    page.goto(f"{base}/lediga-jobb/")
    page.screenshot(path=str(ARTIFACTS / "vacancy-list.png"), full_page=True)
    assert not violations, violations
