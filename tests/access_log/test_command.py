"""`vidare access-log export`: the operator's export of a period, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import logging

import pytest
from django.core.management import CommandError, call_command

from vidare import cli

from .conftest import local, write_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(world):
    person = world.register(first_name="Kommando", last_name="Radsson")
    u = world.users
    return {
        "before": write_entry(u["coach_h"], person, local(2026, 2, 28, 23, 59)),
        "first": write_entry(u["coach_h"], person, local(2026, 3, 1, 0, 0)),
        "night": write_entry(u["syv_h"], person, local(2026, 3, 15, 22, 0), channel="api",
                             special=True),
        "refused": write_entry(u["coach_a"], person, local(2026, 3, 31, 23, 59),
                               allowed=False),
        "after": write_entry(u["coach_h"], person, local(2026, 4, 1, 0, 0)),
    }


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("access_log", "export", *args, stdout=out)
    return out.getvalue()


def test_csv_export_of_a_period_with_local_dates_both_included(entries):
    rows = list(csv.DictReader(io.StringIO(export("--from", "2026-03-01", "--to",
                                                  "2026-03-31"))))
    assert [r["time"] for r in rows] == ["2026-03-01T00:00:00+01:00",
                                         "2026-03-15T22:00:00+01:00",
                                         "2026-03-31T23:59:00+02:00"]
    night = rows[1]
    assert night == {
        "time": "2026-03-15T22:00:00+01:00", "username": "syv_h", "staff_name": "Syv Hisingen",
        "participant_ref": str(entries["night"].participant_id), "participant_name": "",
        "what": "participant_detail", "channel": "api", "special_category_shown": "true",
        "allowed": "true", "ip_address": "10.0.0.1", "request_id": "", "flags": "off_hours",
    }
    assert rows[2]["allowed"] == "false"
    assert rows[2]["flags"] == "off_hours,refused"


def test_json_export_to_a_file(entries, tmp_path, caplog):
    target = tmp_path / "logg.json"
    with caplog.at_level(logging.INFO, logger="vidare.access"):
        call_command("access_log", "export", "--from", "2026-03-15", "--to", "2026-04-01",
                     "--format", "json", "--output", str(target), stderr=io.StringIO())
    data = json.loads(target.read_text(encoding="utf-8"))
    assert (data["from"], data["to"], data["count"]) == ("2026-03-15", "2026-04-01", 3)
    assert [e["username"] for e in data["entries"]] == ["syv_h", "coach_a", "coach_h"]
    first = data["entries"][0]
    assert first["special_category_shown"] is True and first["allowed"] is True
    assert first["flags"] == ["off_hours"]
    assert data["entries"][1]["allowed"] is False
    [line] = [r.getMessage() for r in caplog.records if r.name == "vidare.access"]
    assert "2026-03-15 to 2026-04-01, 3 entries" in line and str(target) in line


def test_an_empty_period_gives_an_empty_but_valid_export(entries):
    assert json.loads(export("--from", "2025-01-01", "--to", "2025-01-31", "--format",
                             "json")) == {"from": "2025-01-01", "to": "2025-01-31",
                                          "entries": [], "count": 0}
    assert export("--from", "2025-01-01", "--to", "2025-01-31").splitlines() == [
        "time,username,staff_name,participant_ref,participant_name,what,channel,"
        "special_category_shown,allowed,ip_address,request_id,flags"]


@pytest.mark.parametrize("args, option", [
    (["--from", "2026-13-01", "--to", "2026-03-31"], "--from"),
    (["--from", "1 mars", "--to", "2026-03-31"], "--from"),
    (["--from", "2026-03-01", "--to", "31/3/2026"], "--to"),
])
def test_a_bad_date_names_the_option(db, args, option):
    with pytest.raises(CommandError) as exc:
        export(*args)
    message = str(exc.value)
    assert f"argument {option}:" in message and "YYYY-MM-DD" in message


def test_a_period_running_backwards_is_refused(db):
    with pytest.raises(CommandError, match=r"--to \(2026-03-01\) is before --from"):
        export("--from", "2026-03-31", "--to", "2026-03-01")


@pytest.mark.parametrize("args, text", [
    (["--to", "2026-03-31"], "--from"),
    (["--from", "2026-03-01"], "--to"),
    (["--from", "2026-03-01", "--to", "2026-03-31", "--format", "xml"], "--format"),
])
def test_missing_or_unknown_options_are_named(db, args, text):
    with pytest.raises(CommandError, match=text):
        export(*args)


def test_an_unwritable_output_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="--output: cannot write"):
        export("--from", "2026-03-01", "--to", "2026-03-31", "--output",
               str(tmp_path / "no" / "such" / "dir.csv"))


def test_the_vidare_command_line_spells_it_access_log(entries, capsys):
    cli.main(["vidare", "access-log", "export", "--from", "2026-03-01", "--to", "2026-03-01"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[1].startswith("2026-03-01T00:00:00+01:00,coach_h,")
    with pytest.raises(SystemExit) as exc:
        cli.main(["vidare", "access-log", "export", "--from", "igår", "--to", "2026-03-01"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "vidare access-log export" in err and "argument --from: 'igår' is not a date" in err


def test_vidare_help_lists_the_command(capsys):
    cli.main(["vidare", "--help"])
    assert "access-log" in capsys.readouterr().out
