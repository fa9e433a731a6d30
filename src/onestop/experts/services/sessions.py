"""Online Q&A sessions given by experts of the pool (HM 4.3.3.1): staff
schedule and cancel them; any logged-in user may take a place while
places are left, and give it back before the session starts."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.catalog.models import ServiceCategory
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
from onestop.experts.services.pool import require_manager
from onestop.regions.models import Region

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
    require_manager(actor, region)
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
    require_manager(actor, session.region)
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
