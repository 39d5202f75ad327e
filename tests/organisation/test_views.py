"""The system administrator's organisation pages: lists show what matters, forms save
through the actions, bad input is reported on its field with nothing saved, and every other
role is refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vidare.codelists.models import Municipality
from vidare.organisation.models import Centre, Programme, TargetGroup

from .conftest import OTHER_ROLES, snapshot


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def error_codes(response, field: str) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [e.code for e in response.context["form"].errors.as_data().get(field, [])]


def centre_form(**changes):
    return {"name": "Lundby", "code": "lundby", "municipality": "", "address": "Lundbyvägen 1",
            **changes}


def programme_form(world, **changes):
    return {"name": "Resursjobb Unga", "code": "resurs-unga", "description": "",
            "min_age": "18", "max_age": "29", "max_length_months": "12",
            "centres": [world.hisingen.pk], "target_groups": [world.tg["funktionsnedsattning"].pk],
            **changes}


def group_form(**changes):
    return {"name": "Sjukskrivna", "code": "sjukskrivna", "description": "",
            "special_category": "on", **changes}


def all_urls(world) -> list[str]:
    return [
        reverse("organisation:centre_list"), reverse("organisation:centre_add"),
        reverse("organisation:centre_edit", args=[world.hisingen.pk]),
        reverse("organisation:programme_list"), reverse("organisation:programme_add"),
        reverse("organisation:programme_edit", args=[world.jobbtorg.pk]),
        reverse("organisation:target_group_list"), reverse("organisation:target_group_add"),
        reverse("organisation:target_group_edit", args=[world.tg["forsorjningsstod"].pk]),
    ]


# --- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", OTHER_ROLES)
def test_every_other_role_is_refused_and_nothing_changes(world, as_user, busy, key):
    client = as_user(key)
    before = snapshot()
    posts = {"centre": centre_form(), "programme": programme_form(world), "group": group_form()}
    for url in all_urls(world):
        assert client.get(url).status_code == 403, url
        body = (posts["centre"] if "/enheter/" in url else
                posts["programme"] if "/program/" in url else posts["group"])
        assert client.post(url, body).status_code == 403, url
    assert snapshot() == before


def test_an_anonymous_visitor_is_sent_to_login(world, client):
    for url in all_urls(world):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/logga-in/")


def test_an_unknown_row_is_404_for_the_administrator(world, as_user):
    client = as_user("admin")
    for name in ("centre_edit", "programme_edit", "target_group_edit"):
        assert client.get(reverse(f"organisation:{name}", args=[999999])).status_code == 404


# --- centres ---------------------------------------------------------------------------------


class TestCentrePages:
    def test_list_shows_municipality_address_open_enrolments_and_status(self, world, as_user,
                                                                        busy):
        municipality = Municipality.objects.get(code="1480")
        Centre.objects.filter(pk=world.hisingen.pk).update(municipality=municipality,
                                                           address="Hisingsgatan 1")
        Centre.objects.filter(pk=world.angered.pk).update(active=False)
        text = page(as_user("admin").get(reverse("organisation:centre_list")))
        row = text[text.index(">Hisingen<"):text.index("</tr>", text.index(">Hisingen<"))]
        assert "Göteborg" in row and "Hisingsgatan 1" in row and '<td class="num">1</td>' in row
        angered = text[text.index(">Angered<"):]
        assert "Inactive" in angered[:angered.index("</tr>")]
        assert "Upptagen" not in text  # a count, never a person

    def test_add(self, world, as_user, admin):
        response = as_user("admin").post(reverse("organisation:centre_add"),
                                         centre_form(code="Lundby"))
        assert response.status_code == 302
        assert response.url == reverse("organisation:centre_list")
        centre = Centre.objects.get(code="lundby")
        assert centre.active and centre.history.get().history_user == admin

    def test_the_add_form_has_no_active_box(self, world, as_user):
        text = page(as_user("admin").get(reverse("organisation:centre_add")))
        assert 'name="active"' not in text and 'name="code"' in text

    def test_edit_and_deactivate(self, world, as_user, admin):
        url = reverse("organisation:centre_edit", args=[world.angered.pk])
        client = as_user("admin")
        assert 'name="active"' in page(client.get(url))
        response = client.post(url, centre_form(name="Angered", code="angered",
                                                address="Angereds torg"))
        assert response.status_code == 302
        centre = Centre.objects.get(pk=world.angered.pk)
        assert not centre.active and centre.address == "Angereds torg"
        assert centre.history.latest().history_user == admin
        # The change form shows the history: who changed which fields.
        text = page(client.get(url))
        history = text[text.index('id="h-history"'):]
        assert "Address, active" in history and str(admin) in history

    @pytest.mark.parametrize("changes, field, code", [
        ({"code": "lundby norra"}, "code", "invalid"),
        ({"code": ""}, "code", "required"),
        ({"code": "hisingen"}, "code", "duplicate"),
        ({"name": ""}, "name", "required"),
        ({"name": "HISINGEN"}, "name", "duplicate"),
        ({"municipality": "999999"}, "municipality", "invalid_choice"),
        ({"address": "x" * 201}, "address", "max_length"),
    ])
    def test_bad_input(self, world, as_user, changes, field, code):
        before = snapshot()
        response = as_user("admin").post(reverse("organisation:centre_add"),
                                         centre_form(**changes))
        assert code in error_codes(response, field)
        assert 'class="error"' in response.content.decode()
        assert snapshot() == before

    def test_a_busy_centre_cannot_be_deactivated(self, world, as_user, busy):
        before = snapshot()
        response = as_user("admin").post(
            reverse("organisation:centre_edit", args=[world.hisingen.pk]),
            centre_form(name="Hisingen", code="hisingen"))
        assert error_codes(response, "active") == ["open_enrolments"]
        text = response.content.decode()
        assert "1 open enrolment" in text and "Change centre Hisingen" in text
        assert snapshot() == before


# --- programmes ------------------------------------------------------------------------------


class TestProgrammePages:
    def test_list_shows_age_band_length_centres_groups_and_status(self, world, as_user, busy):
        Programme.objects.filter(pk=world.unga.pk).update(active=False)
        text = page(as_user("admin").get(reverse("organisation:programme_list")))
        start = text.index(">Resursjobb<")
        row = text[start:text.index("</tr>", start)]
        assert "18–65" in row and '<td class="num">12</td>' in row
        assert "Angered" in row and "Funktionsnedsättning" in row and "Hisingen" not in row
        start = text.index(">Jobbtorg Unga<")
        row = text[start:text.index("</tr>", start)]
        assert "16–24" in row and "Open to everyone" in row and "Inactive" in row
        start = text.index(">Jobbtorg<")
        assert '<td class="num">1</td>' in text[start:text.index("</tr>", start)]

    def test_add(self, world, as_user, admin):
        client = as_user("admin")
        text = page(client.get(reverse("organisation:programme_add")))
        assert 'name="active"' not in text and 'value="16"' in text
        response = client.post(reverse("organisation:programme_add"), programme_form(
            world, centres=[world.hisingen.pk, world.angered.pk]))
        assert response.status_code == 302
        programme = Programme.objects.get(code="resurs-unga")
        assert (programme.min_age, programme.max_age, programme.max_length_months) == (
            18, 29, 12)
        assert set(programme.centres.all()) == {world.hisingen, world.angered}
        assert list(programme.target_groups.all()) == [world.tg["funktionsnedsattning"]]
        assert {r.history_user for r in programme.history.all()} == {admin}

    def test_edit_makes_it_open_to_everyone_and_inactive(self, world, as_user, admin):
        url = reverse("organisation:programme_edit", args=[world.resurs.pk])
        response = as_user("admin").post(url, programme_form(
            world, name="Resursjobb", code="resursjobb", target_groups=[]))
        assert response.status_code == 302
        programme = Programme.objects.get(pk=world.resurs.pk)
        assert not programme.active and programme.target_groups.count() == 0
        assert list(programme.centres.all()) == [world.hisingen]
        latest = programme.history.latest()
        assert latest.history_user == admin and not latest.target_groups.exists()
        history = page(as_user("admin").get(url))
        history = history[history.index('id="h-history"'):]
        # One save: the row and then its two many-to-many fields, shown as one change.
        assert history.count("<tr>") == 1 + 2       # header, this change, the creation
        assert "Maximum age at enrolment, active, target groups, offered at" in history

    @pytest.mark.parametrize("changes, field, code", [
        ({"code": "resurs unga"}, "code", "invalid"),
        ({"code": "jobbtorg"}, "code", "duplicate"),
        ({"name": ""}, "name", "required"),
        ({"name": "Jobbtorg"}, "name", "duplicate"),
        ({"min_age": "14"}, "min_age", "min_value"),
        ({"min_age": "sexton"}, "min_age", "invalid"),
        ({"max_age": "101"}, "max_age", "max_value"),
        ({"min_age": "30", "max_age": "20"}, "max_age", "age_band"),
        ({"max_length_months": "0"}, "max_length_months", "min_value"),
        ({"max_length_months": "121"}, "max_length_months", "max_value"),
        ({"centres": []}, "centres", "required"),
        ({"centres": ["999999"]}, "centres", "invalid_choice"),
        ({"target_groups": ["999999"]}, "target_groups", "invalid_choice"),
    ])
    def test_bad_input(self, world, as_user, changes, field, code):
        before = snapshot()
        response = as_user("admin").post(reverse("organisation:programme_add"),
                                         programme_form(world, **changes))
        assert code in error_codes(response, field)
        assert snapshot() == before

    def test_a_busy_programme_cannot_be_deactivated(self, world, as_user, busy):
        before = snapshot()
        data = programme_form(world, name="Jobbtorg", code="jobbtorg", min_age="16",
                              max_age="65", max_length_months="12",
                              centres=[world.hisingen.pk, world.angered.pk])
        response = as_user("admin").post(
            reverse("organisation:programme_edit", args=[world.jobbtorg.pk]), data)
        assert error_codes(response, "active") == ["open_enrolments"]
        assert snapshot() == before

    def test_the_form_marks_special_category_groups(self, world, as_user):
        TargetGroup.objects.filter(pk=world.tg["funktionsnedsattning"].pk).update(
            special_category=True)
        text = page(as_user("admin").get(
            reverse("organisation:programme_edit", args=[world.resurs.pk])))
        assert "Funktionsnedsättning (special category)" in text


# --- target groups ---------------------------------------------------------------------------


class TestTargetGroupPages:
    def test_list_shows_special_category_and_use(self, world, as_user, busy):
        TargetGroup.objects.filter(pk=world.tg["utrikesfodd"].pk).update(special_category=True)
        text = page(as_user("admin").get(reverse("organisation:target_group_list")))
        start = text.index(">Född utanför Europa<")
        row = text[start:text.index("</tr>", start)]
        assert "hidden from roles without the need" in row
        start = text.index(">Försörjningsstöd<")
        row = text[start:text.index("</tr>", start)]
        assert row.count('<td class="num">1</td>') == 2  # one programme, one enrolment
        assert "Upptagen" not in text

    def test_the_form_says_what_special_category_does(self, world, as_user):
        text = page(as_user("admin").get(reverse("organisation:target_group_add")))
        assert 'name="special_category"' in text
        assert "shown only to roles that may see special categories" in text

    def test_add_a_special_category_group(self, world, as_user, admin):
        response = as_user("admin").post(reverse("organisation:target_group_add"), group_form())
        assert response.status_code == 302
        group = TargetGroup.objects.get(code="sjukskrivna")
        assert group.special_category and group.history.get().history_user == admin

    def test_edit_clears_the_flag(self, world, as_user, admin):
        group = world.tg["kort_utbildning"]
        TargetGroup.objects.filter(pk=group.pk).update(special_category=True)
        response = as_user("admin").post(
            reverse("organisation:target_group_edit", args=[group.pk]),
            {"name": "Kort utbildning", "code": "kort_utbildning", "description": "Högst 9 år"})
        assert response.status_code == 302
        group.refresh_from_db()
        assert not group.special_category and group.description == "Högst 9 år"
        assert group.history.latest().history_user == admin

    def test_the_code_of_a_group_in_use_cannot_change(self, world, as_user, busy):
        url = reverse("organisation:target_group_edit", args=[world.tg["forsorjningsstod"].pk])
        client = as_user("admin")
        assert "In use by 1 enrolments and 1 programmes" in page(client.get(url))
        before = snapshot()
        response = client.post(url, group_form(name="Försörjningsstöd", code="fsb"))
        assert error_codes(response, "code") == ["in_use"]
        assert snapshot() == before

    @pytest.mark.parametrize("changes, field, code", [
        ({"code": "unga vuxna"}, "code", "invalid"),
        ({"code": "FORSORJNINGSSTOD"}, "code", "duplicate"),
        ({"name": ""}, "name", "required"),
        ({"name": "kort utbildning"}, "name", "duplicate"),
        ({"name": "x" * 101}, "name", "max_length"),
    ])
    def test_bad_input(self, world, as_user, changes, field, code):
        before = snapshot()
        response = as_user("admin").post(reverse("organisation:target_group_add"),
                                         group_form(**changes))
        assert code in error_codes(response, field)
        assert snapshot() == before
