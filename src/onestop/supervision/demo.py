"""Demo supervision in Liuzhou (HM 5.1, HM 5.4): two corrective actions (one
awaiting the institution's evidence, one with evidence awaiting
verification), two important service items (one reviewed this quarter with
a linked action, one still due), and every institution's credit grade.

Everything goes through the services. Load after the institutions, orders,
evaluations and complaints demos so the grades have a history to read.
Loading twice changes nothing (the grades are recomputed).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from onestop.accounts.models import User
from onestop.catalog.models import ItemStatus, ServiceItem
from onestop.institutions.models import Institution
from onestop.institutions.selectors import institution_people
from onestop.regions.models import Region
from onestop.stations.models import Station, StationStatus
from onestop.supervision import selectors, services
from onestop.supervision.models import (
    CorrectiveAction,
    ImportantItem,
    ItemRating,
    SourceKind,
    TargetKind,
)

logger = logging.getLogger(__name__)

MARK = "演示数据"
SUPERVISOR = "center_lz"
CITY = "450200"
INSTITUTION = "柳州市计量技术测试研究所"


def load() -> int:
    """Load the demo supervision data and compute the credit grades; returns
    how many grades were written."""
    with transaction.atomic():
        if not CorrectiveAction.objects.filter(source_text=MARK).exists():
            _load()
    return services.credit_grades_refresh()


def _load() -> None:
    supervisor = User.objects.filter(username=SUPERVISOR).first()
    institution = Institution.objects.filter(name=INSTITUTION).select_related("region").first()
    if supervisor is None or institution is None:
        logger.warning("demo supervision skipped: %s or %s is missing", SUPERVISOR, INSTITUTION)
        return
    today = timezone.localdate()
    waiting = services.corrective_action_issue(
        actor=supervisor,
        data=services.ActionInput(
            target_kind=TargetKind.INSTITUTION,
            institution=institution,
            source_kind=SourceKind.INSPECTION,
            inspection_reference="LZJC-2026-031",
            source_text=MARK,
            problem="抽查 10 份校准证书，2 份未注明测量不确定度。",
            requirement="补发完整的校准证书，并对出具证书的人员开展一次内部培训。",
            due_on=today + dt.timedelta(days=14),
        ),
    )
    people = list(institution_people(institution))
    if people:
        services.corrective_action_submit_evidence(
            actor=people[0],
            action=waiting,
            evidence="已补发 2 份校准证书，并于本周组织全体检定员培训，附签到表。",
        )
    city_path = "/".join(institution.region.path.split("/")[:2]) + "/"
    station = (
        Station.objects.filter(status=StationStatus.ACTIVE, region__path__startswith=city_path)
        .order_by("pk")
        .first()
    )
    if station is not None:
        services.corrective_action_issue(
            actor=supervisor,
            data=services.ActionInput(
                target_kind=TargetKind.STATION,
                station=station,
                source_kind=SourceKind.OTHER,
                source_text=MARK,
                problem="服务站公示栏未公布投诉电话。",
                requirement="在公示栏和服务窗口公布投诉电话。",
                due_on=today + dt.timedelta(days=7),
            ),
        )
    _reviews(supervisor, waiting)


def _reviews(supervisor: User, action: CorrectiveAction) -> None:
    city = Region.objects.filter(code=CITY).first()
    items = list(ServiceItem.objects.filter(status=ItemStatus.PUBLISHED).order_by("pk")[:2])
    if city is None or not items:
        return
    for item in items:
        if not ImportantItem.objects.filter(region=city, service_item=item).exists():
            services.important_item_mark(
                actor=supervisor, region=city, service_item=item, note="涉及企业较多的重点事项"
            )
    start, _end = selectors.quarter_of(timezone.localdate())
    services.item_review_record(
        actor=supervisor,
        data=services.ReviewInput(
            region=city,
            service_item=items[0],
            period_start=start,
            period_end=timezone.localdate(),
            findings="抽查本季度办件 20 件，18 件按承诺时限办结，2 件证书信息不完整。",
            rating=ItemRating.ACCEPTABLE,
            effectiveness="办件量较上季度增长 15%，企业满意度 93%；证书完整性问题已下达整改。",
            corrective_actions=[action],
        ),
    )
