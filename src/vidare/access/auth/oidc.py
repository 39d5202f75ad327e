"""Optional login through the municipality's identity provider (OpenID Connect, code flow
with PKCE and nonce), on mozilla-django-oidc.

Off unless VIDARE_OIDC_ISSUER is set (settings/security.py). A login only reaches an
account that already exists and is active: by the configured username claim first, then by
a verified e-mail claim; never by creating one, since roles are an administrator's
decision. The ID token must come from the configured issuer, for this client, unexpired,
with our nonce, signed by a key in the provider's JWKS. When it says the provider did
multi-factor authentication (an `amr` or `acr` value named in the settings) that is the
second factor; otherwise the user continues to Vidare's TOTP step.
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from . import otp

log = logging.getLogger("vidare.auth")

DISCOVERY_FIELDS = {
    "authorization_endpoint": "VIDARE_OIDC_AUTHORIZATION_ENDPOINT",
    "token_endpoint": "VIDARE_OIDC_TOKEN_ENDPOINT",
    "userinfo_endpoint": "VIDARE_OIDC_USERINFO_ENDPOINT",
    "jwks_uri": "VIDARE_OIDC_JWKS_ENDPOINT",
}


def discover(issuer: str, timeout: float = 10) -> dict[str, str]:
    """The VIDARE_OIDC_* endpoint variables from the provider's discovery document."""
    issuer = issuer.rstrip("/")
    response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=timeout)
    response.raise_for_status()
    document = response.json()
    if str(document.get("issuer", "")).rstrip("/") != issuer:
        raise ValueError(f"The discovery document names issuer {document.get('issuer')!r}, "
                         f"not {issuer!r}.")
    missing = [field for field in DISCOVERY_FIELDS if not document.get(field)]
    if missing:
        raise ValueError(f"The discovery document lacks {', '.join(missing)}.")
    return {"VIDARE_OIDC_ISSUER": issuer,
            **{name: document[field] for field, name in DISCOVERY_FIELDS.items()}}


def provider_did_mfa(id_token_claims: dict[str, Any]) -> bool:
    amr = id_token_claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return bool(set(amr) & set(settings.VIDARE_OIDC_MFA_AMR)) or (
        id_token_claims.get("acr") in settings.VIDARE_OIDC_MFA_ACR)


class OIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not settings.VIDARE_OIDC_ENABLED:
            return None
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id: Any) -> Any:
        # ModelBackend's: an account made inactive loses its sessions too.
        return ModelBackend.get_user(self, user_id)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks signature, expiry (if present) and nonce; this adds issuer,
        audience and that an expiry is there at all."""
        try:
            claims = super().verify_token(token, **kwargs)
        except jwt.InvalidTokenError as exc:  # expired, not yet valid, malformed
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc
        client_id = settings.OIDC_RP_CLIENT_ID
        audience = claims.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if str(claims.get("iss", "")).rstrip("/") != settings.OIDC_OP_ISSUER:
            raise SuspiciousOperation("ID token from another issuer.")
        if client_id not in audiences:
            raise SuspiciousOperation("ID token for another client.")
        if len(audiences) > 1 and claims.get("azp") != client_id:
            raise SuspiciousOperation("ID token authorised for another party.")
        if "exp" not in claims:
            raise SuspiciousOperation("ID token without expiry.")
        return claims

    def get_or_create_user(self, access_token: str, id_token: str,
                           payload: dict[str, Any]) -> Any:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("Userinfo is about another subject than the ID token.")
        user = self.existing_account({**userinfo, **payload})
        if user is None:
            log.warning("OIDC login refused: no active Vidare account for subject %s",
                        payload.get("sub"))
            return None
        self.request.vidare_provider_mfa = provider_did_mfa(payload)
        return user

    def existing_account(self, claims: dict[str, Any]) -> Any:
        accounts = get_user_model().objects.filter(is_active=True)
        claim = settings.VIDARE_OIDC_USERNAME_CLAIM
        username = claims.get(claim) if claim else None
        if username:
            match = list(accounts.filter(username=username)[:2])
            if len(match) == 1:
                return match[0]
        email = claims.get("email")
        if email and claims.get("email_verified") is not False:
            match = list(accounts.filter(email__iexact=email)[:2])
            if len(match) == 1:
                return match[0]
        return None


class EnabledOnly:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.VIDARE_OIDC_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class OIDCStartView(EnabledOnly, OIDCAuthenticationRequestView):
    """Redirect to the provider with state, nonce and PKCE challenge kept in the session."""


class OIDCCallbackView(EnabledOnly, OIDCAuthenticationCallbackView):
    """The provider's redirect back. A state that this session did not send, a reused code,
    a token that fails a check: 400. No matching account: back to the login page."""

    def login_success(self) -> HttpResponse:
        otp.forget_second_factor(self.request)
        super().login_success()
        next_url = self.success_url
        if getattr(self.request, "vidare_provider_mfa", False):
            otp.accept_external_mfa(self.request, self.user)
        if otp.second_factor_done(self.request):
            return HttpResponseRedirect(next_url)
        return HttpResponseRedirect(otp.second_factor_url(self.user, next_url))

    def login_failure(self) -> HttpResponse:
        messages.error(self.request, _(
            "Logging in with your municipality account did not succeed. If you did log in "
            "there, ask your system administrator to check that you have a Vidare account "
            "with the same username or e-mail address."))
        return HttpResponseRedirect(reverse("access:login"))
