"""Sending notifications: an inbox row now, outside channels after commit."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone

from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.notifications import channels
from onestop.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    Preference,
)

MAX_ATTEMPTS = 5


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    channels_: Iterable[str] = (),
    essential: bool = False,
) -> list[Notification]:
    """Put a message in each recipient's inbox and queue the outside channels.

    ``channels_`` are the channels the step deserves (SMS for important
    steps); each recipient's preferences then decide (they may turn SMS or
    e-mail off, or ask for an e-mail copy of everything). ``essential``
    notices (a pick-up code) go out whatever the preferences say.
    Deliveries are sent by a task after the caller's transaction commits, so
    nothing is sent for a change that was rolled back.
    """
    from onestop.notifications.tasks import deliver

    wanted = list(dict.fromkeys(channels_))
    people = list(recipients)
    preferences = {p.user_id: p for p in Preference.objects.filter(user__in=[u.pk for u in people])}
    created: list[Notification] = []
    with transaction.atomic():
        for recipient in people:
            notification = Notification.objects.create(
                recipient=recipient, kind=kind, title=title, body=body, url=url
            )
            created.append(notification)
            chosen = wanted if essential else channels_for(preferences.get(recipient.pk), wanted)
            for channel in chosen:
                delivery = Delivery.objects.create(notification=notification, channel=channel)
                # robust: the change is committed by then; a broker that is down
                # must not turn it into an error page (deliveries_requeue
                # sends what is left pending).
                transaction.on_commit(partial(deliver.delay, delivery.pk), robust=True)
    return created


def channels_for(preference: Preference | None, wanted: list[str]) -> list[str]:
    """The outside channels one recipient gets for a notice that asks ``wanted``."""
    if preference is None:
        return wanted
    chosen = [
        channel
        for channel in wanted
        if (channel != Channel.SMS or preference.sms)
        and (channel != Channel.EMAIL or preference.email)
    ]
    if preference.email_all and Channel.EMAIL not in chosen:
        chosen.append(Channel.EMAIL)
    return chosen


@transaction.atomic
def preference_set(*, user: User, sms: bool, email: bool, email_all: bool) -> Preference:
    """Record how the user wants to be told (the inbox always gets everything)."""
    preference, _created = Preference.objects.select_for_update(no_key=True).get_or_create(
        user=user
    )
    before = {"sms": preference.sms, "email": preference.email, "email_all": preference.email_all}
    preference.sms, preference.email, preference.email_all = sms, email, email_all
    preference.save()
    after = {"sms": sms, "email": email, "email_all": email_all}
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changed:
        audit_record(
            actor=user, action="notifications.preferences", obj=preference, changes=changed
        )
    return preference


def delivery_send(*, delivery_id: int) -> Delivery:
    """Send one delivery unless it was already sent; safe to run twice.

    The row is locked while sending so two workers cannot both send it. A
    channel failure is recorded (attempts, error) and committed before it is
    re-raised for the task to retry; after MAX_ATTEMPTS the delivery is failed.
    """
    failure: Exception | None = None
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(no_key=True)
            .select_related("notification__recipient")
            .get(pk=delivery_id)
        )
        if delivery.status in (DeliveryStatus.SENT, DeliveryStatus.SKIPPED, DeliveryStatus.FAILED):
            return delivery
        delivery.attempts += 1
        try:
            channels.send(delivery.channel, delivery.notification, key=f"delivery-{delivery.pk}")
        except channels.NoAddress:
            delivery.status = DeliveryStatus.SKIPPED
        except Exception as exc:  # the channel's own failure: record, then retry
            failure = exc
            delivery.error = str(exc)[:300]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = DeliveryStatus.FAILED
                failure = None
        else:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = timezone.now()
            delivery.error = ""
        delivery.save(update_fields=["attempts", "status", "error", "sent_at"])
    if failure is not None:
        raise failure
    return delivery


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    from onestop.notifications.selectors import inbox_get

    notification = inbox_get(user=user, notification_id=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
