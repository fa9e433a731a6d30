"""Follow-up visits (HM 4.3.4.2: 定期做好企业回访工作并做好相应的记录;
WX 7.2.2.2.4: follow the service actively and deal with the problems found).

Completing an order schedules one follow-up (follow_up_schedule, called by
the orders module); station or center staff record it (method, content,
outcome, issues found). Issues can become a new demand or a complaint
(registered by the staff member, WX 7.4.2) at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import Role, User
from onestop.audit.services import audit_record
from onestop.catalog.models import ServiceCategory
from onestop.core import workdays
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.demands.models import ContactMethod, Demand, DemandSource
from onestop.enterprises.models import Enterprise
from onestop.fieldwork.models import FollowUp, FollowUpMethod, IssueAction
from onestop.fieldwork.rules import FOLLOW_UP_WORKING_DAYS
from onestop.fieldwork.scope import PERM, fieldwork_scope
from onestop.fieldwork.services._common import station_staff, text
from onestop.notifications.services import notify
from onestop.orders.models import Order
from onestop.stations.models import Station


def default_due_on(now: dt.datetime | None = None) -> dt.date:
    """The FOLLOW_UP_WORKING_DAYS-th working day after today (China time)."""
    calendar = workdays.load_calendar()
    day = workdays.local_date(now or timezone.now())
    for _step in range(FOLLOW_UP_WORKING_DAYS):
        day = calendar.next_workday(day)
    return day


def _station_for(order: Order | None, demand: Demand | None) -> Station | None:
    if order is not None:
        if order.proxy_station_id is not None:
            return order.proxy_station
        if order.demand_id is not None and order.demand is not None:
            return order.demand.station
        # The station that did proxy work for the order knows the user best.
        task = order.proxy_tasks.select_related("station").order_by("-created_at").first()
        return task.station if task is not None else None
    return demand.station if demand is not None else None


def follow_up_schedule(
    *, order: Order | None = None, demand: Demand | None = None, due_on: dt.date | None = None
) -> FollowUp:
    """Schedule the follow-up of an order (or a demand); the system does it,
    so there is no actor. Due FOLLOW_UP_WORKING_DAYS working days from now
    unless ``due_on`` is given. Once per order: calling again, even at the
    same moment from two processes, returns the same row."""
    if order is None and demand is None:
        raise InvalidInput(_("A follow-up is about an order or a demand."))
    if order is not None:
        existing = FollowUp.objects.filter(order=order).first()
        if existing is not None:
            return existing
    elif demand is not None:
        existing = FollowUp.objects.filter(
            demand=demand, order__isnull=True, done_at__isnull=True
        ).first()
        if existing is not None:
            return existing
    due = due_on or default_due_on()
    region = order.region if order is not None else demand.region  # type: ignore[union-attr]
    station = _station_for(order, demand)
    try:
        with transaction.atomic():
            follow_up = FollowUp.objects.create(
                order=order,
                demand=demand if demand is not None else (order.demand if order else None),
                region=region,
                station=station,
                due_on=due,
            )
            audit_record(
                actor=None,
                actor_label="system",
                action="fieldwork.follow_up_schedule",
                obj=follow_up,
                region=region,
                changes={
                    "order": order.number if order else None,
                    "demand": demand.number if demand else None,
                    "due_on": due.isoformat(),
                    "station": station.pk if station else None,
                },
            )
    except IntegrityError:
        if order is None:
            raise
        # The same order's follow-up was scheduled concurrently: that one stands.
        return FollowUp.objects.get(order=order)
    return follow_up


def _require(actor: User, follow_up: FollowUp) -> None:
    authz.require(actor, PERM, follow_up.region)
    if not fieldwork_scope(actor).covers(follow_up.region, follow_up.station_id):
        raise authz.NotAllowed()


@dataclass(frozen=True)
class _Who:
    """Whom the new demand is for and how to reach them, from the follow-up's subject."""

    requester: User | None
    enterprise: Enterprise | None
    prospect_name: str
    contact_name: str
    contact_phone: str
    contact_method: str
    category: ServiceCategory


def _who(follow_up: FollowUp) -> _Who:
    order, demand = follow_up.order, follow_up.demand
    if order is not None:
        mobile = str(order.user.mobile or "")
        return _Who(
            requester=order.user,
            enterprise=order.enterprise,
            prospect_name="",
            contact_name=order.contact_name,
            contact_phone=mobile,
            contact_method=ContactMethod.PHONE if mobile else ContactMethod.INBOX,
            category=order.offering.category,
        )
    if demand is None:
        raise InvalidInput(_("A follow-up is about an order or a demand."))
    anonymous = demand.requester is None and demand.enterprise is None
    return _Who(
        requester=demand.requester,
        enterprise=demand.enterprise,
        prospect_name=demand.prospect_name if anonymous else "",
        contact_name=demand.contact_name,
        contact_phone=demand.contact_phone,
        contact_method=demand.contact_method,
        category=demand.category,
    )


def _new_demand(actor: User, follow_up: FollowUp, *, title: str, description: str) -> Demand:
    """Register the issues found as a new demand (WX 7.2.2.1.2, HM 4.3.2).

    An on-site follow-up by a station of an enterprise is a visit: it is
    recorded as one (demands.visit_record) and the demand has the source
    "visit". Otherwise the source is how the contact was made: by phone
    (phone and online follow-ups) or in person.
    """
    from onestop.demands.services import FoundNeed, demand_register, visit_record

    who = _who(follow_up)
    today = workdays.local_date(timezone.now())
    visited = who.enterprise is not None or bool(who.prospect_name)
    if follow_up.station is not None and follow_up.method == FollowUpMethod.ON_SITE and visited:
        visit = visit_record(
            actor=actor,
            station=follow_up.station,
            visited_on=today,
            needs_found=description,
            enterprise=who.enterprise,
            prospect_name=who.prospect_name if who.enterprise is None else "",
            needs=[
                FoundNeed(
                    category=who.category,
                    title=title,
                    description=description,
                    contact_name=who.contact_name,
                    contact_phone=who.contact_phone,
                    contact_method=who.contact_method,
                )
            ],
        )
        found = visit.demands.order_by("-pk").first()
        if found is None:  # visit_record registers each need; nothing else is possible
            raise InvalidTransition(_("The demand could not be registered."))
        return found
    return demand_register(
        actor=actor,
        requester=who.requester,
        enterprise=who.enterprise,
        prospect_name=who.prospect_name,
        contact_name=who.contact_name,
        contact_phone=who.contact_phone,
        contact_method=who.contact_method,
        category=who.category,
        title=title,
        description=description,
        region=follow_up.region,
        source=DemandSource.PHONE
        if follow_up.method in (FollowUpMethod.PHONE, FollowUpMethod.ONLINE)
        else DemandSource.ON_SITE,
        station=follow_up.station,
    )


@transaction.atomic
def follow_up_record(
    *,
    actor: User,
    follow_up: FollowUp,
    method: str,
    content: str,
    outcome: str = "",
    issues_found: str = "",
    issues_action: str = IssueAction.NONE,
    demand_title: str = "",
) -> FollowUp:
    """Record the follow-up visit (HM 4.3.4.2). Issues found can be registered
    as a new demand right away (registered by the staff member, with the
    station's visit when it was one: see _new_demand), or as a complaint
    (onestop.complaints.services.complaint_from_follow_up)."""
    locked = (
        FollowUp.objects.select_for_update(no_key=True, of=("self",))
        .select_related(
            "region",
            "station",
            "order__user",
            "order__offering__category",
            "order__enterprise",
            "demand__category",
            "demand__requester",
            "demand__enterprise",
        )
        .get(pk=follow_up.pk)
    )
    _require(actor, locked)
    if locked.done_at is not None:
        raise InvalidTransition(_("This follow-up has already been recorded."))
    if method not in FollowUpMethod.values:
        raise InvalidInput(_("Choose phone, on site or online."), field="method")
    content = text(content, field="content", max_length=5000)
    outcome = text(outcome, field="outcome", max_length=2000, required=False)
    issues_found = text(issues_found, field="issues_found", max_length=5000, required=False)
    if issues_action not in IssueAction.values:
        raise InvalidInput(_("Choose what to do about the issues."), field="issues_action")
    if issues_action != IssueAction.NONE and not issues_found:
        raise InvalidInput(
            _("Describe the issues found before passing them on."), field="issues_found"
        )
    locked.method = method
    new_demand = None
    if issues_action == IssueAction.DEMAND:
        title = text(demand_title, field="demand_title", max_length=100)
        new_demand = _new_demand(actor, locked, title=title, description=issues_found)
    locked.content = content
    locked.outcome = outcome
    locked.issues_found = issues_found
    locked.issues_action = issues_action
    locked.new_demand = new_demand
    locked.done_by = actor
    locked.done_at = timezone.now()
    locked.save()
    complaint = None
    if issues_action == IssueAction.COMPLAINT:
        from onestop.complaints.services import complaint_from_follow_up

        complaint = complaint_from_follow_up(actor=actor, follow_up=locked)
    audit_record(
        actor=actor,
        action="fieldwork.follow_up_record",
        obj=locked,
        region=locked.region,
        changes={
            "method": method,
            "issues_action": issues_action,
            "new_demand": new_demand.number if new_demand else None,
            "complaint": complaint.number if complaint else None,
        },
    )
    return locked


def _responsible(follow_up: FollowUp) -> list[User]:
    if follow_up.assigned_to is not None:
        return [follow_up.assigned_to]
    if follow_up.station is not None:
        people = station_staff(follow_up.station)
        if people:
            return people
    return list(authz.holders_over(Role.CENTER_STAFF, follow_up.region))


def follow_ups_due(today: dt.date | None = None) -> list[FollowUp]:
    """Tell the people responsible about follow-ups due by ``today`` (run
    daily). Each follow-up is announced once: the row is marked by a
    conditional UPDATE first, so two runs at once never both send."""
    day = today or timezone.localdate()
    candidates = list(
        FollowUp.objects.filter(
            done_at__isnull=True, due_notified_at__isnull=True, due_on__lte=day
        ).select_related("region", "station", "assigned_to", "order", "demand")
    )
    announced: list[FollowUp] = []
    for follow_up in candidates:
        with transaction.atomic():
            claimed = FollowUp.objects.filter(pk=follow_up.pk, due_notified_at__isnull=True).update(
                due_notified_at=timezone.now()
            )
            if not claimed:
                continue
            subject = follow_up.order or follow_up.demand
            notify(
                recipients=_responsible(follow_up),
                kind="fieldwork.follow_up_due",
                title=gettext("Follow-up due %(day)s: %(subject)s")
                % {"day": follow_up.due_on.isoformat(), "subject": subject},
                body=gettext("Record the follow-up visit (method, content, outcome, issues)."),
                url=reverse("fieldwork:follow_up", args=[follow_up.pk]),
            )
        announced.append(follow_up)
    return announced
