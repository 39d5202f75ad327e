"""Job titles, related occupations, the suggestion service, command, web look-up and API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError

from vidare.codelists.loader import build_related_occupations
from vidare.codelists.models import JobTitle, Occupation, RelatedOccupation
from vidare.codelists.services import (
    MAX_SUGGEST_TEXT,
    Suggestion,
    related_occupations,
    suggest_occupations,
)

SUGGEST_URL = "/yrken/forslag/"
API_URL = "/api/v1/occupations/suggest/"


# --- what migration 0004 stored ---------------------------------------------------------------


@pytest.mark.django_db
def test_job_titles_are_loaded_with_their_occupation_name_and_group():
    assert JobTitle.objects.count() == 7464  # 7 468 rows less 4 without any group
    links = JobTitle.objects.filter(title_sv="Säljare").select_related("occupation")
    assert len(links) == 27
    assert {link.occupation.code for link in links} >= {"3322", "5223", "5242"}
    cleaner = JobTitle.objects.select_related("occupation_name", "occupation").get(
        title_sv="Städbiträde")
    assert (cleaner.occupation.code, cleaner.occupation_name.name_sv) == (
        "9111", "Städare/Lokalvårdare")
    # Links to a name JobTech has retired keep their group, without a name row.
    retired = JobTitle.objects.filter(occupation_name__isnull=True)
    assert retired.count() == 13
    assert set(retired.values_list("occupation__code", flat=True)) == {"7231"}


@pytest.mark.django_db
def test_related_occupations_follow_the_rules():
    assert RelatedOccupation.objects.count() == len(build_related_occupations())
    related = related_occupations()
    assert related["9111"]["9119"] == 2    # same minor group 911
    assert related["3322"]["5242"] == 2    # the title "Säljare" is in both
    assert related["9111"]["5151"] == 1    # same occupation field
    assert all(code not in links for code, links in related.items())
    assert all(related[b][a] == strength for a, links in related.items()
               for b, strength in links.items())
    assert set(related) <= set(Occupation.objects.filter(level=4).values_list("code", flat=True))
    link = RelatedOccupation.objects.get(occupation__code="3322", related__code="5242")
    assert link.kind == RelatedOccupation.Kind.SHARED_TITLES


@pytest.mark.django_db
def test_related_occupations_are_kept_until_the_table_changes(django_assert_num_queries):
    first = related_occupations()
    with django_assert_num_queries(1):      # only the fingerprint, not the 10 000 rows
        assert related_occupations() is first
    with pytest.raises(TypeError):
        first["9111"]["9119"] = 0           # shared by every caller: read-only
    RelatedOccupation.objects.filter(occupation__code="9111", related__code="9119").update(
        strength=1)
    assert related_occupations()["9111"]["9119"] == 1
    RelatedOccupation.objects.filter(occupation__code="9111", related__code="9119").delete()
    assert "9119" not in related_occupations()["9111"]


@pytest.mark.django_db
def test_a_group_cannot_be_related_to_itself():
    group = Occupation.objects.get(code="9111")
    with pytest.raises(IntegrityError):
        RelatedOccupation.objects.create(occupation=group, related=group, kind="same_field",
                                         strength=1)


@pytest.mark.django_db
def test_codelists_check_and_show_cover_titles_and_related():
    out = StringIO()
    call_command("codelists", "check", stdout=out)
    assert "JobTitle                7464 (expected 7464) ok" in out.getvalue()
    assert "RelatedOccupation" in out.getvalue()
    out = StringIO()
    call_command("codelists", "show", "9111", stdout=out)
    text = out.getvalue()
    assert "Städerska" in text
    assert "9119 2 same_minor_group" in text


# --- the service ------------------------------------------------------------------------------


def test_service_returns_ranked_suggestions():
    found = suggest_occupations("Undersköterska till hemtjänsten i Borås")
    assert len(found) == 5
    assert isinstance(found[0], Suggestion)
    assert found[0].ssyk == "5321"
    assert found[0].name.startswith("Undersköterskor, hemtjänst")
    assert [s.ssyk for s in suggest_occupations("städare på hotell", top=1)] == ["9111"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_service_blank_text_gives_an_empty_list(text):
    assert suggest_occupations(text) == []


@pytest.mark.parametrize("top", [0, -1, 21, True, "5", 2.0])
def test_service_refuses_a_bad_top(top):
    with pytest.raises(ValueError, match="top"):
        suggest_occupations("kock", top)


def test_service_refuses_a_text_that_is_not_a_string():
    with pytest.raises(ValueError, match="text"):
        suggest_occupations(None)  # type: ignore[arg-type]


# --- the command ------------------------------------------------------------------------------


def run(*args: str, stdin: str | None = None) -> str:
    out = StringIO()
    kwargs = {"stdout": out}
    if stdin is not None:
        kwargs["stdin"] = StringIO(stdin)
    call_command("occupations", "suggest", *args, **kwargs)
    return out.getvalue()


def test_command_prints_a_table_per_text():
    text = run("städare på hotell", "truckkörning", "--top", "2")
    assert "städare på hotell\n   1. 9111" in text
    assert "truckkörning\n   1. 8344" in text
    assert text.count("   2. ") == 2 and "   3. " not in text


def test_command_json_one_object_per_text():
    lines = run("bilmekaniker", "--json", "--top", "3").splitlines()
    assert len(lines) == 1
    row = json.loads(lines[0])
    assert row["text"] == "bilmekaniker"
    assert [s["ssyk"] for s in row["suggestions"]][:1] == ["7231"]
    assert set(row["suggestions"][0]) == {"ssyk", "name", "score"}
    assert len(row["suggestions"]) == 3


def test_command_reads_stdin_with_blank_lines_reported():
    out = run("-", "--json", stdin="lagerarbetare\n\n   \nhemtjänst\r\n")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["text"] for r in rows] == ["lagerarbetare", "", "   ", "hemtjänst"]
    assert rows[0]["suggestions"][0]["ssyk"] == "4322"
    assert rows[1] == {"text": "", "error": "empty text: nothing to map"}
    assert "error" in rows[2] and "suggestions" not in rows[2]
    assert rows[3]["suggestions"][0]["ssyk"] == "5321"
    # "-" alone means batch use: JSON lines without asking for them.
    assert run("-", stdin="kock\n\n") == run("-", "--json", stdin="kock\n\n")
    assert json.loads(run("-", stdin="kock\n").splitlines()[0])["text"] == "kock"
    assert "(empty text: nothing to map)" in run("kock", "   ")


@pytest.mark.parametrize(("args", "message"), [
    ((), "Give one or more job titles"),
    (("-", "kock"), "must be the only TEXT"),
    (("kock", "--top", "0"), "--top must be from 1 to 20"),
    (("kock", "--top", "abc"), "--top must be a whole number"),
])
def test_command_usage_errors(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_command_batch_through_a_real_pipe():
    """`vidare occupations suggest - --json` in a subprocess: one JSON line per input line."""
    vidare = Path(sys.executable).with_name("vidare")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vidare.settings.test"}
    result = subprocess.run(  # noqa: S603
        [str(vidare), "occupations", "suggest", "-", "--json", "--top", "2"],
        input="Undersköterska till hemtjänsten i Borås\n\nbilmekaniker\n",
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 3
    assert rows[0]["suggestions"][0] == {
        "ssyk": "5321",
        "name": "Undersköterskor, hemtjänst, hemsjukvård, äldreboende och habilitering",
        "score": rows[0]["suggestions"][0]["score"],
    }
    assert len(rows[0]["suggestions"]) == 2
    assert rows[1]["error"]
    assert rows[2]["suggestions"][0]["ssyk"] == "7231"


def test_command_usage_error_exits_non_zero():
    vidare = Path(sys.executable).with_name("vidare")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vidare.settings.test"}
    result = subprocess.run(  # noqa: S603
        [str(vidare), "occupations", "suggest", "--top", "0", "kock"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert result.returncode != 0
    assert "--top must be from 1 to 20" in result.stderr


# --- the web look-up and the API ----------------------------------------------------------------


@pytest.fixture
def coach_client(client, world):
    client.force_login(world.users["coach_h"])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["coach_h", "broker_h", "social", "analyst", "admin"])
def test_web_lookup_for_every_role(client, world, user):
    client.force_login(world.users[user])
    response = client.get(SUGGEST_URL, {"q": "lokalvårdare", "top": "3"})
    assert response.status_code == 200
    body = response.json()
    assert body["text"] == "lokalvårdare"
    assert [s["ssyk"] for s in body["suggestions"]][:1] == ["9111"]
    assert len(body["suggestions"]) == 3


@pytest.mark.django_db
def test_web_lookup_needs_a_login(client):
    response = client.get(SUGGEST_URL, {"q": "kock"})
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/")


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "field", "code"), [
    ({}, "q", "required"),
    ({"q": "   "}, "q", "required"),
    ({"q": "x" * (MAX_SUGGEST_TEXT + 1)}, "q", "max_length"),
    ({"q": "kock\x00"}, "q", "null_characters_not_allowed"),
    ({"q": "kock", "top": "0"}, "top", "min_value"),
    ({"q": "kock", "top": "21"}, "top", "max_value"),
    ({"q": "kock", "top": "abc"}, "top", "invalid"),
])
def test_web_lookup_bad_input_is_a_400_naming_the_parameter(coach_client, query, field, code):
    response = coach_client.get(SUGGEST_URL, query)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [(field, code)]
    assert errors[0]["message"].startswith(f"{field}: ")


@pytest.mark.django_db
def test_web_lookup_is_get_only(coach_client):
    assert coach_client.post(SUGGEST_URL, {"q": "kock"}).status_code == 405


@pytest.mark.django_db
def test_api_suggests(coach_client):
    response = coach_client.get(API_URL, {"text": "Undersköterska till hemtjänsten i Borås"})
    assert response.status_code == 200
    body = response.json()
    assert body["suggestions"][0]["ssyk"] == "5321"
    assert len(body["suggestions"]) == 5
    assert 0 < body["suggestions"][-1]["score"] <= body["suggestions"][0]["score"] <= 1
    response = coach_client.get(API_URL, {"text": "kock", "top": "20"})
    assert len(response.json()["suggestions"]) == 20


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "field", "code"), [
    ({}, "text", "required"),
    ({"text": ""}, "text", "blank"),
    ({"text": "   "}, "text", "blank"),
    ({"text": "x" * (MAX_SUGGEST_TEXT + 1)}, "text", "max_length"),
    ({"text": "kock\x00"}, "text", "null_characters_not_allowed"),
    ({"text": "kock", "top": "0"}, "top", "min_value"),
    ({"text": "kock", "top": "21"}, "top", "max_value"),
    ({"text": "kock", "top": "abc"}, "top", "invalid"),
])
def test_api_bad_input_is_a_400_naming_the_parameter(coach_client, query, field, code):
    response = coach_client.get(API_URL, query)
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, code)]


@pytest.mark.django_db
def test_api_needs_a_login(client):
    assert client.get(API_URL, {"text": "kock"}).status_code == 403


def test_api_operation_is_in_the_openapi_document():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"][API_URL]["get"]
    names = {p["name"]: p for p in operation["parameters"]}
    assert names["text"]["required"] is True
    assert names["top"]["schema"]["maximum"] == 20
    assert names["top"]["schema"]["minimum"] == 1
    assert "400" in operation["responses"]
