"""Plausible Chinese names, addresses and texts for generated data (content,
not UI text). Deterministic for a given random.Random."""

from __future__ import annotations

import random

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉宇浩凯鹏飞俊"
    "峰雪梅琳晨欣怡佳瑞博涵宁"
)
TRADE = (
    "恒达", "宏远", "鑫源", "华泰", "金桥", "天成", "瑞丰", "永盛", "昌隆", "中科",
    "新锐", "博远", "德润", "嘉禾", "信诚", "卓越", "汇通", "东方", "精工", "万向",
)  # fmt: skip
INDUSTRIES = (
    ("机械制造", "机械"), ("电子信息", "电子科技"), ("食品加工", "食品"), ("纺织服装", "纺织"),
    ("化工材料", "新材料"), ("建材", "建材"), ("医疗器械", "医疗器械"), ("汽车零部件", "汽车配件"),
    ("农产品", "农业科技"), ("仪器仪表", "仪器"),
)  # fmt: skip
LAB_KINDS = (
    ("testing_lab", "检验检测中心"), ("metrology", "计量测试所"), ("certification", "认证有限公司"),
    ("standards", "标准化服务中心"), ("ip_agency", "知识产权代理事务所"),
    ("special_equipment", "特种设备检验所"),
)  # fmt: skip
STREETS = ("人民路", "解放路", "建设大道", "中山路", "工业园路", "科技大道", "长江路", "创业路")
NEEDS = (
    "产品出厂检验", "计量器具校准", "企业标准制定", "质量管理体系认证", "商标注册咨询",
    "压力容器定期检验", "能效检测", "食品营养成分检测", "电磁兼容测试", "原材料化学成分分析",
)  # fmt: skip


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def company(rng: random.Random, place: str, industry_suffix: str) -> str:
    return f"{place}{rng.choice(TRADE)}{industry_suffix}有限公司"


def address(rng: random.Random, place: str) -> str:
    return f"{place}{rng.choice(STREETS)}{rng.randint(1, 999)}号"


def phone(rng: random.Random) -> str:
    return f"0{rng.randint(100, 999)}-{rng.randint(2000000, 8999999)}"


def uscc(serial: int) -> str:
    """18 characters, unique per serial; not a valid check digit (generated data)."""
    return f"91{serial:015d}X"
