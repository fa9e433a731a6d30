"""Samples and their chain of custody (WX 5.2 a 1, HM 4.2.4.3).

A station receives a sample for an order, sends it to the institution, the
institution confirms receipt or rejects it, uploads the report, and the
station hands the report out to the user against a pick-up code. Every step
is a SampleEvent row (who, when, from, to, note) written with the change,
under a lock on the sample, so a step done twice — even at the same moment
from two screens — happens once and the second gets InvalidTransition.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.documents.errors import UploadRejected
from onestop.documents.models import Document, DocumentKind
from onestop.documents.services import document_store
from onestop.fieldwork import rules
from onestop.fieldwork.models import Sample, SampleEvent, SampleStatus
from onestop.fieldwork.numbers import next_sample_number
from onestop.fieldwork.scope import PERM, require_station
from onestop.fieldwork.services._common import (
    require_institution_person,
    station_staff,
    text,
)
from onestop.institutions.selectors import institution_people
from onestop.notifications.services import notify
from onestop.orders.models import Order
from onestop.stations.models import Station, StationStatus


def _lock(sample: Sample) -> Sample:
    return (
        Sample.objects.select_for_update(no_key=True, of=("self",))
        .select_related("station__region", "order__user", "order__institution")
        .get(pk=sample.pk)
    )


def _move(sample: Sample, *, actor: User | None, to_status: str, note: str = "") -> SampleEvent:
    """Check the step against the state machine, then record it."""
    rules.check_move(sample, to_status)
    event = SampleEvent.objects.create(
        sample=sample, actor=actor, from_status=sample.status, to_status=to_status, note=note
    )
    sample.status = to_status
    return event


def _store(actor: User, upload: UploadedFile[bytes], station: Station, *, field: str) -> Document:
    """Keep an upload privately; staff of the station's region read it (HM 6.3)."""
    try:
        return document_store(
            owner=actor, kind=DocumentKind.OTHER, upload=upload, region=station.region, actor=actor
        )
    except UploadRejected as exc:
        exc.field = field  # shown next to the file input
        raise


def _user_url(sample: Sample) -> str:
    return reverse("fieldwork:my_sample", args=[sample.pk])


def _tell_user(sample: Sample, kind: str, title: str, body: str = "", sms: bool = False) -> None:
    # The SMS that carries a pick-up code is essential: it goes out even to
    # a user who turned text messages off, or the report cannot be collected.
    notify(
        recipients=[sample.order.user],
        kind=kind,
        title=title,
        body=body,
        url=_user_url(sample),
        channels_=["sms"] if sms else [],
        essential=sms,
    )


# --- the station ------------------------------------------------------------------


@transaction.atomic
def sample_receive(
    *,
    actor: User,
    station: Station,
    order: Order,
    description: str,
    quantity: str,
    condition: str,
    photo: UploadedFile[bytes] | None = None,
) -> Sample:
    """The station takes in a sample for an order (WX 5.2 a 1: 样品统一接收).

    The staff must handle the station, and the order must be one they see
    (its region is theirs) or one the station handles on the user's behalf.
    The number (YP + date + sequence) is unique however many stations
    receive at once.
    """
    require_station(actor, station)
    if order.proxy_station_id != station.pk:
        authz.require(actor, PERM, order.region)
    if station.status != StationStatus.ACTIVE:
        raise InvalidInput(_("This station is closed."), field="station")
    if order.status not in rules.ORDER_STATUSES_FOR_SAMPLES:
        raise InvalidTransition(
            _("Order %(number)s is “%(status)s”; no samples can be received for it."),
            number=order.number,
            status=order.get_status_display(),
        )
    description = text(description, field="description", max_length=300)
    quantity = text(quantity, field="quantity", max_length=60)
    condition = text(condition, field="condition", max_length=300)
    stored = _store(actor, photo, station, field="photo") if photo is not None else None
    sample = Sample.objects.create(
        order=order,
        station=station,
        number=next_sample_number(),
        description=description,
        quantity=quantity,
        condition=condition,
        photo=stored,
    )
    SampleEvent.objects.create(
        sample=sample, actor=actor, to_status=SampleStatus.AT_STATION, note=condition
    )
    audit_record(
        actor=actor,
        action="fieldwork.sample_receive",
        obj=sample,
        region=station.region,
        changes={
            "order": order.number,
            "station": station.pk,
            "description": description,
            "quantity": quantity,
            "photo": stored.pk if stored else None,
        },
    )
    _tell_user(
        sample,
        "fieldwork.sample_received",
        gettext("Sample %(number)s received at %(station)s")
        % {"number": sample.number, "station": station.name},
        gettext("For order %(order)s: %(description)s, %(quantity)s.")
        % {"order": order.number, "description": description, "quantity": quantity},
    )
    return sample


@transaction.atomic
def sample_send(*, actor: User, sample: Sample, carrier: str, tracking_number: str) -> Sample:
    """The station sends the sample to the institution (样品运送)."""
    locked = _lock(sample)
    require_station(actor, locked.station)
    carrier = text(carrier, field="carrier", max_length=60)
    tracking_number = text(tracking_number, field="tracking_number", max_length=60)
    _move(
        locked,
        actor=actor,
        to_status=SampleStatus.IN_TRANSIT,
        note=f"{carrier} {tracking_number}",
    )
    locked.carrier, locked.tracking_number = carrier, tracking_number
    locked.save(update_fields=["status", "carrier", "tracking_number", "updated_at"])
    audit_record(
        actor=actor,
        action="fieldwork.sample_send",
        obj=locked,
        region=locked.station.region,
        changes={"carrier": carrier, "tracking_number": tracking_number},
    )
    title = gettext("Sample %(number)s sent to %(institution)s (%(carrier)s %(tracking)s)") % {
        "number": locked.number,
        "institution": locked.order.institution.name,
        "carrier": carrier,
        "tracking": tracking_number,
    }
    _tell_user(locked, "fieldwork.sample_sent", title)
    notify(
        recipients=list(institution_people(locked.order.institution)),
        kind="fieldwork.sample_sent",
        title=title,
        body=gettext("For order %(order)s. Please confirm receipt when it arrives.")
        % {"order": locked.order.number},
        url=reverse("fieldwork:inst_sample", args=[locked.pk]),
    )
    return locked


# --- the institution ----------------------------------------------------------------


@transaction.atomic
def sample_confirm_receipt(*, actor: User, sample: Sample, note: str = "") -> Sample:
    """The institution confirms the sample arrived. Only once: a second
    confirmation (even at the same instant) is refused and writes nothing."""
    locked = _lock(sample)
    require_institution_person(actor, locked.order.institution_id)
    note = text(note, field="note", max_length=500, required=False)
    if locked.status == SampleStatus.AT_INSTITUTION:
        raise InvalidTransition(_("Receipt of this sample has already been confirmed."))
    _move(locked, actor=actor, to_status=SampleStatus.AT_INSTITUTION, note=note)
    locked.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="fieldwork.sample_confirm_receipt",
        obj=locked,
        region=locked.station.region,
        changes={"status": [SampleStatus.IN_TRANSIT, SampleStatus.AT_INSTITUTION]},
    )
    _tell_user(
        locked,
        "fieldwork.sample_at_institution",
        gettext("Sample %(number)s has arrived at %(institution)s")
        % {"number": locked.number, "institution": locked.order.institution.name},
    )
    return locked


@transaction.atomic
def sample_reject(*, actor: User, sample: Sample, reason: str) -> Sample:
    """The institution refuses the sample, with the reason the user and the
    station see."""
    locked = _lock(sample)
    require_institution_person(actor, locked.order.institution_id)
    reason = text(reason, field="reason", max_length=500)
    before = locked.status
    _move(locked, actor=actor, to_status=SampleStatus.REJECTED, note=reason)
    locked.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="fieldwork.sample_reject",
        obj=locked,
        region=locked.station.region,
        changes={"status": [before, SampleStatus.REJECTED], "reason": reason},
    )
    title = gettext("Sample %(number)s was rejected by %(institution)s") % {
        "number": locked.number,
        "institution": locked.order.institution.name,
    }
    _tell_user(locked, "fieldwork.sample_rejected", title, reason)
    notify(
        recipients=station_staff(locked.station),
        kind="fieldwork.sample_rejected",
        title=title,
        body=reason,
        url=reverse("fieldwork:sample", args=[locked.pk]),
    )
    return locked


def _code_hash(sample_id: int, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    message = f"fieldwork.pickup:{sample_id}:{code}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _new_code(sample: Sample) -> str:
    code = f"{secrets.randbelow(10**rules.PICKUP_CODE_DIGITS):0{rules.PICKUP_CODE_DIGITS}d}"
    sample.pickup_code_hash = _code_hash(sample.pk, code)
    return code


def _send_code(sample: Sample, code: str) -> None:
    """The code reaches the user only here (inbox and SMS); the sample keeps its hash."""
    _tell_user(
        sample,
        "fieldwork.report_ready",
        gettext("Report for sample %(number)s is ready: pick-up code %(code)s")
        % {"number": sample.number, "code": code},
        gettext(
            "Collect it at %(station)s and show this code to the staff. "
            "Do not give the code to anyone else."
        )
        % {"station": sample.station.name},
        sms=True,
    )


@transaction.atomic
def sample_report_upload(
    *, actor: User, sample: Sample, report: UploadedFile[bytes], note: str = ""
) -> Sample:
    """The institution uploads the report; the user gets a 6-digit pick-up
    code by SMS and in the inbox, shown nowhere else; only its keyed hash is
    kept."""
    locked = _lock(sample)
    require_institution_person(actor, locked.order.institution_id)
    rules.check_move(locked, SampleStatus.REPORT_READY)
    note = text(note, field="note", max_length=500, required=False)
    document = _store(actor, report, locked.station, field="report")
    _move(locked, actor=actor, to_status=SampleStatus.REPORT_READY, note=note)
    locked.report = document
    code = _new_code(locked)
    locked.pickup_failures = 0
    locked.pickup_locked_until = None
    locked.save(
        update_fields=[
            "status",
            "report",
            "pickup_code_hash",
            "pickup_failures",
            "pickup_locked_until",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="fieldwork.sample_report_upload",
        obj=locked,
        region=locked.station.region,
        changes={"report": document.pk, "status": [SampleStatus.AT_INSTITUTION, locked.status]},
    )
    _send_code(locked, code)
    notify(
        recipients=station_staff(locked.station),
        kind="fieldwork.report_ready",
        title=gettext("Report for sample %(number)s is ready for hand-out")
        % {"number": locked.number},
        url=reverse("fieldwork:sample", args=[locked.pk]),
    )
    return locked


@transaction.atomic
def sample_pickup_code_resend(*, user: User, sample: Sample) -> Sample:
    """The user lost the code: a new one replaces it (the old one stops
    working). Wrong tries and a running lock are kept, so asking for codes
    does not reopen guessing."""
    locked = _lock(sample)
    if locked.order.user_id != user.pk:
        raise authz.NotAllowed()
    if locked.status != SampleStatus.REPORT_READY:
        raise InvalidTransition(_("There is no report waiting for pick-up."))
    code = _new_code(locked)
    locked.save(update_fields=["pickup_code_hash", "updated_at"])
    audit_record(actor=user, action="fieldwork.sample_pickup_code_resend", obj=locked)
    _send_code(locked, code)
    return locked


def sample_hand_out(*, actor: User, sample: Sample, code: str) -> Sample:
    """The station hands the report to the person showing the right pick-up
    code (发放检测报告).

    Wrong codes are counted and committed before the error is raised (so it
    must not run inside a transaction the error would roll back): after
    PICKUP_MAX_FAILURES of them hand-out is locked for PICKUP_LOCK, which
    makes guessing a 6-digit code hopeless. Handing out twice is refused.
    """
    require_station(actor, sample.station)
    entered = "".join((code or "").split())
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(sample)
        require_station(actor, locked.station)
        if locked.status == SampleStatus.HANDED_OUT:
            raise InvalidTransition(_("This report has already been handed out."))
        rules.check_move(locked, SampleStatus.HANDED_OUT)
        if locked.pickup_locked_until is not None and locked.pickup_locked_until > now:
            raise rules.PickupLocked(
                until=timezone.localtime(locked.pickup_locked_until).strftime("%H:%M")
            )
        expected = locked.pickup_code_hash
        if expected and hmac.compare_digest(expected, _code_hash(locked.pk, entered)):
            _move(locked, actor=actor, to_status=SampleStatus.HANDED_OUT)
            locked.pickup_code_hash = ""
            locked.pickup_failures = 0
            locked.pickup_locked_until = None
            locked.save(
                update_fields=[
                    "status",
                    "pickup_code_hash",
                    "pickup_failures",
                    "pickup_locked_until",
                    "updated_at",
                ]
            )
            audit_record(
                actor=actor,
                action="fieldwork.sample_hand_out",
                obj=locked,
                region=locked.station.region,
                changes={"status": [SampleStatus.REPORT_READY, SampleStatus.HANDED_OUT]},
            )
            _tell_user(
                locked,
                "fieldwork.report_handed_out",
                gettext("Report for sample %(number)s was handed out at %(station)s")
                % {"number": locked.number, "station": locked.station.name},
            )
            return locked
        locked.pickup_failures += 1
        lock_now = locked.pickup_failures >= rules.PICKUP_MAX_FAILURES
        left = rules.PICKUP_MAX_FAILURES - locked.pickup_failures
        if lock_now:
            locked.pickup_locked_until = now + rules.PICKUP_LOCK
            locked.pickup_failures = 0
        locked.save(update_fields=["pickup_failures", "pickup_locked_until", "updated_at"])
        audit_record(
            actor=actor,
            action="fieldwork.sample_pickup_failed",
            obj=locked,
            region=locked.station.region,
            changes={"locked": lock_now},
        )
    # Committed: the count survives the error below.
    if lock_now:
        until = now + rules.PICKUP_LOCK
        raise rules.PickupLocked(field="code", until=timezone.localtime(until).strftime("%H:%M"))
    raise rules.WrongPickupCode(field="code", left=left)
