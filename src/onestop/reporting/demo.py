"""Demo figures: count the demo history into the statistics and publish the
third quarter of 2026 for Liuzhou, Hami and Wuxi, as their service centers
would (WX 8.1.1). Loading twice changes nothing."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from onestop.accounts.models import User
from onestop.regions.models import Region
from onestop.reporting.models import EvaluationMethod, PeriodKind, Snapshot
from onestop.reporting.services import figures_rollup, snapshot_publish

logger = logging.getLogger(__name__)

FIRST_DAY = dt.date(2026, 1, 1)
QUARTER = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
PUBLISHERS = {"450200": "center_lz", "650500": "center_hm", "320200": "center_wx"}


def reporting_demo_load() -> None:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    if yesterday < QUARTER[1]:
        logger.warning("demo statistics skipped: the demo quarter is not over yet")
        return
    if Snapshot.objects.exists():
        return
    figures_rollup(start=FIRST_DAY, end=yesterday)
    for code, username in PUBLISHERS.items():
        publisher = User.objects.filter(username=username).first()
        region = Region.objects.filter(code=code).first()
        if publisher is None or region is None:
            continue
        snapshot_publish(
            actor=publisher,
            region=region,
            kind=PeriodKind.QUARTER,
            start=QUARTER[0],
            end=QUARTER[1],
            methods=[EvaluationMethod.USER],
            remarks="根据办结后的用户满意度评价统计。",
        )
