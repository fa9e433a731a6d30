"""Exactly-once delivery pieces that the fault test relies on (issue 7 item 4):
the delivery's Idempotency-Key reaches the SMS relay (a real HTTP server on
127.0.0.1), a delivery is sent once however often its task runs, and
deliveries left pending (their task lost) are queued again."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from onestop.core.crypto import blind_index
from onestop.notifications.models import Delivery, DeliveryStatus, Notification
from onestop.notifications.services import delivery_send
from onestop.notifications.tasks import deliveries_requeue

pytestmark = pytest.mark.clause("WX 4.1.3")


class _Relay(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.keys.append(self.headers.get("Idempotency-Key", ""))  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def relay(settings) -> Iterator[list[str]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Relay)
    server.keys = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ONESTOP_SMS_GATEWAY = "onestop.notifications.sms.HttpSmsGateway"
    settings.ONESTOP_SMS_HTTP_URL = f"http://127.0.0.1:{server.server_address[1]}/sms"
    yield server.keys  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


@pytest.fixture
def sms_delivery(make_user) -> Delivery:
    user = make_user()
    user.mobile = "13907710001"
    user.mobile_index = blind_index(user.mobile, purpose="mobile")
    user.save(update_fields=["mobile", "mobile_index"])
    notification = Notification.objects.create(recipient=user, kind="k", title="新订单")
    return Delivery.objects.create(notification=notification, channel="sms")


@pytest.mark.django_db
def test_the_relay_gets_the_delivery_key_and_one_message_however_often_the_task_runs(
    relay, sms_delivery
):
    # when the task runs twice for the same delivery (a redelivered message)
    delivery_send(delivery_id=sms_delivery.pk)
    delivery_send(delivery_id=sms_delivery.pk)
    # then the relay got one message, named by the delivery
    assert relay == [f"delivery-{sms_delivery.pk}"]
    sms_delivery.refresh_from_db()
    assert sms_delivery.status == DeliveryStatus.SENT
    assert sms_delivery.attempts == 1


@pytest.mark.django_db
def test_deliveries_left_pending_are_queued_again_and_sent_once(relay, sms_delivery, make_user):
    # given a delivery whose task was lost ten minutes ago, and a fresh one
    Notification.objects.filter(pk=sms_delivery.notification_id).update(
        created_at=timezone.now() - dt.timedelta(minutes=11)
    )
    fresh_user = make_user()
    fresh = Delivery.objects.create(
        notification=Notification.objects.create(recipient=fresh_user, kind="k", title="t"),
        channel="sms",
    )
    # when the periodic job runs (tasks are eager in tests)
    queued = deliveries_requeue()
    # then only the old one was queued, and it went out once
    assert queued == 1
    assert relay == [f"delivery-{sms_delivery.pk}"]
    fresh.refresh_from_db()
    assert fresh.status == DeliveryStatus.PENDING
    # and running the job again sends nothing more
    assert deliveries_requeue() == 0
    assert relay == [f"delivery-{sms_delivery.pk}"]
