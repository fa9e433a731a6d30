"""Complaints registered by staff: by phone, at a station, by letter (WX 7.4.2
"电话、站点、信函"), or raised on a follow-up visit (HM 4.3.4.2)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import User
from onestop.complaints import selectors
from onestop.complaints.models import (
    CONTENT_MAX,
    REQUEST_MAX,
    Channel,
    Complaint,
    ComplaintType,
    Target,
)
from onestop.complaints.rules import NAME_MAX
from onestop.complaints.services.common import (
    clean_text,
)
from onestop.complaints.services.receipt import (
    PHONE,
    STAFF_CHANNELS,
    ComplaintRefused,
    Subject,
    Texts,
    audit_refusal,
    check_uploads,
    clean_texts,
    create,
    region_of,
    subject_of,
)
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.fieldwork.models import FollowUp, FollowUpMethod, IssueAction
from onestop.regions.models import Region
from onestop.stations.models import Station, StationStatus

# --- registered by staff (WX 7.4.2 "电话、站点、信函") ------------------------------------------


def _require_register(actor: User, station: Station | None, region: Region) -> None:
    """Station staff register at their own station (authz.station_scope);
    without a station, the grant must cover the complaint's region."""
    scope = authz.station_scope(actor, Perm.COMPLAINT_REGISTER)
    allowed = scope.covers_station(station) if station is not None else scope.covers(region, None)
    if not allowed:
        raise authz.NotAllowed()


def _who(
    complainant: User | None, name: str, phone: str, *, phone_required: bool
) -> tuple[str, str]:
    account_name = (complainant.display_name or complainant.get_username()) if complainant else ""
    name = clean_text(
        name or account_name[:NAME_MAX],
        field="complainant_name",
        label=_("the complainant's name"),
        limit=NAME_MAX,
    )
    phone = " ".join((phone or (complainant.mobile if complainant else "") or "").split())
    if not phone and phone_required:
        raise InvalidInput(
            _("Enter the complainant's phone number, to tell them the outcome."),
            field="complainant_phone",
        )
    if phone and not PHONE.match(phone):
        raise InvalidInput(
            _("Enter a phone number of digits, spaces and hyphens."), field="complainant_phone"
        )
    return name, phone


def complaint_register(
    *,
    actor: User,
    channel: str,
    target: str,
    complaint_type: str,
    content: str,
    request: str,
    received_at_station: Station | None = None,
    complainant: User | None = None,
    complainant_name: str = "",
    complainant_phone: str = "",
    institution_id: int | None = None,
    station_id: int | None = None,
    anonymous_to_institution: bool = False,
    attachments: Sequence[UploadedFile[bytes]] = (),
) -> Complaint:
    """Staff register a complaint received by phone, at a station or by letter
    (WX 7.4.2): for a registered user (found by their mobile number) or for
    a person by name and phone. Station staff only at their own station. The
    same refusals, clock and notices as online."""
    texts = clean_texts(
        complaint_type=complaint_type, content=content, request=request, request_required=True
    )
    check_uploads(attachments)
    if channel not in STAFF_CHANNELS:
        raise InvalidInput(_("Choose how the complaint was received."), field="channel")
    if channel == Channel.STATION and received_at_station is None:
        raise InvalidInput(
            _("Choose the station that received the complaint."), field="received_at_station"
        )
    name, phone = _who(
        complainant, complainant_name, complainant_phone, phone_required=complainant is None
    )
    authz.require(actor, Perm.COMPLAINT_REGISTER)
    try:
        return _register(
            actor=actor,
            channel=channel,
            target=target,
            texts=texts,
            received_at_station=received_at_station,
            complainant=complainant,
            name=name,
            phone=phone,
            institution_id=institution_id,
            station_id=station_id,
            anonymous=anonymous_to_institution,
            attachments=attachments,
        )
    except ComplaintRefused as error:
        audit_refusal(
            actor=actor,
            error=error,
            channel=channel,
            target=target,
            institution=institution_id,
            station=station_id,
        )
        raise


@transaction.atomic
def _register(
    *,
    actor: User,
    channel: str,
    target: str,
    texts: Texts,
    received_at_station: Station | None,
    complainant: User | None,
    name: str,
    phone: str,
    institution_id: int | None,
    station_id: int | None,
    anonymous: bool,
    attachments: Sequence[UploadedFile[bytes]],
) -> Complaint:
    if received_at_station is not None and received_at_station.status != StationStatus.ACTIVE:
        raise InvalidInput(_("That station is closed."), field="received_at_station")
    subject = subject_of(
        target=target, institution_id=institution_id, station_id=station_id, order=None
    )
    region = region_of(
        subject, received_at_station=received_at_station, complainant=complainant, actor=actor
    )
    _require_register(actor, received_at_station, region)
    return create(
        actor=actor,
        channel=channel,
        subject=subject,
        texts=texts,
        region=region,
        complainant=complainant,
        name=name,
        phone=phone,
        anonymous=anonymous,
        attachments=attachments,
        registered_by=actor,
        received_at_station=received_at_station,
    )


# --- from a follow-up visit (HM 4.3.4.2) --------------------------------------------------------


@transaction.atomic
def complaint_from_follow_up(*, actor: User, follow_up: FollowUp) -> Complaint:
    """The issues a recorded follow-up marked "to be handled as a complaint"
    become a staff-registered complaint: about the order's institution (the
    platform for a demand, or when the institution has left), for the
    order's user or the demand's requester. Calling it again returns the
    same complaint."""
    locked = (
        FollowUp.objects.select_for_update(no_key=True, of=("self",))
        .select_related(
            "region",
            "station__region",
            "order__user",
            "order__enterprise",
            "demand__requester",
            "demand__enterprise",
        )
        .get(pk=follow_up.pk)
    )
    existing = Complaint.objects.filter(follow_up=locked).first()
    if existing is not None:
        return existing
    if (
        locked.done_at is None
        or locked.issues_action != IssueAction.COMPLAINT
        or not locked.issues_found.strip()
    ):
        raise InvalidTransition(
            _("Only issues passed on as a complaint by a recorded follow-up can become one.")
        )
    order, demand = locked.order, locked.demand
    complainant = order.user if order is not None else demand.requester if demand else None
    enterprise = order.enterprise if order is not None else demand.enterprise if demand else None
    texts = clean_texts(
        complaint_type=ComplaintType.OTHER,
        content=locked.issues_found[:CONTENT_MAX],
        request=locked.outcome[:REQUEST_MAX],
        request_required=False,
    )
    institution = (
        selectors.complainable_institution(order.institution_id) if order is not None else None
    )
    subject = (
        Subject(Target.INSTITUTION, institution=institution)
        if institution is not None
        else Subject(Target.PLATFORM)
    )
    region = institution.region if institution is not None else locked.region
    _require_register(actor, locked.station, locked.region)
    fallback = demand.contact_name or demand.prospect_name if demand is not None else ""
    name, phone = _who(
        complainant,
        "" if complainant else fallback[:NAME_MAX],
        "" if complainant else (demand.contact_phone if demand is not None else ""),
        phone_required=False,
    )
    channel = Channel.STATION if locked.method == FollowUpMethod.ON_SITE else Channel.PHONE
    return create(
        actor=actor,
        channel=channel,
        subject=subject,
        texts=texts,
        region=region,
        complainant=complainant,
        name=name,
        phone=phone,
        anonymous=False,
        registered_by=actor,
        received_at_station=locked.station,
        order=order,
        demand=demand,
        enterprise=enterprise,
        follow_up=locked,
    )
