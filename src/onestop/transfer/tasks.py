from celery import shared_task

from onestop.transfer.services import import_job_run


@shared_task(acks_late=True)  # type: ignore[untyped-decorator]
def run_import(job_id: int) -> str:
    """Thin and idempotent: load by id, call the service."""
    return str(import_job_run(job_id=job_id).status)
