import pytest


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    """Most API tests make many requests; the throttling tests set their own limit."""
    settings.EMPAC_API_RATE_LIMIT = 10_000
