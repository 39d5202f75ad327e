"""Register extract (GDPR art. 15): complete, readable, logged, and only for the unit manager
at the person's own centres."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from django.urls import reverse

from vidare.access.extract import KINDS, build_extract, render_pdf
from vidare.access.models import AccessLogEntry


def url(participant, kind="json"):
    return reverse("access:extract", args=[participant.pk]) + f"?format={kind}"


def pdf_text(body: bytes, tmp_path) -> str:
    program = shutil.which("pdftotext")
    if program is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "extract.pdf"
    path.write_bytes(body)
    return subprocess.run([program, "-layout", str(path), "-"], check=True,  # noqa: S603
                          capture_output=True, text=True).stdout


def test_json_extract_holds_every_kind_of_record(full_person, world, as_user):
    p = full_person.participant
    as_user("coach_h").get(reverse("people:participant_detail", args=[p.pk]))
    data = build_extract(p, actor=world.users["chief_h"])
    for kind in KINDS[1:]:
        assert data[kind.key], f"no {kind.key} in the extract"
    assert data["history"] and data["access_log"]
    text = json.dumps(data, ensure_ascii=False)
    # Every marked free text (both assessment versions, special category included) is there.
    for fragment in ("referral-reason", "second-reason", "close-note", "contact-note",
                     "consent-note", "skill-1", "skill-2", "interests-1", "adapt-1",
                     "adapt-2", "barrier-note-2", "workexp-1", "plan-summary", "goal",
                     "intervention-title", "provider", "intervention-note",
                     "attendance-note", "employer", "exit-note", "restriction-reason",
                     "decline-reason"):
        assert f"MARKZQ-{fragment}" in text, fragment
    person = data["participant"]
    assert person["first_name"] == "Zelmira" and person["last_name"] == "Quibbleström"
    assert person["identity_number"] == (f"{full_person.identity_number[:8]}-"
                                         f"{full_person.identity_number[8:]}")
    assert person["phone"] == "070-555 98 76" and person["birth_region"] == "Asia"
    assert person["protected_identity_staff"] == [str(world.users["chief_h"])]
    assert len(person["languages"]) == 2
    assert [a["version"] for a in data["assessments"]] == [2, 1]
    assert set(data["assessments"][0]["barriers"]) == {"Health", "Language"}
    assert data["exits"][0]["reason"] == "Work, unsubsidised"
    assert sorted(data["enrolments"][0]["target_groups"]) == ["Född utanför Europa",
                                                              "Försörjningsstöd"]
    # The old phone number survives only in the history, and the extract shows it there.
    phone_changes = [c for e in data["history"] for c in e["changes"] if c["field"] == "phone"]
    assert {"field": "phone", "from": "070-555 12 34", "to": "070-555 98 76"} in phone_changes
    assert any(e["reason"] == "MARKZQ-lifted-reason" for e in data["history"])
    read = data["access_log"][0]
    assert read["staff"] == "Coach Hisingen" and read["what"] == "participant_detail"
    about = data["about"]
    assert about["controller"] and about["purposes"] and about["legal_basis"]
    assert "Article 15" in about["legal_ground"]
    # Labels for every field of every section, so the JSON explains itself.
    for key, section in data["labels"].items():
        records = [data[key]] if key == "participant" else data[key]
        for r in records:
            assert set(r) <= set(section["fields"]), key


def test_deleted_records_appear_in_the_history(full_person, world):
    from vidare.people.models import ReferralContact

    contact = ReferralContact.objects.get(referral__participant=full_person.participant)
    contact.delete()  # no action deletes contacts; the history must still show it
    data = build_extract(full_person.participant)
    assert not data["referral_contacts"]
    deleted = [e for e in data["history"] if e["change"] == "deleted"]
    assert deleted and {"field": "note", "from": "MARKZQ-contact-note", "to": None} in (
        deleted[0]["changes"])


def test_unit_manager_downloads_json_and_the_read_is_logged(full_person, as_user, world):
    p = full_person.participant
    response = as_user("chief_h").get(url(p))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == (
        f'attachment; filename="registerutdrag-{p.pk}-2026-06-15.json"')
    assert "Zelmira" not in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["participant"]["last_name"] == "Quibbleström"
    entry = AccessLogEntry.objects.get(participant=p, channel="export")
    assert entry.username == "chief_h" and entry.what == "register_extract_json"
    assert entry.special_category_shown and entry.allowed


def test_pdf_renders_with_cover_sections_and_page_numbers(full_person, as_user, tmp_path):
    p = full_person.participant
    response = as_user("chief_h").get(url(p, "pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content, tmp_path)
    assert "Register extract under Article 15" in text
    assert "Quibbleström" in text and "Försörjningsstöd" in text  # å, ä, ö drawn
    for title in ("Personal details", "Referrals", "Enrolments", "Exits",
                  "Competence mapping (every version)", "Interventions", "Attendance",
                  "History of changes", "Access log"):
        assert title in text, title
    assert "MARKZQ-adapt-1" in text and "MARKZQ-intervention-note" in text
    pages = text.count("\f")
    assert f"Page {pages} of {pages}" in text
    entry = AccessLogEntry.objects.get(participant=p, channel="export")
    assert entry.what == "register_extract_pdf"


def test_pdf_without_a_unicode_font_still_draws_swedish_letters(full_person, settings,
                                                                 monkeypatch, tmp_path):
    from vidare.access import extract

    monkeypatch.setattr(extract, "FONT_CANDIDATES", ())
    settings.VIDARE_PDF_FONTS = None
    assert extract.pdf_fonts() == ("Helvetica", "Helvetica-Bold")
    text = pdf_text(render_pdf(build_extract(full_person.participant)), tmp_path)
    assert "Quibbleström" in text and "Försörjningsstöd" in text


def test_unknown_format_is_refused(full_person, as_user):
    response = as_user("chief_h").get(url(full_person.participant, "xml"))
    assert response.status_code == 400
    assert not AccessLogEntry.objects.filter(channel="export").exists()


@pytest.mark.parametrize("key, status", [
    ("coach_h", 403), ("syv_h", 403), ("af_h", 403), ("broker_h", 403),
    ("coach_a", 404), ("analyst", 404), ("admin", 404), ("social", 404),
])
def test_only_the_unit_manager_may_make_the_extract(full_person, as_user, key, status):
    response = as_user(key).get(url(full_person.participant))
    assert response.status_code == status
    assert not AccessLogEntry.objects.filter(channel="export", allowed=True).exists()


def test_unit_manager_of_another_centre_gets_404(world, as_user, today):
    from vidare.access.models import Membership, User

    other_chief = User.objects.create_user(username="chief_a", password="x-password-123")
    Membership.objects.create(user=other_chief, role="enhetschef", centre=world.angered)
    p = world.register()
    client = as_user("chief_h")
    client.force_login(other_chief)
    assert client.get(url(p)).status_code == 404


def test_protected_identity_extract_only_for_named_staff(world, as_user, today):
    p = world.register(protected_identity=True, address="Hemlig gatan 1")
    assert as_user("chief_h").get(url(p)).status_code == 403
    p.protected_identity_staff.add(world.users["chief_h"])
    response = as_user("chief_h").get(url(p))
    assert response.status_code == 200
    assert json.loads(response.content)["participant"]["address"] == "Hemlig gatan 1"


def test_anonymous_is_sent_to_login(full_person, client):
    response = client.get(url(full_person.participant))
    assert response.status_code == 302 and "/logga-in/" in response["Location"]


def test_pdf_prints_names_beyond_western_europe_with_a_unicode_font(world, today, tmp_path):
    from vidare.access.extract import pdf_fonts

    if pdf_fonts()[0] == "Helvetica":
        pytest.skip("no Unicode TrueType font (DejaVu Sans) on this machine")
    p = world.register(first_name="Şükrü", last_name="Nguyễn Łaszewski")
    text = pdf_text(render_pdf(build_extract(p)), tmp_path)
    assert "Şükrü" in text and "Nguyễn Łaszewski" in text
