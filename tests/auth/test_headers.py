"""Security headers on every kind of page, CSRF, and templates the CSP can serve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from .conftest import login_verified, password_login

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "vidare"


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
            for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.parametrize("path, who", [
    ("/logga-in/", None), ("/mina-deltagare/", "coach_h"), ("/logga-in/autentiseringsapp/",
                                                            "unverified"),
    ("/api/v1/participants/", "coach_h"), ("/konto/", "coach_h"),
])
def test_headers_on_every_kind_of_page(world, settings, path, who):
    settings.VIDARE_OTP_REQUIRED = True
    client = Client()
    if who == "unverified":
        password_login(client, "coach_h")
    elif who:
        login_verified(client, world.users[who])
    response = client.get(path)
    assert response.status_code == 200, response
    csp = policy(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["img-src"] == "'self' data:"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["form-action"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_post_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/logga-in/", {"username": "coach_h",
                                          "password": "test-password-123"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event-handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_needs_what_the_policy_forbids():
    templates = sorted(SRC.glob("*/templates/**/*.html"))
    assert len(templates) > 20
    problems = [f"{t.relative_to(SRC)}: {what}" for t in templates
                for pattern, what in INLINE if pattern.search(t.read_text())]
    assert problems == []
