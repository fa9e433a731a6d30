from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from onestop.notifications.models import Delivery, DeliveryStatus
from onestop.notifications.services import MAX_ATTEMPTS, delivery_send

REQUEUE_AFTER = timedelta(minutes=10)
REQUEUE_BATCH = 1000


@shared_task(  # type: ignore[untyped-decorator]
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=MAX_ATTEMPTS,
    acks_late=True,
)
def deliver(self, delivery_id: int) -> str:  # type: ignore[no-untyped-def]
    """Thin and idempotent: load by id, call the service."""
    return str(delivery_send(delivery_id=delivery_id).status)


@shared_task(name="onestop.notifications.deliveries_requeue")  # type: ignore[untyped-decorator]
def deliveries_requeue() -> int:
    """Periodic: queue again the deliveries left pending for a while.

    Their task was lost (the broker was down when the notice was committed,
    or a message was dropped). Sending is idempotent (delivery_send locks the
    row and skips a sent one; the SMS relay gets the delivery's key), so a
    delivery that is merely slow and gets queued twice is still sent once.
    """
    cutoff = timezone.now() - REQUEUE_AFTER
    pending = list(
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING, notification__created_at__lt=cutoff
        ).values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    for delivery_id in pending:
        deliver.delay(delivery_id)
    return len(pending)
