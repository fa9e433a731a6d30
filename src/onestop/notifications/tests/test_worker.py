"""The production path: a real Celery worker on Redis delivers after commit."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from onestop.config.celery import app
from onestop.notifications.models import Delivery, DeliveryStatus
from onestop.notifications.services import notify

pytestmark = pytest.mark.production


@pytest.fixture
def real_worker(settings, transactional_db):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.CELERY_BROKER_URL
    assert app.conf.broker_url.startswith("redis://"), "the production pass needs REDIS_URL"
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield
    app.conf.task_always_eager = True


def test_a_worker_on_redis_delivers_a_notification_exactly_once(real_worker, make_user):
    import time

    user = make_user(email="wang@example.invalid")

    notify(recipients=[user], kind="test", title="经由Redis投递", channels_=["email"])

    delivery = Delivery.objects.get()
    for _ in range(100):
        delivery.refresh_from_db()
        if delivery.status != DeliveryStatus.PENDING:
            break
        time.sleep(0.1)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 1
    assert [m.subject for m in mail.outbox] == ["[质量服务“一站式”平台] 经由Redis投递"]
