from celery import shared_task

from onestop.supervision.services import credit_grades_refresh


@shared_task(name="onestop.supervision.credit_grades")  # type: ignore[untyped-decorator]
def credit_grades() -> int:
    """Daily: recompute every institution's credit grade (idempotent)."""
    return credit_grades_refresh()
