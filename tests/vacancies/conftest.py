"""The employer register's fixtures (tests/employers/conftest.py) serve the vacancy tests."""

from tests.employers.conftest import ORGNR, TODAY, api, as_user, register, today  # noqa: F401
