"""Fixtures for the hostile-input tests (issue 7 item 7)."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture(autouse=True)
def _own_cache_keys(settings):
    """Rate-limit counters live in the cache, which outlives a test: give each
    test a key prefix of its own. (Not cache.clear(): in the PostgreSQL pass
    the cache is a Redis database other tests may share.)"""
    default = {**settings.CACHES["default"], "KEY_PREFIX": f"hostile-{uuid.uuid4().hex}"}
    settings.CACHES = {**settings.CACHES, "default": default}


@pytest.fixture
def private_root(settings, tmp_path):
    root = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = root
    return root


@pytest.fixture
def stored_files(private_root):
    def files():
        return sorted(p for p in private_root.rglob("*") if p.is_file())

    return files


# The orders fixtures (imported, not copied) give real objects to attack:
# an order with its customer, the institution and its people, staff.
from onestop.orders.tests import conftest as orders_fixtures  # noqa: E402

_pinned_clock = orders_fixtures._pinned_clock
buyer = orders_fixtures.buyer
buyer_enterprise = orders_fixtures.buyer_enterprise
category = orders_fixtures.category
cma = orders_fixtures.cma
customer = orders_fixtures.customer
institution = orders_fixtures.institution
lab_enterprise = orders_fixtures.lab_enterprise
lab_member = orders_fixtures.lab_member
lab_owner = orders_fixtures.lab_owner
offering = orders_fixtures.offering
order = orders_fixtures.order
place = orders_fixtures.place
station = orders_fixtures.station
wx_center = orders_fixtures.wx_center
