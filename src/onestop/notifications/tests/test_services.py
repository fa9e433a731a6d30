import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from onestop.core.errors import NotFound
from onestop.notifications.models import Delivery, DeliveryStatus, Notification
from onestop.notifications.services import (
    MAX_ATTEMPTS,
    delivery_send,
    notification_mark_read,
    notify,
)
from onestop.notifications.sms import MemorySmsGateway


@pytest.fixture(autouse=True)
def _clean_sms_outbox():
    MemorySmsGateway.outbox.clear()


def test_notify_puts_a_message_in_the_inbox_and_emails_after_commit(
    make_user, django_capture_on_commit_callbacks
):
    user = make_user(email="li@example.invalid")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(
            recipients=[user], kind="test", title="材料已受理", body="请留意", channels_=["email"]
        )

    assert len(callbacks) == 1
    assert Notification.objects.get(recipient=user).title == "材料已受理"
    assert len(mail.outbox) == 1
    assert "材料已受理" in mail.outbox[0].subject
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_nothing_is_sent_when_the_transaction_rolls_back(
    make_user, django_capture_on_commit_callbacks
):
    from django.db import transaction

    user = make_user(email="li@example.invalid")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(recipients=[user], kind="test", title="t", channels_=["email"])
            raise RuntimeError

    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_delivery_is_sent_once_even_if_the_task_runs_twice(
    make_user, django_capture_on_commit_callbacks
):
    user = make_user(email="li@example.invalid")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="test", title="t", channels_=["email"])
    delivery = Delivery.objects.get()

    delivery_send(delivery_id=delivery.pk)

    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_channels_without_an_address_are_skipped(make_user, django_capture_on_commit_callbacks):
    user = make_user(email="")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="test", title="t", channels_=["email", "sms"])

    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SKIPPED}
    assert mail.outbox == []
    assert MemorySmsGateway.outbox == []


def test_sms_channel_uses_the_configured_gateway(make_user):
    from onestop.notifications import channels

    user = make_user()
    user.mobile = "13800138000"  # the accounts issue adds the field; the channel reads it
    notification = Notification(recipient=user, kind="k", title="审核通过")

    channels.send("sms", notification)

    assert [(m.mobile, "审核通过" in m.text) for m in MemorySmsGateway.outbox] == [
        ("13800138000", True)
    ]


class BrokenMailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise OSError("mail relay down")


def test_channel_failure_is_recorded_retried_and_finally_failed(make_user, settings):
    settings.EMAIL_BACKEND = "onestop.notifications.tests.test_services.BrokenMailBackend"
    notification = Notification.objects.create(
        recipient=make_user(email="li@example.invalid"), kind="k", title="t"
    )
    delivery = Delivery.objects.create(notification=notification, channel="email")

    for _attempt in range(MAX_ATTEMPTS - 1):
        with pytest.raises(OSError, match="relay down"):
            delivery_send(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.PENDING
    final = delivery_send(delivery_id=delivery.pk)

    assert final.status == DeliveryStatus.FAILED
    assert final.attempts == MAX_ATTEMPTS
    assert "relay down" in final.error


def test_a_user_cannot_mark_someone_elses_notification(make_user):
    owner, other = make_user(), make_user()
    notification = Notification.objects.create(recipient=owner, kind="k", title="t")

    with pytest.raises(NotFound):
        notification_mark_read(user=other, notification_id=notification.pk)
