import pytest


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    """Most API tests make many requests; the throttling tests set their own limit.

    The window cannot end mid-test either: when one ends, the next request also deletes
    the old counters, one query more that has nothing to do with the rows, and a
    query-count test that crossed a minute boundary failed (CI, stop 20, PostgreSQL).
    """
    settings.EMPAC_API_RATE_LIMIT = 10_000
    settings.EMPAC_API_RATE_WINDOW_SECONDS = 10 * 365 * 24 * 3600
