"""The periodic jobs, in one place: Celery beat reads them in production
(``onestop worker`` runs a worker with beat), the in-process scheduler
(onestop.core.scheduler) runs them in the embedded profile."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    task: str  # a Celery task name
    every_seconds: int


JOBS = (
    # Proof of life: the status page's "a worker last ran a job at" (WX 4.1.2 c).
    Job("onestop.monitoring.heartbeat", 60),
    # Working-day clocks at risk or breached: notices, once each.
    Job("onestop.core.sla_check", 5 * 60),
    # Deliveries still pending after 10 minutes (a lost broker message or a
    # killed worker): queued again; the gateway's idempotency key sends once.
    Job("onestop.notifications.deliveries_requeue", 5 * 60),
    # Uploads staged by rolled-back transactions; old one-time SMS codes.
    Job("onestop.core.housekeeping", 60 * 60),
    # The API's idempotency keys are answered for 24 hours, then forgotten.
    Job("onestop.core.idempotency_keys_purge", 60 * 60),
    # Certificates expiring within 30 days; offerings whose certificate expired.
    Job("onestop.institutions.qualifications_check", 24 * 60 * 60),
    # Follow-up visits that fell due (HM 4.3.4.2).
    Job("onestop.fieldwork.follow_ups_due", 6 * 60 * 60),
    # Yesterday's figures for the statistics (a no-op once counted; WX 8.1.1).
    Job("onestop.reporting.figures_rollup", 60 * 60),
    # Credit grades A-E of institutions (HM 5.1; used by the recommendations).
    Job("onestop.supervision.credit_grades", 24 * 60 * 60),
    # The search index from scratch (qualification filters, synonyms).
    Job("onestop.search.rebuild_index", 24 * 60 * 60),
)


def beat_schedule() -> dict[str, dict[str, object]]:
    return {job.task: {"task": job.task, "schedule": float(job.every_seconds)} for job in JOBS}
