"""Sending notifications: an inbox row now, outside channels after commit."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone

from onestop.accounts.models import User
from onestop.notifications import channels
from onestop.notifications.models import Delivery, DeliveryStatus, Notification

MAX_ATTEMPTS = 5


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    channels_: Iterable[str] = (),
) -> list[Notification]:
    """Put a message in each recipient's inbox and queue the outside channels.

    Deliveries are sent by a task after the caller's transaction commits, so
    nothing is sent for a change that was rolled back.
    """
    from onestop.notifications.tasks import deliver

    wanted = list(dict.fromkeys(channels_))
    created: list[Notification] = []
    with transaction.atomic():
        for recipient in recipients:
            notification = Notification.objects.create(
                recipient=recipient, kind=kind, title=title, body=body, url=url
            )
            created.append(notification)
            for channel in wanted:
                delivery = Delivery.objects.create(notification=notification, channel=channel)
                transaction.on_commit(partial(deliver.delay, delivery.pk))
    return created


def delivery_send(*, delivery_id: int) -> Delivery:
    """Send one delivery unless it was already sent; safe to run twice.

    The row is locked while sending so two workers cannot both send it. A
    channel failure is recorded (attempts, error) and committed before it is
    re-raised for the task to retry; after MAX_ATTEMPTS the delivery is failed.
    """
    failure: Exception | None = None
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("notification__recipient")
            .get(pk=delivery_id)
        )
        if delivery.status in (DeliveryStatus.SENT, DeliveryStatus.SKIPPED, DeliveryStatus.FAILED):
            return delivery
        delivery.attempts += 1
        try:
            channels.send(delivery.channel, delivery.notification)
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
