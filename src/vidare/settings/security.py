"""Authentication, sessions and security headers. Imported at the end of base.py.

Everything an operator may tune is read from the environment here, with the reason for each
default. The model as a whole is described in vidare/access/auth/__init__.py.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured


def positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    """An integer setting from the environment; a bad value stops start-up naming it."""
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise ImproperlyConfigured(f"{name} must be a whole number above zero, got {text!r}.")
    return value


def hour_range(env: Mapping[str, str], name: str, default: tuple[int, int]) -> tuple[int, int]:
    """Office hours as "START-END" (whole hours, 0 <= START < END <= 24); a bad value stops
    start-up naming it."""
    text = env.get(name, "").strip()
    if not text:
        return default
    parts = text.replace("–", "-").split("-")
    try:
        start, end = (int(part) for part in parts)
    except ValueError:
        start, end = -1, -1
    if not 0 <= start < end <= 24:
        raise ImproperlyConfigured(f"{name} must be two whole hours START-END with "
                                   f"0 <= START < END <= 24, e.g. 7-19; got {text!r}.")
    return start, end


def word_list(env: Mapping[str, str], name: str, default: str = "") -> list[str]:
    return [w.strip() for w in env.get(name, default).split(",") if w.strip()]


# --- Passwords ------------------------------------------------------------------------------
# Argon2 hashes new passwords; the others only verify old hashes, which are re-hashed with
# Argon2 at the next successful login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# django-axes first: it refuses a locked-out username+address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "vidare.access.auth.oidc.OIDCBackend",
]

# --- Follow-up of the access log (access/review.py) -----------------------------------------
# A staff member's day is flagged when they read this many people outside their caseload, and
# a read is flagged outside these office hours (Monday to Friday).
VIDARE_ACCESS_LOG_UNUSUAL_READS_PER_DAY = positive_int(
    os.environ, "VIDARE_ACCESS_LOG_UNUSUAL_READS_PER_DAY", 20)
VIDARE_OFFICE_HOURS = hour_range(os.environ, "VIDARE_OFFICE_HOURS", (7, 19))

# --- Sessions -------------------------------------------------------------------------------
# A session ends after this many minutes without a request (saved on every request, so the
# clock restarts each time), and when the browser closes.
VIDARE_SESSION_IDLE_MINUTES = positive_int(os.environ, "VIDARE_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = VIDARE_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# Lax, not Strict: the identity provider's redirect back to /oidc/callback/ must carry it.
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie; forms carry the token.
CSRF_COOKIE_HTTPONLY = True

# --- Second factor (django-otp) -------------------------------------------------------------
# Every staff member verifies a TOTP code (or a one-time backup code) after the password.
# The test settings turn this off so that tests of other features can use force_login; the
# tests in tests/auth turn it on again and prove the enforcement.
VIDARE_OTP_REQUIRED = True
OTP_TOTP_ISSUER = "Vidare"
# After a wrong code the next try waits 1, 2, 4, 8 ... seconds (per device).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
VIDARE_BACKUP_CODES = 10

# --- Lockout (django-axes) ------------------------------------------------------------------
# Five failed logins for one username from one address lock that pair for 15 minutes. The
# address is the one the trusted reverse proxy saw (vidare.access.auth.lockout.client_ip),
# so a client cannot escape the lock by sending its own X-Forwarded-For.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=positive_int(os.environ, "VIDARE_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "vidare.access.auth.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "vidare.access.auth.lockout.client_ip"
AXES_WHITELIST_CALLABLE = "vidare.access.auth.lockout.not_a_password_login"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# gunicorn's own variable for the proxies it trusts; the same addresses are trusted here.
VIDARE_TRUSTED_PROXIES = word_list(os.environ, "FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# --- Security headers -----------------------------------------------------------------------
# No inline script or style anywhere (tests/auth/test_headers.py checks the templates); the QR
# code for the authenticator app is inline SVG, which needs neither.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"


# --- OpenID Connect (optional) --------------------------------------------------------------
OIDC_VARIABLES = {
    "VIDARE_OIDC_CLIENT_ID": "OIDC_RP_CLIENT_ID",
    "VIDARE_OIDC_CLIENT_SECRET": "OIDC_RP_CLIENT_SECRET",
    "VIDARE_OIDC_AUTHORIZATION_ENDPOINT": "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "VIDARE_OIDC_TOKEN_ENDPOINT": "OIDC_OP_TOKEN_ENDPOINT",
    "VIDARE_OIDC_USERINFO_ENDPOINT": "OIDC_OP_USER_ENDPOINT",
    "VIDARE_OIDC_JWKS_ENDPOINT": "OIDC_OP_JWKS_ENDPOINT",
}


def oidc_settings(env: Mapping[str, str]) -> dict[str, object]:
    """Settings for mozilla-django-oidc from VIDARE_OIDC_*; off when VIDARE_OIDC_ISSUER is
    unset. `vidare oidc discover ISSUER` prints the variables from the provider's discovery
    document."""
    issuer = env.get("VIDARE_OIDC_ISSUER", "").strip().rstrip("/")
    values = {setting: env.get(name, "").strip() for name, setting in OIDC_VARIABLES.items()}
    if issuer:
        missing = [name for name, setting in OIDC_VARIABLES.items() if not values[setting]]
        if missing:
            raise ImproperlyConfigured(
                f"VIDARE_OIDC_ISSUER is set, so {', '.join(missing)} must be set too "
                f"(`vidare oidc discover {issuer}` prints them).")
    return {
        "VIDARE_OIDC_ENABLED": bool(issuer),
        "OIDC_OP_ISSUER": issuer,
        **values,
        "OIDC_RP_SIGN_ALGO": env.get("VIDARE_OIDC_SIGN_ALGO", "RS256").strip(),
        "OIDC_RP_SCOPES": env.get("VIDARE_OIDC_SCOPES", "openid email profile").strip(),
        # Which claim names the Vidare username; the e-mail claim is tried next. Accounts
        # are never created from a login: an administrator creates them, with their roles.
        "VIDARE_OIDC_USERNAME_CLAIM": env.get("VIDARE_OIDC_USERNAME_CLAIM",
                                              "preferred_username").strip(),
        # The provider's own multi-factor login replaces Vidare's TOTP step only when the
        # ID token says so: an `amr` value (RFC 8176; "mfa" by default) or an `acr` value
        # listed here (e.g. http://id.elegnamnden.se/loa/1.0/loa3). Otherwise TOTP follows.
        "VIDARE_OIDC_MFA_AMR": word_list(env, "VIDARE_OIDC_MFA_AMR", "mfa"),
        "VIDARE_OIDC_MFA_ACR": word_list(env, "VIDARE_OIDC_MFA_ACR"),
        "OIDC_USE_PKCE": True,
        "OIDC_USE_NONCE": True,
        "OIDC_CREATE_USER": False,
        "OIDC_TIMEOUT": 10,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "access:oidc_callback",
    }


globals().update(oidc_settings(os.environ))
