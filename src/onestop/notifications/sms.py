"""SMS gateways. Settings name one by dotted path (ONESTOP_SMS_GATEWAY)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("onestop.sms")


class SmsGateway(Protocol):
    def send(self, *, mobile: str, text: str) -> None:
        """Send one message; raise on failure so the delivery is retried."""


class ConsoleSmsGateway:
    """The embedded default: writes the message to the log instead of sending it."""

    def send(self, *, mobile: str, text: str) -> None:
        logger.info("SMS to %s: %s", mobile, text)


@dataclass(frozen=True)
class SentSms:
    mobile: str
    text: str


class MemorySmsGateway:
    """For tests: keeps what was sent in a class-level outbox."""

    outbox: ClassVar[list[SentSms]] = []

    def send(self, *, mobile: str, text: str) -> None:
        MemorySmsGateway.outbox.append(SentSms(mobile=mobile, text=text))


def get_gateway() -> SmsGateway:
    gateway: SmsGateway = import_string(settings.ONESTOP_SMS_GATEWAY)()
    return gateway
