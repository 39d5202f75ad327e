"""The authorisation matrix, walked for every role, and the meta-tests that keep it complete:
every URL pattern and every API operation must have a rule, and every rule a target."""

from __future__ import annotations

import pytest

from vidare.access.matrix import API, ROLES, RULES, WEB, Outcome, Relation, render_markdown
from vidare.access.roles import Role
from vidare.core.testing import (
    COMBINED,
    MatrixWalker,
    api_operations,
    build_matrix_world,
    url_names,
)


@pytest.fixture
def walker(db):
    return MatrixWalker(build_matrix_world())


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_matrix(walker, role):
    problems = walker.walk(role)
    assert not problems, "\n".join(problems)


def test_a_system_administrator_who_is_also_a_job_coach_sees_what_the_job_coach_sees(walker):
    user = walker.world.users[COMBINED]
    problems = walker.walk([Role.JOBBCOACH, Role.SYSTEMADMINISTRATOR], user=user)
    assert not problems, "\n".join(problems)


# ---- the matrix covers everything, and nothing that is gone ------------------------------


def test_every_url_pattern_has_a_rule():
    missing = url_names() - {r.target for r in WEB}
    assert not missing, f"add these pages to vidare/access/matrix.py: {sorted(missing)}"


def test_every_api_operation_has_a_rule():
    missing = api_operations() - {r.target for r in API}
    assert not missing, f"add these operations to vidare/access/matrix.py: {sorted(missing)}"


def test_no_rule_names_a_page_or_operation_that_is_gone():
    stale = ({r.target for r in WEB} - url_names()) | ({r.target for r in API}
                                                      - api_operations())
    assert not stale, f"remove from vidare/access/matrix.py: {sorted(stale)}"


def test_every_rule_decides_for_every_role_and_relation():
    for rule in RULES:
        for role in ROLES:
            for relation in rule.relations(role):
                assert isinstance(rule.expected(role, relation), Outcome), (rule, role)
    targets = [r.target for r in RULES]
    assert len(targets) == len(set(targets))


def test_analyst_and_system_administrator_reach_no_participant_data():
    for rule in RULES:
        for role in (Role.ANALYTIKER, Role.SYSTEMADMINISTRATOR):
            if rule.about_participant:
                assert Outcome.ALLOW not in {rule.expected(role, rel)
                                             for rel in rule.relations(role)}, rule.target


def test_nobody_reaches_another_centres_participant():
    for rule in RULES:
        for role in ROLES:
            if rule.about_participant:
                assert rule.expected(role, Relation.OTHER) != Outcome.ALLOW, (rule.target, role)
        if rule.about_participant:
            officer = Role.SOCIALSEKRETERARE
            assert rule.expected(officer, Relation.NO_CONSENT) != Outcome.ALLOW, rule.target


def test_markdown_has_a_row_per_rule_and_a_column_per_role():
    text = render_markdown()
    for rule in RULES:
        assert f"`{rule.target}`" in text
    header = next(line for line in text.splitlines() if line.startswith("| Page"))
    assert all(role.value in header for role in ROLES)
