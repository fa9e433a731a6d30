"""Demo stations: Liuzhou's platforms under the LZ 6.3.1 names, Hami's
center → stations → service points, and Wuxi/Jiangyin's four station kinds,
with disclosure texts and opening hours (extended Saturday hours in Jiangyin).

Loading twice changes nothing. Not wired into core.demo yet; call
``stations_demo_load()`` after the core demo (it acts as the ``admin`` user).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import transaction

from onestop.accounts.models import User
from onestop.regions.models import Region
from onestop.stations.models import HoursKind, Station, StationKind, StationStatus, Tier
from onestop.stations.services import (
    HoursBlock,
    StationDetails,
    opening_hours_set,
    station_create,
)

MON_FRI = range(5)


def _t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _weekdays(*spans: tuple[str, str]) -> list[HoursBlock]:
    return [HoursBlock(day, _t(a), _t(b)) for day in MON_FRI for a, b in spans]


OFFICE = _weekdays(("08:30", "12:00"), ("14:30", "17:30"))  # Liuzhou, Wuxi
# Xinjiang offices keep Beijing time but open later in the day.
HAMI = _weekdays(("10:00", "14:00"), ("15:30", "19:30"))

RULES = (
    "日常工作制度、工作岗位责任管理、服务工作管理；岗位职责、服务过程管理、"
    "设备安全管理、记录及档案管理、服务投诉及反馈处理、服务质量监督考核管理"
    "（LZ 6.5）。\n工作职责：受理质量服务需求，联系技术机构和专家，跟踪服务进度，回访服务对象。"
)
METHODS = "窗口受理、电话受理、线上平台提交需求；全程代办服务；预约上门服务。"
FLOW = (
    "1. 提出需求（窗口、电话或线上平台）\n2. 站点登记并确认需求\n"
    "3. 匹配技术机构或专家\n4. 开展服务、跟踪进度\n5. 交付结果并回访评价"
)


def _services(kind: str) -> str:
    common = (
        "计量、标准化、认证认可、检验检测、质量管理、知识产权等"
        "质量基础设施“一站式”服务咨询与需求登记。"
    )
    extras: dict[str, str] = {
        StationKind.REGULATOR_OR_PARK: (
            "无特殊要求样品统一接收、联系技术机构、样品运送、发放检测报告。"
        ),
        StationKind.INSTITUTION: "检验检测、计量校准、认证咨询；预约式服务；仪器共享服务。",
        StationKind.ENTERPRISE: (
            "为企业（项目）提供点对点服务：重大仪器设备选型、产品研制、技术攻关协同服务。"
        ),
        StationKind.OTHER: "产业创新资源对接、标准和专利信息查询、质量培训。",
    }
    return f"{common}\n{extras[kind]}"


@dataclasses.dataclass(frozen=True)
class DemoStation:
    key: str
    region: str
    tier: str
    kind: str
    name: str
    address: str
    person: str
    phone: str
    complaint: str
    organisation: str
    parent: str = ""
    kiosk: bool = False
    hours: tuple[HoursBlock, ...] = tuple(OFFICE)


_R = StationKind.REGULATOR_OR_PARK
_I = StationKind.INSTITUTION
_E = StationKind.ENTERPRISE
_O = StationKind.OTHER

STATIONS = [
    # Liuzhou (LZ 6.3.1 names).
    DemoStation(
        "lz_liubei",
        "450205",
        Tier.STATION,
        _R,
        "柳州市柳北区质量服务“一站式”平台",
        "柳州市柳北区胜利路12号柳北区市场监督管理局一楼",
        "韦志刚",
        "0772-2812345",
        "12315",
        "柳北区市场监督管理局牵头，质量发展股、计量股及入驻技术机构组成。",
        kiosk=True,
    ),
    DemoStation(
        "lz_liujiang",
        "450206",
        Tier.STATION,
        _R,
        "柳州市柳江区质量服务“一站式”平台",
        "柳州市柳江区拉堡镇柳堡路88号",
        "覃丽萍",
        "0772-7212345",
        "12315",
        "柳江区市场监督管理局牵头，设综合受理窗口和专家服务区。",
    ),
    DemoStation(
        "lz_liucheng",
        "450222",
        Tier.STATION,
        _R,
        "柳州市柳城县质量服务'一站式'平台",
        "柳州市柳城县大埔镇建设路36号",
        "蓝海燕",
        "0772-7612345",
        "12315",
        "柳城县市场监督管理局牵头，联合县检验检测中心共同建设。",
    ),
    DemoStation(
        "lz_liudong",
        "450200001",
        Tier.STATION,
        _R,
        "柳州市柳东新区质量服务“一站式”平台",
        "柳州市柳东新区官塘大道创业园B栋",
        "黄建华",
        "0772-3112345",
        "12315",
        "柳东新区市场监督管理局牵头，汽车产业质量服务专家团队入驻。",
        hours=(
            *OFFICE,
            *(
                HoursBlock(
                    d, _t("17:30"), _t("19:00"), HoursKind.EXTENDED, "延时服务：汽车企业下班后办理"
                )
                for d in MON_FRI
            ),
        ),
    ),
    DemoStation(
        "lz_hexi",
        "450204",
        Tier.STATION,
        _R,
        "河西工业园区质量服务“一站式”平台",
        "柳州市柳南区河西工业园区管委会服务大厅",
        "莫振宇",
        "0772-3812345",
        "12315",
        "河西工业园区管委会与柳南区市场监督管理局联合建设。",
    ),
    # Hami (HM 4.1.1.1: center → station → point).
    DemoStation(
        "hm_center",
        "650500",
        Tier.CENTER,
        _I,
        "哈密市质量基础设施一站式服务中心",
        "哈密市伊州区天山北路28号哈密市产品质量检验所",
        "艾尔肯·买买提",
        "0902-2212345",
        "0902-12315",
        "依托哈密市产品质量检验所建设，设受理窗口、专家库和检验检测实验室（HM 4.1.1.2）。",
        kiosk=True,
        hours=tuple(HAMI),
    ),
    DemoStation(
        "hm_yizhou",
        "650502",
        Tier.STATION,
        _R,
        "伊州区质量基础设施一站式服务站",
        "哈密市伊州区前进东路15号伊州区市场监督管理局",
        "王海军",
        "0902-2312345",
        "0902-12315",
        "伊州区市场监督管理局设站，服务中心业务指导。",
        parent="hm_center",
        hours=tuple(HAMI),
    ),
    DemoStation(
        "hm_hitech",
        "650500001",
        Tier.STATION,
        _R,
        "哈密高新区质量基础设施一站式服务站",
        "哈密高新技术产业开发区综合服务中心二楼",
        "李娜",
        "0902-2412345",
        "0902-12315",
        "高新区管委会经济发展局设站，服务园区新能源和煤化工企业。",
        parent="hm_center",
        hours=tuple(HAMI),
    ),
    DemoStation(
        "hm_barkol",
        "650521",
        Tier.STATION,
        _R,
        "巴里坤县质量基础设施一站式服务站",
        "巴里坤哈萨克自治县汉城西街9号",
        "努尔兰·别克",
        "0902-6812345",
        "0902-12315",
        "巴里坤县市场监督管理局设站。",
        parent="hm_center",
        hours=tuple(HAMI),
    ),
    DemoStation(
        "hm_point_power",
        "650500001",
        Tier.POINT,
        _E,
        "哈密示范新能源有限公司服务网点",
        "哈密高新技术产业开发区新能源产业园1号",
        "张伟",
        "0902-2512345",
        "0902-12315",
        "设在重点企业内，由企业质量部负责人主持（HM 4.1.1.4、4.1.2.2）。",
        parent="hm_hitech",
        hours=tuple(HAMI),
    ),
    DemoStation(
        "hm_point_naomaohu",
        "650522",
        Tier.POINT,
        _R,
        "伊吾县淖毛湖服务网点",
        "伊吾县淖毛湖镇兴业路6号",
        "马晓东",
        "0902-6712345",
        "0902-12315",
        "服务中心直属网点，服务淖毛湖工业园区企业。",
        parent="hm_center",
        hours=tuple(HAMI),
    ),
    # Wuxi / Jiangyin (WX 5.2: the four kinds).
    DemoStation(
        "wx_jy_amr",
        "320281",
        Tier.STATION,
        _R,
        "江阴市市场监督管理局服务站",
        "江阴市澄江中路159号江阴市市场监督管理局一楼",
        "陈国强",
        "0510-86812345",
        "0510-12315",
        "江阴市市场监督管理局质量发展科牵头，设综合受理窗口和自助服务区。",
        kiosk=True,
        hours=(
            *OFFICE,
            HoursBlock(5, _t("09:00"), _t("12:00"), HoursKind.EXTENDED, "周六延时服务"),
        ),
    ),
    DemoStation(
        "wx_jy_chengxin",
        "320281001",
        Tier.STATION,
        _I,
        "江苏澄信检验检测认证股份有限公司技术机构站点",
        "江阴市高新区长山大道22号",
        "周敏",
        "0510-86212345",
        "0510-86812315",
        "依托江苏澄信检验检测认证股份有限公司建设，检测、计量、认证三个业务部入驻。",
    ),
    DemoStation(
        "wx_jy_enterprise",
        "320281002",
        Tier.STATION,
        _E,
        "江阴示范精密机械有限公司企业服务站点",
        "江阴临港经济开发区滨江西路168号",
        "吴建新",
        "0510-86612345",
        "0510-12315",
        "设在重点企业内，企业质量部与市场监管部门联合运营。",
        hours=(
            *(
                HoursBlock(d, _t("07:30"), _t("08:30"), HoursKind.STAGGERED, "错时服务：早班交接前")
                for d in MON_FRI
            ),
            *OFFICE,
        ),
    ),
    DemoStation(
        "wx_jy_chengjiang",
        "320281003",
        Tier.STATION,
        _R,
        "澄江街道质量服务站点",
        "江阴市澄江街道人民东路301号便民服务中心",
        "徐丽",
        "0510-86012345",
        "0510-12315",
        "澄江街道便民服务中心与市场监管分局联合设立。",
    ),
    DemoStation(
        "wx_xinwu",
        "320214",
        Tier.STATION,
        _O,
        "无锡市新吴区产业创新服务综合体服务站点",
        "无锡市新吴区菱湖大道200号中国传感网国际创新园",
        "顾晓峰",
        "0510-85212345",
        "0510-12315",
        "新吴区科技和市场监管部门共建，物联网产业专家入驻。",
    ),
]


def _admin() -> User:
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        raise RuntimeError("Load the core demo first: the stations demo acts as its admin.")
    return admin


@transaction.atomic
def stations_demo_load(*, actor: User | None = None) -> list[Station]:
    """Create the demo stations that do not exist yet; return all of them."""
    actor = actor or _admin()
    made: dict[str, Station] = {}
    for demo in STATIONS:
        region = Region.objects.get(code=demo.region)
        existing = Station.objects.filter(
            region=region, name=demo.name, status=StationStatus.ACTIVE
        ).first()
        if existing is not None:
            made[demo.key] = existing
            continue
        details = StationDetails(
            name=demo.name,
            kind=demo.kind,
            parent=made[demo.parent] if demo.parent else None,
            address=demo.address,
            phone=demo.phone,
            complaint_phone=demo.complaint,
            person_in_charge=demo.person,
            organisation=demo.organisation,
            duties_and_rules=RULES,
            services=_services(demo.kind),
            methods=METHODS,
            flow=FLOW,
            self_service_kiosk=demo.kiosk,
        )
        station = station_create(actor=actor, region=region, tier=demo.tier, details=details)
        opening_hours_set(actor=actor, station=station, hours=demo.hours)
        made[demo.key] = station
    return list(made.values())
