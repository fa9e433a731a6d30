"""The analysis of dissatisfaction (WX 8.1.3, HM 5.3) on hand-made data:
evaluations through the real questionnaire links, complaints as registered."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from onestop.catalog.models import ServiceItem
from onestop.evaluations import services as evaluation_services
from onestop.evaluations.models import Evaluation, RectificationCase
from onestop.summaries.analysis import dissatisfaction_analysis
from onestop.summaries.terms import words_of
from onestop.supervision.services.actions import (
    ActionInput,
    corrective_action_cancel,
    corrective_action_issue,
)

from .conftest import SH, YEAR, answers, complain, evaluate

pytestmark = [pytest.mark.django_db, pytest.mark.clause("WX 8.1.3")]

ALL_BAD = {
    "institution_flow": "very_dissatisfied",
    "institution_1": "very_dissatisfied",
    "institution_2": "very_dissatisfied",
    "institution_3": "very_dissatisfied",
    "institution_4": "very_dissatisfied",
    "institution_5": "no",
}


@pytest.fixture
def year_data(world):
    """Lab: 5 calibrations (3 dissatisfied, one handled by a station) and 1 cable test;
    the other lab: 4 evaluations, all bad; 4 complaints."""
    e1 = evaluate(
        world,
        world.calibration,
        answers(institution_3="dissatisfied", institution_4="dissatisfied"),
        comment="工作人员态度很差，服务不好",
    )
    evaluate(
        world,
        world.calibration,
        answers(institution_1="very_dissatisfied", institution_5="no"),
        comment="报告出具太慢，等了两周",
    )
    e3 = evaluate(
        world,
        world.calibration,
        answers(institution_3="dissatisfied"),
        comment="态度差，收费也不透明",
    )
    evaluate(world, world.calibration, comment="态度很好")  # satisfied: not analysed for terms
    evaluate(world, world.calibration, proxy=True)
    evaluate(world, world.testing)
    for comment in ("检测报告有错误，态度也差", "检测报告有错误，态度也差", "", ""):
        evaluate(world, world.other_offering, ALL_BAD, comment=comment)
    complain(world, type="attitude", content="工作人员态度恶劣", upheld=True)
    complain(world, type="attitude", content="窗口人员态度冷漠", upheld=False)
    complain(world, type="fees", content="收费不透明，多收了检测费")
    complain(world, type="timeliness", content="报告出具超时", satisfaction="dissatisfied")
    # One rectification case dealt with (WX 8.1.3: corrected).
    evaluation_services.rectification_callback_record(
        actor=world.lz_manager,
        case=e3.rectification,
        method="phone",
        outcome="已向用户致歉并说明收费依据",
        user_confirmed=True,
    )
    lab_action = corrective_action_issue(
        actor=world.lz_manager,
        data=ActionInput(
            target_kind="institution",
            institution=world.lab,
            problem="报告出具超期",
            requirement="十个工作日内整改报告流程",
            source_kind="rectification",
            rectification_case=e1.rectification,
            due_on=dt.date(YEAR, 12, 15),
        ),
    )
    staff_action = corrective_action_issue(
        actor=world.lz_manager,
        data=ActionInput(
            target_kind="staff",
            staff_member=world.station_staff,
            problem="窗口接待态度生硬",
            requirement="参加服务礼仪培训",
            source_kind="other",
            source_text="现场检查",
            due_on=dt.date(YEAR, 12, 1),
        ),
    )
    corrective_action_cancel(actor=world.lz_manager, action=staff_action, reason="已另行处理")
    return {"e1": e1, "e3": e3, "actions": [lab_action, staff_action]}


def analyse(world, *, start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 11, 18), region=None):
    with translation.override("en"):
        return dissatisfaction_analysis(region=region or world.liuzhou, start=start, end=end)


def rows(analysis, key):
    return analysis.table(key).rows


def test_the_totals_count_evaluations_dissatisfied_and_complaints(world, year_data):
    analysis = analyse(world)

    assert (analysis.evaluations, analysis.dissatisfied, analysis.complaints) == (10, 7, 4)


def test_online_and_offline_evaluations_are_told_apart(world, year_data):
    assert rows(analyse(world), "channels") == [
        ["Online platform", 9, 7, Decimal("77.8")],
        ["Offline stations", 1, 0, Decimal("0.0")],
        ["Total", 10, 7, Decimal("70.0")],
    ]


def test_bad_answers_are_grouped_by_dimension(world, year_data):
    by_dimension = {row[0]: row[1:] for row in rows(analyse(world), "dimensions")}

    assert by_dimension == {
        "办事流程": [10, 4, Decimal("40.0")],
        "服务效率": [10, 5, Decimal("50.0")],
        "专业水平": [10, 4, Decimal("40.0")],
        "服务态度": [10, 6, Decimal("60.0")],
        "总体评价": [10, 5, Decimal("50.0")],
        "问题解决": [10, 5, Decimal("50.0")],
    }


def test_bad_answers_by_question_most_frequent_first(world, year_data):
    questions = rows(analyse(world), "questions")

    assert [(row[2], row[4]) for row in questions[:1]] == [("服务态度", 6)]
    assert sum(row[4] for row in questions) == 4 + 5 + 4 + 6 + 5 + 5
    assert {row[0] for row in questions} == {"服务好差评"}


def test_not_solved_is_counted_by_who_was_evaluated(world, year_data):
    assert rows(analyse(world), "not_solved") == [["Service institutions", 10, 5, Decimal("50.0")]]


def test_complaints_are_grouped_by_type_with_upheld_and_dissatisfied(world, year_data):
    assert rows(analyse(world), "complaint_types") == [
        ["Attitude or conduct", 2, 1, 0],
        ["Fees", 1, 0, 0],
        ["Delay or missed deadline", 1, 0, 1],
    ]


def test_rectification_cases_are_grouped_by_reason_with_how_many_were_closed(world, year_data):
    assert RectificationCase.objects.count() == 7
    by_reason = {row[0]: row[1:] for row in rows(analyse(world), "rectification")}

    assert by_reason == {
        "办事流程": [4, 0, 4],
        "服务效率": [5, 0, 5],
        "专业水平": [4, 0, 4],
        "服务态度": [6, 1, 5],
        "总体评价": [5, 0, 5],
        "问题解决": [5, 0, 5],
        "All cases": [7, 1, 6],
    }


def test_frequent_terms_come_from_dissatisfied_comments_and_complaints(world, year_data):
    analysis = analyse(world)
    terms = {term.word: term.count for term in analysis.terms}

    # 3 dissatisfied comments and 2 complaints say 态度; the satisfied "态度很好" does not count.
    assert analysis.terms[0].word == "态度"
    assert terms["态度"] == 5
    assert terms["检测报告"] == 2
    assert terms["收费"] == 2
    # Generic words, single characters and function words are left out.
    assert not {"服务", "差", "也", "的", "了"} & set(terms)
    assert len(analysis.terms) <= 20
    assert rows(analysis, "terms")[0] == [1, "态度", 5]


WORDS = [
    *("收费", "排队", "窗口", "态度", "报告", "效率", "流程", "材料", "预约", "电话"),
    *("网站", "系统", "样品", "证书", "价格", "人员", "地址", "通知", "短信", "邮件"),
    *("审核", "资料", "现场", "等待", "发票"),
]


def test_only_the_top_twenty_terms_are_kept(world):
    for n in range(len(WORDS)):
        evaluate(world, world.calibration, ALL_BAD, comment=" ".join(WORDS[: n + 1]))

    terms = analyse(world).terms

    assert len(WORDS) == 25
    assert [(t.word, t.count) for t in terms[:2]] == [("收费", 25), ("排队", 24)]
    assert [t.word for t in terms] == WORDS[:20]


def test_the_worst_rated_need_at_least_five_evaluations(world, year_data):
    analysis = analyse(world)

    # The other lab has 4 evaluations (all bad): not enough to be ranked.
    assert rows(analysis, "worst_institutions") == [["柳州市示范计量检测所", 6, Decimal("3.70"), 3]]
    assert rows(analysis, "worst_offerings") == [
        ["压力表校准", "柳州市示范计量检测所", 5, Decimal("3.64"), 3]
    ]

    evaluate(world, world.other_offering, ALL_BAD)
    ranked = rows(analyse(world), "worst_institutions")

    assert [row[0] for row in ranked] == ["柳州市产品质量检验所", "柳州市示范计量检测所"]
    assert ranked[0][1:] == [5, Decimal("1.00"), 5]


def test_service_items_are_ranked_through_their_offerings(world, year_data):
    item = ServiceItem.objects.create(
        category=world.calibration.category,
        name="计量器具校准",
        summary="校准",
        conditions="无",
        time_limit_working_days=5,
        fees="按标准收费",
        channel="online",
        handled_by="计量所",
    )
    world.calibration.service_item = item
    world.calibration.save(update_fields=["service_item"])

    assert rows(analyse(world), "worst_service_items") == [["计量器具校准", 5, Decimal("3.64"), 3]]


def test_reviews_taken_out_by_an_upheld_appeal_are_left_out(world, year_data):
    Evaluation.objects.filter(pk=year_data["e1"].pk).update(counted=False)

    analysis = analyse(world)

    assert (analysis.evaluations, analysis.dissatisfied) == (9, 6)
    assert "很差" not in {term.word for term in analysis.terms}


def test_the_year_runs_from_new_year_to_new_year_in_china_time(world, time_machine):
    time_machine.move_to(dt.datetime(2025, 12, 31, 23, 50, tzinfo=SH), tick=False)
    evaluate(world, world.calibration, ALL_BAD, comment="年末的差评")
    time_machine.move_to(dt.datetime(2026, 1, 1, 0, 10, tzinfo=SH), tick=False)
    evaluate(world, world.calibration, comment="新年第一条")

    last_year = analyse(world, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    this_year = analyse(world)

    assert (last_year.evaluations, last_year.dissatisfied) == (1, 1)
    assert (this_year.evaluations, this_year.dissatisfied) == (1, 0)


def test_a_region_sees_its_subtree_only(world, year_data):
    assert analyse(world, region=world.chengzhong).evaluations == 10
    wuxi = analyse(world, region=world.wuxi)

    assert (wuxi.evaluations, wuxi.complaints, wuxi.terms) == (0, 0, [])
    assert rows(wuxi, "worst_institutions") == []


def test_the_analysis_takes_a_fixed_number_of_queries(world, year_data, django_assert_num_queries):
    with django_assert_num_queries(8):
        analyse(world)
    evaluate(world, world.other_offering, ALL_BAD, comment="又一条差评")
    with django_assert_num_queries(8):
        analyse(world)


@pytest.mark.clause("HM 5.3")
def test_corrective_actions_of_the_year_are_listed_with_their_state(world, year_data):
    lab_action, staff_action = year_data["actions"]
    analysis = analyse(world)

    assert rows(analysis, "corrective_actions") == [
        [
            lab_action.number,
            "柳州市示范计量检测所",
            "Rectification case after a bad evaluation",
            "报告出具超期",
            "2026-12-15",
            "Issued, awaiting correction",
            "",
        ],
        # A staff member is not named in the summary.
        [
            staff_action.number,
            "Staff member",
            "Other finding",
            "窗口接待态度生硬",
            "2026-12-01",
            "Cancelled",
            "2026-11-18",
        ],
    ]
    assert rows(analysis, "corrective_states") == [
        ["Cancelled", 1],
        ["Issued, awaiting correction", 1],
    ]
    assert "站点周磊" not in str(analysis.tables)


def test_names_and_numbers_never_become_terms():
    words = words_of("工作人员王小明态度很差，电话13800001234，找李师傅也没用")

    assert "态度" in words
    assert not {"王小明", "李师傅", "13800001234"} & words
    assert not any(ch.isdigit() for word in words for ch in word)
