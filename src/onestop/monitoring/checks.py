"""The running-status checks (WX 4.1.2 c): each answers ok / warning / error
with a sentence in the user's language.

A check that raises is an error row, never a 500: the page is read when
something is broken, so it must survive the very failure it reports. Each
check costs at most one query; ``/healthz`` runs only the database and cache
checks, which a load balancer may call every few seconds.
"""

from __future__ import annotations

import enum
import functools
import logging
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onestop.audit.models import AuditHead
from onestop.core.models import SlaClock
from onestop.core.schedule import JOBS
from onestop.monitoring.apps import STARTED_AT
from onestop.monitoring.models import JobOutcome, JobRun
from onestop.monitoring.tasks import HEARTBEAT
from onestop.notifications.models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)

SLOW_DATABASE_MS = 500
DELIVERY_PENDING_LIMIT = timedelta(minutes=15)
# The heartbeat runs every minute: five missed rounds mean no worker is running.
HEARTBEAT_STALE = timedelta(minutes=5)
# A job is late when it missed a whole interval (plus a scheduler tick or two).
JOB_GRACE = timedelta(minutes=5)
DISK_WARNING_FREE = 0.15
DISK_ERROR_FREE = 0.05


class State(enum.StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


STATE_LABELS = {
    State.OK: gettext_lazy("Normal"),
    State.WARNING: gettext_lazy("Warning"),
    State.ERROR: gettext_lazy("Error"),
}


@dataclass(frozen=True)
class CheckResult:
    key: str
    label: str
    state: State
    message: str

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


Outcome = tuple[State, str]


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")


def check_database() -> Outcome:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    ms = int((time.perf_counter() - started) * 1000)
    if ms > SLOW_DATABASE_MS:
        return State.WARNING, _("Reachable but slow: answered in %(ms)d ms.") % {"ms": ms}
    return State.OK, _("Reachable, answered in %(ms)d ms.") % {"ms": ms}


def check_cache() -> Outcome:
    key = f"onestop:monitoring:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    value = cache.get(key)
    cache.delete(key)
    if value != "1":
        return State.ERROR, _("A value written to the cache could not be read back.")
    return State.OK, _("Reading and writing work.")


def check_broker() -> Outcome:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return State.OK, _("Tasks run inside the web process (embedded profile); no broker needed.")
    from onestop.config.celery import app

    # One attempt with a short timeout: the page must not hang on a dead broker.
    with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)
    return State.OK, _("The task broker answers.")


def check_worker(now: datetime | None = None) -> Outcome:
    now = now or timezone.now()
    run = JobRun.objects.filter(task=HEARTBEAT).only("last_success_at").first()
    if run is None or run.last_success_at is None:
        return State.WARNING, _("No worker has run a job yet.")
    if now - run.last_success_at > HEARTBEAT_STALE:
        return State.ERROR, _("No worker has run a job since %(time)s.") % {
            "time": _when(run.last_success_at)
        }
    return State.OK, _("A worker last ran a job at %(time)s.") % {
        "time": _when(run.last_success_at)
    }


def check_jobs(now: datetime | None = None) -> Outcome:
    now = now or timezone.now()
    runs = {run.task: run for run in JobRun.objects.all()}
    failed: list[str] = []
    late: list[str] = []
    never: list[str] = []
    for job in JOBS:
        run = runs.get(job.task)
        if run is None or run.last_success_at is None:
            (failed if run is not None and run.outcome == JobOutcome.FAILED else never).append(
                job.task
            )
        elif run.outcome == JobOutcome.FAILED:
            failed.append(job.task)
        elif now - run.last_success_at > timedelta(seconds=job.every_seconds) + JOB_GRACE:
            late.append(job.task)
    if failed:
        return State.ERROR, _("Last run failed: %(jobs)s.") % {"jobs": ", ".join(failed)}
    if late or never:
        parts = []
        if late:
            parts.append(_("Not run on time: %(jobs)s.") % {"jobs": ", ".join(late)})
        if never:
            parts.append(_("Not run yet: %(jobs)s.") % {"jobs": ", ".join(never)})
        return State.WARNING, " ".join(parts)
    return State.OK, _("All %(count)d jobs ran on time.") % {"count": len(JOBS)}


def check_deliveries(now: datetime | None = None) -> Outcome:
    cutoff = (now or timezone.now()) - DELIVERY_PENDING_LIMIT
    stuck = Delivery.objects.filter(
        status=DeliveryStatus.PENDING, notification__created_at__lt=cutoff
    ).count()
    if stuck:
        return State.WARNING, _("%(count)d deliveries pending for more than 15 minutes.") % {
            "count": stuck
        }
    return State.OK, _("No delivery pending for more than 15 minutes.")


def check_deadlines(now: datetime | None = None) -> Outcome:
    now = now or timezone.now()
    counts = SlaClock.objects.filter(stopped_at__isnull=True, paused_at__isnull=True).aggregate(
        at_risk=Count("pk", filter=Q(at_risk_at__lte=now, due_at__gt=now)),
        overdue=Count("pk", filter=Q(due_at__lte=now)),
    )
    message = _("%(at_risk)d at risk, %(overdue)d overdue.") % counts
    return (State.WARNING if counts["overdue"] else State.OK), message


def check_audit() -> Outcome:
    head = AuditHead.objects.filter(pk=1).only("seq").first()
    seq = head.seq if head is not None else 0
    return State.OK, _(
        "%(seq)d events in the hash chain. Check it with “onestop audit verify” "
        "(the time of its last run is not recorded)."
    ) % {"seq": seq}


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_disk(
    path: Path | None = None,
    *,
    warning_free: float = DISK_WARNING_FREE,
    error_free: float = DISK_ERROR_FREE,
) -> Outcome:
    usage = shutil.disk_usage(_existing(path or Path(settings.DATA_DIR)))
    share = usage.free / usage.total if usage.total else 0.0
    message = _("%(free).1f GB free of %(total).1f GB (%(percent)d%%).") % {
        "free": usage.free / 1e9,
        "total": usage.total / 1e9,
        "percent": round(share * 100),
    }
    if share < error_free:
        return State.ERROR, message
    if share < warning_free:
        return State.WARNING, message
    return State.OK, message


@functools.cache
def version() -> str:
    """``git describe`` of a checkout, else the installed package's version."""
    root = Path(__file__).resolve().parents[3]
    if (root / ".git").exists():
        try:
            described = subprocess.run(
                ["git", "describe", "--always", "--dirty"],  # noqa: S607 - git from PATH
                cwd=root,
                capture_output=True,
                text=True,
                timeout=3,
                check=True,
            ).stdout.strip()
            if described:
                return described
        except (OSError, subprocess.SubprocessError):
            pass
    try:
        return metadata.version("onestop-qi")
    except metadata.PackageNotFoundError:
        return "unknown"


def check_version(now: datetime | None = None) -> Outcome:
    return State.OK, _("Version %(version)s, running for %(uptime)s.") % {
        "version": version(),
        "uptime": timesince(STARTED_AT, now or timezone.now()),
    }


CHECKS: dict[str, tuple[str | Promise, Callable[[], Outcome]]] = {
    "database": (gettext_lazy("Database"), check_database),
    "cache": (gettext_lazy("Cache"), check_cache),
    "broker": (gettext_lazy("Task queue"), check_broker),
    "worker": (gettext_lazy("Worker heartbeat"), check_worker),
    "jobs": (gettext_lazy("Periodic jobs"), check_jobs),
    "deliveries": (gettext_lazy("Notification deliveries"), check_deliveries),
    "deadlines": (gettext_lazy("Deadlines"), check_deadlines),
    "audit": (gettext_lazy("Audit trail"), check_audit),
    "disk": (gettext_lazy("Disk space"), check_disk),
    "version": (gettext_lazy("Version and uptime"), check_version),
}
# What /healthz asks: cheap, and what a load balancer must know.
HEALTH_CHECKS = ("database", "cache")


def run_check(key: str, check: Callable[[], Outcome] | None = None) -> CheckResult:
    label, registered = CHECKS[key]
    try:
        state, message = (check or registered)()
    except Exception as exc:
        logger.exception("status check %s failed", key)
        state = State.ERROR
        message = _("The check could not be carried out (%(error)s).") % {
            "error": type(exc).__name__
        }
    return CheckResult(key=key, label=str(label), state=state, message=message)


def run_checks(keys: Iterable[str] | None = None) -> list[CheckResult]:
    return [run_check(key) for key in (CHECKS if keys is None else keys)]
