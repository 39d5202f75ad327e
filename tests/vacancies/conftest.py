"""The employer register's fixtures (tests/employers/conftest.py) serve the vacancy tests."""

from tests.employers.conftest import ORGNR, api, register  # noqa: F401
