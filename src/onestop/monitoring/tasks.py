from celery import shared_task

HEARTBEAT = "onestop.monitoring.heartbeat"


@shared_task(name=HEARTBEAT)  # type: ignore[untyped-decorator]
def heartbeat() -> None:
    """Every minute, nothing but being run: monitoring.jobs records its run,
    and the status page reads that as "a worker was alive at" (WX 4.1.2 c)."""
