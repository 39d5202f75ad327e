"""The candidate page in a real Chromium: a job broker ranks, reads why, and proposes."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, page  # noqa: F401 - the fixture
from vidare.matching.models import Proposal

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_broker_proposes_from_the_candidate_page(page, m):  # noqa: F811
    base = page.base_url
    page.goto(base + "/logga-in/")
    page.fill("[name=username]", "broker_h")
    page.fill("[name=password]", "test-password-123")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(f"{base}/lediga-jobb/{m.cleaner.pk}/kandidater/")
    rows = page.locator("table tbody tr")
    assert rows.first.locator("th").inner_text() == "Amina Städsson"
    assert "städare" in rows.first.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "matching-candidates.png"), full_page=True)
    page.check(f"#propose-{m.amina.pk}")
    page.locator("main form button[type=submit].primary").click()
    page.wait_for_load_state()
    assert "/matchning/forslag/" in page.url
    assert Proposal.objects.filter(participant=m.amina, vacancy=m.cleaner).exists()
