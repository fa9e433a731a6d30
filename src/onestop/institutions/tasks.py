from celery import shared_task

from onestop.institutions.services import qualifications_warn_expiring


@shared_task(name="onestop.institutions.qualifications_check")  # type: ignore[untyped-decorator]
def qualifications_check() -> int:
    """Daily: warn about certificates ending within 30 days (idempotent)."""
    return qualifications_warn_expiring()
