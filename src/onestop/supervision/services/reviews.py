"""Writes of the regular supervision of important service items (HM 5.4:
important service items are supervised and evaluated regularly and the
effectiveness of the service is summarised)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.catalog.models import ServiceItem
from onestop.core.errors import InvalidInput
from onestop.institutions.models import Offering
from onestop.regions.models import Region
from onestop.supervision.models import (
    TEXT_MAX,
    CorrectiveAction,
    ImportantItem,
    ItemRating,
    ItemReview,
)

# A review covers at most a year (a quarter is the usual period).
PERIOD_DAYS_MAX = 366


def _one_item(service_item: ServiceItem | None, offering: Offering | None) -> None:
    if (service_item is None) == (offering is None):
        raise InvalidInput(
            _("Choose either a catalog service item or an institution's offering."),
            field="service_item",
        )


@transaction.atomic
def important_item_mark(
    *,
    actor: User,
    region: Region,
    service_item: ServiceItem | None = None,
    offering: Offering | None = None,
    note: str = "",
) -> ImportantItem:
    """Mark a service item (or an offering) as important in a region: it is
    then due for a review every quarter."""
    authz.require(actor, Perm.SUPERVISE, region)
    _one_item(service_item, offering)
    note = (note or "").strip()
    if len(note) > 200:
        raise InvalidInput(_("The note may be at most 200 characters."), field="note")
    try:
        with transaction.atomic():
            item = ImportantItem.objects.create(
                region=region,
                service_item=service_item,
                offering=offering,
                note=note,
                marked_by=actor,
            )
    except IntegrityError as exc:
        raise InvalidInput(
            _("This item is already marked as important in this region."), field="service_item"
        ) from exc
    audit_record(
        actor=actor,
        action="supervision.item_mark",
        obj=item,
        region=region,
        changes={"item": item.item_name, "note": note},
    )
    return item


@transaction.atomic
def important_item_unmark(*, actor: User, item: ImportantItem) -> None:
    """The item is no longer reviewed regularly (its past reviews stay)."""
    item = ImportantItem.objects.select_related(
        "region", "service_item", "offering__institution"
    ).get(pk=item.pk)
    authz.require(actor, Perm.SUPERVISE, item.region)
    audit_record(
        actor=actor,
        action="supervision.item_unmark",
        obj=item,
        region=item.region,
        changes={"item": item.item_name},
    )
    item.delete()


@dataclasses.dataclass(frozen=True)
class ReviewInput:
    region: Region
    period_start: dt.date
    period_end: dt.date
    findings: str
    rating: str
    effectiveness: str
    service_item: ServiceItem | None = None
    offering: Offering | None = None
    corrective_actions: Sequence[CorrectiveAction] = ()


def _text(value: str, *, field: str, label: str) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise InvalidInput(_("Enter the %(label)s."), field=field, label=label)
    if len(cleaned) > TEXT_MAX:
        raise InvalidInput(
            _("The %(label)s may be at most %(n)s characters."),
            field=field,
            label=label,
            n=TEXT_MAX,
        )
    return cleaned


def _check_period(start: dt.date, end: dt.date) -> None:
    if start > end:
        raise InvalidInput(_("The period must start before it ends."), field="period_end")
    if (end - start).days > PERIOD_DAYS_MAX:
        raise InvalidInput(_("A review covers at most one year."), field="period_end")
    if end > timezone.localdate():
        raise InvalidInput(_("The period cannot end in the future."), field="period_end")


@transaction.atomic
def item_review_record(*, actor: User, data: ReviewInput) -> ItemReview:
    """Record one review of an important service item for a period: findings,
    a rating, the effectiveness summary and the corrective actions it led to
    (actions of the same region's subtree)."""
    region = data.region
    authz.require(actor, Perm.SUPERVISE, region)
    _one_item(data.service_item, data.offering)
    _check_period(data.period_start, data.period_end)
    if data.rating not in ItemRating.values:
        raise InvalidInput(_("Choose a rating."), field="rating")
    findings = _text(data.findings, field="findings", label=str(_("findings")))
    effectiveness = _text(
        data.effectiveness,
        field="effectiveness",
        label=str(_("summary of service effectiveness")),
    )
    actions = list(data.corrective_actions)
    if any(not a.region.path.startswith(region.path) for a in actions):
        raise InvalidInput(
            _("Only corrective actions of this region can be linked."),
            field="corrective_actions",
        )
    review = ItemReview.objects.create(
        region=region,
        service_item=data.service_item,
        offering=data.offering,
        period_start=data.period_start,
        period_end=data.period_end,
        findings=findings,
        rating=data.rating,
        effectiveness=effectiveness,
        reviewer=actor,
    )
    if actions:
        review.corrective_actions.set(actions)
    audit_record(
        actor=actor,
        action="supervision.item_review",
        obj=review,
        region=region,
        changes={
            "item": review.item_name,
            "period": f"{data.period_start.isoformat()}/{data.period_end.isoformat()}",
            "rating": data.rating,
            "actions": [a.number for a in actions],
        },
    )
    return review
