"""Search latency at scale (issue 4): 50,000 offerings, ten Chinese queries.

Prints, for SQLite and for PostgreSQL, the time to build the index and the
p50/p95 latency of ten queries (the search selector: synonyms, count, page
and highlighting — what a search page does apart from rendering HTML), plus
the number of SQL queries of the whole search page for a narrow and a broad
query, which must be the same.

Usage:  .venv/bin/python bench/search.py [--offerings 50000] [--repeat 30]
                                          [--only sqlite|postgresql]
PostgreSQL is taken from BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/)
and a database ``onestop_bench_search`` is created there (and dropped first).
Not a test: it prints figures for the closing notes and docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    "压力表校准",
    "电子天平检定",
    "农药残留检测",
    "电梯定期检验",
    "商标注册",
    "质量管理体系认证",
    "CMA 资质认定",
    "标准化良好行为",
    "能源计量审查",
    "检测",
]

INSTRUMENTS = [
    "压力表",
    "电子天平",
    "出租车计价器",
    "加油机",
    "电能表",
    "水表",
    "燃气表",
    "血压计",
    "温度计",
    "砝码",
    "流量计",
    "衡器",
    "声级计",
    "压力变送器",
    "酸度计",
    "分光光度计",
]
ACTIONS = ["校准", "检定", "检测", "维修后检定", "期间核查"]
TESTS = [
    ("食品中农药残留检测", "依据 GB 2763 检测蔬菜水果中农药最大残留限量"),
    ("饮用水卫生检测", "依据 GB 5749 检测生活饮用水卫生指标"),
    ("纺织品甲醛含量检测", "依据 GB/T 2912.1 测定纺织品中甲醛含量"),
    ("建筑材料放射性检测", "依据 GB 6566 检测建筑材料放射性核素限量"),
    ("电线电缆性能检验", "导体电阻、绝缘厚度、耐压试验"),
]
OTHERS = [
    ("ISO 9001 质量管理体系认证", "certification", "质量管理体系认证审核与发证"),
    ("商标注册代理", "brand", "商标查询、商标注册申请代理、续展"),
    ("发明专利申请代理", "brand", "技术交底、专利检索、撰写与申请代理"),
    ("电梯定期检验", "special_equipment", "依据 TSG T7001 开展电梯定期检验"),
    ("企业标准制修订咨询", "standardization", "企业标准起草、标准自我声明公开指导"),
    ("标准化良好行为企业创建辅导", "standardization", "依据 GB/T 15496 辅导企业创建"),
    ("能源计量审查辅导", "metrology", "重点用能单位能源计量器具配备与管理审查"),
    ("首席质量官培训", "quality_management", "质量管理知识与方法培训"),
]


def child(offerings: int, repeat: int) -> None:
    import django

    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.config.settings.test")
    django.setup()
    # The figures are the output: no per-request log lines (logins, axes).
    import logging

    logging.disable(logging.INFO)

    import datetime as dt
    import random
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from onestop.catalog.models import ServiceCategory
    from onestop.catalog.services import catalog_load_bundled
    from onestop.enterprises.models import Enterprise, EnterpriseStatus
    from onestop.institutions.models import (
        Institution,
        InstitutionKind,
        InstitutionStatus,
        Offering,
        Qualification,
        QualificationKind,
    )
    from onestop.regions.models import Region
    from onestop.regions.services import regions_load_bundled
    from onestop.search import index
    from onestop.search.selectors import SearchParams, search
    from onestop.search.synonyms import synonyms_load_defaults

    vendor = connection.vendor
    call_command("migrate", verbosity=0)
    regions_load_bundled()
    catalog_load_bundled()
    synonyms_load_defaults()
    rng = random.Random(20261121)
    cities = list(Region.objects.filter(code__in=["450200", "650500", "320200", "320281"]))
    subs = {
        c.parent.code: []
        for c in ServiceCategory.objects.filter(parent__isnull=False).select_related("parent")
    }
    for c in ServiceCategory.objects.filter(parent__isnull=False).select_related("parent"):
        subs[c.parent.code].append(c)

    started = time.perf_counter()
    n_institutions = max(50, offerings // 100)
    now = timezone.now()
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name=f"基准测试机构{i:04d}",
            uscc=f"BENCH{i:013d}",
            legal_representative="张三",
            address="某路",
            region=cities[i % len(cities)],
            industry="技术服务",
            status=EnterpriseStatus.VERIFIED,
        )
        for i in range(n_institutions)
    )
    SUFFIXES = ["计量测试所", "检验检测中心", "认证咨询中心"]
    kinds = [InstitutionKind.METROLOGY, InstitutionKind.TESTING_LAB, InstitutionKind.CERTIFICATION]
    institutions = Institution.objects.bulk_create(
        Institution(
            enterprise=e,
            name=f"{e.region.name}第{i:04d}号{SUFFIXES[i % 3]}",
            kind=kinds[i % 3],
            region=e.region,
            address="某路",
            service_phone="0510-1234567",
            status=InstitutionStatus.ACTIVE,
            agreement_version="bench",
            agreement_accepted_at=now,
            applied_at=now,
            rating=Decimal(rng.randint(30, 50)) / 10,
        )
        for i, e in enumerate(enterprises)
    )
    qualifications = Qualification.objects.bulk_create(
        Qualification(
            institution=inst,
            kind=QualificationKind.CMA if i % 2 else QualificationKind.CNAS,
            number=f"Q{i:08d}",
            scope="检验检测",
            issuer="省市场监督管理局",
            valid_from=dt.date(2023, 1, 1),
            valid_to=dt.date(2026, 6, 1) if i % 20 == 0 else dt.date(2029, 1, 1),
        )
        for i, inst in enumerate(institutions)
    )
    rows = []
    for _ in range(offerings):
        inst_i = rng.randrange(n_institutions)
        roll = rng.random()
        if roll < 0.5:
            name = rng.choice(INSTRUMENTS) + rng.choice(ACTIONS)
            scope = (
                f"{name}，测量范围按规程，依据 JJG {rng.randint(1, 1200)}-20{rng.randint(10, 24)}"
            )
            category = rng.choice(subs["metrology"])
        elif roll < 0.8:
            name, scope = rng.choice(TESTS)
            category = rng.choice(subs["testing"])
        else:
            name, top, scope = rng.choice(OTHERS)
            category = rng.choice(subs[top])
        rows.append(
            Offering(
                institution=institutions[inst_i],
                category=category,
                name=name,
                scope=scope,
                qualification=qualifications[inst_i],
                price_min=Decimal(rng.randint(50, 300)),
                price_max=Decimal(rng.randint(300, 900)),
                turnaround_working_days=rng.randint(1, 15),
                online=rng.random() < 0.3,
                at_lab=True,
            )
        )
    Offering.objects.bulk_create(rows, batch_size=2000)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    counts = index.rebuild()
    indexed = time.perf_counter() - started
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument")

    print(f"\n== {vendor} ({connection.settings_dict['NAME']})")
    print(
        f"data: {offerings} offerings, {n_institutions} institutions, "
        f"generated in {generated:.1f} s"
    )
    print(f"index: {sum(counts.values())} documents ({counts}) built in {indexed:.1f} s")
    today = timezone.localdate()
    search(SearchParams(q="预热"), today=today)  # jieba's dictionary
    print(f"{'query':<16}{'results':>9}{'p50 ms':>9}{'p95 ms':>9}")
    all_times: list[float] = []
    for q in QUERIES:
        times = []
        total = 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            result = search(SearchParams(q=q), today=today)
            times.append((time.perf_counter() - t0) * 1000)
            total = result.total
        times.sort()
        all_times += times
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{q:<16}{total:>9}{p50:>9.1f}{p95:>9.1f}")
    all_times.sort()
    print(
        f"all queries: p50 {statistics.median(all_times):.1f} ms, "
        f"p95 {all_times[int(len(all_times) * 0.95)]:.1f} ms"
    )
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    for q in ("压力表校准", "检测"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/search/", {"q": q, "page": 2})
        assert response.status_code == 200, response.status_code
        print(f"search page ?q={q}&page=2: {len(captured)} SQL queries")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offerings", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.offerings, args.repeat)
        return
    backends = []
    if args.only in (None, "sqlite"):
        folder = tempfile.mkdtemp(prefix="onestop-bench-")
        backends.append(f"sqlite:///{folder}/bench.sqlite3")
    if args.only in (None, "postgresql"):
        base = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")
        subprocess.run(
            ["psql", base + "postgres", "-qc", "DROP DATABASE IF EXISTS onestop_bench_search"],
            check=True,
        )
        subprocess.run(
            ["psql", base + "postgres", "-qc", "CREATE DATABASE onestop_bench_search"], check=True
        )
        backends.append(base + "onestop_bench_search")
    for url in backends:
        env = {**os.environ, "DATABASE_URL": url}
        env.pop("REDIS_URL", None)
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                f"--offerings={args.offerings}",
                f"--repeat={args.repeat}",
            ],
            env=env,
            check=True,
        )


if __name__ == "__main__":
    main()
