"""The jobbmäklare's pages: lists, the employer page, forms with bad input, placements."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from vidare.access.models import AccessLogEntry
from vidare.employers.actions import record_placement
from vidare.employers.models import Activity, Employer, Placement, RecruitmentNeed

from .conftest import ORGNR


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


class TestEmployerList:
    def test_broker_sees_own_employers_then_all(self, register, as_user):
        client = as_user("broker_h")
        mine = page(client.get(reverse("employers:employer_list")))
        assert "Exempel Bilverkstad AB" in mine and "Exempel Städservice AB" not in mine
        everyone = page(client.get(reverse("employers:employer_list"), {"alla": "1"}))
        assert "Exempel Bilverkstad AB" in everyone and "Exempel Städservice AB" in everyone

    def test_search_by_number_or_name(self, register, as_user):
        client = as_user("chief_h")
        found = page(client.get(reverse("employers:employer_list"),
                                {"alla": "1", "q": ORGNR[1].replace("-", "")}))
        assert "Exempel Städservice AB" in found and "Exempel Bilverkstad AB" not in found
        found = page(client.get(reverse("employers:employer_list"), {"alla": "1", "q": "bil"}))
        assert "Exempel Bilverkstad AB" in found and "Exempel Städservice AB" not in found

    def test_a_job_coach_reads_the_whole_register_without_write_links(self, register,
                                                                      as_user):
        text = page(as_user("coach_h").get(reverse("employers:employer_list")))
        assert "Exempel Städservice AB" in text
        assert reverse("employers:employer_add") not in text

    @pytest.mark.parametrize("key", ["analyst", "social", "admin"])
    def test_roles_without_the_register(self, register, as_user, key):
        assert as_user(key).get(reverse("employers:employer_list")).status_code == 403


class TestFollowUps:
    def test_due_mine_first_then_coming(self, register, as_user):
        text = page(as_user("broker_h").get(reverse("employers:follow_ups")))
        due, coming = text.split("Coming in the next")
        assert due.index("Mäklarens uppföljning") < due.index("Chefens uppföljning")
        assert "Kommande uppföljning" in coming and "Kommande uppföljning" not in due

    def test_mark_done_removes_it(self, register, as_user):
        client = as_user("broker_h")
        url = reverse("employers:activity_done", args=[register.due_other.pk])
        assert client.get(url).status_code == 405
        response = client.post(url, {"next": reverse("employers:follow_ups")})
        assert response.status_code == 302 and response.url == reverse("employers:follow_ups")
        assert Activity.objects.get(pk=register.due_other.pk).follow_up_done
        assert "Chefens uppföljning" not in page(client.get(reverse("employers:follow_ups")))

    def test_an_external_next_is_not_followed(self, register, as_user):
        response = as_user("broker_h").post(
            reverse("employers:activity_done", args=[register.due_other.pk]),
            {"next": "https://evil.example/"})
        assert response.url == reverse("employers:employer_detail", args=[register.cleaning.pk])

    def test_a_reader_cannot_mark_done(self, register, as_user):
        url = reverse("employers:activity_done", args=[register.due_other.pk])
        assert as_user("coach_h").post(url).status_code == 403


class TestEmployerPage:
    def test_everything_about_the_employer(self, register, as_user):
        text = page(as_user("broker_h").get(
            reverse("employers:employer_detail", args=[register.garage.pk])))
        for expected in ("Exempel Bilverkstad AB", ORGNR[0], "Kim Kontakt", "Verkstadschef",
                         "7231", "Fordonsmekaniker", "Internship agreement",
                         "Mäklarens uppföljning", "Business lunch", "due"):
            assert expected in text, expected

    def test_placements_only_of_participants_the_user_may_see(self, register, world,
                                                              as_user, today):
        record_placement(None, register.garage, register.own, "praktik", today)
        record_placement(None, register.garage, register.other, "anstallning", today)
        url = reverse("employers:employer_detail", args=[register.garage.pk])
        hisingen = page(as_user("broker_h").get(url))
        assert "Hisingsson" in hisingen and "Angeredsson" not in hisingen
        assert reverse("people:participant_detail", args=[register.own.pk]) in hisingen
        angered = page(as_user("coach_a").get(url))
        assert "Angeredsson" in angered and "Hisingsson" not in angered

    def test_protected_identity_is_not_listed_for_others(self, register, world, as_user,
                                                         today):
        record_placement(None, register.garage, register.own, "praktik", today)
        register.own.protected_identity = True
        register.own.save()
        text = page(as_user("broker_h").get(
            reverse("employers:employer_detail", args=[register.garage.pk])))
        assert "Hisingsson" not in text

    def test_unknown_employer(self, register, as_user):
        assert as_user("broker_h").get(
            reverse("employers:employer_detail", args=[99999])).status_code == 404


class TestForms:
    def test_register_an_employer(self, world, as_user):
        client = as_user("broker_h")
        url = reverse("employers:employer_add")
        assert 'name="organisation_number"' in page(client.get(url))
        response = client.post(url, {"name": "Exempel Måleri AB",
                                     "organisation_number": "9697990035", "sni_code": "43",
                                     "status": "active",
                                     "responsible": world.users["broker_h"].pk})
        employer = Employer.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("employers:employer_detail", args=[employer.pk])
        assert (employer.organisation_number, employer.sni_code) == ("969799-0035", "43")

    @pytest.mark.parametrize("number, words", [
        ("969799-003", "has 10 digits"), ("9697990036", "check digit"),
        ("96979x0035", "digits only")])
    def test_malformed_number_is_shown_on_its_field(self, world, as_user, number, words):
        text = page(as_user("broker_h").post(reverse("employers:employer_add"), {
            "name": "Exempel Måleri AB", "organisation_number": number, "status": "active"}))
        assert words in text and 'id="id_organisation_number_error"' in text
        assert 'href="#id_organisation_number"' in text  # the error summary links to it
        assert not Employer.objects.exists()

    def test_log_activity_with_follow_up(self, register, world, as_user, today):
        client = as_user("chief_h")
        url = reverse("employers:activity_add", args=[register.garage.pk])
        response = client.post(url, {"kind": "besok", "occurred_on": today.isoformat(),
                                     "follow_up_on": (today - timedelta(days=1)).isoformat(),
                                     "notes": "Tidig"})
        assert "The follow-up cannot be before the activity." in page(response)
        response = client.post(url, {"kind": "besok", "occurred_on": today.isoformat(),
                                     "follow_up_on": (today + timedelta(days=7)).isoformat(),
                                     "notes": "Besök"})
        assert response.status_code == 302
        activity = Activity.objects.get(notes="Besök")
        assert activity.by == world.users["chief_h"]

    def test_need_with_unknown_code(self, register, as_user, today):
        url = reverse("employers:need_add", args=[register.garage.pk])
        text = page(as_user("broker_h").get(url))
        assert '<datalist id="ssyk-level4">' in text
        before = RecruitmentNeed.objects.count()
        text = page(as_user("broker_h").post(url, {
            "occupation": "9999", "number": "2", "needed_from": today.isoformat(),
            "status": "open"}))
        assert "Okänd SSYK-kod: 9999" in text
        assert RecruitmentNeed.objects.count() == before
        response = as_user("broker_h").post(url, {
            "occupation": "9111 Städare", "number": "2", "needed_from": today.isoformat(),
            "status": "open", "takes_interns": "on"})
        assert response.status_code == 302
        assert RecruitmentNeed.objects.filter(occupation__code="9111",
                                              takes_interns=True).exists()

    def test_edit_need_shows_and_keeps_the_occupation(self, register, as_user):
        url = reverse("employers:need_edit", args=[register.need.pk])
        text = page(as_user("broker_h").get(url))
        assert 'value="7231 Motorfordonsmekaniker och fordonsreparatörer"' in text
        response = as_user("broker_h").post(url, {
            "occupation": "7231 Motorfordonsmekaniker och fordonsreparatörer", "number": "5",
            "needed_from": register.need.needed_from.isoformat(), "status": "open"})
        assert response.status_code == 302
        register.need.refresh_from_db()
        assert (register.need.number, register.need.occupation.code) == (5, "7231")

    def test_edit_vacancy_shows_the_occupation(self, register, as_user):
        text = page(as_user("broker_h").get(reverse("vacancies:vacancy_edit",
                                                    args=[register.vacancy.pk])))
        assert 'value="7231 Motorfordonsmekaniker och fordonsreparatörer"' in text

    @pytest.mark.parametrize("name", ["employer_edit", "contact_add", "activity_add",
                                      "need_add", "agreement_add"])
    def test_readers_may_not_open_write_forms(self, register, as_user, name):
        url = reverse(f"employers:{name}", args=[register.garage.pk])
        assert as_user("coach_h").get(url).status_code == 403
        assert as_user("broker_h").get(url).status_code == 200


class TestPlacementPages:
    def url(self, register):
        return reverse("employers:placement_add", args=[register.garage.pk])

    def test_place_a_visible_participant_by_identity_number(self, register, as_user, today):
        response = as_user("broker_h").post(self.url(register), {
            "participant": register.own.identity_number, "kind": "praktik",
            "starts_on": today.isoformat(), "vacancy": register.vacancy.pk})
        assert response.status_code == 302
        placement = Placement.objects.get()
        assert (placement.participant, placement.vacancy) == (register.own, register.vacancy)

    def test_a_participant_out_of_sight_is_unknown(self, register, as_user, today):
        text = page(as_user("broker_h").post(self.url(register), {
            "participant": register.other.identity_number, "kind": "praktik",
            "starts_on": today.isoformat()}))
        assert "No participant you may see has this identity number." in text
        assert not Placement.objects.exists()

    def test_prefilled_from_matching_and_logged(self, register, world, as_user):
        text = page(as_user("broker_h").get(self.url(register),
                                            {"deltagare": register.own.pk}))
        assert register.own.formatted_identity_number in text
        assert AccessLogEntry.objects.filter(participant=register.own,
                                             user=world.users["broker_h"]).exists()
        text = page(as_user("broker_h").get(self.url(register),
                                            {"deltagare": register.other.pk}))
        assert register.other.formatted_identity_number not in text

    def test_roles(self, register, as_user):
        assert as_user("coach_h").get(self.url(register)).status_code == 200
        assert as_user("syv_h").get(self.url(register)).status_code == 403

    def test_edit_is_scoped_through_the_participant(self, register, as_user, today):
        placement = record_placement(None, register.garage, register.own, "praktik", today)
        url = reverse("employers:placement_edit", args=[placement.pk])
        text = page(as_user("broker_h").post(url, {
            "kind": "praktik", "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=3)).isoformat()}))
        assert "The end date cannot be before the start date." in text
        assert as_user("coach_a").get(url).status_code == 404
        assert as_user("syv_h").get(url).status_code == 403
