"""Schemathesis over the whole OpenAPI document of /api/v1/, as every role.

Each operation is fuzzed with valid (positive) and invalid (negative)
generated requests, derandomised so that every run sends the same cases,
authenticated as the visitor (anonymous), an individual, an enterprise owner,
institution staff, station staff, service-center staff, the authority and a
system administrator (staff with a verified second factor). Path parameters
are drawn both from the generator and from the real objects of the fuzz
world (one's own and someone else's), and well-formed submissions (an
order, a demand, a complaint, a message, each move on one's own order) are
sent once per role, so that 200/201, 403, 404 and 409 answers are reached as
well as 4xx for malformed input. Unsafe requests carry the CSRF cookie and
header a browser would send.

Checks on every response: no server error, the status code is documented,
the body conforms to the documented schema and content type. Failures are
collected across operations and reported together.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from onestop.orders.api import USER_ACTIONS

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Generated cases per operation, role and mode (plus half as many on real
# path objects, plus each well-formed submission once): about 1,600 cases in
# all, ~40 s of CPU. ONESTOP_FUZZ_EXAMPLES=10 makes a long exploratory run.
EXAMPLES = int(os.environ.get("ONESTOP_FUZZ_EXAMPLES", "2"))
CSRF_TOKEN = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz"  # 32 characters: a raw CSRF secret
CSRF_HEADER = {"X-CSRFToken": CSRF_TOKEN}
ROLES = (
    "visitor",
    "individual",
    "enterprise_owner",
    "institution_staff",
    "station_staff",
    "center_staff",
    "authority",
    "sysadmin",
)


def _identity(role: str, world: dict, otp_login) -> dict[str, str]:
    """The cookies a logged-in browser of ``role`` would send."""
    archive = world["world"]
    user = {
        "visitor": None,
        "individual": world["individual"],
        "enterprise_owner": archive.owner,
        "institution_staff": archive.institution_staff,
        "station_staff": archive.station_staff,
        "center_staff": archive.wx_center,
        "authority": archive.authority,
        "sysadmin": world["sysadmin"],
    }[role]
    cookies = {"csrftoken": CSRF_TOKEN}
    if user is not None:
        client = Client()
        otp_login(user, client=client)
        cookies["sessionid"] = client.cookies["sessionid"].value
    return cookies


def _real_path_values(world: dict) -> dict[str, list[object]]:
    """Path parameter values naming real objects (own and someone else's)."""
    from onestop.complaints.models import Complaint
    from onestop.demands.models import Demand
    from onestop.evaluations.models import Evaluation
    from onestop.experts.models import Expert, QaSession
    from onestop.fieldwork.models import Sample
    from onestop.institutions.models import Institution, Offering
    from onestop.orders.models import Order
    from onestop.regions.models import Region
    from onestop.stations.models import Station

    numbers = list(Order.objects.values_list("number", flat=True))
    numbers += list(Demand.objects.values_list("number", flat=True))
    numbers += list(Complaint.objects.values_list("number", flat=True))
    return {
        "number": numbers,
        "code": list(Region.objects.values_list("code", flat=True)[:5]),
        "offering_id": list(Offering.objects.values_list("pk", flat=True)),
        "institution_id": list(Institution.objects.values_list("pk", flat=True)),
        "expert_id": list(Expert.objects.values_list("pk", flat=True)),
        "session_id": list(QaSession.objects.values_list("pk", flat=True)),
        "station_id": list(Station.objects.values_list("pk", flat=True)),
        "sample_id": list(Sample.objects.values_list("pk", flat=True)),
        "evaluation_id": list(Evaluation.objects.values_list("pk", flat=True)),
        "token": world["tokens"],
        "action": list(USER_ACTIONS),
    }


def _real_requests(world: dict) -> dict[str, list[dict[str, object]]]:
    """Well-formed submissions on real objects (operation label → as_strategy
    keyword arguments), so that writes succeed and meet their 201/409 too."""
    archive = world["world"]
    mine = world["mine"]
    return {
        "POST /api/v1/orders/": [
            {
                "body": {
                    "offering_id": archive.offering.pk,
                    "description": "车间压力表 10 只需要校准",
                    "contact_name": "周总",
                }
            }
        ],
        "POST /api/v1/orders/{number}/messages": [
            {"path_parameters": {"number": mine.order}, "body": {"body": "请问报告何时出具？"}}
        ],
        "POST /api/v1/demands/mine": [
            {
                "body": {
                    "category": archive.category.code,
                    "title": "压力表校准需求",
                    "description": "车间压力表 20 只，需上门校准",
                    "region_code": archive.region.code,
                    "contact_name": "周总",
                    "contact_method": "phone",
                    "contact_phone": "13800138021",
                }
            }
        ],
        "POST /api/v1/complaints/": [
            {
                "body": {
                    "target": "institution",
                    "type": "timeliness",
                    "content": "校准报告超期三天仍未出具",
                    "request": "尽快出具报告",
                    "institution_id": archive.institution.pk,
                }
            }
        ],
        "POST /api/v1/demands/mine/{number}/cancel": [
            {"path_parameters": {"number": mine.demand}, "body": {"reason": "已自行解决"}}
        ],
        "POST /api/v1/orders/{number}/actions/{action}": [
            {"path_parameters": {"number": mine.order, "action": action}, "body": {"note": ""}}
            for action in USER_ACTIONS
        ],
    }


def _negatable(operation) -> bool:
    """Whether some input of ``operation`` can be made invalid (a free string
    path parameter cannot: every string is a valid one)."""
    if operation.body or operation.query:
        return True
    return any(
        parameter.definition.get("schema", {}).get("type") not in (None, "string")
        for parameter in operation.path_parameters
    )


def _strategies(
    operation, mode: GenerationMode, real: dict[str, list[object]], requests: list[dict]
) -> list[tuple[object, int]]:
    """(strategy, number of cases): generated cases; where the path names
    objects, cases on real ones; for positive cases, the well-formed
    submissions of ``requests`` once each."""
    strategies = [(operation.as_strategy(generation_mode=mode), EXAMPLES)]
    names = [parameter.name for parameter in operation.path_parameters]
    if mode == GenerationMode.POSITIVE and names and all(real.get(name) for name in names):
        chosen = st.fixed_dictionaries({name: st.sampled_from(real[name]) for name in names})
        on_real = chosen.flatmap(
            lambda values: operation.as_strategy(generation_mode=mode, path_parameters=values)
        )
        strategies.append((on_real, max(1, EXAMPLES // 2)))
    if mode == GenerationMode.POSITIVE:
        strategies += [(operation.as_strategy(generation_mode=mode, **kw), 1) for kw in requests]
    return strategies


def _fuzz(strategy, examples: int, send) -> None:
    """Run ``send(case)`` on ``examples`` cases drawn from ``strategy``, derandomised."""

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case) -> None:
        send(case)

    run()


@pytest.mark.clause("WX 4.1.4")
@pytest.mark.django_db
def test_every_operation_as_every_role_meets_its_schema(
    fuzz_world, wsgi_app, otp_login, record_property
):
    # given the whole OpenAPI document and a world of real objects
    app = wsgi_app
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    real = _real_path_values(fuzz_world)
    requests = _real_requests(fuzz_world)
    counts: Counter[str] = Counter()
    statuses: dict[str, Counter[int]] = defaultdict(Counter)
    failures: list[str] = []

    # when every operation is fuzzed as every role
    for role in ROLES:
        cookies = _identity(role, fuzz_world, otp_login)
        for result in schema.get_all_operations():
            operation = result.ok()
            label = f"{operation.method.upper()} {operation.path}"
            modes = [GenerationMode.POSITIVE]
            if _negatable(operation):
                modes.append(GenerationMode.NEGATIVE)
            for mode in modes:
                where = f"[{role} {mode.value}] {label}"

                def send(case, label=label, where=where, cookies=cookies) -> None:
                    counts[label] += 1
                    response = case.call(app=app, cookies=cookies, headers=CSRF_HEADER)
                    statuses[label][response.status_code] += 1
                    try:
                        case.validate_response(response, checks=CHECKS)
                    except FailureGroup as exc:  # collected, reported below
                        failures.append(f"{where}\n{exc}")

                strategies = _strategies(operation, mode, real, requests.get(label, []))
                for strategy, examples in strategies:
                    try:
                        _fuzz(strategy, examples, send)
                    except (Exception, FailureGroup) as exc:
                        failures.append(f"{where}: {type(exc).__name__} {exc}")

    # then nothing failed, and at least 1,000 cases were sent
    record_property("fuzz_counts", json.dumps(counts))
    record_property("fuzz_statuses", json.dumps(statuses))
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures[:30])
    assert sum(counts.values()) >= 1000, counts
