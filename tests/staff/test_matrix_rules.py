"""The staff pages in the authorisation matrix: only the system administrator, never about a
participant, and the walker's calls answer as the matrix says for every role."""

from __future__ import annotations

import pytest

from vidare.access.matrix import ROLES, WEB, Outcome
from vidare.access.roles import Role
from vidare.core.testing import COMBINED, MatrixWalker, build_matrix_world, url_names

STAFF_RULES = [r for r in WEB if r.target.startswith("access:staff_")]


def test_every_staff_page_has_a_rule():
    pages = {n for n in url_names() if n.startswith("access:staff_")}
    assert pages == {r.target for r in STAFF_RULES}
    assert len(pages) == 9


def test_only_the_system_administrator_and_no_participant():
    for rule in STAFF_RULES:
        assert not rule.about_participant, rule.target
        for role in ROLES:
            expected = Outcome.ALLOW if role == Role.SYSTEMADMINISTRATOR else Outcome.DENY
            assert rule.expected(role, None) == expected, (rule.target, role)


def test_state_changes_are_posts():
    posts = {r.target for r in STAFF_RULES if r.method == "POST"}
    assert posts == {"access:staff_set_active", "access:staff_password",
                     "access:staff_reset_second_factor", "access:staff_role_grant",
                     "access:staff_role_revoke"}


@pytest.fixture
def walker(db):
    return MatrixWalker(build_matrix_world())


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_walk(walker, role):
    problems = walker.walk(role, rules=STAFF_RULES)
    assert not problems, "\n".join(problems)


def test_walk_administrator_who_is_also_a_coach(walker):
    problems = walker.walk([Role.JOBBCOACH, Role.SYSTEMADMINISTRATOR],
                           user=walker.world.users[COMBINED], rules=STAFF_RULES)
    assert not problems, "\n".join(problems)
