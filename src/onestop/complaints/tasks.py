from celery import shared_task

from onestop.complaints.sms import complaint_sms_deliver


@shared_task(  # type: ignore[untyped-decorator]
    autoretry_for=(Exception,), retry_backoff=True, max_retries=5, acks_late=True
)
def complaint_sms_send(event_id: int) -> bool:
    """Thin and idempotent: the text about one step, sent at most once."""
    return complaint_sms_deliver(event_id=event_id)
