"""SMS gateways. Settings name one by dotted path (ONESTOP_SMS_GATEWAY)."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from onestop.core.crypto import mask_mobile

logger = logging.getLogger("onestop.sms")


class SmsGateway(Protocol):
    def send(self, *, mobile: str, text: str) -> None:
        """Send one message; raise on failure so the delivery is retried."""


class ConsoleSmsGateway:
    """The embedded default: writes the message to the log instead of sending it.

    For development only: the log is where the one-time codes are read, so
    it holds them; the number is masked.
    """

    def send(self, *, mobile: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_mobile(mobile), text)


@dataclass(frozen=True)
class SentSms:
    mobile: str
    text: str


class MemorySmsGateway:
    """For tests: keeps what was sent in a class-level outbox."""

    outbox: ClassVar[list[SentSms]] = []

    def send(self, *, mobile: str, text: str) -> None:
        MemorySmsGateway.outbox.append(SentSms(mobile=mobile, text=text))


class SmsGatewayError(Exception):
    """The gateway did not accept the message."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect would turn the POST into a GET without the message.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class HttpSmsGateway:
    """POSTs ``{"mobile", "text"}`` as JSON to ONESTOP_SMS_HTTP_URL.

    For an operator's SMS relay: bearer token from ONESTOP_SMS_HTTP_TOKEN, 5 s
    timeout, anything but a 2xx answer raises. Error messages never carry the
    text (it may hold a one-time code) nor the number.

    A notification's delivery comes with an ``Idempotency-Key`` header (the
    delivery's id): when a worker dies after the relay took the message but
    before the delivery was marked sent, the retried task sends the same key
    and the relay drops the repeat, so the recipient gets it once.
    """

    timeout = 5.0
    takes_idempotency_key = True

    def send(self, *, mobile: str, text: str, key: str = "") -> None:
        url = settings.ONESTOP_SMS_HTTP_URL
        if not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("ONESTOP_SMS_HTTP_URL must be an http(s) URL")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if settings.ONESTOP_SMS_HTTP_TOKEN:
            headers["Authorization"] = f"Bearer {settings.ONESTOP_SMS_HTTP_TOKEN}"
        if key:
            headers["Idempotency-Key"] = key
        body = json.dumps({"mobile": mobile, "text": text}, ensure_ascii=False).encode()
        # The scheme is checked above, so no file:// or custom opener URLs.
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        opener = urllib.request.build_opener(_NoRedirects)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            exc.close()
            raise SmsGatewayError(f"SMS gateway answered HTTP {exc.code}") from None
        except urllib.error.URLError as exc:
            raise SmsGatewayError(f"SMS gateway unreachable: {exc.reason}") from None
        except OSError as exc:  # timeouts and resets while reading the answer
            raise SmsGatewayError(f"SMS gateway unreachable: {exc}") from None
        if not 200 <= status < 300:
            raise SmsGatewayError(f"SMS gateway answered HTTP {status}")


def send_once(gateway: SmsGateway, *, mobile: str, text: str, key: str) -> None:
    """Send, giving the gateway the idempotency key if it takes one."""
    if getattr(gateway, "takes_idempotency_key", False):
        gateway.send(mobile=mobile, text=text, key=key)  # type: ignore[call-arg]
    else:
        gateway.send(mobile=mobile, text=text)


def get_gateway() -> SmsGateway:
    gateway: SmsGateway = import_string(settings.ONESTOP_SMS_GATEWAY)()
    return gateway
