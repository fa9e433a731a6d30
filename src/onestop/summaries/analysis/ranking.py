"""The institutions, offerings and service items rated lowest (with at
least rules.MIN_SAMPLE evaluations)."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext as _

from onestop.evaluations.models import Evaluation
from onestop.reporting.tables import Table
from onestop.summaries import rules
from onestop.summaries.analysis.common import score


def _ranked(scored: QuerySet[Evaluation], *fields: str) -> list[dict[str, Any]]:
    return list(
        scored.values(*fields)
        .annotate(
            n=Count("id"),
            mean=Avg("institution_score"),
            bad_n=Count("id", filter=Q(bad=True)),
        )
        .filter(n__gte=rules.MIN_SAMPLE)
        .order_by("mean", *fields)[: rules.TOP_WORST]
    )


def worst(scored: QuerySet[Evaluation]) -> list[Table]:
    note = _(
        "Mean of the institution part of the questionnaire (5 best, 1 worst); only those "
        "with at least %(n)s evaluations are listed."
    ) % {"n": rules.MIN_SAMPLE}
    counts = [_("Evaluations"), _("Mean score"), _("Dissatisfied or not solved")]
    institutions = _ranked(scored, "institution_id", "institution__name")
    offerings = _ranked(
        scored.filter(order__isnull=False),
        "order__offering_id",
        "order__offering__name",
        "institution__name",
    )
    items = _ranked(
        scored.filter(order__offering__service_item__isnull=False),
        "order__offering__service_item_id",
        "order__offering__service_item__name",
    )
    return [
        Table(
            key="worst_institutions",
            title=_("Institutions with the lowest scores"),
            columns=[_("Institution"), *counts],
            rows=[
                [r["institution__name"], r["n"], score(r["mean"]), r["bad_n"]] for r in institutions
            ],
            note=note,
        ),
        Table(
            key="worst_offerings",
            title=_("Offerings with the lowest scores"),
            columns=[_("Offering"), _("Institution"), *counts],
            rows=[
                [
                    r["order__offering__name"],
                    r["institution__name"],
                    r["n"],
                    score(r["mean"]),
                    r["bad_n"],
                ]
                for r in offerings
            ],
            note=note,
        ),
        Table(
            key="worst_service_items",
            title=_("Service items with the lowest scores"),
            columns=[_("Service item"), *counts],
            rows=[
                [r["order__offering__service_item__name"], r["n"], score(r["mean"]), r["bad_n"]]
                for r in items
            ],
            note=note,
        ),
    ]


# --- corrective actions -----------------------------------------------------------
