"""The demo has complaints in several states in three cities (issue 6)."""

from __future__ import annotations

from collections import Counter

import pytest
import time_machine

from onestop.complaints import demo
from onestop.complaints.models import Complaint, ComplaintStatus
from onestop.core.demo import demo_load

S = ComplaintStatus


@pytest.fixture(autouse=True)
def _pinned_clock():
    """The core demo, not this app's fixtures: its own pinned moment."""
    with time_machine.travel("2026-11-18 10:00 +0800", tick=False):
        yield


@pytest.mark.django_db
def test_the_demo_loads_complaints_in_several_states_once():
    demo_load()
    demo.load()
    by_city = Counter(
        (c.region.path.split("/")[1], c.status) for c in Complaint.objects.select_related("region")
    )
    assert by_city == {
        ("450200", S.FORWARDED): 1,
        ("450200", S.RECEIVED): 1,
        ("320200", S.FED_BACK): 1,
        ("650500", S.CLOSED): 1,
        ("650500", S.NOT_ACCEPTED): 1,
    }
    forwarded = Complaint.objects.get(status=S.FORWARDED)
    assert forwarded.anonymous_to_institution
    assert forwarded.institution.name == "柳州市计量技术测试研究所"
    demo.load()
    assert Complaint.objects.count() == 5


@pytest.mark.django_db
def test_without_the_demo_accounts_nothing_is_loaded():
    demo.load()
    assert Complaint.objects.count() == 0
