"""What receiving a complaint takes, whichever the channel (WX 7.4.2; GB/T
19012 receipt and tracking, HM 5.6): the checks that need no query, what the
complaint is about and where it is handled, the number TS-<year>-<6 digits>,
the 7-working-day clock, the first event, the files, the audit row, the
notices, and the audit of a refusal."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import Role, User
from onestop.audit.services import audit_record
from onestop.complaints import selectors
from onestop.complaints.models import (
    CONTENT_MAX,
    NUMBER_PREFIX,
    REQUEST_MAX,
    Channel,
    Complaint,
    ComplaintAttachment,
    ComplaintStatus,
    ComplaintType,
    Target,
)
from onestop.complaints.services.common import (
    audit,
    clean_text,
    record_event,
    start_clock,
    tell_center,
    tell_complainant,
)
from onestop.core.errors import InvalidInput
from onestop.core.sequences import next_value
from onestop.documents.errors import UploadRejected
from onestop.documents.models import DocumentKind
from onestop.documents.services import document_store
from onestop.enterprises.models import Enterprise
from onestop.institutions.models import Institution
from onestop.orders.models import Order
from onestop.regions.models import Region
from onestop.stations.models import Station

MAX_ATTACHMENTS = 5
STAFF_CHANNELS = (Channel.PHONE, Channel.STATION, Channel.LETTER)
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")


class ComplaintRefused(InvalidInput):
    """The complaint names something it cannot be about; the attempt is audited."""

    code = "complaint_refused"


@dataclasses.dataclass(frozen=True)
class Texts:
    complaint_type: str
    content: str
    request: str


@dataclasses.dataclass(frozen=True)
class Subject:
    """What the complaint is about."""

    target: str
    institution: Institution | None = None
    station: Station | None = None


def clean_texts(
    *, complaint_type: str, content: str, request: str, request_required: bool
) -> Texts:
    """The checks that need no query, first: a 3 MB text is refused before
    anything touches the database."""
    content = clean_text(content, field="content", label=_("what happened"), limit=CONTENT_MAX)
    request = clean_text(
        request,
        field="request",
        label=_("what you ask for"),
        limit=REQUEST_MAX,
        required=request_required,
    )
    if complaint_type not in ComplaintType.values:
        raise InvalidInput(_("Choose the type of complaint."), field="type")
    return Texts(complaint_type, content, request)


def check_uploads(attachments: Sequence[UploadedFile[bytes]]) -> None:
    if len(attachments) > MAX_ATTACHMENTS:
        raise InvalidInput(_("Attach at most %(n)s files."), field="attachments", n=MAX_ATTACHMENTS)


def subject_of(
    *, target: str, institution_id: int | None, station_id: int | None, order: Order | None
) -> Subject:
    """The institution of an order, an onboarded institution, an open station,
    or the platform. Naming an institution or station that is not there is
    refused (and audited by the caller)."""
    if order is not None:
        target, institution_id = Target.INSTITUTION, order.institution_id
    if target == Target.INSTITUTION:
        if institution_id is None:
            raise InvalidInput(_("Choose the institution complained about."), field="institution")
        institution = selectors.complainable_institution(institution_id)
        if institution is None:
            raise ComplaintRefused(
                _("No institution onboarded to the platform has this number."),
                field="institution",
            )
        return Subject(Target.INSTITUTION, institution=institution)
    if target == Target.STATION:
        if station_id is None:
            raise InvalidInput(_("Choose the station complained about."), field="station")
        station = selectors.active_station(station_id)
        if station is None:
            raise ComplaintRefused(_("No open service station has this number."), field="station")
        return Subject(Target.STATION, station=station)
    if target == Target.PLATFORM:
        return Subject(Target.PLATFORM)
    raise InvalidInput(_("Choose what the complaint is about."), field="target")


def home_region(user: User | None) -> Region | None:
    if user is None:
        return None
    for assignment in authz.assignments(user):
        if assignment.role in (Role.INDIVIDUAL, Role.ENTERPRISE) and assignment.region:
            return assignment.region
    return None


def region_of(
    subject: Subject,
    *,
    received_at_station: Station | None = None,
    enterprise: Enterprise | None = None,
    complainant: User | None = None,
    actor: User | None = None,
) -> Region:
    """Whose staff handle it: the institution's or station's region, else the
    receiving station's, the enterprise's, the complainant's, the registering
    staff member's."""
    for place in (subject.institution, subject.station, received_at_station, enterprise):
        if place is not None:
            return place.region
    region = home_region(complainant)
    if region is None and actor is not None:
        region = next(
            (
                a.region
                for a in authz.assignments(actor)
                if a.region is not None and a.role in authz.GRANTS[Perm.COMPLAINT_REGISTER]
            ),
            None,
        )
    if region is None and actor is None:
        raise InvalidInput(_("Your account has no region; please contact the service center."))
    if region is None:
        raise InvalidInput(
            _("The complaint has no region to be handled in; name the station that received it."),
            field="received_at_station",
        )
    return region


def next_number() -> str:
    """TS-<year in China>-<6 digits>, inside the storing transaction."""
    year = timezone.localdate().year
    return f"{NUMBER_PREFIX}-{year}-{next_value(f'complaint:{year}'):06d}"


def attach(
    complaint: Complaint, attachments: Sequence[UploadedFile[bytes]], *, actor: User
) -> None:
    owner = complaint.complainant or actor
    for upload in attachments:
        try:
            document = document_store(
                owner=owner,
                kind=DocumentKind.OTHER,
                upload=upload,
                region=complaint.region,
                actor=actor,
            )
        except UploadRejected as error:
            error.field = "attachments"
            raise
        ComplaintAttachment.objects.create(
            complaint=complaint, document=document, uploaded_by=actor
        )


def create(
    *,
    actor: User,
    channel: str,
    subject: Subject,
    texts: Texts,
    region: Region,
    complainant: User | None,
    name: str,
    phone: str,
    anonymous: bool,
    attachments: Sequence[UploadedFile[bytes]] = (),
    **links: object,
) -> Complaint:
    complaint = Complaint.objects.create(
        number=next_number(),
        channel=channel,
        complainant=complainant,
        complainant_name=name,
        complainant_phone=phone,
        anonymous_to_institution=anonymous,
        target=subject.target,
        institution=subject.institution,
        station=subject.station,
        region=region,
        type=texts.complaint_type,
        content=texts.content,
        request=texts.request,
        received_at=timezone.now(),
        **links,
    )
    start_clock(complaint, at=complaint.received_at)
    event = record_event(
        complaint=complaint,
        actor=actor,
        to_status=ComplaintStatus.RECEIVED,
        note=str(Channel(channel).label),
    )
    attach(complaint, attachments, actor=actor)
    audit(
        actor,
        "complaints.receive" if channel == Channel.ONLINE else "complaints.register",
        complaint,
        number=complaint.number,
        channel=channel,
        target=subject.target,
        institution=subject.institution.pk if subject.institution else None,
        station=subject.station.pk if subject.station else None,
        anonymous_to_institution=anonymous,
        attachments=len(attachments),
    )
    tell_center(
        complaint=complaint,
        actor=actor,
        title=str(
            _("New complaint %(number)s (%(channel)s)")
            % {"number": complaint.number, "channel": Channel(channel).label}
        ),
    )
    tell_complainant(complaint=complaint, actor=actor, event=event)
    return complaint


def audit_refusal(*, actor: User, error: ComplaintRefused, **attempt: object) -> None:
    """Audit a refused complaint in a transaction of its own: nothing else is stored."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="complaints.refused",
            changes={"reason": error.field or error.code, **attempt},
        )
