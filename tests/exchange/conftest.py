"""Fixtures of the exchange tests: the report data set (tests/reports) imported and exported."""

from tests.reports.conftest import TODAY, dataset  # noqa: F401 - fixture
