from celery import shared_task

from onestop.summaries.services import summary_generate


@shared_task(acks_late=True)  # type: ignore[untyped-decorator]
def generate_summary(summary_id: int) -> str:
    """Thin and idempotent: load by id, call the service."""
    return str(summary_generate(summary_id=summary_id).status)
