"""A small but faithful OpenID Connect provider for tests, over real HTTP on 127.0.0.1.

Authorization code flow as in OpenID Connect Core 1.0 and RFC 7636 (PKCE): discovery,
JWKS, /authorize (checks client, redirect URI, scope; redirects back with code and state),
/token (client authentication by client_secret_post or client_secret_basic, single-use
code bound to client and redirect URI, PKCE S256 check; returns an RS256 ID token signed
with jwcrypto) and /userinfo (Bearer access token). The test says who logs in next
(`login_as`) and may tamper with the ID token (`id_token_changes`, `sign_with`) to play a
broken or hostile provider.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from jwcrypto import jwk, jwt


class FakeOIDCProvider:
    def __init__(self, client_id: str = "vidare", client_secret: str = "s3cret") -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = jwk.JWK.generate(kty="RSA", size=2048, kid="fake-key-1", alg="RS256",
                                    use="sig")
        self.sign_with: jwk.JWK | None = None  # another key, to play a forged token
        self.user: dict[str, Any] = {}
        self.id_token_changes: dict[str, Any] = {}
        self.userinfo_changes: dict[str, Any] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.access_tokens: dict[str, dict[str, Any]] = {}
        self.token_requests: list[dict[str, str]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- test controls ---------------------------------------------------------------------

    def login_as(self, sub: str, **claims: Any) -> None:
        """The person who authenticates at the next /authorize (claims for the ID token and
        userinfo, e.g. email=..., preferred_username=..., amr=["pwd", "mfa"])."""
        self.user = {"sub": sub, **claims}

    def start(self) -> FakeOIDCProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post",
                                                      "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "email", "profile"],
            "claims_supported": ["sub", "email", "email_verified", "preferred_username",
                                 "acr", "amr"],
        }

    # --- protocol --------------------------------------------------------------------------

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        if query.get("client_id") != self.client_id or not query.get("redirect_uri"):
            return 400, {}, {"error": "invalid_request"}  # never redirect to an unknown client
        redirect_uri = query["redirect_uri"]
        if query.get("response_type") != "code" or "openid" not in query.get("scope",
                                                                                "").split():
            return 302, {"Location": f"{redirect_uri}?" + urlencode(
                {"error": "invalid_request", "state": query.get("state", "")})}, None
        code = secrets.token_urlsafe(24)
        self.codes[code] = {"redirect_uri": redirect_uri, "nonce": query.get("nonce"),
                            "challenge": query.get("code_challenge"),
                            "method": query.get("code_challenge_method"),
                            "user": dict(self.user)}
        location = f"{redirect_uri}?" + urlencode({"code": code, "state": query["state"]})
        return 302, {"Location": location}, None

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, str],
                                                                     Any]:
        self.token_requests.append(form)
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization[6:]).decode()
            client_id, _, secret = decoded.partition(":")
        if client_id != self.client_id or secret != self.client_secret:
            return 401, {}, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)  # single use
        if (form.get("grant_type") != "authorization_code" or grant is None
                or grant["redirect_uri"] != form.get("redirect_uri")):
            return 400, {}, {"error": "invalid_grant"}
        if grant["challenge"]:
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode()).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if grant["method"] != "S256" or expected != grant["challenge"]:
                return 400, {}, {"error": "invalid_grant",
                                 "error_description": "PKCE verification failed"}
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300,
                  "auth_time": now, **grant["user"]}
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        claims.update(self.id_token_changes)
        claims = {k: v for k, v in claims.items() if v is not None}
        key = self.sign_with or self.key
        token = jwt.JWT(header={"alg": "RS256", "kid": key.kid, "typ": "JWT"}, claims=claims)
        token.make_signed_token(key)
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = grant["user"]
        return 200, {"Cache-Control": "no-store"}, {
            "access_token": access_token, "token_type": "Bearer", "expires_in": 300,
            "id_token": token.serialize()}

    def userinfo(self, authorization: str) -> tuple[int, dict[str, str], Any]:
        user = self.access_tokens.get(authorization.removeprefix("Bearer "))
        if not authorization.startswith("Bearer ") or user is None:
            return 401, {"WWW-Authenticate": 'Bearer error="invalid_token"'}, {
                "error": "invalid_token"}
        claims = {k: v for k, v in user.items() if k not in ("acr", "amr")}
        return 200, {}, {**claims, **self.userinfo_changes}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def answer(self, status: int, headers: dict[str, str], body: Any) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                data = b"" if body is None else json.dumps(body).encode()
                if body is not None:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                # Also below the root, as multi-tenant providers serve it; the issuer inside
                # stays the same, which a client must notice.
                if url.path.endswith("/.well-known/openid-configuration"):
                    self.answer(200, {}, provider.discovery)
                elif url.path == "/jwks":
                    self.answer(200, {}, {"keys": [provider.key.export_public(as_dict=True)]})
                elif url.path == "/authorize":
                    self.answer(*provider.authorize(query))
                elif url.path == "/userinfo":
                    self.answer(*provider.userinfo(self.headers.get("Authorization", "")))
                else:
                    self.answer(404, {}, {"error": "not_found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlsplit(self.path).path == "/token":
                    self.answer(*provider.token(form, self.headers.get("Authorization", "")))
                else:
                    self.answer(404, {}, {"error": "not_found"})

        return Handler
