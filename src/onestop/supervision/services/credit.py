"""Recomputing credit grades (formula: onestop.supervision.credit).

``credit_grades_refresh`` gathers every input with one aggregate query per
source over all institutions at once (evaluations, upheld complaints,
completed orders, acceptance clocks, qualifications, overdue corrective
actions) and writes the grades with one upsert per thousand institutions, so
its cost does not grow with the number of institutions in queries, only in
rows scanned (5,000 institutions and a million orders take seconds on
PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Avg, Count, Max, Q, QuerySet
from django.utils import timezone

from onestop.audit.services import audit_record
from onestop.complaints.models import Complaint
from onestop.core import pagecache
from onestop.core.models import SlaClock, SlaOutcome
from onestop.evaluations.models import Evaluation
from onestop.institutions.models import Institution, InstitutionStatus, Qualification
from onestop.orders.models import ACCEPTANCE_CLOCK, Order, OrderStatus
from onestop.supervision import credit
from onestop.supervision.models import AWAITING_TARGET, CorrectiveAction, CreditGrade, TargetKind

# Institutions that get a grade: onboarded and not gone.
GRADED_STATUSES = (InstitutionStatus.ACTIVE, InstitutionStatus.SUSPENDED)
BATCH = 1000


def _scoped(queryset: QuerySet[Any], ids: list[int] | None) -> QuerySet[Any]:
    return queryset if ids is None else queryset.filter(institution_id__in=ids)


def _counts(queryset: QuerySet[Any]) -> dict[int, int]:
    rows = queryset.values("institution_id").annotate(n=Count("id")).order_by()
    return {row["institution_id"]: row["n"] for row in rows}


def _evaluations(ids: list[int] | None, since: dt.datetime) -> dict[int, dict[str, Any]]:
    rows = (
        # Reviews taken out by an upheld appeal do not count (evaluations.Appeal).
        _scoped(Evaluation.objects.filter(created_at__gte=since, counted=True), ids)
        .values("institution_id")
        .annotate(n=Count("id"), mean=Avg("institution_score"), bad=Count("id", filter=Q(bad=True)))
        .order_by()
    )
    return {row["institution_id"]: row for row in rows}


def _clocks(ids: list[int] | None, since: dt.datetime) -> dict[int, tuple[int, int]]:
    """Decided and met acceptance clocks per institution.

    SlaClock's subject is a generic key (content type + text id), so the
    join to orders is written out: one hash join on PostgreSQL instead of a
    subquery per clock (what the ORM can express without a relation).
    """
    quote = connection.ops.quote_name
    clocks, orders = quote(SlaClock._meta.db_table), quote(Order._meta.db_table)
    params: list[Any] = [
        SlaOutcome.MET,
        ContentType.objects.get_for_model(Order).pk,
        ACCEPTANCE_CLOCK,
        connection.ops.adapt_datetimefield_value(since),
    ]
    only = ""
    if ids is not None:
        if not ids:
            return {}
        only = f" AND o.{quote('institution_id')} IN ({', '.join(['%s'] * len(ids))})"
        params += ids
    # Our own models' tables and columns, quoted; every value is a parameter.
    sql = (
        f"SELECT o.{quote('institution_id')}, COUNT(*), "  # noqa: S608
        f"SUM(CASE WHEN c.{quote('outcome')} = %s THEN 1 ELSE 0 END) "
        f"FROM {clocks} c JOIN {orders} o "
        f"ON CAST(o.{quote('id')} AS VARCHAR(64)) = c.{quote('subject_id')} "
        f"WHERE c.{quote('subject_type_id')} = %s AND c.{quote('kind')} = %s "
        f"AND c.{quote('stopped_at')} IS NOT NULL AND c.{quote('started_at')} >= %s{only} "
        f"GROUP BY o.{quote('institution_id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {int(pk): (int(decided), int(met or 0)) for pk, decided, met in cursor.fetchall()}


def _qualifications(ids: list[int] | None, today: dt.date) -> dict[int, tuple[int, int]]:
    """Per institution: kinds whose newest certificate expired, and kinds
    whose newest one expires within EXPIRING_DAYS (a renewed certificate
    replaces the lapsed one)."""
    soon = today + dt.timedelta(days=credit.EXPIRING_DAYS)
    rows = (
        _scoped(Qualification.objects.all(), ids)
        .values("institution_id", "kind")
        .annotate(latest=Max("valid_to"))
        .order_by()
    )
    found: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if row["latest"] < today:
            found[row["institution_id"]][0] += 1
        elif row["latest"] <= soon:
            found[row["institution_id"]][1] += 1
    return {pk: (expired, expiring) for pk, (expired, expiring) in found.items()}


def credit_inputs(
    *, institution_ids: Iterable[int] | None = None, now: dt.datetime | None = None
) -> dict[int, credit.CreditInputs]:
    """The formula's inputs for the graded institutions (all, or these):
    seven queries whatever their number."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    since = now - dt.timedelta(days=credit.WINDOW_DAYS)
    ids = None if institution_ids is None else sorted({int(pk) for pk in institution_ids})
    institutions = Institution.objects.filter(status__in=GRADED_STATUSES)
    if ids is not None:
        institutions = institutions.filter(pk__in=ids)
    graded = list(institutions.order_by().values_list("pk", flat=True))
    if not graded:
        return {}
    evaluations = _evaluations(ids, since)
    upheld = _counts(
        _scoped(
            Complaint.objects.filter(
                upheld=True, received_at__gte=since, institution__isnull=False
            ),
            ids,
        )
    )
    completed = _counts(
        _scoped(Order.objects.filter(status=OrderStatus.COMPLETED, completed_at__gte=since), ids)
    )
    clocks = _clocks(ids, since)
    qualifications = _qualifications(ids, today)
    overdue = _counts(
        _scoped(
            CorrectiveAction.objects.filter(
                target_kind=TargetKind.INSTITUTION,
                status__in=AWAITING_TARGET,
                due_on__lt=today,
            ),
            ids,
        )
    )
    inputs = {}
    for pk in graded:
        rated = evaluations.get(pk, {})
        mean = rated.get("mean")
        decided, met = clocks.get(pk, (0, 0))
        expired, expiring = qualifications.get(pk, (0, 0))
        inputs[pk] = credit.CreditInputs(
            evaluations=int(rated.get("n", 0)),
            mean_score=Decimal(str(mean)).quantize(Decimal("0.01")) if mean is not None else None,
            bad_evaluations=int(rated.get("bad", 0)),
            completed_orders=completed.get(pk, 0),
            upheld_complaints=upheld.get(pk, 0),
            clocks_decided=decided,
            clocks_met=met,
            expired_kinds=expired,
            expiring_kinds=expiring,
            overdue_actions=overdue.get(pk, 0),
        )
    return inputs


@transaction.atomic
def credit_grades_refresh(
    *, institution_ids: Iterable[int] | None = None, now: dt.datetime | None = None
) -> int:
    """Recompute and store the grades of the graded institutions (all of
    them, or these): a fixed number of aggregate queries, then one upsert per
    BATCH institutions. Idempotent; returns how many grades were written."""
    now = now or timezone.now()
    inputs = credit_inputs(institution_ids=institution_ids, now=now)
    grades = []
    for pk, facts in inputs.items():
        result = credit.credit_compute(facts)
        grades.append(
            CreditGrade(
                institution_id=pk,
                grade=result.grade,
                score=result.score,
                components=result.components,
                computed_at=now,
            )
        )
    if grades:
        CreditGrade.objects.bulk_create(
            grades,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["institution"],
            update_fields=["grade", "score", "components", "computed_at"],
        )
    audit_record(
        action="supervision.credit_refresh",
        changes={
            "institutions": len(grades),
            "scope": "all" if institution_ids is None else "some",
        },
        actor_label="system",
    )
    pagecache.invalidate_on_commit()  # grades show on institution pages
    return len(grades)
