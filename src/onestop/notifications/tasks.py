from celery import shared_task

from onestop.notifications.services import MAX_ATTEMPTS, delivery_send


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
