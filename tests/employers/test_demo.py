"""The demo's employer register (vidare.demo.employers)."""

from __future__ import annotations

import random

import pytest
from conftest import KNOWN_DAY as TODAY
from stdnum.se import orgnr

from vidare.demo.employers import (
    DEMO_MARKER,
    EMPLOYERS,
    create_demo_employers,
    delete_demo_employers,
    fictional_orgnr,
)
from vidare.employers.models import Activity, Employer, RecruitmentNeed
from vidare.vacancies.models import Vacancy


@pytest.fixture
def demo(world):
    return create_demo_employers(TODAY, [world.users["broker_h"], world.users["chief_h"]],
                                 random.Random(7))


def test_fictional_employers_with_valid_numbers(demo):
    fictional = Employer.objects.filter(notes__startswith=DEMO_MARKER)
    assert fictional.count() == len(EMPLOYERS) == demo.employers >= 40
    assert all(orgnr.is_valid(e.organisation_number) for e in fictional)
    assert all(e.responsible is not None and e.sni_name for e in fictional)


def test_the_stories_of_the_articles(demo):
    mechanics = RecruitmentNeed.objects.get(occupation__code="7231",
                                            employer__name="Exempel Bilverkstad AB")
    assert "ingen deltagare med rätt kompetens" in mechanics.note
    summer = Vacancy.objects.filter(kind="sommarvikariat", occupation__code__in=["5330", "5321"],
                                    employer__name__contains="äldreomsorgen")
    assert summer.count() == 2 and summer.filter(start_date__month=6).count() == 2
    assert RecruitmentNeed.objects.filter(occupation__code="9111").exists()


def test_follow_ups_overdue_today_and_coming(demo):
    open_ = Activity.objects.filter(follow_up_done=False, follow_up_on__isnull=False)
    assert open_.filter(follow_up_on__lt=TODAY).exists()
    assert open_.filter(follow_up_on=TODAY).exists()
    assert open_.filter(follow_up_on__gt=TODAY).exists()
    assert Activity.objects.filter(follow_up_done=True).exists()


def test_the_real_ads_are_current_vacancies(demo):
    imported = Vacancy.objects.filter(source="jobsearch")
    assert imported.count() == demo.imported_ads == 59
    assert not imported.filter(deadline__lt=TODAY).exists()


def test_deterministic_numbers_and_once_only(demo, world):
    a, b = set(), set()
    assert [fictional_orgnr(random.Random(3), a) for _ in range(1)] == [
        fictional_orgnr(random.Random(3), b) for _ in range(1)]
    with pytest.raises(RuntimeError):
        create_demo_employers(TODAY, [world.users["broker_h"]], random.Random(7))


def test_delete(demo):
    delete_demo_employers()
    assert not Employer.objects.exists() and not Vacancy.objects.exists()
