"""Demo improvement plan of Liuzhou for last year (WX 8.2): three items drawn
from typical dissatisfaction, one re-checked, one in progress, one planned.

The plan stays unpublished, so the demo shows the whole path: generate last
year's summary on /summaries/manage/, publish it, and the plan appears on
/summaries/450200/<year>/. Everything goes through the services; loading
twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from onestop.accounts.models import User
from onestop.regions.models import Region
from onestop.summaries import services
from onestop.summaries.models import ImprovementItem

logger = logging.getLogger(__name__)

MANAGER = "center_lz"
CITY = "450200"

ITEMS = [
    (
        "部分检测报告出具超过承诺时限，用户多次催办（差评原因第一位：服务效率）",
        "在平台订单中增加时限提醒，超期前一个工作日提示机构和服务中心；每月通报超期订单",
        "服务中心业务科",
    ),
    (
        "线下服务站窗口咨询高峰期排队时间长，电话接通率低",
        "高峰时段增设窗口、推行预约办理，咨询电话增设坐席并公布错峰时段",
        "城中区质量服务站",
    ),
    (
        "收费依据公示不清，用户对检测费用有疑问（投诉类型：收费）",
        "督促入驻机构在服务事项中公示收费标准和依据，服务中心抽查公示情况",
        "服务中心监管科",
    ),
]


def summaries_demo_load() -> int:
    """Load the demo plan; returns how many items were added (0 when loaded already)."""
    manager = User.objects.filter(username=MANAGER).first()
    region = Region.objects.filter(code=CITY).first()
    if manager is None or region is None:
        logger.warning("demo improvement plan skipped: %s or %s is missing", MANAGER, CITY)
        return 0
    year = timezone.localdate().year - 1
    with transaction.atomic():
        if ImprovementItem.objects.filter(plan__region=region, plan__year=year).exists():
            return 0
        items = [
            services.improvement_item_add(
                actor=manager,
                region=region,
                year=year,
                problem=problem,
                measure=measure,
                owner=owner,
                due_on=dt.date(year + 1, 6, 30),
            )
            for problem, measure, owner in ITEMS
        ]
        first, second, _third = items
        for item in (first, second):
            services.improvement_item_start(actor=manager, item=item)
        services.improvement_item_complete(
            actor=manager, item=first, note="超期提醒已上线，每月通报已执行两次"
        )
        services.improvement_item_recheck(
            actor=manager,
            item=first,
            result="抽查近两个月订单 50 份，报告均在承诺时限内出具",
            rechecked_on=timezone.localdate(),
        )
    return len(items)
