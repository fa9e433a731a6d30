from celery import shared_task
from django.core.management import call_command

from onestop.core import idempotency
from onestop.core.sla_watch import sla_clocks_check


@shared_task(name="onestop.core.sla_check")  # type: ignore[untyped-decorator]
def sla_check() -> dict[str, int]:
    """At-risk and breach notices for working-day clocks (every five minutes)."""
    result = sla_clocks_check()
    return {"at_risk": result.at_risk, "breached": result.breached}


@shared_task(name="onestop.core.housekeeping")  # type: ignore[untyped-decorator]
def housekeeping() -> None:
    """Hourly: staged uploads of rolled-back transactions, expired SMS codes."""
    call_command("documents_sweep", verbosity=0)
    call_command("sms_codes_purge", verbosity=0)


@shared_task(name="onestop.core.idempotency_keys_purge")  # type: ignore[untyped-decorator]
def idempotency_keys_purge() -> int:
    """Hourly: the API's idempotency keys older than 24 hours (their answers
    hold personal data and serve no retry any more)."""
    return idempotency.idempotency_keys_purge()
