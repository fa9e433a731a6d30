from typing import Any

from celery import shared_task

from onestop.reporting.services import figures_rollup_due


@shared_task(name="onestop.reporting.figures_rollup")  # type: ignore[untyped-decorator]
def figures_rollup_nightly() -> dict[str, Any]:
    """The figures of the days since the last run (HM 5.3); idempotent, so an
    hourly schedule costs nothing once yesterday is done."""
    result = figures_rollup_due()
    return {
        "start": result.start.isoformat() if result.start else None,
        "end": result.end.isoformat() if result.end else None,
        "rows": result.rows,
    }
