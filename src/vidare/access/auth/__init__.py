"""How staff log in to Vidare.

1. Password (Argon2-hashed) on /logga-in/, or the municipality's identity provider through
   OpenID Connect (/oidc/logga-in/, only when VIDARE_OIDC_ISSUER is configured; it maps to
   an existing account by username or e-mail claim and never creates accounts).
2. Second factor, required of every account on every page and API call
   (`middleware.SecondFactorMiddleware`): a TOTP code from an authenticator app, or one of
   ten one-time backup codes. Without an app set up, the first login leads through setting
   one up (QR code, confirm with a code, backup codes shown once). An OIDC login whose ID
   token says the provider did multi-factor authentication (amr/acr) counts as the second
   factor.
3. Five failed logins for one username from one address lock that pair for 15 minutes
   (django-axes); wrong codes slow down exponentially (django-otp throttling).
4. A session ends after 30 minutes without a request (VIDARE_SESSION_IDLE_MINUTES) and when
   the browser closes; changing the password ends every other session of the account.

The API uses the same session, so the same second factor and lockout; it accepts no
password credentials of its own.
"""
