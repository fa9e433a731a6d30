"""The fuzz world: the archive tests' Jiangyin world (two enterprises, an
institution with an offering, stations of Jiangyin and Hami, center staff,
the authority, an expert) with one record of every kind per enterprise, plus
an individual, a system administrator and an open evaluation invitation,
so that generated requests meet real objects of their own and of someone
else.

The per-operation case counts of the fuzz test are printed at the end of the
run with the status codes seen (``fuzz_counts``/``fuzz_statuses`` in the
report's user properties, so that it works under xdist too)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone

from onestop.archive.tests.conftest import World, records, with_mobile
from onestop.archive.tests.conftest import world as archive_world  # noqa: F401
from onestop.complaints.models import Complaint
from onestop.demands.models import Demand
from onestop.evaluations.services import evaluation_invite, evaluations_load_forms, invitation_token
from onestop.fieldwork.models import Sample
from onestop.fieldwork.tests.conftest import NOW, make_order
from onestop.orders.models import Order, OrderStatus

_counts: dict[str, int] = {}
_statuses: dict[str, dict[str, int]] = {}


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine):
    time_machine.move_to(NOW, tick=True)


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, keeping the test's database connection open (as
    django.test.Client does: a real request closes it when it ends, which
    would end the test's transaction on PostgreSQL)."""
    from django.core.handlers.wsgi import WSGIHandler

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(archive_world: World, make_user) -> dict[str, object]:  # noqa: F811
    """Objects of every kind, keyed by what the path parameters call them."""
    mine = records(archive_world, archive_world.acme, archive_world.owner, tag="甲")
    theirs = records(
        archive_world, archive_world.neighbour, archive_world.neighbour_owner, tag="乙"
    )
    individual = with_mobile(
        make_user, "individual", "320281", "13800138031", kind="individual", display_name="个人李"
    )
    sysadmin = make_user("sysadmin", None, kind="staff", display_name="系统管理员")
    evaluations_load_forms()
    done = make_order(
        archive_world.owner,
        archive_world.offering,
        region=archive_world.region,
        status=OrderStatus.COMPLETED,
        enterprise=archive_world.acme,
        completed_at=timezone.now(),
    )
    invitation = evaluation_invite(order=done)
    _renumber()
    return {
        "world": archive_world,
        "mine": replace(mine, order=_old(mine.order), demand=_old(mine.demand)),
        "theirs": replace(theirs, order=_old(theirs.order), demand=_old(theirs.demand)),
        "individual": individual,
        "sysadmin": sysadmin,
        "tokens": [invitation_token(invitation)],
    }


def _old(number: str) -> str:
    return number.replace("2026", "1999", 1)


def _renumber() -> None:
    """Move the hand-made records' numbers to 1999, out of the way of the
    numbers the services hand out today (the fixtures pick theirs by hand)."""
    for model in (Order, Demand, Complaint, Sample):
        for row in model.objects.all():
            row.number = _old(row.number)
            row.save(update_fields=["number"])


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "call":
        return
    for name, value in report.user_properties:
        if name == "fuzz_counts":
            for operation, count in json.loads(str(value)).items():
                _counts[operation] = _counts.get(operation, 0) + count
        if name == "fuzz_statuses":
            for operation, seen in json.loads(str(value)).items():
                mine = _statuses.setdefault(operation, {})
                for status, count in seen.items():
                    mine[status] = mine.get(status, 0) + count


def pytest_terminal_summary(terminalreporter) -> None:
    if not _counts:
        return
    terminalreporter.section("API fuzzing: generated cases per operation")
    for operation, count in sorted(_counts.items()):
        seen = " ".join(
            f"{status}×{n}" for status, n in sorted(_statuses.get(operation, {}).items())
        )
        terminalreporter.write_line(f"{count:6d}  {operation:<72} {seen}")
    terminalreporter.write_line(f"{sum(_counts.values()):6d}  in all")
