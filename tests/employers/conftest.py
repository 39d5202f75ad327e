"""Fixtures for the employer register: a fixed today, clients per role and a small register."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from rest_framework.test import APIClient

# Generated organisationsnummer with valid check digits (not taken from any register).
ORGNR = ("969799-0019", "969799-0027", "969799-0035", "969799-0043")






@pytest.fixture
def api(world: Any):
    def client_for(key: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(world.users[key])
        return client

    return client_for


@pytest.fixture
def register(world: Any, today: date) -> SimpleNamespace:
    """Two employers (one the broker's), a contact, activities with follow-ups, a need, an
    agreement and a vacancy; participants at Hisingen (the staff's centre) and Angered."""
    from vidare.employers import actions
    from vidare.vacancies.actions import create_vacancy

    broker, chief = world.users["broker_h"], world.users["chief_h"]
    r = SimpleNamespace()
    r.garage = actions.create_employer(actor=broker, name="Exempel Bilverkstad AB",
                                       organisation_number=ORGNR[0], sni_code="45",
                                       responsible=broker, city="Göteborg")
    r.cleaning = actions.create_employer(actor=chief, name="Exempel Städservice AB",
                                         organisation_number=ORGNR[1], sni_code="81",
                                         responsible=chief)
    r.contact = actions.add_contact(actor=broker, employer=r.garage, name="Kim Kontakt",
                                    role="Verkstadschef", phone="070-174 06 10")
    r.due_other = actions.log_activity(actor=chief, employer=r.cleaning, kind="samtal",
                                       occurred_on=today - timedelta(days=20),
                                       follow_up_on=today - timedelta(days=5),
                                       notes="Chefens uppföljning")
    r.due_mine = actions.log_activity(actor=broker, employer=r.garage, kind="besok",
                                      occurred_on=today - timedelta(days=10),
                                      follow_up_on=today, notes="Mäklarens uppföljning")
    r.coming = actions.log_activity(actor=broker, employer=r.garage, kind="foretagslunch",
                                    occurred_on=today - timedelta(days=2),
                                    follow_up_on=today + timedelta(days=5),
                                    notes="Kommande uppföljning")
    r.need = actions.add_need(actor=broker, employer=r.garage, occupation="7231", number=3,
                              needed_from=today, can_adapt=True, takes_interns=True)
    r.agreement = actions.add_agreement(actor=broker, employer=r.garage, kind="praktikavtal",
                                        starts_on=today - timedelta(days=100))
    r.vacancy = create_vacancy(actor=broker, employer=r.garage, need=r.need,
                               title="Fordonsmekaniker", occupation="7231",
                               driving_licences=["B"], required_skills=["Fordonsteknik"])
    r.own = world.register(first_name="Hanna", last_name="Hisingsson")
    r.other = world.register(actor=world.users["coach_a"], centre=world.angered,
                             first_name="Anders", last_name="Angeredsson")
    return r
