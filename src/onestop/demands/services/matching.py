"""Recommending institutions and docking with one (WX 7.2.2.2.1-7.2.2.2.3)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.core.errors import InvalidTransition
from onestop.demands import engine, rules
from onestop.demands.models import (
    RECOMMENDATION_CLOCK,
    Demand,
    DemandStatus,
    Docking,
    Recommendation,
)
from onestop.demands.services.common import (
    FieldError,
    clean_text,
    event,
    lock,
    now,
    require_handler,
    stop_clock,
    tell_institution,
    tell_requester,
    tell_staff,
)
from onestop.institutions.selectors import active_offerings

MAX_PICKS = 10
MAX_PRICE = Decimal("9999999999.99")


@dataclasses.dataclass(frozen=True)
class Pick:
    """An offering staff chose to recommend, at a position (1 = first)."""

    offering_id: int
    position: int


def _next_position(demand: Demand) -> int:
    last = Recommendation.objects.filter(demand=demand).aggregate(m=Max("position"))["m"]
    return (last or 0) + 1


def _first_send(demand: Demand, at: dt.datetime) -> str:
    """Stop the recommendation clock at the first thing sent to the user;
    returns its outcome ('' when it had already stopped)."""
    clock = stop_clock(demand, RECOMMENDATION_CLOCK, at)
    return clock.outcome if clock is not None else ""


@transaction.atomic
def demand_recommend(
    *, actor: User, demand: Demand, picks: Sequence[Pick], note: str = ""
) -> list[Recommendation]:
    """Send the user one or more recommended institutions (WX 7.2.2.2.1: within
    3 working days). Staff confirm the engine's suggestions, reorder them or add
    others; each is stored with the engine's score and its parts as computed
    now, so the user sees why. The first sending stops the recommendation clock."""
    require_handler(actor, demand)
    locked = lock(demand)
    require_handler(actor, locked)
    rules.require(locked, "recommend")
    if not picks:
        raise FieldError("picks", _("Tick at least one institution to recommend."))
    if len(picks) > MAX_PICKS:
        raise FieldError("picks", _("Recommend at most %(n)s institutions at once."), n=MAX_PICKS)
    ids = [p.offering_id for p in picks]
    if len(set(ids)) != len(ids):
        raise FieldError("picks", _("Each institution's service can be ticked only once."))
    if any(p.position < 1 or p.position > 99 for p in picks):
        raise FieldError("picks", _("Positions are numbers from 1 to 99."))
    note = (note or "").strip()
    if len(note) > 2000:
        raise FieldError("note", _("The note has at most 2000 characters."))
    scored = {c.offering.pk: c for c in engine.rank(locked, extra_offering_ids=ids, limit=None)}
    missing = [pk for pk in ids if pk not in scored]
    if missing:
        raise FieldError(
            "picks",
            _(
                "A chosen service can no longer be ordered "
                "(withdrawn, or its institution suspended)."
            ),
        )
    repeated = [scored[pk] for pk in ids if scored[pk].already_recommended]
    if repeated:
        raise FieldError(
            "picks",
            _("%(name)s has already been recommended for this demand."),
            name=repeated[0].offering.institution.name,
        )
    base = _next_position(locked) - 1
    created = []
    for pick in sorted(picks, key=lambda p: (p.position, p.offering_id)):
        candidate = scored[pick.offering_id]
        created.append(
            Recommendation.objects.create(
                demand=locked,
                offering=candidate.offering,
                institution=candidate.offering.institution,
                position=base + pick.position,
                score=candidate.score_decimal,
                explanation=candidate.explanation(),
                note=note,
                recommended_by=actor,
            )
        )
    at = now()
    before = locked.status
    locked.status = DemandStatus.RECOMMENDED
    locked.save(update_fields=["status", "updated_at"])
    outcome = _first_send(locked, at)
    names = "、".join(r.institution.name for r in created if r.institution is not None)
    event(
        locked,
        actor=actor,
        kind="recommend",
        from_status=before,
        to_status=DemandStatus.RECOMMENDED,
        note=f"{names}\n{note}".strip(),
    )
    audit_record(
        actor=actor,
        action="demands.recommend",
        obj=locked,
        changes={
            "number": locked.number,
            "status": [before, DemandStatus.RECOMMENDED],
            "offerings": ids,
            "clock": outcome,
        },
    )
    tell_requester(
        locked,
        kind="demands.recommended",
        title=_("Demand %(number)s: institutions recommended for you") % {"number": locked.number},
        body=_("Recommended: %(names)s. Open the demand to see why and to choose one.")
        % {"names": names},
        sms=True,
    )
    return created


@transaction.atomic
def recommendation_add_external(
    *, actor: User, demand: Demand, name: str, contact: str, note: str = ""
) -> Recommendation:
    """No onboarded institution fits: staff found one outside the platform and
    tell the user (WX 7.2.2.2.3). The demand is then 'referred'; this counts
    as the recommendation for the 3-working-day clock."""
    require_handler(actor, demand)
    locked = lock(demand)
    require_handler(actor, locked)
    rules.require(locked, "refer")
    name = clean_text(
        name, field="external_name", label=_("Institution outside the platform"), low=2, high=200
    )
    contact = clean_text(contact, field="external_contact", label=_("Its contact"), low=2, high=200)
    note = (note or "").strip()
    if len(note) > 2000:
        raise FieldError("note", _("The note has at most 2000 characters."))
    recommendation = Recommendation.objects.create(
        demand=locked,
        external_name=name,
        external_contact=contact,
        position=_next_position(locked),
        note=note,
        recommended_by=actor,
    )
    at = now()
    before = locked.status
    locked.status = DemandStatus.REFERRED
    locked.save(update_fields=["status", "updated_at"])
    outcome = _first_send(locked, at)
    event(
        locked,
        actor=actor,
        kind="refer",
        from_status=before,
        to_status=DemandStatus.REFERRED,
        note=f"{name} {contact}\n{note}".strip(),
    )
    audit_record(
        actor=actor,
        action="demands.refer",
        obj=locked,
        changes={
            "number": locked.number,
            "status": [before, DemandStatus.REFERRED],
            "external_name": name,
            "clock": outcome,
        },
    )
    tell_requester(
        locked,
        kind="demands.referred",
        title=_("Demand %(number)s: an institution outside the platform can help")
        % {"number": locked.number},
        body=_("%(name)s, contact: %(contact)s. %(note)s")
        % {"name": name, "contact": contact, "note": note},
        sms=True,
    )
    return recommendation


@transaction.atomic
def demand_accept_recommendation(
    *, user: User, demand: Demand, recommendation: Recommendation
) -> Docking:
    """The requester chooses one recommended institution (WX 7.2.2.2.2): the
    docking is recorded, each side now sees the other's contact, the other
    recommendations are marked declined."""
    locked = lock(demand)
    if locked.requester_id != user.pk:
        raise authz.NotAllowed()
    rules.require(locked, "accept")
    chosen = (
        Recommendation.objects.select_for_update(no_key=True, of=("self",))
        .select_related("institution", "offering")
        .filter(pk=recommendation.pk, demand=locked)
        .first()
    )
    if chosen is None:
        raise InvalidTransition(_("This recommendation is not part of your demand."))
    if chosen.institution is None or chosen.offering_id is None:
        raise InvalidTransition(
            _("An institution outside the platform is contacted directly, not accepted here.")
        )
    if chosen.declined_at is not None or chosen.accepted_at is not None:
        raise InvalidTransition(_("This recommendation can no longer be accepted."))
    if not active_offerings().filter(pk=chosen.offering_id).exists():
        raise InvalidTransition(
            _("This institution's service can no longer be ordered; choose another one.")
        )
    at = now()
    docking = Docking.objects.create(demand=locked, recommendation=chosen)
    chosen.accepted_at = at
    chosen.save(update_fields=["accepted_at"])
    declined = Recommendation.objects.filter(
        demand=locked,
        institution__isnull=False,
        accepted_at__isnull=True,
        declined_at__isnull=True,
    ).update(declined_at=at)
    before = locked.status
    locked.status = DemandStatus.DOCKED
    locked.save(update_fields=["status", "updated_at"])
    institution = chosen.institution
    event(
        locked,
        actor=user,
        kind="accept",
        from_status=before,
        to_status=DemandStatus.DOCKED,
        note=institution.name,
    )
    audit_record(
        actor=user,
        action="demands.accept",
        obj=locked,
        changes={
            "number": locked.number,
            "status": [before, DemandStatus.DOCKED],
            "recommendation": chosen.pk,
            "institution": institution.pk,
            "declined": declined,
        },
    )
    tell_requester(
        locked,
        kind="demands.docked",
        title=_("Demand %(number)s: you chose %(name)s")
        % {"number": locked.number, "name": institution.name},
        body=_("Contact: %(phone)s, %(address)s.")
        % {"phone": institution.service_phone, "address": institution.address},
    )
    tell_institution(
        institution,
        kind="demands.docked",
        title=_("A user chose your institution for demand %(number)s: %(title)s")
        % {"number": locked.number, "title": locked.title},
        body=_("Please contact %(name)s soon; the contact details are on the platform.")
        % {"name": locked.contact_name},
        sms=True,
    )
    tell_staff(
        locked,
        kind="demands.docked",
        title=_("Demand %(number)s docked with %(name)s")
        % {"number": locked.number, "name": institution.name},
        body=_("Record the project, expected period and price once agreed."),
    )
    return docking


@transaction.atomic
def docking_record(
    *,
    actor: User,
    demand: Demand,
    project: str,
    expected_start: dt.date | None = None,
    expected_end: dt.date | None = None,
    price: Decimal | None = None,
) -> Docking:
    """Staff record what the two sides agreed: project, expected period, price
    (WX 7.2.2.2.2: 'guide both sides ... and keep a record')."""
    require_handler(actor, demand)
    locked = lock(demand)
    require_handler(actor, locked)
    rules.require(locked, "record_docking")
    project = clean_text(project, field="project", label=_("Project"), low=2, high=200)
    if expected_start and expected_end and expected_end < expected_start:
        raise FieldError("expected_end", _("The expected end is before the expected start."))
    if price is not None and (price < 0 or price > MAX_PRICE):
        raise FieldError("price", _("Enter a price of zero or more yuan."))
    docking = (
        Docking.objects.select_for_update(no_key=True, of=("self",))
        .select_related("recommendation__institution")
        .get(demand=locked)
    )
    before = {
        "project": docking.project,
        "expected_start": docking.expected_start.isoformat() if docking.expected_start else None,
        "expected_end": docking.expected_end.isoformat() if docking.expected_end else None,
        "price": str(docking.price) if docking.price is not None else None,
    }
    docking.project = project
    docking.expected_start = expected_start
    docking.expected_end = expected_end
    docking.price = price
    docking.recorded_by = actor
    docking.save()
    after = {
        "project": project,
        "expected_start": expected_start.isoformat() if expected_start else None,
        "expected_end": expected_end.isoformat() if expected_end else None,
        "price": str(price) if price is not None else None,
    }
    period = " – ".join(v for v in (after["expected_start"], after["expected_end"]) if v)
    event(
        locked,
        actor=actor,
        kind="docking_record",
        note=" · ".join(v for v in (project, period, after["price"] or "") if v),
    )
    audit_record(
        actor=actor,
        action="demands.docking_record",
        obj=locked,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
    )
    tell_requester(
        locked,
        kind="demands.docking_recorded",
        title=_("Demand %(number)s: the agreed project is recorded") % {"number": locked.number},
        body=project,
    )
    institution = docking.recommendation.institution
    if institution is not None:
        tell_institution(
            institution,
            kind="demands.docking_recorded",
            title=_("Demand %(number)s: the agreed project is recorded")
            % {"number": locked.number},
            body=project,
        )
    return docking
