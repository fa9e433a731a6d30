"""Demo complaints in several states (issue 6): Liuzhou's forwarded to the
demo institution (its people answer on /complaints/institution/), one
waiting for acknowledgement; Wuxi's registered at the Jiangyin station and
fed back; Hami's closed after a callback, and one not accepted. Everything
goes through the services, so numbers, clocks, events and notices are real.
Loading twice changes nothing.

Skipped (nothing written) when the demo accounts or institutions are
missing, or when a deadline would fall in a year the working-day calendar
does not cover yet: the demo must never stop an installation from starting.
"""

from __future__ import annotations

import logging

from django.db import transaction

from onestop.accounts.models import User
from onestop.complaints import services
from onestop.complaints.models import Channel, Complaint, ComplaintType, Satisfaction, Target
from onestop.core.workdays import CalendarNotCovered
from onestop.institutions.models import Institution
from onestop.stations.models import Station

logger = logging.getLogger(__name__)

MARK = "【演示】"
USERS = ("center_lz", "center_wx", "center_hm", "station_jy", "individual_lz", "enterprise_lz")
INSTITUTIONS = ("柳州市计量技术测试研究所", "江阴市计量测试检定所", "哈密市检验检测中心")


def load() -> None:
    """Load the demo complaints (call after the orders demo)."""
    if Complaint.objects.filter(content__startswith=MARK).exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=USERS)}
    institutions = {i.name: i for i in Institution.objects.filter(name__in=INSTITUTIONS)}
    if len(users) < len(USERS) or len(institutions) < len(INSTITUTIONS):
        logger.warning("demo complaints skipped: demo accounts or institutions are missing")
        return
    try:
        with transaction.atomic():
            _load(users, institutions)
    except CalendarNotCovered:
        logger.warning("demo complaints skipped: the calendar does not cover the deadlines")


def _load(users: dict[str, User], institutions: dict[str, Institution]) -> None:
    lz, wx, hm = users["center_lz"], users["center_wx"], users["center_hm"]

    # Liuzhou: filed online about an institution, accepted and forwarded.
    forwarded = services.complaint_file(
        user=users["individual_lz"],
        target=Target.INSTITUTION,
        institution_id=institutions["柳州市计量技术测试研究所"].pk,
        complaint_type=ComplaintType.TIMELINESS,
        content=f"{MARK}送检的 4 块压力表承诺 5 个工作日出证书，已过 10 个工作日仍未拿到，"
        "多次电话询问均答复“在排队”。",
        request="尽快出具校准证书，并说明延误原因。",
        anonymous_to_institution=True,
    )
    services.complaint_acknowledge(actor=lz, complaint=forwarded)
    services.complaint_forward(
        actor=lz, complaint=forwarded, note="请核实送检记录，3 个工作日内书面答复。"
    )

    # Liuzhou: about the platform, waiting for acknowledgement.
    services.complaint_file(
        user=users["enterprise_lz"],
        target=Target.PLATFORM,
        complaint_type=ComplaintType.OTHER,
        content=f"{MARK}平台发布需求后两天无人联系，服务热线占线。",
        request="希望增加热线坐席，并尽快回复我的需求。",
    )

    # Wuxi: registered at the Jiangyin station, concluded and fed back.
    station = Station.objects.filter(name="江阴市市场监督管理局服务站").first()
    registered = services.complaint_register(
        actor=users["station_jy"],
        channel=Channel.STATION if station is not None else Channel.PHONE,
        received_at_station=station,
        complainant_name="顾先生",
        complainant_phone="13900000051",
        target=Target.INSTITUTION,
        institution_id=institutions["江阴市计量测试检定所"].pk,
        complaint_type=ComplaintType.FEES,
        content=f"{MARK}电子天平检定收费与公示价格不一致，多收 120 元。",
        request="退还多收的费用。",
    )
    services.complaint_acknowledge(actor=wx, complaint=registered)
    services.complaint_conclude(
        actor=wx,
        complaint=registered,
        conclusion="经核实，检定所误按加急价格收费，投诉属实。",
        upheld=True,
    )
    services.complaint_feed_back(
        actor=wx, complaint=registered, feedback="检定所已同意退还 120 元，3 个工作日内到账。"
    )

    # Hami: by phone, closed after the callback; and a letter not accepted.
    closed = services.complaint_register(
        actor=hm,
        channel=Channel.PHONE,
        complainant_name="艾力",
        complainant_phone="13900000061",
        target=Target.INSTITUTION,
        institution_id=institutions["哈密市检验检测中心"].pk,
        complaint_type=ComplaintType.ATTITUDE,
        content=f"{MARK}窗口工作人员态度生硬，不解释检测项目的区别。",
        request="希望改进服务态度。",
    )
    services.complaint_acknowledge(actor=hm, complaint=closed)
    services.complaint_conclude(
        actor=hm, complaint=closed, conclusion="已约谈检测中心窗口负责人。", upheld=True
    )
    services.complaint_feed_back(
        actor=hm, complaint=closed, feedback="检测中心已对窗口人员进行服务规范培训。"
    )
    services.complaint_close(
        actor=hm,
        complaint=closed,
        satisfaction=Satisfaction.BASICALLY,
        note="电话回访：投诉人表示基本满意。",
    )
    letter = services.complaint_register(
        actor=hm,
        channel=Channel.LETTER,
        complainant_name="张女士",
        complainant_phone="13900000062",
        target=Target.PLATFORM,
        complaint_type=ComplaintType.OTHER,
        content=f"{MARK}邻居家装修噪声扰民。",
        request="请求处理。",
    )
    services.complaint_not_accept(
        actor=hm, complaint=letter, reason="不属于质量服务平台受理范围，已告知向12345热线反映。"
    )
