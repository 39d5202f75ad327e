"""Meta-tests over every URL pattern: nothing answers an anonymous visitor with data."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Patterns that are public on purpose, with the reason.
PUBLIC = {
    "access:login": "the login page",
    "set_language": "language switch (POST only, sets a cookie)",
    "api-schema": "the OpenAPI document describes the API and holds no personal data",
}


def walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[
        tuple[str, str]]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            name = f"{namespace}:{p.name}" if namespace else p.name
            yield name, prefix + str(p.pattern)


def concrete(route: str) -> str:
    """A visitable path for a route, with 1 for every parameter."""
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    path = re.sub(r"<(?:\w+:)?\w+>", "1", path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".")
    return "/" + path.lstrip("/")


ROUTES = sorted(set(walk(get_resolver())))


def test_inventory_is_not_empty():
    names = {n for n, _ in ROUTES}
    assert {"access:login", "enrolments:caseload", "people:participant_detail"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("name, route", ROUTES, ids=[n for n, _ in ROUTES])
def test_anonymous_visitor_gets_no_data(client, name, route):
    if name in PUBLIC:
        return
    if "(?P<format>" in route:
        return  # DRF's format-suffix twin of a route tested without the suffix
    path = concrete(route)
    response = client.get(path)
    if path.startswith("/api/"):
        assert response.status_code in (401, 403), (name, path, response.status_code)
    else:
        assert response.status_code in (302, 404, 405), (name, path, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/logga-in/"), (name, response["Location"])


def test_public_exemptions_are_not_stale():
    names = {n for n, _ in ROUTES}
    assert set(PUBLIC) <= names, set(PUBLIC) - names


@pytest.mark.parametrize("user_key, target", [
    ("coach_h", "/mina-deltagare/"), ("chief_h", "/oversikt/"), ("syv_h", "/deltagare/"),
    ("broker_h", "/deltagare/"), ("social", "/remisser/"), ("analyst", None),
    ("admin", None),
])
def test_home_sends_each_role_to_its_start(client, world, user_key, target):
    client.force_login(world.users[user_key])
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="sv")
    if target:
        assert response.status_code == 302 and response["Location"] == target
    else:
        assert response.status_code == 200
        label = {"analyst": "Analytiker", "admin": "Systemadministratör"}[user_key]
        assert label in response.content.decode()
        assert "/mina-deltagare/" not in response.content.decode()
