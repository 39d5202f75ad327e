"""Test settings. DATABASE_URL switches the suite to PostgreSQL."""

from .base import *  # noqa: F403
from .base import database_from_environment

SECRET_KEY = "vidare-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {"default": database_from_environment(":memory:")}  # type: ignore[arg-type]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files from the apps directly; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tests assert messages in the source language; the Swedish catalogue has its own tests
# (tests/test_translations.py) and the browser test runs in Swedish.
LANGUAGE_CODE = "en"

# Tests of other features log in with force_login and no second factor, and call
# authenticate() without a request; tests/auth turns both checks on and proves them.
VIDARE_OTP_REQUIRED = False
AXES_ENABLED = False
