"""Writes to the expert pool (HM 4.1.2.1, LZ 6.2.3).

The service center keeps the pool: every write checks Perm.EXPERT_MANAGE
over the expert's region, leaves an audit row and refreshes the expert's
search document after commit. Contacts are personal data: the audit trail
keeps them masked, the public never sees them.

Online Q&A sessions (HM 4.3.3.1) are scheduled and cancelled by the same
staff; any logged-in user may take a place while places are left.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.catalog.models import ServiceCategory
from onestop.core.crypto import mask_mobile
from onestop.core.errors import InvalidInput, InvalidTransition, PermissionDeniedError
from onestop.experts.models import (
    CAPACITY_MAX,
    CAPACITY_MIN,
    Availability,
    Channel,
    Expert,
    QaRegistration,
    QaSession,
    SessionStatus,
)
from onestop.regions.models import Region
from onestop.search import index
from onestop.search.models import DocKind

# A mainland mobile number, or a landline with its area code (0772-2812345,
# 0510 86812345, 09022257813), optionally with an extension (-8012).
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?[2-9]\d{6,7}(?:-\d{1,6})?$")
NAME_MIN, NAME_MAX = 2, 50
REASON_MAX = 500


@dataclasses.dataclass(frozen=True)
class ExpertDetails:
    """What staff record about an expert (availability has its own service)."""

    name: str
    title: str
    organisation: str
    categories: Sequence[ServiceCategory]
    specialties: str
    qualifications: str = ""
    contact_phone: str = ""
    contact_email: str = ""


def normalise_phone(value: str) -> str:
    """The phone as stored: spaces dropped; raises InvalidInput if it is no phone."""
    compact = re.sub(r"\s+", "", value or "")
    if not compact:
        return ""
    if _MOBILE.match(compact) or _LANDLINE.match(compact):
        return compact
    raise InvalidInput(
        _(
            "Enter an 11-digit mobile number or a landline with its area code, "
            "such as 0772-2812345."
        ),
        field="contact_phone",
    )


def _email(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError as exc:
        raise InvalidInput(_("Enter a valid e-mail address."), field="contact_email") from exc
    return value


def _cleaned(details: ExpertDetails) -> ExpertDetails:
    """Trimmed details, or the first rule they break as InvalidInput."""
    name = " ".join((details.name or "").split())
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise InvalidInput(
            _("A name has %(min)s to %(max)s characters."), min=NAME_MIN, max=NAME_MAX, field="name"
        )
    title = (details.title or "").strip()
    if not title:
        raise InvalidInput(_("Enter the expert's professional title."), field="title")
    if len(title) > 60:
        raise InvalidInput(_("A professional title has at most 60 characters."), field="title")
    organisation = (details.organisation or "").strip()
    if not organisation:
        raise InvalidInput(_("Enter the organisation the expert works for."), field="organisation")
    if len(organisation) > 200:
        raise InvalidInput(
            _("An organisation name has at most 200 characters."), field="organisation"
        )
    categories = list(dict.fromkeys(details.categories))
    if not categories:
        raise InvalidInput(_("Choose at least one field of expertise."), field="categories")
    specialties = (details.specialties or "").strip()
    if not specialties:
        raise InvalidInput(_("Describe what the expert specialises in."), field="specialties")
    if len(specialties) > 300:
        raise InvalidInput(_("Specialties have at most 300 characters."), field="specialties")
    return ExpertDetails(
        name=name,
        title=title,
        organisation=organisation,
        categories=categories,
        specialties=specialties,
        qualifications=(details.qualifications or "").strip(),
        contact_phone=normalise_phone(details.contact_phone),
        contact_email=_email(details.contact_email),
    )


def _check_unique(*, details: ExpertDetails, region: Region, exclude: int | None = None) -> None:
    clash = Expert.objects.filter(
        active=True, region=region, name=details.name, organisation=details.organisation
    )
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise InvalidInput(
            _("This person of this organisation is already in the pool for this region."),
            field="name",
        )


def _mask_email(email: str) -> str:
    if "@" not in email:
        return "*" * len(email)
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"


def _snapshot(expert: Expert) -> dict[str, Any]:
    """The audited state; contacts masked, so the trail holds no personal data in clear."""
    return {
        "name": expert.name,
        "title": expert.title,
        "organisation": expert.organisation,
        "region": expert.region.code,
        "categories": sorted(c.code for c in expert.categories.all()),
        "specialties": expert.specialties,
        "qualifications": expert.qualifications,
        "availability": expert.availability,
        "contact_phone": mask_mobile(expert.contact_phone) if expert.contact_phone else "",
        "contact_email": _mask_email(expert.contact_email) if expert.contact_email else "",
    }


def _require(actor: User, region: Region) -> None:
    authz.require(actor, authz.Perm.EXPERT_MANAGE, region)


def _locked(expert: Expert) -> Expert:
    locked = (
        Expert.objects.select_for_update(no_key=True).select_related("region").get(pk=expert.pk)
    )
    if not locked.active:
        raise InvalidTransition(_("This expert has been removed from the pool."))
    return locked


@transaction.atomic
def expert_create(
    *,
    actor: User,
    region: Region,
    details: ExpertDetails,
    availability: str = Availability.AVAILABLE,
) -> Expert:
    """Add a professional to the service center's expert pool (HM 4.1.2.1)."""
    _require(actor, region)
    if availability not in Availability.values:
        raise InvalidInput(_("Choose the expert's availability."), field="availability")
    details = _cleaned(details)
    _check_unique(details=details, region=region)
    expert = Expert.objects.create(
        name=details.name,
        title=details.title,
        organisation=details.organisation,
        region=region,
        specialties=details.specialties,
        qualifications=details.qualifications,
        availability=availability,
        contact_phone=details.contact_phone,
        contact_email=details.contact_email,
    )
    expert.categories.set(details.categories)
    audit_record(actor=actor, action="experts.create", obj=expert, changes=_snapshot(expert))
    index.refresh_later(DocKind.EXPERT, [expert.pk])
    return expert


@transaction.atomic
def expert_update(
    *, actor: User, expert: Expert, details: ExpertDetails, region: Region | None = None
) -> Expert:
    """Change what the pool records about an expert; moving the expert to
    another region needs the permission over both regions."""
    _require(actor, expert.region)
    locked = _locked(expert)
    target = region or locked.region
    if target.pk != locked.region_id:
        _require(actor, target)
    details = _cleaned(details)
    _check_unique(details=details, region=target, exclude=locked.pk)
    before = _snapshot(locked)
    locked.name = details.name
    locked.title = details.title
    locked.organisation = details.organisation
    locked.region = target
    locked.specialties = details.specialties
    locked.qualifications = details.qualifications
    locked.contact_phone = details.contact_phone
    locked.contact_email = details.contact_email
    locked.save()
    locked.categories.set(details.categories)
    after = _snapshot(locked)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    audit_record(actor=actor, action="experts.update", obj=locked, changes=changed)
    index.refresh_later(DocKind.EXPERT, [locked.pk])
    return locked


@transaction.atomic
def expert_set_availability(*, actor: User, expert: Expert, availability: str) -> Expert:
    """Mark an expert available, of limited availability or not available."""
    _require(actor, expert.region)
    if availability not in Availability.values:
        raise InvalidInput(_("Choose the expert's availability."), field="availability")
    locked = _locked(expert)
    before = locked.availability
    if before == availability:
        return locked
    locked.availability = availability
    locked.save(update_fields=["availability", "updated_at"])
    audit_record(
        actor=actor,
        action="experts.set_availability",
        obj=locked,
        changes={"availability": [before, availability]},
    )
    index.refresh_later(DocKind.EXPERT, [locked.pk])
    return locked


@transaction.atomic
def expert_remove(*, actor: User, expert: Expert, reason: str) -> Expert:
    """Take an expert out of the pool, with the reason. The row is kept (and
    hidden from the public) so that past consultations keep their expert."""
    _require(actor, expert.region)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for removing the expert."), field="reason")
    if len(reason) > REASON_MAX:
        raise InvalidInput(
            _("The reason has at most %(max)s characters."), max=REASON_MAX, field="reason"
        )
    locked = _locked(expert)
    locked.active = False
    locked.removed_at = timezone.now()
    locked.removal_reason = reason
    locked.save(update_fields=["active", "removed_at", "removal_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="experts.remove",
        obj=locked,
        changes={"active": [True, False], "reason": reason},
    )
    index.refresh_later(DocKind.EXPERT, [locked.pk])
    return locked


# --- online Q&A sessions given by experts of the pool (HM 4.3.3.1) ----------------

TOPIC_MAX = 100
DESCRIPTION_MAX = 2000
JOIN_INFO_MAX = 500
QUESTION_MAX = 500
CANCEL_REASON_MAX = 200


@dataclasses.dataclass(frozen=True)
class SessionDetails:
    """What staff set when they schedule a session."""

    expert: Expert
    topic: str
    channel: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    join_info: str
    description: str = ""
    category: ServiceCategory | None = None


def _serves(expert: Expert, region: Region) -> bool:
    """The expert belongs to the region's pool, to a district below it or to
    a pool above it (the same rule as the public directory)."""
    return region.path.startswith(expert.region.path) or expert.region.path.startswith(region.path)


def _text(value: str, *, field: str, max_length: int, message: Any) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        raise InvalidInput(message, max=max_length, field=field)
    return value


def _session_url(session: QaSession) -> str:
    return reverse("experts:session", args=[session.pk])


def _when(session: QaSession) -> str:
    return timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")


@transaction.atomic
def qa_session_create(*, actor: User, region: Region, details: SessionDetails) -> QaSession:
    """Schedule an online Q&A by an expert of the pool (HM 4.3.3.1): the
    organising center's staff, an active expert who is not marked unavailable,
    a time in the future."""
    _require(actor, region)
    expert = (
        Expert.objects.select_for_update(no_key=True, of=("self",))
        .select_related("region")
        .filter(pk=details.expert.pk)
        .first()
    )
    if expert is None or not expert.active:
        raise InvalidInput(_("This expert has been removed from the pool."), field="expert")
    if expert.availability == Availability.UNAVAILABLE:
        raise InvalidInput(_("This expert is marked as not available."), field="expert")
    if not _serves(expert, region):
        raise InvalidInput(_("This expert is not in the pool serving this region."), field="expert")
    topic = " ".join((details.topic or "").split())
    if not topic:
        raise InvalidInput(_("Enter the topic of the session."), field="topic")
    if len(topic) > TOPIC_MAX:
        raise InvalidInput(
            _("A topic has at most %(max)s characters."), max=TOPIC_MAX, field="topic"
        )
    description = _text(
        details.description,
        field="description",
        max_length=DESCRIPTION_MAX,
        message=_("A description has at most %(max)s characters."),
    )
    if details.channel not in Channel.values:
        raise InvalidInput(_("Choose how the session is held."), field="channel")
    if details.starts_at <= timezone.now():
        raise InvalidInput(_("A session must start in the future."), field="starts_at")
    if details.ends_at <= details.starts_at:
        raise InvalidInput(_("A session must end after it starts."), field="ends_at")
    if not CAPACITY_MIN <= details.capacity <= CAPACITY_MAX:
        raise InvalidInput(
            _("A session has %(min)s to %(max)s places."),
            min=CAPACITY_MIN,
            max=CAPACITY_MAX,
            field="capacity",
        )
    join_info = _text(
        details.join_info,
        field="join_info",
        max_length=JOIN_INFO_MAX,
        message=_("How to join has at most %(max)s characters."),
    )
    if not join_info:
        raise InvalidInput(
            _("Enter the meeting link, WeChat group or phone number."), field="join_info"
        )
    session = QaSession.objects.create(
        expert=expert,
        topic=topic,
        description=description,
        category=details.category,
        channel=details.channel,
        starts_at=details.starts_at,
        ends_at=details.ends_at,
        capacity=details.capacity,
        join_info=join_info,
        region=region,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="experts.qa_session_create",
        obj=session,
        changes={
            "expert": expert.pk,
            "topic": topic,
            "channel": details.channel,
            "starts_at": details.starts_at.isoformat(),
            "ends_at": details.ends_at.isoformat(),
            "capacity": details.capacity,
            "category": details.category.code if details.category else "",
        },
    )
    return session


def _locked_session(session: QaSession) -> QaSession:
    return (
        QaSession.objects.select_for_update(no_key=True, of=("self",))
        .select_related("region", "expert")
        .get(pk=session.pk)
    )


@transaction.atomic
def qa_session_cancel(*, actor: User, session: QaSession, reason: str) -> QaSession:
    """Call off a session that has not started; everyone registered is told."""
    _require(actor, session.region)
    reason = _text(
        reason,
        field="reason",
        max_length=CANCEL_REASON_MAX,
        message=_("The reason has at most %(max)s characters."),
    )
    if not reason:
        raise InvalidInput(_("Give the reason for cancelling the session."), field="reason")
    locked = _locked_session(session)
    if locked.status != SessionStatus.SCHEDULED:
        raise InvalidTransition(_("This session has already been cancelled."))
    if locked.starts_at <= timezone.now():
        raise InvalidTransition(_("A session that has started cannot be cancelled."))
    locked.status = SessionStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.cancel_reason = reason
    locked.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    audit_record(
        actor=actor,
        action="experts.qa_session_cancel",
        obj=locked,
        changes={"status": [SessionStatus.SCHEDULED, SessionStatus.CANCELLED], "reason": reason},
    )
    registered = User.objects.filter(
        is_active=True,
        qa_registrations__session=locked,
        qa_registrations__cancelled_at__isnull=True,
    ).distinct()
    recipients = list(registered)
    if recipients:
        from onestop.notifications.services import notify

        notify(
            recipients=recipients,
            kind="experts.qa_session_cancelled",
            title=gettext("Online Q&A cancelled: %(topic)s, %(when)s")
            % {"topic": locked.topic, "when": _when(locked)},
            body=reason,
            url=_session_url(locked),
        )
    return locked


@transaction.atomic
def qa_register(*, user: User, session: QaSession, question: str = "") -> QaRegistration:
    """Take a place in a scheduled session that has not started and is not
    full. The session row is locked while the places are counted, so two
    last-minute registrations cannot both take the last place."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDeniedError(_("Log in to register for an online Q&A session."))
    question = _text(
        question,
        field="question",
        max_length=QUESTION_MAX,
        message=_("A question has at most %(max)s characters."),
    )
    locked = _locked_session(session)
    if locked.status != SessionStatus.SCHEDULED or not locked.expert.active:
        raise InvalidTransition(_("This session has been cancelled."))
    if locked.starts_at <= timezone.now():
        raise InvalidTransition(_("Registration closes when the session starts."))
    live = QaRegistration.objects.filter(session=locked, cancelled_at__isnull=True)
    if live.filter(user=user).exists():
        raise InvalidTransition(_("You have already registered for this session."))
    if live.count() >= locked.capacity:
        raise InvalidTransition(_("This session is full."))
    registration = QaRegistration.objects.create(session=locked, user=user, question=question)
    audit_record(
        actor=user,
        action="experts.qa_register",
        obj=registration,
        region=locked.region,
        changes={"session": locked.pk, "with_question": bool(question)},
    )
    return registration


@transaction.atomic
def qa_unregister(*, user: User, session: QaSession) -> QaRegistration:
    """Give back one's place before the session starts."""
    locked = _locked_session(session)
    registration = (
        QaRegistration.objects.select_for_update(no_key=True, of=("self",))
        .filter(session=locked, user=user, cancelled_at__isnull=True)
        .first()
    )
    if registration is None:
        raise InvalidTransition(_("You are not registered for this session."))
    if locked.starts_at <= timezone.now():
        raise InvalidTransition(_("A session that has started cannot be left."))
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["cancelled_at"])
    audit_record(
        actor=user,
        action="experts.qa_unregister",
        obj=registration,
        region=locked.region,
        changes={"session": locked.pk},
    )
    return registration
