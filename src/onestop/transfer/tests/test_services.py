import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone, translation

from onestop.accounts import authz
from onestop.accounts.models import Role
from onestop.audit.models import AuditEvent
from onestop.catalog.models import ServiceCategory
from onestop.documents.storage import private_storage
from onestop.enterprises.models import Enterprise, EnterpriseStatus
from onestop.experts.models import Availability, Expert
from onestop.institutions.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Offering,
    Qualification,
    QualificationKind,
    StatusChange,
)
from onestop.search.models import SearchDocument
from onestop.stations.models import Station, StationKind, Tier
from onestop.transfer import services, workbook
from onestop.transfer.kinds import IMPORTERS
from onestop.transfer.kinds import experts as ex
from onestop.transfer.kinds import institutions as ins
from onestop.transfer.kinds import offerings as off
from onestop.transfer.kinds import stations as st
from onestop.transfer.kinds.base import zh_label
from onestop.transfer.models import ImportJob, JobStatus
from onestop.transfer.tests.conftest import (
    USCC_A,
    USCC_B,
    USCC_C,
    USCC_D,
    read_xlsx,
    row_of,
    upload_of,
    uscc_for,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


def institution_row(**values):
    base = {
        ins.NAME: "柳州市质量检验检测研究中心",
        ins.USCC: USCC_B,
        ins.KIND: "testing_lab",
        ins.REGION: "450200",
        ins.ADDRESS: "柳州市城中区示范路1号",
        ins.PHONE: "0772-2812345",
        ins.LEGAL: "李明",
        ins.INTRO: "承担产品质量检验、计量检定等技术服务。",
        ins.ONBOARDED: "2024-03-01",
    }
    base.update(values)
    return row_of("institution", **base)


def institutions_file(*rows):
    return xlsx_bytes(IMPORTERS["institution"].columns, rows)


def offering_row(**values):
    base = {
        off.USCC: USCC_B,
        off.NAME: "压力表检定",
        off.CATEGORY: "metrology-verification",
        off.SCOPE: "一般压力表（0~60 MPa），依据 JJG 52",
        off.PRICE_MIN: 80,
        off.PRICE_MAX: 200,
        off.TURNAROUND: 5,
        off.ONLINE: "否",
        off.AT_LAB: "是",
    }
    base.update(values)
    return row_of("offering", **base)


def expert_row(**values):
    base = {
        ex.NAME: "张伟",
        ex.TITLE: "正高级工程师",
        ex.ORGANISATION: "柳州市计量技术测试研究所",
        ex.REGION: "450200",
        ex.FIELDS: "metrology-verification、metrology-consulting",
        ex.SPECIALTIES: "压力计量、流量计量",
        ex.QUALIFICATIONS: "一级注册计量师",
        ex.AVAILABILITY: "limited",
        ex.PHONE: "13800000000",
        ex.EMAIL: "zhangwei@example.cn",
    }
    base.update(values)
    return row_of("expert", **base)


def station_row(**values):
    base = {
        st.NAME: "伊州区质量基础设施一站式服务站",
        st.TIER: "station",
        st.KIND: "regulator_or_park",
        st.REGION: "650502",
        st.PARENT: "哈密市质量基础设施一站式服务中心",
        st.ADDRESS: "伊州区示范路1号",
        st.PHONE: "0902-2312345",
        st.COMPLAINT_PHONE: "0902-12315",
        st.PERSON: "王海军",
        st.SERVICES: "检验检测需求登记",
        st.FLOW: "登记→匹配→服务→回访",
        st.KIOSK: "否",
    }
    base.update(values)
    return row_of("station", **base)


def problems(job):
    return {(p["row"], p["column"]) for p in job.error_report}


@pytest.fixture
def hm_staff(make_user, regions, catalog):
    return make_user("center_staff", "650500", kind="staff")


@pytest.fixture
def institution(lz_staff, run_import):
    job = run_import(lz_staff, "institution", institutions_file(institution_row()))
    assert job.status == JobStatus.DONE
    return Institution.objects.get()


# --- happy imports -------------------------------------------------------------------


@pytest.mark.clause("LZ 4.1")
def test_institutions_become_verified_enterprises_and_active_institutions(lz_staff, run_import):
    with translation.override("zh-hans"):
        label = zh_label(InstitutionKind, InstitutionKind.METROLOGY)
    data = institutions_file(
        institution_row(),
        institution_row(
            **{
                ins.NAME: "柳北区计量所",
                ins.USCC: USCC_C.lower(),
                ins.KIND: label,
                ins.REGION: "450205",
                ins.PHONE: 7722812346,
                ins.ONBOARDED: None,
            }
        ),
    )

    job = run_import(lz_staff, "institution", data)

    assert job.status == JobStatus.DONE, (job.error, job.error_report)
    assert (job.imported_rows, job.total_rows, job.processed_rows) == (2, 2, 2)
    first = Institution.objects.select_related("enterprise").get(enterprise__uscc=USCC_B)
    second = Institution.objects.select_related("enterprise").get(enterprise__uscc=USCC_C)
    assert first.status == second.status == InstitutionStatus.ACTIVE
    assert first.enterprise.status == EnterpriseStatus.VERIFIED
    assert first.enterprise.legal_representative == "李明"
    assert (first.kind, second.kind) == (InstitutionKind.TESTING_LAB, InstitutionKind.METROLOGY)
    assert second.service_phone == "7722812346"
    assert first.agreement_version == second.agreement_version == "import"
    assert timezone.localdate(first.applied_at) == dt.date(2024, 3, 1)
    assert second.applied_at >= job.created_at
    change = StatusChange.objects.get(institution=first)
    assert (change.from_status, change.to_status, change.actor) == ("", "active", lz_staff)
    with translation.override("zh-hans"):
        assert change.reason == translation.gettext("Imported in bulk by the service center")
    event = AuditEvent.objects.get(action="transfer.import")
    assert event.changes["kind"] == "institution"
    assert event.changes["rows"] == 2
    assert sorted(event.changes["ids"]) == sorted([first.pk, second.pk])
    indexed = SearchDocument.objects.filter(kind="institution").values_list("object_id", flat=True)
    assert sorted(indexed) == sorted([first.pk, second.pk])
    assert not job.file  # the upload is not kept once the job is over


@pytest.mark.clause("LZ 4.1")
def test_offerings_attach_to_the_institution_and_its_valid_certificate(
    lz_staff, institution, run_import
):
    today = timezone.localdate()
    cma = Qualification.objects.create(
        institution=institution,
        kind=QualificationKind.CMA,
        number="240012345678",
        scope="压力表",
        issuer="广西壮族自治区市场监督管理局",
        valid_from=today - dt.timedelta(days=30),
        valid_to=today + dt.timedelta(days=300),
    )
    data = xlsx_bytes(
        IMPORTERS["offering"].columns,
        [
            offering_row(
                **{off.QUALIFICATION_KIND: "CMA", off.QUALIFICATION_NUMBER: "240012345678"}
            ),
            offering_row(
                **{
                    off.NAME: "计量咨询",
                    off.CATEGORY: "metrology-consulting",
                    off.PRICE_MIN: "1,250.50",
                    off.PRICE_MAX: None,
                    off.ONLINE: "是",
                    off.AT_LAB: "否",
                }
            ),
        ],
    )

    job = run_import(lz_staff, "offering", data)

    assert job.status == JobStatus.DONE, (job.error, job.error_report)
    checked, advice = Offering.objects.order_by("pk")
    assert checked.institution == institution
    assert checked.qualification == cma
    assert (checked.price_min, checked.price_max) == (Decimal("80.00"), Decimal("200.00"))
    assert checked.turnaround_working_days == 5
    assert (checked.online, checked.at_lab) == (False, True)
    assert advice.category.code == "metrology-consulting"
    assert advice.qualification is None
    assert (advice.price_min, advice.price_max) == (Decimal("1250.50"), None)
    assert (advice.online, advice.at_lab) == (True, False)
    assert SearchDocument.objects.filter(kind="offering").count() == 2


@pytest.mark.clause("LZ 4.1")
def test_experts_are_imported_with_their_fields_and_encrypted_contacts(lz_staff, run_import):
    data = xlsx_bytes(
        IMPORTERS["expert"].columns,
        [
            expert_row(),
            expert_row(
                **{
                    ex.NAME: "李娜",
                    ex.FIELDS: "certification-consulting; standards-info,metrology",
                    ex.AVAILABILITY: None,
                    ex.PHONE: None,
                    ex.EMAIL: None,
                }
            ),
        ],
    )

    job = run_import(lz_staff, "expert", data)

    assert job.status == JobStatus.DONE, (job.error, job.error_report)
    zhang = Expert.objects.get(name="张伟")
    li = Expert.objects.get(name="李娜")
    assert sorted(c.code for c in zhang.categories.all()) == [
        "metrology-consulting",
        "metrology-verification",
    ]
    assert sorted(c.code for c in li.categories.all()) == [
        "certification-consulting",
        "metrology",
        "standards-info",
    ]
    assert zhang.availability == Availability.LIMITED
    assert li.availability == Availability.AVAILABLE
    assert zhang.contact_phone == "13800000000"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT contact_phone FROM {Expert._meta.db_table} WHERE id = %s", [zhang.pk]
        )
        (stored,) = cursor.fetchone()
    assert stored
    assert "13800000000" not in stored  # encrypted at rest
    assert SearchDocument.objects.filter(kind="expert").count() == 2


@pytest.mark.clause("LZ 4.1")
@pytest.mark.clause("HM 4.1.1.1")
def test_stations_are_created_in_file_order_with_parents_from_the_file(hm_staff, run_import):
    with translation.override("zh-hans"):
        center_label = zh_label(Tier, Tier.CENTER)
    data = xlsx_bytes(
        IMPORTERS["station"].columns,
        [
            station_row(
                **{
                    st.NAME: "哈密市质量基础设施一站式服务中心",
                    st.TIER: center_label,
                    st.KIND: "institution",
                    st.REGION: "650500",
                    st.PARENT: None,
                    st.KIOSK: "是",
                }
            ),
            station_row(),
            station_row(
                **{
                    st.NAME: "伊州区东河街道服务点",
                    st.TIER: "point",
                    st.PARENT: "伊州区质量基础设施一站式服务站",
                }
            ),
        ],
    )

    job = run_import(hm_staff, "station", data)

    assert job.status == JobStatus.DONE, (job.error, job.error_report)
    center = Station.objects.get(tier=Tier.CENTER)
    station = Station.objects.get(tier=Tier.STATION)
    point = Station.objects.get(tier=Tier.POINT)
    assert (station.parent, point.parent) == (center, station)
    assert center.self_service_kiosk is True
    assert center.kind == StationKind.INSTITUTION
    assert AuditEvent.objects.filter(action="stations.station_create").count() == 3
    assert AuditEvent.objects.get(action="transfer.import").changes["rows"] == 3
    assert SearchDocument.objects.filter(kind="station").count() == 3


# --- whole-file problems ---------------------------------------------------------------


@pytest.mark.clause("LZ 4.1")
def test_wrong_columns_fail_with_expected_and_found_and_import_nothing(lz_staff, run_import):
    columns = [c for c in IMPORTERS["institution"].columns if c != ins.LEGAL] + ["备注"]
    data = xlsx_bytes(columns, [["x"] * len(columns)])

    job = run_import(lz_staff, "institution", data)

    assert job.status == JobStatus.FAILED
    assert "、".join(IMPORTERS["institution"].columns) in job.error
    assert "备注" in job.error
    assert not Institution.objects.exists()


def test_columns_may_come_in_another_order(lz_staff, run_import):
    columns = list(reversed(IMPORTERS["institution"].columns))
    data = xlsx_bytes(columns, [list(reversed(institution_row()))])

    job = run_import(lz_staff, "institution", data)

    assert job.status == JobStatus.DONE, (job.error, job.error_report)
    assert Institution.objects.get().name == "柳州市质量检验检测研究中心"


def test_a_file_with_only_the_header_is_refused(lz_staff, run_import):
    job = run_import(lz_staff, "institution", institutions_file())
    assert job.status == JobStatus.FAILED
    assert job.error


@pytest.mark.clause("LZ 4.1")
def test_more_than_20000_rows_is_refused_without_importing(lz_staff, run_import):
    row = expert_row()
    data = xlsx_bytes(IMPORTERS["expert"].columns, (row for _ in range(workbook.MAX_ROWS + 1)))

    job = run_import(lz_staff, "expert", data)

    assert job.status == JobStatus.FAILED
    assert "20,000" in job.error
    assert job.total_rows == 0
    assert not Expert.objects.exists()


def test_counting_stops_at_the_limit():
    data = xlsx_bytes(["a"], ([n] for n in range(1000)))
    with workbook.open_sheet(io.BytesIO(data)) as sheet:
        assert workbook.count_rows(sheet, limit=1000) == 1000
        with pytest.raises(workbook.TooManyRows):
            workbook.count_rows(sheet, limit=999)


def test_a_sheet_declaring_a_wrong_size_is_read_for_what_it_holds():
    data = xlsx_bytes(["a"], ([n] for n in range(50)))
    # Make the sheet claim it is one cell big, as some generators do.
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetPr>", b'</sheetPr><dimension ref="A1"/>')
                assert b"<dimension" in content
            target.writestr(info, content)
    with workbook.open_sheet(io.BytesIO(out.getvalue())) as sheet:
        assert workbook.count_rows(sheet) == 50


@pytest.mark.clause("LZ 4.1")
def test_a_file_that_is_not_a_workbook_is_refused_before_a_job_exists(lz_staff):
    with pytest.raises(workbook.FileRejected):
        services.import_job_create(
            actor=lz_staff, kind="institution", upload=upload_of(b"name,uscc\n", "list.xlsx")
        )
    fake_zip = io.BytesIO()
    with zipfile.ZipFile(fake_zip, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(workbook.FileRejected):
        services.import_job_create(
            actor=lz_staff, kind="institution", upload=upload_of(fake_zip.getvalue())
        )
    assert not ImportJob.objects.exists()


def test_a_damaged_workbook_fails_the_job_with_a_clear_error(lz_staff, run_import):
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets>")  # truncated XML

    job = run_import(lz_staff, "institution", broken.getvalue())

    assert job.status == JobStatus.FAILED
    assert job.error
    assert not job.error_report


def test_a_file_over_10_mb_is_refused(lz_staff, settings):
    data = xlsx_bytes(["a"], [["x"]]) + b"\0" * (workbook.MAX_BYTES + 1)
    with pytest.raises(workbook.FileRejected):
        services.import_job_create(actor=lz_staff, kind="institution", upload=upload_of(data))
    assert not ImportJob.objects.exists()


def test_the_upload_is_kept_privately_until_the_job_ends(
    lz_staff, settings, django_capture_on_commit_callbacks
):
    data = xlsx_bytes(IMPORTERS["expert"].columns, [expert_row()])
    with django_capture_on_commit_callbacks(execute=False):
        job = services.import_job_create(actor=lz_staff, kind="expert", upload=upload_of(data))
    path = Path(private_storage().path(job.file))
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert "名录" not in path.name  # never the uploader's file name
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_bytes() == data

    services.import_job_run(job_id=job.pk)

    assert not path.exists()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert not job.file


# --- row problems ----------------------------------------------------------------------


@pytest.mark.clause("LZ 4.1")
def test_duplicate_credit_codes_in_the_file_and_on_the_platform(lz_staff, institution, run_import):
    data = institutions_file(
        institution_row(**{ins.USCC: USCC_C}),
        institution_row(**{ins.USCC: USCC_C, ins.NAME: "另一家"}),
        institution_row(**{ins.USCC: USCC_B}),  # already on the platform
        institution_row(**{ins.USCC: "91450200MA5K6L7N8X"}),  # wrong check character
    )

    job = run_import(lz_staff, "institution", data)

    assert job.status == JobStatus.FAILED
    assert problems(job) == {(3, ins.USCC), (4, ins.USCC), (5, ins.USCC)}
    assert "2" in job.error_report[0]["message"]  # points at the first row with the code
    assert job.error_count == 3
    assert Institution.objects.count() == 1


@pytest.mark.clause("LZ 4.1")
def test_bad_dates_numbers_and_texts_are_reported_per_cell(lz_staff, institution, run_import):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    institutions = institutions_file(
        institution_row(**{ins.USCC: USCC_C, ins.ONBOARDED: "2024-13-45"}),
        institution_row(**{ins.USCC: USCC_D, ins.ONBOARDED: tomorrow.isoformat()}),
        institution_row(
            **{ins.USCC: USCC_A, ins.NAME: "长" * 201, ins.PHONE: "请来电", ins.LEGAL: ""}
        ),
    )
    job = run_import(lz_staff, "institution", institutions)
    assert problems(job) == {
        (2, ins.ONBOARDED),
        (3, ins.ONBOARDED),
        (4, ins.NAME),
        (4, ins.PHONE),
        (4, ins.LEGAL),
    }

    offerings = xlsx_bytes(
        IMPORTERS["offering"].columns,
        [
            offering_row(**{off.PRICE_MIN: "八十元", off.TURNAROUND: "三天"}),
            offering_row(**{off.PRICE_MIN: 300, off.PRICE_MAX: 200, off.TURNAROUND: 2.5}),
            offering_row(**{off.PRICE_MIN: 10.555, off.ONLINE: "也许", off.TURNAROUND: -1}),
        ],
    )
    job = run_import(lz_staff, "offering", offerings)
    assert job.status == JobStatus.FAILED
    assert problems(job) == {
        (2, off.PRICE_MIN),
        (2, off.TURNAROUND),
        (3, off.PRICE_MAX),
        (3, off.TURNAROUND),
        (4, off.PRICE_MIN),
        (4, off.ONLINE),
        (4, off.TURNAROUND),
    }
    assert not Offering.objects.exists()


@pytest.mark.clause("LZ 4.1")
def test_unknown_region_category_and_kind_codes(lz_staff, institution, run_import):
    experts = xlsx_bytes(
        IMPORTERS["expert"].columns,
        [
            expert_row(**{ex.REGION: "999999"}),
            expert_row(**{ex.FIELDS: "metrology、no-such-field"}),
            expert_row(**{ex.AVAILABILITY: "随叫随到"}),
        ],
    )
    job = run_import(lz_staff, "expert", experts)
    assert problems(job) == {(2, ex.REGION), (3, ex.FIELDS), (4, ex.AVAILABILITY)}
    assert "no-such-field" in job.error_report[1]["message"]

    offerings = xlsx_bytes(
        IMPORTERS["offering"].columns,
        [
            offering_row(**{off.CATEGORY: "no-such-category"}),
            offering_row(**{off.USCC: USCC_A}),  # valid code, but no such institution
            offering_row(**{off.QUALIFICATION_KIND: "CMA", off.QUALIFICATION_NUMBER: "X-1"}),
        ],
    )
    job = run_import(lz_staff, "offering", offerings)
    assert problems(job) == {(2, off.CATEGORY), (3, off.USCC), (4, off.QUALIFICATION_NUMBER)}

    job = run_import(
        lz_staff,
        "institution",
        institutions_file(institution_row(**{ins.KIND: "医院", ins.USCC: USCC_C})),
    )
    assert problems(job) == {(2, ins.KIND)}
    assert Expert.objects.count() == Offering.objects.count() == 0


def test_invisible_characters_are_dropped_and_direction_overrides_refused(lz_staff, run_import):
    rows = [
        expert_row(**{ex.NAME: "\u200b张伟\ufeff"}),
        expert_row(**{ex.NAME: "李\u202e娜"}),
    ]
    job = run_import(lz_staff, "expert", xlsx_bytes(IMPORTERS["expert"].columns, rows))
    assert problems(job) == {(3, ex.NAME)}

    job = run_import(lz_staff, "expert", xlsx_bytes(IMPORTERS["expert"].columns, rows[:1]))
    assert Expert.objects.get().name == "张伟"


def test_an_expired_certificate_cannot_cover_an_offering(lz_staff, institution, run_import):
    today = timezone.localdate()
    Qualification.objects.create(
        institution=institution,
        kind=QualificationKind.CNAS,
        number="L1234",
        scope="校准",
        issuer="CNAS",
        valid_from=today - dt.timedelta(days=400),
        valid_to=today - dt.timedelta(days=1),
    )
    data = xlsx_bytes(
        IMPORTERS["offering"].columns,
        [offering_row(**{off.QUALIFICATION_NUMBER: "L1234"})],
    )

    job = run_import(lz_staff, "offering", data)

    assert problems(job) == {(2, off.QUALIFICATION_NUMBER)}
    assert not Offering.objects.exists()


@pytest.mark.clause("LZ 4.1")
def test_rows_outside_the_uploaders_regions_are_refused(jiangyin_staff, run_import):
    data = xlsx_bytes(
        IMPORTERS["expert"].columns,
        [
            expert_row(**{ex.REGION: "320281"}),  # Jiangyin: theirs
            expert_row(**{ex.REGION: "320205"}),  # Xishan, Wuxi: a sibling district
            expert_row(**{ex.REGION: "320200"}),  # Wuxi city itself: above them
        ],
    )

    job = run_import(jiangyin_staff, "expert", data)

    assert job.status == JobStatus.FAILED
    assert problems(job) == {(3, ex.REGION), (4, ex.REGION)}
    assert not Expert.objects.exists()


def test_offerings_of_an_institution_in_another_region_are_refused(
    wx_staff, institution, run_import
):
    data = xlsx_bytes(IMPORTERS["offering"].columns, [offering_row()])
    job = run_import(wx_staff, "offering", data)
    assert problems(job) == {(2, off.USCC)}


@pytest.mark.clause("LZ 4.1")
def test_one_bad_row_among_many_writes_nothing(lz_staff, run_import):
    rows = [institution_row(**{ins.USCC: uscc_for(n), ins.NAME: f"机构{n}"}) for n in range(30)]
    rows[17][IMPORTERS["institution"].columns.index(ins.REGION)] = "000000"

    job = run_import(lz_staff, "institution", institutions_file(*rows))

    assert job.status == JobStatus.FAILED
    assert problems(job) == {(19, ins.REGION)}
    assert Enterprise.objects.count() == Institution.objects.count() == 0
    assert not AuditEvent.objects.filter(action="transfer.import").exists()


@pytest.mark.clause("LZ 4.1")
@pytest.mark.clause("WX 4.2.4")
def test_a_rule_only_the_station_service_knows_rolls_back_the_whole_file(wx_staff, run_import):
    # Wuxi stations disclose a complaint phone (WX 4.2.4): the service refuses row 3
    # while writing, after row 2 was created; row 2 must not stay.
    full = {
        st.REGION: "320281",
        st.PARENT: None,
        st.ORGANISATION: "质量发展科牵头",
        st.DUTIES: "服务投诉及反馈处理制度",
        st.METHODS: "窗口受理",
    }
    data = xlsx_bytes(
        IMPORTERS["station"].columns,
        [
            station_row(**full, **{st.NAME: "江阴市市场监督管理局服务站"}),
            station_row(**full, **{st.NAME: "江阴高新区服务站", st.COMPLAINT_PHONE: None}),
        ],
    )

    job = run_import(wx_staff, "station", data)

    assert job.status == JobStatus.FAILED
    assert problems(job) == {(3, st.COMPLAINT_PHONE)}
    assert not Station.objects.exists()
    assert not AuditEvent.objects.filter(action="stations.station_create").exists()


@pytest.mark.clause("LZ 6.3.1")
def test_station_names_follow_the_local_naming_rule(lz_staff, run_import):
    data = xlsx_bytes(
        IMPORTERS["station"].columns,
        [
            station_row(
                **{
                    st.NAME: "柳北区服务站",
                    st.REGION: "450205",
                    st.PARENT: None,
                }
            ),
            station_row(
                **{
                    st.NAME: "柳州市柳北区质量服务“一站式”平台",
                    st.REGION: "450205",
                    st.PARENT: "不存在的中心",
                }
            ),
        ],
    )

    job = run_import(lz_staff, "station", data)

    assert problems(job) == {(2, st.NAME), (3, st.PARENT)}
    assert "LZ 6.3.1" in job.error_report[0]["message"]


# --- progress ----------------------------------------------------------------------------


def test_progress_reaches_the_total(lz_staff, run_import):
    rows = [expert_row(**{ex.NAME: f"专家{n}"}) for n in range(450)]

    job = run_import(lz_staff, "expert", xlsx_bytes(IMPORTERS["expert"].columns, rows))

    assert job.status == JobStatus.DONE
    assert job.total_rows == job.processed_rows == job.imported_rows == 450
    assert job.started_at is not None
    assert job.finished_at >= job.started_at
    assert Expert.objects.count() == 450


def test_progress_is_saved_every_chunk_while_checking(lz_staff, run_import, monkeypatch):
    seen = []
    update = services._update

    def spy(job, **fields):
        update(job, **fields)
        if "processed_rows" in fields:
            # read back: the value is in the database, where the job page looks
            seen.append(ImportJob.objects.values_list("processed_rows", flat=True).get(pk=job.pk))

    monkeypatch.setattr(services, "_update", spy)
    rows = [expert_row(**{ex.NAME: f"专家{n}"}) for n in range(450)]

    run_import(lz_staff, "expert", xlsx_bytes(IMPORTERS["expert"].columns, rows))

    assert seen == [200, 400, 450]


def test_a_finished_job_is_not_run_again(lz_staff, run_import):
    job = run_import(lz_staff, "expert", xlsx_bytes(IMPORTERS["expert"].columns, [expert_row()]))
    services.import_job_run(job_id=job.pk)
    assert Expert.objects.count() == 1


def _queued(actor, django_capture_on_commit_callbacks, rows):
    data = xlsx_bytes(IMPORTERS["expert"].columns, rows)
    with django_capture_on_commit_callbacks(execute=False):
        return services.import_job_create(actor=actor, kind="expert", upload=upload_of(data))


def test_a_job_another_worker_is_running_is_left_alone(
    lz_staff, django_capture_on_commit_callbacks
):
    job = _queued(lz_staff, django_capture_on_commit_callbacks, [expert_row()])
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.VALIDATING, started_at=timezone.now()
    )

    services.import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.VALIDATING
    assert job.file
    assert not Expert.objects.exists()


def test_a_job_abandoned_by_a_dead_worker_runs_again(lz_staff, django_capture_on_commit_callbacks):
    job = _queued(lz_staff, django_capture_on_commit_callbacks, [expert_row()])
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.IMPORTING, started_at=timezone.now() - dt.timedelta(hours=3)
    )

    services.import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert Expert.objects.count() == 1


def test_a_run_that_lost_its_job_stops_writing(lz_staff, django_capture_on_commit_callbacks):
    job = _queued(lz_staff, django_capture_on_commit_callbacks, [expert_row()])
    stale = ImportJob.objects.get(pk=job.pk)
    stale.started_at = timezone.now() - dt.timedelta(hours=3)
    # another run claimed it meanwhile
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.VALIDATING, started_at=timezone.now(), processed_rows=7
    )

    with pytest.raises(services._Superseded):
        services._update(stale, processed_rows=1)

    assert ImportJob.objects.get(pk=job.pk).processed_rows == 7


def test_the_row_report_is_capped_but_counted(lz_staff, run_import, monkeypatch):
    monkeypatch.setattr("onestop.transfer.kinds.base.REPORT_CAP", 5)
    rows = [expert_row(**{ex.REGION: "nowhere"}) for _ in range(12)]

    job = run_import(lz_staff, "expert", xlsx_bytes(IMPORTERS["expert"].columns, rows))

    assert job.error_count == 12
    assert len(job.error_report) == 5


# --- export ------------------------------------------------------------------------------


def _export(actor, kind):
    out = io.BytesIO()
    services.export_write(actor=actor, kind=kind, out=out)
    return out.getvalue()


@pytest.mark.clause("LZ 4.1")
def test_export_then_import_into_an_empty_platform_gives_the_same_lists(
    hm_staff, run_import, regions
):
    institutions = institutions_file(
        institution_row(**{ins.REGION: "650502", ins.USCC: USCC_C, ins.NAME: "哈密市计量检定所"}),
        institution_row(
            **{ins.REGION: "650500", ins.USCC: USCC_D, ins.KIND: "certification", ins.INTRO: None}
        ),
    )
    offerings = xlsx_bytes(
        IMPORTERS["offering"].columns,
        [
            offering_row(**{off.USCC: USCC_C}),
            offering_row(**{off.USCC: USCC_D, off.PRICE_MIN: None, off.PRICE_MAX: 99.5}),
        ],
    )
    experts = xlsx_bytes(
        IMPORTERS["expert"].columns,
        [expert_row(**{ex.REGION: "650502", ex.PHONE: "+86 138 0000 0000"})],
    )
    stations = xlsx_bytes(
        IMPORTERS["station"].columns,
        [
            station_row(
                **{
                    st.NAME: "伊州区东河街道服务点",
                    st.TIER: "point",
                    st.PARENT: "伊州区质量基础设施一站式服务站",
                }
            ),
            station_row(),
            station_row(
                **{
                    st.NAME: "哈密市质量基础设施一站式服务中心",
                    st.TIER: "center",
                    st.REGION: "650500",
                    st.PARENT: None,
                }
            ),
        ],
    )
    # Stations are listed child-first above; the import needs parents first.
    stations = xlsx_bytes(IMPORTERS["station"].columns, list(reversed(read_xlsx(stations)[1:])))
    for kind, data in [
        ("institution", institutions),
        ("offering", offerings),
        ("expert", experts),
        ("station", stations),
    ]:
        job = run_import(hm_staff, kind, data)
        assert job.status == JobStatus.DONE, (kind, job.error, job.error_report)

    exported = {kind: _export(hm_staff, kind) for kind in IMPORTERS}
    assert len(read_xlsx(exported["station"])) == 4

    Offering.objects.all().delete()
    Institution.objects.all().delete()
    Enterprise.objects.all().delete()
    Expert.objects.all().delete()
    for tier in (Tier.POINT, Tier.STATION, Tier.CENTER):
        Station.objects.filter(tier=tier).delete()

    for kind in ("institution", "offering", "expert", "station"):
        job = run_import(hm_staff, kind, exported[kind])
        assert job.status == JobStatus.DONE, (kind, job.error, job.error_report)
        assert read_xlsx(_export(hm_staff, kind)) == read_xlsx(exported[kind])
    assert Expert.objects.get().contact_phone == "+86 138 0000 0000"


@pytest.mark.clause("LZ 4.1")
def test_export_covers_only_the_readers_regions(lz_staff, wx_staff, run_import):
    rows = [expert_row(**{ex.NAME: "柳州专家"})]
    run_import(lz_staff, "expert", xlsx_bytes(IMPORTERS["expert"].columns, rows))
    rows = [expert_row(**{ex.NAME: "无锡专家", ex.REGION: "320281"})]
    run_import(wx_staff, "expert", xlsx_bytes(IMPORTERS["expert"].columns, rows))

    names = [row[0] for row in read_xlsx(_export(wx_staff, "expert"))[1:]]

    assert names == ["无锡专家"]
    event = AuditEvent.objects.filter(action="transfer.export").get()
    assert event.changes == {"kind": "expert", "rows": 1, "contacts": True}


def test_expert_contacts_are_exported_only_to_expert_managers(lz_staff, run_import, monkeypatch):
    run_import(lz_staff, "expert", xlsx_bytes(IMPORTERS["expert"].columns, [expert_row()]))
    columns = IMPORTERS["expert"].columns
    phone, email = columns.index(ex.PHONE), columns.index(ex.EMAIL)

    row = read_xlsx(_export(lz_staff, "expert"))[1]
    assert (row[phone], row[email]) == ("13800000000", "zhangwei@example.cn")

    # A deployment where the service center imports lists but does not keep the pool.
    monkeypatch.setitem(authz.GRANTS, authz.Perm.EXPERT_MANAGE, frozenset({Role.SYSADMIN}))
    row = read_xlsx(_export(lz_staff, "expert"))[1]
    assert (row[phone], row[email]) == (None, None)
    assert row[0] == "张伟"


@pytest.mark.clause("LZ 4.1")
def test_exported_text_cannot_run_as_a_formula(lz_staff, run_import, regions):
    expert = Expert.objects.create(
        name='=HYPERLINK("http://evil.example","点击")',
        title="+SUM(1,2)",
        organisation="-2+3",
        region=regions["450200"],
        specialties="@cmd",
        qualifications="\t=1+1",
    )
    expert.categories.set(ServiceCategory.objects.filter(code="metrology"))

    data = _export(lz_staff, "expert")

    sheet = read_xlsx(data)
    assert sheet[1][:3] == ['\'=HYPERLINK("http://evil.example","点击")', "'+SUM(1,2)", "'-2+3"]
    assert sheet[1][5] == "'@cmd"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")  # no formula cell
    # and the escaped file imports back to the original text
    expert.delete()
    job = run_import(lz_staff, "expert", data)
    assert job.status == JobStatus.DONE, (job.error, job.error_report)
    again = Expert.objects.get()
    assert (again.name, again.title, again.organisation, again.specialties) == (
        '=HYPERLINK("http://evil.example","点击")',
        "+SUM(1,2)",
        "-2+3",
        "@cmd",
    )


def test_escape_leaves_ordinary_values_alone():
    assert workbook.escape("柳州") == "柳州"
    assert workbook.escape(-5) == -5
    assert workbook.escape("=A1") == "'=A1"
    assert workbook.unescape("'=A1") == "=A1"
    assert workbook.unescape("'quoted'") == "'quoted'"


@pytest.mark.clause("LZ 4.1")
def test_templates_have_the_header_and_an_example_that_passes_the_checks(lz_staff, run_import):
    for kind, importer in IMPORTERS.items():
        out = io.BytesIO()
        services.template_write(kind=kind, out=out)
        rows = read_xlsx(out.getvalue())
        assert rows[0] == list(importer.columns)
        assert len(rows) == 2
    # the institutions template imports as it is
    out = io.BytesIO()
    services.template_write(kind="institution", out=out)
    job = run_import(lz_staff, "institution", out.getvalue())
    assert job.status == JobStatus.DONE, (job.error, job.error_report)


def test_the_report_workbook_lists_each_problem(lz_staff, run_import):
    rows = [expert_row(**{ex.REGION: "nowhere"}), expert_row(**{ex.NAME: None})]
    job = run_import(lz_staff, "expert", xlsx_bytes(IMPORTERS["expert"].columns, rows))

    out = io.BytesIO()
    services.report_write(job=job, out=out)

    report = read_xlsx(out.getvalue())
    assert [row[:2] for row in report[1:]] == [[2, ex.REGION], [3, ex.NAME]]
