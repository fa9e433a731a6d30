"""The matrix's machinery: every route and API operation, filled with the
world's ids, requested as one role, each answer classified."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from authz_world import World
from django.apps import apps
from django.db import connection
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, reverse

LOGIN_PATHS = ("/accounts/login/", "/workbench/login/", "/admin/login/")


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name" or an API operation id
    namespace: str
    name: str | None
    template: str  # the route, as a URL template
    params: tuple[str, ...]
    api: bool = False
    methods: tuple[str, ...] = ("get", "post")


def _params(pattern: Any) -> tuple[str, ...]:
    return tuple(pattern.pattern.regex.groupindex)


def url_routes() -> list[Route]:
    """Every URL pattern outside the ninja API (its operations come from OpenAPI)."""
    found: list[Route] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                if getattr(pattern.callback, "__module__", "") == "ninja.operation":
                    continue
                found.append(
                    Route(
                        key=f"{namespace}:{pattern.name}" if namespace else str(pattern.name),
                        namespace=namespace,
                        name=pattern.name,
                        template=route,
                        params=_params(pattern),
                        # The admin site guards every page, whatever the
                        # method, with one check (admin_view): GET proves it.
                        methods=("get",) if namespace == "admin" else ("get", "post"),
                    )
                )

    walk(get_resolver().url_patterns, "/", "")
    return found


def api_routes() -> list[Route]:
    from onestop.config.api import api

    schema = api.get_openapi_schema()
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            app = path.split("/")[3]
            found.append(
                Route(
                    key=operation["operationId"],
                    namespace=f"api:{app}",
                    name=None,
                    template=path,
                    params=tuple(re.findall(r"{(\w+)}", path)),
                    api=True,
                    methods=(method,),
                )
            )
    return found


def values_for(route: Route, world: World) -> dict[str, str]:
    values = dict(world.ids)
    values.update(world.by_namespace.get(route.namespace, {}))
    values.update(world.by_namespace.get(route.key, {}))
    return values


def url_of(route: Route, world: World, user_pk: str) -> str:
    values = values_for(route, world)
    # The admin's object pages: the role's own user row.
    values.update(
        object_id=user_pk, id=user_pk, content_type_id="1", app_label="accounts", url="nowhere/"
    )
    if route.api:
        return re.sub(r"{(\w+)}", lambda m: values[m.group(1)], route.template)
    if route.name is not None:
        return reverse(route.key, kwargs={p: values[p] for p in route.params})
    # Unnamed (the admin's object redirects): fill the template.
    return re.sub(
        r"<(?:\w+:)?(\w+)>",
        lambda m: values[m.group(1)],
        route.template.replace("^", "").replace("$", ""),
    )


def outcome(response: HttpResponse) -> str:
    """ok (2xx, or 3xx elsewhere than a login page), login, or the status code."""
    status = response.status_code
    if 300 <= status < 400:
        location = response.get("Location", "")
        return "login" if location.split("?")[0].endswith(LOGIN_PATHS) else "ok"
    if 200 <= status < 300:
        return "ok"
    return str(status)


# The records whose change a refused request must not cause (audit rows of
# the refusal, sessions and second-factor devices may change).
STATE_MODELS = (
    "accounts.User",
    "accounts.RoleAssignment",
    "enterprises.Enterprise",
    "enterprises.Membership",
    "enterprises.Invitation",
    "verification.Application",
    "documents.Document",
    "catalog.ServiceItem",
    "stations.Station",
    "institutions.Institution",
    "institutions.Offering",
    "institutions.Qualification",
    "experts.Expert",
    "experts.QaSession",
    "experts.QaRegistration",
    "search.SynonymGroup",
    "transfer.ImportJob",
    "demands.Demand",
    "demands.Recommendation",
    "demands.Docking",
    "demands.Visit",
    "orders.Order",
    "orders.OrderMessage",
    "orders.OrderAttachment",
    "fieldwork.ProxyTask",
    "fieldwork.Sample",
    "fieldwork.Slot",
    "fieldwork.Appointment",
    "fieldwork.FollowUp",
    "evaluations.Invitation",
    "evaluations.Evaluation",
    "evaluations.RectificationCase",
    "evaluations.Appeal",
    "complaints.Complaint",
    "supervision.CorrectiveAction",
    "supervision.ImportantItem",
    "supervision.ItemReview",
    "reporting.Snapshot",
    "summaries.AnnualSummary",
    "summaries.ImprovementPlan",
    "summaries.ImprovementItem",
    "notifications.Notification",
    "core.CalendarDay",
)


def _queries() -> list[str]:
    queries = []
    for label in STATE_MODELS:
        model = apps.get_model(label)
        columns = ", ".join(
            connection.ops.quote_name(f.column)
            for f in model._meta.concrete_fields
            if f.attname != "last_login"
        )
        table = connection.ops.quote_name(model._meta.db_table)
        queries.append(f"SELECT {columns} FROM {table} ORDER BY 1")
    return queries


def state() -> str:
    """A digest of the key tables' rows (raw, so that nothing is decrypted)."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for query in _queries():
            cursor.execute(query)
            digest.update(repr(cursor.fetchall()).encode())
    return digest.hexdigest()


def body_of(response: HttpResponse) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return bytes(response.content)


def requests(routes: list[Route]) -> Iterator[tuple[Route, str]]:
    for route in routes:
        for method in route.methods:
            yield route, method
