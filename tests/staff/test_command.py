"""`vidare staff`: the first administrator from the command line, and the same rules."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from vidare.access.models import Membership, User
from vidare.access.roles import Capability

from .conftest import PASSWORD, snapshot


def run(*args: str, stdin: str | None = None) -> str:
    out = io.StringIO()
    kwargs = {"stdout": out}
    if stdin is not None:
        kwargs["stdin"] = io.StringIO(stdin)
    call_command("staff", *args, **kwargs)
    return out.getvalue()


@pytest.mark.django_db
def test_first_setup_on_an_empty_database():
    from vidare.organisation.models import Centre

    Centre.objects.create(code="centrum", name="Centrum")
    assert not User.objects.exists()
    run("add", "it.admin", "--first-name", "Ida", "--last-name", "Admin", "--email",
        "ida@kommun.example", "--password-stdin", stdin=PASSWORD + "\n")
    text = run("grant", "it.admin", "systemadministrator")
    assert "systemadministrator" in text
    admin = User.objects.get(username="it.admin")
    assert admin.check_password(PASSWORD) and admin.can(Capability.MANAGE_USERS)
    # History: no user, the command line as reason.
    row = admin.history.get()
    assert row.history_user is None and row.history_change_reason.startswith("command line")
    granted = Membership.history.get(user_id=admin.pk)
    assert granted.history_user is None
    assert granted.history_change_reason.startswith("command line")
    run("add", "ny.coach", "--first-name", "Ny", "--last-name", "Coach", "--no-password")
    run("grant", "ny.coach", "jobbcoach", "--centre", "centrum")
    assert User.objects.get(username="ny.coach").can(Capability.ENROL)


def test_revoke_keeps_history(world):
    run("revoke", "coach_h", "jobbcoach", "--centre", "hisingen")
    coach = world.users["coach_h"]
    assert not coach.memberships.exists()
    gone = Membership.history.filter(user_id=coach.pk, history_type="-").get()
    assert gone.history_change_reason.startswith("command line")


def test_list_json(world):
    rows = json.loads(run("list", "--json"))
    by_name = {r["username"]: r for r in rows}
    assert by_name["coach_a"]["roles"] == [{"role": "jobbcoach", "centre": "angered"}]
    assert by_name["admin"]["roles"] == [{"role": "systemadministrator", "centre": None}]
    assert by_name["admin"]["active"] is True


def test_list_text(world):
    text = run("list")
    assert "jobbcoach@hisingen" in text and "systemadministrator" in text


@pytest.mark.parametrize("args, stdin, expected", [
    (("add", "coach_H", "--first-name", "A", "--last-name", "B", "--no-password"), None,
     "username: "),
    (("add", "a b", "--first-name", "A", "--last-name", "B", "--no-password"), None,
     "(invalid_characters)"),
    (("add", "ny", "--first-name", "A", "--last-name", "B", "--email", "x@",
      "--no-password"), None, "email: "),
    (("add", "ny", "--first-name", "A", "--last-name", "B", "--password-stdin"), "kort\n",
     "(password_too_short)"),
    (("add", "ny", "--first-name", "A", "--last-name", "B", "--password-stdin"), "",
     "password: "),
    (("add", "ny", "--first-name", "A", "--last-name", "B"), "", "--password-stdin"),
    (("grant", "coach_h", "jobbcoach"), None, "centre: "),
    (("grant", "coach_h", "analytiker", "--centre", "hisingen"), None,
     "(municipality_wide)"),
    (("grant", "coach_h", "jobbcoach", "--centre", "hisingen"), None, "(duplicate)"),
    (("grant", "coach_h", "kung"), None, "(invalid_choice)"),
    (("grant", "nobody", "analytiker"), None, "(does_not_exist)"),
    (("grant", "coach_h", "jobbcoach", "--centre", "nowhere"), None, "(does_not_exist)"),
    (("revoke", "coach_h", "analytiker"), None, "role: "),
])
def test_errors_name_field_and_rule_and_save_nothing(world, args, stdin, expected):
    before = snapshot()
    with pytest.raises(CommandError) as exc:
        run(*args, stdin=stdin)
    assert expected in str(exc.value), str(exc.value)
    assert snapshot() == before


def test_exit_status_is_non_zero_with_the_field_on_stderr(world, capsys):
    from vidare.access.management.commands.staff import Command

    with pytest.raises(SystemExit) as exc:
        Command().run_from_argv(["vidare", "staff", "grant", "coach_h", "jobbcoach"])
    assert exc.value.code == 1
    assert "centre: " in capsys.readouterr().err
