"""How demands come in (WX 5.1 b, 7.2.2.1; HM 4.3.2): published online by a
verified user, registered by staff from a call, a visit to the counter, a
letter or an enterprise visit, and the visits themselves."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import Role, User
from onestop.audit.services import audit_record
from onestop.catalog.models import ServiceCategory
from onestop.core import workdays
from onestop.core.errors import PermissionDeniedError
from onestop.demands import selectors
from onestop.demands.models import (
    ContactMethod,
    Demand,
    DemandAttachment,
    DemandSource,
    DemandStatus,
    Visit,
)
from onestop.demands.services.common import (
    FieldError,
    check_calendar,
    check_contact,
    check_desired_date,
    check_station,
    clean_text,
    event,
    next_number,
    now,
    start_clocks,
    tell_requester,
    tell_staff,
)
from onestop.documents.errors import UploadRejected
from onestop.documents.models import DocumentKind
from onestop.documents.services import document_store
from onestop.enterprises.models import Enterprise, EnterpriseStatus, MemberRole, Membership
from onestop.enterprises.selectors import membership_of
from onestop.regions.models import Region
from onestop.stations.models import Station, StationStatus

MAX_ATTACHMENTS = 5
STAFF_SOURCES = (
    DemandSource.PHONE,
    DemandSource.ON_SITE,
    DemandSource.LETTER,
    DemandSource.VISIT,
)


class NotVerified(PermissionDeniedError):
    code = "not_verified"
    default_message = _(
        "Only users who have passed real-name verification, or people of a verified "
        "enterprise, can publish demands. Please complete verification first."
    )


def publisher_enterprise(user: User) -> tuple[bool, Enterprise | None]:
    """Whether ``user`` may publish, and for which enterprise: the verified
    enterprise they act for, or none for a verified individual."""
    from onestop.verification.models import Identity

    if not user.is_active:
        return False, None
    membership = membership_of(user=user)
    if membership is not None and membership.enterprise.status == EnterpriseStatus.VERIFIED:
        return True, membership.enterprise
    if Identity.objects.filter(user=user).exists():
        return True, None
    return False, None


def _clean_need(
    *, title: str, description: str, category: ServiceCategory | None
) -> tuple[ServiceCategory, str, str]:
    if category is None:
        raise FieldError("category", _("Choose the kind of service you need."))
    title = clean_text(title, field="title", label=_("Title"), low=4, high=100)
    description = clean_text(
        description, field="description", label=_("Description"), low=10, high=5000
    )
    return category, title, description


def _notify_new(demand: Demand, *, registered: bool) -> None:
    tell_requester(
        demand,
        kind="demands.registered" if registered else "demands.published",
        title=_("Demand %(number)s received") % {"number": demand.number},
        body=_(
            "Staff will contact you within 1 working day and recommend institutions "
            "within 3 working days."
        ),
        sms=True,
    )
    tell_staff(
        demand,
        kind="demands.new",
        title=_("New demand %(number)s: %(title)s")
        % {"number": demand.number, "title": demand.title},
        body=_("Respond within 1 working day; recommend within 3 working days."),
        skip=demand.registered_by,
    )


@transaction.atomic
def demand_publish(
    *,
    user: User,
    category: ServiceCategory | None,
    title: str,
    description: str,
    region: Region | None,
    contact_name: str,
    contact_method: str,
    contact_phone: str = "",
    desired_date: dt.date | None = None,
    attachments: Sequence[UploadedFile[bytes]] = (),
) -> Demand:
    """A verified user publishes what they need when self-matching found
    nothing (WX 5.1 b, WX App. A). Starts the 1-working-day response and the
    3-working-day recommendation clocks (WX 7.2.2.2.1)."""
    allowed, enterprise = publisher_enterprise(user)
    if not allowed:
        raise NotVerified()
    category, title, description = _clean_need(
        title=title, description=description, category=category
    )
    if region is None:
        raise FieldError("region", _("Choose the region where the service is needed."))
    contact_name = clean_text(
        contact_name, field="contact_name", label=_("Contact person"), low=1, high=50
    )
    contact_phone = check_contact(method=contact_method, phone=contact_phone, requester=user)
    at = now()
    check_desired_date(desired_date, workdays.local_date(at))
    if len(attachments) > MAX_ATTACHMENTS:
        raise FieldError("attachments", _("Attach at most %(n)s files."), n=MAX_ATTACHMENTS)
    check_calendar(at)
    demand = Demand.objects.create(
        number=next_number(at),
        requester=user,
        enterprise=enterprise,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_method=contact_method,
        category=category,
        title=title,
        description=description,
        region=region,
        desired_date=desired_date,
        source=DemandSource.ONLINE,
    )
    for upload in attachments:
        try:
            document = document_store(
                owner=user, kind=DocumentKind.OTHER, upload=upload, region=region
            )
        except UploadRejected as exc:
            exc.field = "attachments"
            raise
        DemandAttachment.objects.create(demand=demand, document=document)
    start_clocks(demand, at)
    event(demand, actor=user, kind="publish", to_status=DemandStatus.PUBLISHED)
    _notify_new(demand, registered=False)
    # Last: the audit chain's head stays locked until the commit.
    audit_record(
        actor=user,
        action="demands.publish",
        obj=demand,
        changes={
            "number": demand.number,
            "category": category.code,
            "region": region.code,
            "enterprise": enterprise.pk if enterprise else None,
            "attachments": len(attachments),
        },
    )
    return demand


def _who(
    *, requester: User | None, enterprise: Enterprise | None, prospect_name: str
) -> tuple[User | None, Enterprise | None, str]:
    """The person or enterprise the demand is for: an account, an enterprise
    (its owner's account follows it), or a prospect not registered yet."""
    prospect_name = (prospect_name or "").strip()
    if (requester is not None or enterprise is not None) and prospect_name:
        raise FieldError(
            "prospect_name",
            _("Either choose a registered enterprise or user, or name a prospect, not both."),
        )
    if requester is None and enterprise is None:
        prospect_name = clean_text(
            prospect_name,
            field="prospect_name",
            label=_("Name of the enterprise or person"),
            low=2,
            high=200,
        )
        return None, None, prospect_name
    if enterprise is not None:
        members = Membership.objects.filter(enterprise=enterprise, removed_at__isnull=True)
        if requester is None:
            owner = members.filter(role=MemberRole.OWNER).select_related("user").first()
            if owner is None or not owner.user.is_active:
                # No account to follow it: kept as a prospect under the enterprise's name.
                return None, enterprise, enterprise.name
            requester = owner.user
        elif not members.filter(user=requester).exists():
            raise FieldError("requester", _("This user does not act for that enterprise."))
    return requester, enterprise, ""


@transaction.atomic
def demand_register(
    *,
    actor: User,
    requester: User | None = None,
    enterprise: Enterprise | None = None,
    prospect_name: str = "",
    contact_name: str,
    contact_phone: str = "",
    contact_method: str,
    category: ServiceCategory | None,
    title: str,
    description: str,
    region: Region,
    source: str,
    station: Station | None = None,
    visit: Visit | None = None,
    desired_date: dt.date | None = None,
) -> Demand:
    """Staff register a demand received by phone, at the counter, by letter or
    on an enterprise visit (WX 7.2.2.1.1-2, HM 4.3.2.2-3), for a registered
    enterprise or user or for a prospect; the same clocks as online."""
    authz.require(actor, authz.Perm.DEMAND_HANDLE, region)
    if source not in STAFF_SOURCES:
        raise FieldError("source", _("Choose how the demand was received."))
    if visit is not None:
        if source != DemandSource.VISIT:
            raise FieldError("source", _("A demand found on a visit has the source 'visit'."))
        if station is not None and station.pk != visit.station_id:
            raise FieldError("station", _("The visit was made by another station."))
        station = visit.station
    elif source == DemandSource.VISIT:
        raise FieldError("visit", _("Record the visit first, then the demands found on it."))
    requester, enterprise, prospect_name = _who(
        requester=requester, enterprise=enterprise, prospect_name=prospect_name
    )
    category, title, description = _clean_need(
        title=title, description=description, category=category
    )
    contact_name = clean_text(
        contact_name, field="contact_name", label=_("Contact person"), low=1, high=50
    )
    contact_phone = check_contact(method=contact_method, phone=contact_phone, requester=requester)
    at = now()
    check_desired_date(desired_date, workdays.local_date(at))
    if station is None:
        station = selectors.station_of(actor, region)
    else:
        check_station(station, region)
    check_calendar(at)
    demand = Demand.objects.create(
        number=next_number(at),
        requester=requester,
        enterprise=enterprise,
        prospect_name=prospect_name,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_method=contact_method,
        category=category,
        title=title,
        description=description,
        region=region,
        desired_date=desired_date,
        source=source,
        visit=visit,
        registered_by=actor,
        station=station,
    )
    start_clocks(demand, at)
    event(
        demand,
        actor=actor,
        kind="register",
        to_status=DemandStatus.PUBLISHED,
        note=str(DemandSource(source).label),
    )
    audit_record(
        actor=actor,
        action="demands.register",
        obj=demand,
        changes={
            "number": demand.number,
            "source": source,
            "category": category.code,
            "region": region.code,
            "requester": requester.pk if requester else None,
            "enterprise": enterprise.pk if enterprise else None,
            "prospect": bool(prospect_name),
            "station": station.pk if station else None,
            "visit": visit.pk if visit else None,
        },
    )
    _notify_new(demand, registered=True)
    return demand


@dataclasses.dataclass(frozen=True)
class FoundNeed:
    """A demand found on a visit, registered together with the visit."""

    category: ServiceCategory
    title: str
    description: str
    contact_name: str
    contact_phone: str = ""
    contact_method: str = ContactMethod.PHONE
    desired_date: dt.date | None = None


def require_station_worker(actor: User, station: Station) -> None:
    """Station staff act for their own station; service-center staff for any
    station in their regions."""
    authz.require(actor, authz.Perm.DEMAND_HANDLE, station.region)
    if authz.has_perm(actor, authz.Perm.ESCALATION_HANDLE, station.region):
        return
    if str(station.pk) not in authz.scoped_ids(actor, Role.STATION_STAFF, Station):
        raise authz.NotAllowed()


@transaction.atomic
def visit_record(
    *,
    actor: User,
    station: Station,
    visited_on: dt.date,
    needs_found: str,
    enterprise: Enterprise | None = None,
    prospect_name: str = "",
    staff: Sequence[User] = (),
    needs: Sequence[FoundNeed] = (),
) -> Visit:
    """A station's visit to an enterprise and the needs found (WX 7.2.2.1.2,
    HM 4.3.2.2); each need in ``needs`` becomes a demand with the visit's
    station responsible, its clocks starting now."""
    require_station_worker(actor, station)
    if station.status != StationStatus.ACTIVE:
        raise FieldError("station", _("The chosen station is closed."))
    at = now()
    if visited_on > workdays.local_date(at):
        raise FieldError("visited_on", _("A visit cannot be recorded before it happens."))
    needs_found = clean_text(
        needs_found, field="needs_found", label=_("Needs found"), low=2, high=5000
    )
    prospect_name = (prospect_name or "").strip()
    if (enterprise is None) == (not prospect_name):
        raise FieldError(
            "prospect_name",
            _("Choose the registered enterprise visited, or name the one not yet registered."),
        )
    if prospect_name:
        prospect_name = clean_text(
            prospect_name,
            field="prospect_name",
            label=_("Enterprise not yet registered"),
            low=2,
            high=200,
        )
    people = {actor.pk: actor}
    for person in staff:
        if not authz.has_perm(person, authz.Perm.DEMAND_HANDLE, station.region):
            raise FieldError(
                "staff", _("%(name)s does not work for this station's region."), name=str(person)
            )
        people[person.pk] = person
    visit = Visit.objects.create(
        station=station,
        enterprise=enterprise,
        prospect_name=prospect_name,
        visited_on=visited_on,
        needs_found=needs_found,
        recorded_by=actor,
    )
    visit.staff.set(people.values())
    audit_record(
        actor=actor,
        action="demands.visit_record",
        obj=station,
        changes={
            "visit": visit.pk,
            "visited_on": visited_on.isoformat(),
            "enterprise": enterprise.pk if enterprise else None,
            "prospect": bool(prospect_name),
            "staff": sorted(people),
            "needs": len(needs),
        },
    )
    region = enterprise.region if enterprise is not None else station.region
    for need in needs:
        demand_register(
            actor=actor,
            enterprise=enterprise,
            prospect_name=prospect_name,
            contact_name=need.contact_name,
            contact_phone=need.contact_phone,
            contact_method=need.contact_method,
            category=need.category,
            title=need.title,
            description=need.description,
            region=region,
            source=DemandSource.VISIT,
            station=station,
            visit=visit,
            desired_date=need.desired_date,
        )
    return visit
