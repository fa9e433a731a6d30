"""Fixtures shared by every test package (apps' tests/ and tests/e2e/)."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

CLAUSES_FILE = Path(__file__).resolve().parent.parent / "shared" / "clauses.tsv"


def _known_clauses() -> set[str] | None:
    if not CLAUSES_FILE.exists():
        return None  # a clone without ../shared beside it: nothing to check against
    with CLAUSES_FILE.open(encoding="utf-8") as handle:
        return {row["id"] for row in csv.DictReader(handle, delimiter="\t")}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A clause tag must name a clause of ../shared/clauses.tsv."""
    known = _known_clauses()
    for item in items:
        clauses = [clause for marker in item.iter_markers("clause") for clause in marker.args]
        if known is not None:
            for clause in clauses:
                if clause not in known:
                    raise pytest.UsageError(f"{item.nodeid}: unknown clause {clause!r}")
        if clauses:
            # Travels with the test's reports (also from xdist workers) to
            # pytest_runtest_logreport below.
            item.user_properties.append(("clauses", sorted(set(clauses))))


_passed: list[dict[str, object]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Remember the clauses of every test that passed (onestop traceability)."""
    if report.when != "call" or not report.passed:
        return
    for name, value in report.user_properties:
        if name == "clauses":
            _passed.append({"test": report.nodeid, "clauses": value})


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Append the passing tests' clauses to ONESTOP_TRACE_FILE (controller only)."""
    target = os.environ.get("ONESTOP_TRACE_FILE")
    if not target or hasattr(session.config, "workerinput") or not _passed:
        return
    with open(target, "a", encoding="utf-8") as handle:
        for record in _passed:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


@pytest.fixture
def regions(db):
    """The bundled region tree (Liuzhou, Hami, Wuxi), keyed by code."""
    from onestop.regions.models import Region
    from onestop.regions.services import regions_load_bundled

    regions_load_bundled()
    return {region.code: region for region in Region.objects.all()}


@pytest.fixture
def make_user(db):
    """make_user(role, region_code) -> a user holding that role there."""
    from onestop.accounts.models import Role, User
    from onestop.accounts.services import role_grant
    from onestop.regions.models import Region

    counter = iter(range(1, 10_000))

    def make(role: str | None = None, region_code: str | None = None, **fields) -> User:
        number = next(counter)
        user = User.objects.create_user(
            username=fields.pop("username", f"user{number}"),
            password=fields.pop("password", "pw-for-tests-1"),
            display_name=fields.pop("display_name", f"测试用户{number}"),
            **fields,
        )
        if role is not None:
            region = Region.objects.get(code=region_code) if region_code else None
            role_grant(actor=None, user=user, role=Role(role), region=region)
        return user

    return make


@pytest.fixture
def otp_login(client, db):
    """otp_login(user, client=client): log in AND pass the second factor.

    Like client.force_login, plus a confirmed TOTP device whose id is put in
    the session where django_otp's OTPMiddleware looks for it, so workbench
    pages (which demand two-factor for staff) open as they would after a
    real TOTP check.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def log_in(user, client=client):
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test device", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return user

    return log_in
