"""Outside channels: how one Delivery reaches the recipient."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from onestop.notifications.models import Channel, Notification
from onestop.notifications.sms import get_gateway, send_once


class NoAddress(Exception):
    """The recipient has no address for this channel."""


def _mobile(notification: Notification) -> str:
    # Mobile numbers arrive with the accounts issue; until then a user has none.
    return str(getattr(notification.recipient, "mobile", "") or "")


def send(channel: str, notification: Notification, *, key: str = "") -> None:
    """Send through one channel; ``key`` names the delivery for gateways that
    drop a repeated send (see sms.HttpSmsGateway)."""
    if channel == Channel.EMAIL:
        address = notification.recipient.email
        if not address:
            raise NoAddress
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{notification.url}"
        send_mail(
            subject=f"[{settings.ONESTOP_PLATFORM_NAME}] {notification.title}",
            message=body,
            from_email=None,
            recipient_list=[address],
        )
    elif channel == Channel.SMS:
        mobile = _mobile(notification)
        if not mobile:
            raise NoAddress
        send_once(
            get_gateway(),
            mobile=mobile,
            text=f"【{settings.ONESTOP_PLATFORM_NAME}】{notification.title}",
            key=key,
        )
    else:  # pragma: no cover - Channel is a closed set
        raise ValueError(channel)
