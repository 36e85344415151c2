"""Many people at once: every accepted registration stored exactly once, the limit exact."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import Client

from involvement.models import InterestRegistration, RateLimitBucket
from tests.conftest import run_background_tasks
from tests.involvement.conftest import REGISTER_URL, aged_token

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason=(
            "the SQLite test database lives in shared-cache memory, whose table locks fail at "
            "once instead of waiting as the file database does; run on PostgreSQL"
        ),
    ),
]


def post_together(requests: list[tuple[dict, str]]) -> list[int]:
    """POST every (data, address) pair from its own thread, all released at the same moment."""
    barrier = threading.Barrier(len(requests), timeout=30)

    def post(request):
        data, address = request
        client = Client()
        try:
            barrier.wait()
            return client.post(REGISTER_URL, data, REMOTE_ADDR=address).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(post, requests))


def test_concurrent_submissions_and_double_submits_are_each_stored_exactly_once(
    form_data, settings
):
    settings.EMPAC_REGISTRATION_RATE_LIMIT = 100
    people = 12
    forms = [
        form_data(name=f"Researcher {n}", email=f"r{n}@example.ac.uk", token=aged_token())
        for n in range(people)
    ]
    # Everyone double-clicks: each form arrives twice, from the same address, at once.
    requests = [(data, f"198.51.100.{n}") for n, data in enumerate(forms) for _ in range(2)]

    statuses = post_together(requests)

    assert statuses == [302] * len(requests)
    stored = Counter(InterestRegistration.objects.values_list("name", flat=True))
    assert stored == Counter({f"Researcher {n}": 1 for n in range(people)})
    assert all(r.themes.count() == 2 for r in InterestRegistration.objects.all())
    run_background_tasks()
    # Each person acknowledged once, curators told once per registration.
    acknowledged = Counter(tuple(m.to) for m in mail.outbox if len(m.to) == 1)
    assert set(acknowledged.values()) == {1}
    assert len(acknowledged) == people


def test_the_rate_limit_holds_exactly_under_a_simultaneous_burst(
    form_data, settings, half_past_ten
):
    settings.EMPAC_REGISTRATION_RATE_LIMIT = 5
    burst = 16
    requests = [(form_data(token=aged_token()), "203.0.113.9") for _ in range(burst)]

    statuses = post_together(requests)

    assert Counter(statuses) == Counter({302: 5, 429: burst - 5})
    assert InterestRegistration.objects.count() == 5
    assert RateLimitBucket.objects.get().count == burst
