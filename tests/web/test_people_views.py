"""Participant and referral pages: access per role, forms through actions, search."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import give_consent
from django.urls import reverse

from vidare.access.models import AccessLogEntry
from vidare.people.models import Participant, Referral, ReferralContact

pytestmark = pytest.mark.django_db


def person_data(world, **over):
    data = {
        "identity_number": world.next_personnummer(), "first_name": "Greta",
        "last_name": "Provsson", "gender": "kvinna", "adults_in_household": "1",
        "children_in_household": "2", "birth_region": "okand",
        "address": "Storgatan 1", "postal_code": "41701", "city": "Göteborg",
        "phone": "031-123456", "email": "",
        "source": "socialtjanst", "centre": str(world.hisingen.pk), "programme": "",
        "referred_on": "2026-06-01", "referrer_name": "Siv Sekreterare",
        "referrer_organisation": "Socialtjänsten Hisingen", "referrer_contact": "",
        "outreach_area": "", "reason": "",
    }
    data.update(over)
    return data


def found(response):
    return {p.last_name for p in response.context["page_obj"].object_list}


def detail_url(p):
    return reverse("people:participant_detail", args=[p.pk])


# ---- list and search ---------------------------------------------------------------------


class TestParticipantList:
    url = reverse("people:participant_list")

    def test_lists_only_visible_participants(self, world, as_user):
        own = world.register(first_name="Hanna", last_name="Hisingsson")
        other = world.register(actor=world.users["coach_a"], centre=world.angered,
                               first_name="Anders", last_name="Angeredsson")
        html = as_user("coach_h").get(self.url).content.decode()
        assert own.last_name in html and other.last_name not in html
        html = as_user("coach_a").get(self.url).content.decode()
        assert other.last_name in html and own.last_name not in html

    @pytest.mark.parametrize("key", ["analyst", "admin"])
    def test_roles_without_participant_access_are_refused(self, world, as_user, key):
        assert as_user(key).get(self.url).status_code == 403

    def test_login_required(self, world, client):
        response = client.get(self.url)
        assert response.status_code == 302 and "/logga-in/" in response["Location"]

    def test_search_by_name(self, world, as_user):
        world.register(first_name="Hanna", last_name="Hisingsson")
        world.register(first_name="Olof", last_name="Olsson")
        client = as_user("coach_h")
        for q in ["hanna", "HISINGS", "Hanna Hisingsson", "hisingsson hanna"]:
            assert found(client.get(self.url, {"q": q})) == {"Hisingsson"}, q
        assert found(client.get(self.url, {"q": "Hanna Olsson"})) == set()
        assert found(client.get(self.url, {"q": ""})) == {"Hisingsson", "Olsson"}

    def test_search_by_every_identity_number_form(self, world, as_user):
        p = world.register(first_name="Nummer", last_name="Personsson")
        n = p.identity_number  # 12 digits, e.g. 191212121212
        # Another person, born another day (so that the date alone still finds one).
        other = next(o for o in iter(world.next_personnummer, None) if o[:8] != n[:8])
        world.register(first_name="Annan", last_name="Andersson", identity_number=other)
        client = as_user("coach_h")
        for q in [f"{n[:8]}-{n[8:]}", n, f"{n[2:8]}-{n[8:]}", n[2:], n[:8]]:
            assert found(client.get(self.url, {"q": q})) == {"Personsson"}, q

    def test_paginates(self, world, as_user):
        for i in range(27):
            world.register(first_name=f"P{i:02d}", last_name="Sidsson")
        client = as_user("coach_h")
        first = client.get(self.url).content.decode()
        second = client.get(self.url, {"page": 2}).content.decode()
        assert first.count("Sidsson, ") == 25 and second.count("Sidsson, ") == 2
        assert "27" in first


# ---- registration ------------------------------------------------------------------------


class TestParticipantAdd:
    url = reverse("people:participant_add")

    def test_happy_path_writes_person_and_referral(self, world, as_user, today):
        data = person_data(world)
        response = as_user("coach_h").post(self.url, data)
        p = Participant.objects.get(identity_number=data["identity_number"])
        assert response.status_code == 302 and response["Location"] == detail_url(p)
        assert (p.first_name, p.children_in_household, p.city) == ("Greta", 2, "Göteborg")
        r = p.referrals.get()
        assert (r.centre, r.referred_on, r.status) == (world.hisingen, date(2026, 6, 1), "open")

    @pytest.mark.parametrize("key", ["broker_h", "analyst", "admin", "syv_h"])
    def test_roles_that_may_not_register_get_403(self, world, as_user, key):
        assert as_user(key).get(self.url).status_code == 403

    def test_region_of_birth_only_for_roles_that_may_see_it(self, world, as_user):
        assert 'name="birth_region"' in as_user("coach_h").get(self.url).content.decode()
        social = as_user("social").get(self.url)
        assert social.status_code == 200 and 'name="birth_region"' not in social.content.decode()

    def test_centre_choices_follow_the_role(self, world, as_user):
        form = as_user("coach_h").get(self.url).context["form"]
        assert list(form.fields["centre"].queryset) == [world.hisingen]
        form = as_user("social").get(self.url).context["form"]
        assert set(form.fields["centre"].queryset) == {world.angered, world.hisingen}

    def test_social_assistance_officer_registers_at_any_centre(self, world, as_user, today):
        data = person_data(world, centre=str(world.angered.pk))
        del data["birth_region"]
        response = as_user("social").post(self.url, data)
        assert response.status_code == 302
        r = Referral.objects.get(participant__identity_number=data["identity_number"])
        assert r.centre == world.angered and r.referrer_user == world.users["social"]

    def test_invalid_personnummer_is_shown_on_the_field(self, world, as_user, today):
        response = as_user("coach_h").post(self.url, person_data(
            world, identity_number="19121212-1213", first_name=""))
        assert response.status_code == 200
        form = response.context["form"]
        # Shown together with the other errors of the form, each on its own field.
        assert [e.code for e in form.errors.as_data()["identity_number"]] == ["checksum"]
        assert set(form.errors) == {"identity_number", "first_name"}
        html = response.content.decode()
        assert 'class="error-summary"' in html and 'href="#id_identity_number"' in html
        assert 'aria-describedby="id_identity_number_help id_identity_number_error"' in html
        assert Participant.objects.count() == 0 and Referral.objects.count() == 0

    def test_duplicate_visible_links_to_the_existing_person(self, world, as_user, today):
        existing = world.register()
        response = as_user("coach_h").post(
            self.url, person_data(world, identity_number=existing.identity_number))
        assert response.status_code == 200
        assert "already registered" in str(response.context["form"].errors["identity_number"])
        assert detail_url(existing) in response.content.decode()
        assert Participant.objects.count() == 1 and Referral.objects.count() == 1

    def test_duplicate_invisible_does_not_link(self, world, as_user, today):
        existing = world.register()  # Hisingen only; coach_a works at Angered
        response = as_user("coach_a").post(self.url, person_data(
            world, identity_number=existing.identity_number, centre=str(world.angered.pk)))
        errors = str(response.context["form"].errors["identity_number"])
        assert "already registered" in errors and "Contact the centre" in errors
        assert detail_url(existing) not in response.content.decode()
        assert Referral.objects.count() == 1

    def test_outreach_without_area_writes_nothing(self, world, as_user, today):
        response = as_user("coach_h").post(self.url, person_data(world, source="uppsokande"))
        form = response.context["form"]
        assert [e.code for e in form.errors.as_data()["outreach_area"]] == [
            "required_for_outreach"]
        # The person row was written before the referral failed: the action rolled it back.
        assert Participant.objects.count() == 0 and Referral.objects.count() == 0

    def test_centre_outside_role_is_rejected_by_the_form(self, world, as_user, today):
        response = as_user("coach_h").post(self.url,
                                           person_data(world, centre=str(world.angered.pk)))
        assert "centre" in response.context["form"].errors
        assert Participant.objects.count() == 0

    def test_reserve_number_needs_date_of_birth(self, world, as_user, today):
        response = as_user("coach_h").post(self.url, person_data(
            world, identity_number="R2026-000123", birth_date=""))
        assert [e.code for e in response.context["form"].errors.as_data()["birth_date"]] == [
            "required"]
        response = as_user("coach_h").post(self.url, person_data(
            world, identity_number="R2026-000123", birth_date="1990-04-02"))
        assert response.status_code == 302
        assert Participant.objects.get().birth_year == 1990


# ---- the participant page ----------------------------------------------------------------


class TestParticipantDetail:
    def test_coach_sees_everything_and_the_read_is_logged(self, world, as_user):
        p = world.register(first_name="Saga", last_name="Sagasson", address="Hemliga vägen 3")
        e = world.enrol(p)
        response = as_user("coach_h").get(detail_url(p))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Sagasson" in html and "Hemliga vägen 3" in html
        assert 'id="h-special"' in html
        assert reverse("enrolments:exit_add", args=[e.pk]) in html
        assert reverse("enrolments:enrolment_reassign", args=[e.pk]) in html
        assert reverse("assessments:assessment_add", args=[p.pk]) in html
        log = AccessLogEntry.objects.get()
        assert (log.user, log.participant, log.channel, log.special_category_shown) == (
            world.users["coach_h"], p, "web", True)

    @pytest.mark.parametrize("key", ["coach_a", "analyst", "admin", "social"])
    def test_invisible_participant_is_404(self, world, as_user, key):
        p = world.register()
        assert as_user(key).get(detail_url(p)).status_code == 404
        # The attempt is logged as refused, never as a read.
        assert not AccessLogEntry.objects.filter(allowed=True).exists()
        assert AccessLogEntry.objects.get().participant == p

    def test_broker_sees_the_page_without_special_category_or_exit(self, world, as_user):
        p = world.register(birth_region="afrika")
        e = world.enrol(p)
        response = as_user("broker_h").get(detail_url(p))
        html = response.content.decode()
        assert response.status_code == 200 and p.last_name in html
        assert 'id="h-special"' not in html and "Afrika" not in html and "Africa" not in html
        assert reverse("enrolments:exit_add", args=[e.pk]) not in html
        assert reverse("people:participant_edit", args=[p.pk]) not in html
        assert AccessLogEntry.objects.get().special_category_shown is False

    def test_protected_identity_hides_contact_details(self, world, as_user):
        # Registered by the unit manager, who is named for the person; the coach is not.
        p = world.register(actor=world.users["chief_h"], protected_identity=True,
                           address="Dold gata 9", phone="0701234567")
        html = as_user("coach_h").get(detail_url(p)).content.decode()
        assert "Dold gata 9" not in html and "0701234567" not in html
        assert "Skyddade personuppgifter" in html

    def test_referring_officer_sees_own_referral(self, world, as_user):
        p = world.register(actor=world.users["social"])
        give_consent(p)
        response = as_user("social").get(detail_url(p))
        assert response.status_code == 200
        assert 'id="h-special"' not in response.content.decode()


# ---- editing -----------------------------------------------------------------------------


class TestParticipantEdit:
    def url(self, p):
        return reverse("people:participant_edit", args=[p.pk])

    def test_happy_path(self, world, as_user):
        p = world.register()
        data = person_data(world, phone="0709998877", city="Mölndal")
        response = as_user("coach_h").post(self.url(p), data)
        assert response.status_code == 302
        p.refresh_from_db()
        assert (p.phone, p.city) == ("0709998877", "Mölndal")

    def test_bad_email_on_the_field_and_nothing_saved(self, world, as_user):
        p = world.register(phone="111")
        response = as_user("coach_h").post(self.url(p), person_data(world, email="inte-en-adress",
                                                                    phone="222"))
        assert "email" in response.context["form"].errors
        p.refresh_from_db()
        assert p.phone == "111"

    def test_access(self, world, as_user):
        p = world.register()
        assert as_user("coach_h").get(self.url(p)).status_code == 200
        assert as_user("broker_h").get(self.url(p)).status_code == 403
        assert as_user("coach_a").get(self.url(p)).status_code == 404


# ---- referrals ---------------------------------------------------------------------------


class TestReferrals:
    def test_add_referral(self, world, as_user, today):
        p = world.register()
        url = reverse("people:referral_add", args=[p.pk])
        response = as_user("coach_h").post(url, {
            "source": "egen", "centre": world.hisingen.pk, "referred_on": "2026-06-10"})
        assert response.status_code == 302
        assert p.referrals.filter(source="egen", referred_on=date(2026, 6, 10)).exists()

    def test_add_referral_outreach_needs_area(self, world, as_user, today):
        p = world.register()
        url = reverse("people:referral_add", args=[p.pk])
        response = as_user("coach_h").post(url, {
            "source": "uppsokande", "centre": world.hisingen.pk, "referred_on": "2026-06-10"})
        assert "outreach_area" in response.context["form"].errors
        assert p.referrals.count() == 1

    def test_add_referral_access(self, world, as_user):
        p = world.register()
        url = reverse("people:referral_add", args=[p.pk])
        assert as_user("broker_h").get(url).status_code == 403
        assert as_user("coach_a").get(url).status_code == 404

    def test_referral_list_oldest_first_with_wait_and_attempts(self, world, as_user, today):
        old = world.register(last_name="Gammal", referral={"referred_on": date(2026, 5, 1)})
        world.register(last_name="Ny", referral={"referred_on": date(2026, 6, 10)})
        world.register(actor=world.users["coach_a"], centre=world.angered, last_name="Annan")
        client = as_user("coach_h")
        ref = old.referrals.get()
        for day in (2, 9):
            client.post(reverse("people:referral_contact_add", args=[ref.pk]), {
                "kind": "attempt", "occurred_on": f"2026-05-0{day}", "channel": "telefon",
                "outcome": "ej_nadd"})
        response = client.get(reverse("people:referral_list"))
        rows = response.context["referrals"]
        assert [r.participant.last_name for r in rows] == ["Gammal", "Ny"]
        assert (rows[0].days_waiting, rows[0].attempts, rows[0].long_wait) == (45, 2, True)
        assert (rows[1].days_waiting, rows[1].attempts, rows[1].long_wait) == (5, 0, False)

    def test_referral_list_access(self, world, as_user):
        ref = world.register().referrals.get()
        url = reverse("people:referral_list")
        contact_url = reverse("people:referral_contact_add", args=[ref.pk])
        assert contact_url in as_user("coach_h").get(url).content.decode()
        # A team member without referral work sees the list but not its actions.
        broker = as_user("broker_h").get(url)
        assert [r.pk for r in broker.context["referrals"]] == [ref.pk]
        assert contact_url not in broker.content.decode()
        assert as_user("coach_a").get(url).context["referrals"] == []
        assert as_user("analyst").get(url).status_code == 403
        assert as_user("admin").get(url).status_code == 403
        assert as_user("social").get(url).context["referrals"] == []
        mine = world.register(actor=world.users["social"]).referrals.get()
        assert as_user("social").get(url).context["referrals"] == []  # not before consent
        give_consent(mine.participant)
        assert [r.pk for r in as_user("social").get(url).context["referrals"]] == [mine.pk]

    def test_contact_before_referral_date_is_refused(self, world, as_user, today):
        ref = world.register(referral={"referred_on": date(2026, 6, 1)}).referrals.get()
        response = as_user("coach_h").post(
            reverse("people:referral_contact_add", args=[ref.pk]),
            {"kind": "attempt", "occurred_on": "2026-05-20", "channel": "telefon",
             "outcome": "ej_nadd"})
        assert [e.code for e in response.context["form"].errors.as_data()["occurred_on"]] == [
            "before_referral"]
        assert not ReferralContact.objects.exists()

    def test_contact_returns_to_next(self, world, as_user, today):
        ref = world.register().referrals.get()
        url = reverse("people:referral_contact_add", args=[ref.pk])
        response = as_user("coach_h").post(url + "?next=/remisser/", {
            "kind": "meeting", "occurred_on": "2026-06-02", "channel": "besok",
            "outcome": "genomfort"})
        assert response["Location"] == "/remisser/"
        response = as_user("coach_h").post(url + "?next=https://evil.example/", {
            "kind": "meeting", "occurred_on": "2026-06-02", "channel": "besok",
            "outcome": "genomfort"})
        assert response["Location"] == detail_url(ref.participant)

    def test_close_referral(self, world, as_user, today):
        ref = world.register().referrals.get()
        url = reverse("people:referral_close", args=[ref.pk])
        response = as_user("coach_h").post(url, {"closed_on": "2025-12-01",
                                                 "close_reason": "ej_nadd"})
        assert "closed_on" in response.context["form"].errors
        ref.refresh_from_db()
        assert ref.status == "open"
        response = as_user("coach_h").post(url, {"closed_on": "2026-06-12",
                                                 "close_reason": "ej_nadd"})
        ref.refresh_from_db()
        assert response.status_code == 302
        assert (ref.status, ref.close_reason) == ("closed", "ej_nadd")
        # A closed referral cannot be closed again; the rule's message shows on the form.
        response = as_user("coach_h").post(url, {"closed_on": "2026-06-12",
                                                 "close_reason": "ej_nadd"})
        assert response.status_code == 200 and response.context["form"].non_field_errors()

    def test_close_referral_access(self, world, as_user):
        ref = world.register().referrals.get()
        url = reverse("people:referral_close", args=[ref.pk])
        assert as_user("broker_h").get(url).status_code == 403
        assert as_user("coach_a").get(url).status_code == 404
        assert as_user("chief_h").get(url).status_code == 200
