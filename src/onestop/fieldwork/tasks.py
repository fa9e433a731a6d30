from celery import shared_task

from onestop.fieldwork.services import follow_ups_due


@shared_task(name="onestop.fieldwork.follow_ups_due")  # type: ignore[untyped-decorator]
def follow_ups_due_notify() -> int:
    """Daily: tell the responsible people about follow-up visits now due."""
    return len(follow_ups_due())
