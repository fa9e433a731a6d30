"""Placing an order (WX App. A: 是否为会员 → 登录 → 在线下单).

From an offering the user found (self-matching), or from the accepted
recommendation of the user's own demand (WX 7.2.2.2.2). The institution
must accept or decline within 1 working day (WX 7.2.2.2.1): the
ACCEPTANCE_CLOCK starts with the order.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import Role, User
from onestop.core.errors import InvalidInput, InvalidTransition, NotFound, PermissionDeniedError
from onestop.core.services import sla_clock_start
from onestop.demands.models import Demand, DemandStatus, Recommendation
from onestop.enterprises.models import Enterprise, EnterpriseStatus, Membership
from onestop.institutions.models import Institution, InstitutionStatus, Offering, OfferingStatus
from onestop.institutions.selectors import institution_for_user, institution_people
from onestop.notifications.services import notify
from onestop.orders import rules
from onestop.orders.models import ACCEPTANCE_CLOCK, Order, OrderNumberCounter, OrderStatus, Party
from onestop.orders.services.common import audit, record_event
from onestop.regions.models import Region
from onestop.verification.models import Identity

PREFIX = "DD"
# The same order posted twice (a double click, a resent form) within this
# time gives back the first order instead of a second one.
DUPLICATE_WINDOW = dt.timedelta(minutes=10)


class VerificationRequired(PermissionDeniedError):
    code = "verification_required"
    default_message = _(
        "Only verified users can order. Complete real-name verification, or join an "
        "enterprise that has passed enterprise verification, then order again."
    )


class NotOrderable(InvalidTransition):
    code = "not_orderable"
    default_message = _("This service cannot be ordered at the moment.")


class DemandNotFound(NotFound):
    code = "demand_not_found"
    default_message = _("No such demand.")


def next_number(now: dt.datetime | None = None) -> str:
    """DD + the China date + a 5-digit daily sequence (more digits after 99999).

    One statement increments the day's counter row (creating it on the day's
    first order); the row stays locked until the caller's transaction ends,
    so numbers are unique under concurrency and never reused.
    """
    day = timezone.localdate(now or timezone.now())
    quote = connection.ops.quote_name
    table, day_, last = quote(OrderNumberCounter._meta.db_table), quote("day"), quote("last")
    # Our own model's table and columns, quoted; the value is a parameter.
    sql = (
        f"INSERT INTO {table} ({day_}, {last}) VALUES (%s, 1) "  # noqa: S608
        f"ON CONFLICT ({day_}) DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [day])
        row = cursor.fetchone()
    if row is None:  # pragma: no cover - RETURNING always returns the row
        raise RuntimeError("order number counter returned nothing")
    return f"{PREFIX}{day:%Y%m%d}{int(row[0]):05d}"


def orderable_refusal(offering: Offering, *, today: dt.date) -> NotOrderable | None:
    """Why ``offering`` (with its institution and qualification loaded) cannot
    be ordered today, or None."""
    if offering.status != OfferingStatus.PUBLISHED:
        return NotOrderable(_("This service has been withdrawn by the institution."))
    institution: Institution = offering.institution
    if institution.status == InstitutionStatus.SUSPENDED:
        return NotOrderable(_("The institution is suspended and takes no orders for now."))
    if institution.status != InstitutionStatus.ACTIVE:
        return NotOrderable(_("The institution is no longer on the platform."))
    qualification = offering.qualification
    if qualification is not None and not qualification.is_valid_on(today):
        return NotOrderable(
            _("The qualification covering this service is not valid today; it takes no orders.")
        )
    return None


def is_orderable(offering: Offering, *, today: dt.date | None = None) -> bool:
    return orderable_refusal(offering, today=today or timezone.localdate()) is None


def _clean(value: str | None, *, field: str, low: int, high: int, label: str) -> str:
    cleaned = (value or "").strip()
    if len(cleaned) < low:
        raise InvalidInput(
            _("Enter the %(label)s (at least %(n)s characters)."), field=field, label=label, n=low
        )
    if len(cleaned) > high:
        raise InvalidInput(
            _("The %(label)s may be at most %(n)s characters."), field=field, label=label, n=high
        )
    return cleaned


def _customer(user: User, enterprise: Enterprise | None) -> Enterprise | None:
    """For whom the user orders: the given enterprise (they must act for it
    and it must be verified), else themselves if real-name verified, else the
    verified enterprise they act for. Anyone else must finish verification."""
    if enterprise is not None:
        if not Membership.objects.filter(
            enterprise=enterprise, user=user, removed_at__isnull=True
        ).exists():
            raise PermissionDeniedError(
                _("You do not act for this enterprise."), field="enterprise"
            )
        if enterprise.status != EnterpriseStatus.VERIFIED:
            raise VerificationRequired()
        return enterprise
    if Identity.objects.filter(user=user).exists():
        return None
    membership = (
        Membership.objects.filter(
            user=user, removed_at__isnull=True, enterprise__status=EnterpriseStatus.VERIFIED
        )
        .select_related("enterprise__region")
        .order_by("joined_at")
        .first()
    )
    if membership is None:
        raise VerificationRequired()
    return membership.enterprise


def _region(user: User, enterprise: Enterprise | None, demand: Demand | None) -> Region:
    """Whose staff oversee the order: the demand's, the enterprise's or the user's region."""
    if demand is not None:
        return demand.region
    if enterprise is not None:
        return enterprise.region
    for assignment in authz.assignments(user):
        if assignment.role in (Role.INDIVIDUAL, Role.ENTERPRISE) and assignment.region:
            return assignment.region
    raise InvalidInput(_("Your account has no region; please contact the service center."))


def _check_origin(
    user: User, offering: Offering, demand: Demand | None, recommendation: Recommendation | None
) -> Demand | None:
    """An order from a recommendation: the user's own demand, still open, the
    recommendation accepted and for this very offering."""
    if recommendation is not None:
        if demand is None:
            demand = recommendation.demand
        elif recommendation.demand_id != demand.pk:
            raise InvalidInput(
                _("This recommendation belongs to another demand."), field="recommendation"
            )
        if recommendation.offering_id != offering.pk:
            raise InvalidInput(
                _("This recommendation is for another service."), field="recommendation"
            )
        if recommendation.accepted_at is None:
            raise InvalidTransition(
                _("Accept the recommended institution first, then order."),
                field="recommendation",
            )
    if demand is not None:
        if demand.requester_id is None or demand.requester_id != user.pk:
            raise DemandNotFound()
        if demand.status in (DemandStatus.CANCELLED, DemandStatus.CLOSED):
            raise InvalidTransition(_("This demand is closed."), field="demand")
    return demand


@transaction.atomic
def order_place(
    *,
    user: User,
    offering: Offering,
    description: str,
    contact_name: str,
    enterprise: Enterprise | None = None,
    demand: Demand | None = None,
    recommendation: Recommendation | None = None,
) -> Order:
    """Place an order with the institution behind ``offering`` (WX App. A).

    Refused: a withdrawn offering, an institution suspended or gone, an
    expired covering qualification (NotOrderable); a demand that is not the
    user's; a user who is neither real-name verified nor acting for a
    verified enterprise (VerificationRequired); the institution's own
    people. The same order posted again within 10 minutes returns the first.
    Starts the 1-working-day acceptance clock (WX 7.2.2.2.1); the
    institution's people are told by SMS.
    """
    if not user.is_active:
        raise PermissionDeniedError()
    # Read the offering again: the page the user saw may be stale.
    offering = Offering.objects.select_related("institution", "qualification").get(pk=offering.pk)
    refusal = orderable_refusal(offering, today=timezone.localdate())
    if refusal is not None:
        raise refusal
    demand = _check_origin(user, offering, demand, recommendation)
    if enterprise is None and demand is not None and demand.enterprise_id is not None:
        enterprise = demand.enterprise
    customer = _customer(user, enterprise)
    own = institution_for_user(user)
    if (own is not None and own.pk == offering.institution_id) or (
        customer is not None and customer.pk == offering.institution.enterprise_id
    ):
        raise InvalidInput(_("You cannot order a service of your own institution."))
    text = _clean(
        description,
        field="description",
        low=rules.DESCRIPTION_MIN,
        high=rules.DESCRIPTION_MAX,
        label=str(_("description of what is needed")),
    )
    contact = _clean(
        contact_name, field="contact_name", low=1, high=rules.CONTACT_MAX, label=str(_("contact"))
    )
    region = _region(user, customer, demand)
    now = timezone.now()

    earlier = Order.objects.filter(
        user=user,
        offering=offering,
        description=text,
        status=OrderStatus.SUBMITTED,
        created_at__gte=now - DUPLICATE_WINDOW,
    ).first()
    if earlier is not None:
        return earlier

    order = Order.objects.create(
        number=next_number(now),
        user=user,
        enterprise=customer,
        offering=offering,
        institution=offering.institution,
        demand=demand,
        recommendation=recommendation,
        region=region,
        description=text,
        contact_name=contact,
    )
    record_event(
        order=order, actor=user, party=Party.USER, from_status="", to_status=OrderStatus.SUBMITTED
    )
    clock = sla_clock_start(
        subject=order,
        kind=ACCEPTANCE_CLOCK,
        working_days=rules.ACCEPTANCE_WORKING_DAYS,
        started_at=now,
        region=region,
    )
    due = timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M")
    notify(
        recipients=list(institution_people(offering.institution)),
        kind="orders.placed",
        title=str(
            _("New order %(number)s: %(service)s")
            % {"number": order.number, "service": offering.name}
        ),
        body=str(_("Accept or decline it before %(due)s.") % {"due": due}),
        url=order.institution_url,
        channels_=["sms"],
    )
    notify(
        recipients=[user],
        kind="orders.submitted",
        title=str(_("Your order %(number)s has been submitted") % {"number": order.number}),
        body=str(
            _("%(institution)s will accept or decline it before %(due)s.")
            % {"institution": offering.institution.name, "due": due}
        ),
        url=order.get_absolute_url(),
    )
    # Last: the audit chain's head stays locked until the commit, so every
    # other write of this transaction comes before it (shorter queue, no cycle).
    audit(
        user,
        "orders.place",
        order,
        offering=offering.pk,
        institution=offering.institution_id,
        enterprise=customer.pk if customer else None,
        demand=demand.number if demand else None,
    )
    return order
