"""Credit grades A–E: the formula on hand-made inputs (each component moves
the score the right way, insufficient data is neutral, thresholds), the
inputs gathered from stored rows, and a refresh whose query count does not
grow with the number of institutions."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from onestop.demands.tests import factories as f
from onestop.institutions.models import InstitutionStatus
from onestop.orders.models import OrderStatus
from onestop.supervision import credit, services
from onestop.supervision.models import CreditGrade
from onestop.supervision.selectors import credit_grades_for
from onestop.supervision.tasks import credit_grades

from .conftest import acceptance_clock, complaint, evaluation, issue, make_overdue, order

pytestmark = pytest.mark.clause("HM 5.1", "WX 7.4.1", "LZ 6.5.3")

# A long, clean record: every component has enough data and scores 100.
CLEAN = credit.CreditInputs(
    evaluations=40,
    mean_score=Decimal("5.00"),
    bad_evaluations=0,
    completed_orders=100,
    upheld_complaints=0,
    clocks_decided=50,
    clocks_met=50,
)


def score(inputs: credit.CreditInputs) -> Decimal:
    return credit.credit_compute(inputs).score


# --- the formula -------------------------------------------------------------------------


def test_the_weights_add_up_to_100():
    assert sum(credit.WEIGHTS.values()) == 100
    assert set(credit.WEIGHTS) == set(credit.COMPONENTS) == set(credit.COMPONENT_LABELS)


def test_a_clean_record_is_grade_a():
    result = credit.credit_compute(CLEAN)

    assert (result.grade, result.score) == ("A", Decimal("100.00"))
    assert all(part["sufficient"] for part in result.components.values())


def test_no_history_is_neutral_not_a_reward():
    result = credit.credit_compute(credit.CreditInputs())

    assert result.score == Decimal("86.00")
    assert result.grade == "B"
    insufficient = {n for n, p in result.components.items() if not p["sufficient"]}
    assert insufficient == {"evaluations", "complaints", "clocks"}
    assert result.components["evaluations"]["score"] == credit.NEUTRAL


@pytest.mark.parametrize(
    ("change", "component"),
    [
        ({"mean_score": Decimal("3.50")}, "evaluations"),
        ({"bad_evaluations": 8}, "evaluations"),
        ({"mean_score": None, "bad_evaluations": 4}, "evaluations"),
        ({"upheld_complaints": 2}, "complaints"),
        ({"clocks_met": 40}, "clocks"),
        ({"expiring_kinds": 1}, "qualifications"),
        ({"expired_kinds": 1}, "qualifications"),
        ({"overdue_actions": 1}, "corrective_actions"),
    ],
)
def test_each_component_moves_the_score_down(change, component):
    worse = credit.credit_compute(dataclasses.replace(CLEAN, **change))

    assert worse.score < score(CLEAN)
    assert worse.components[component]["score"] < 100
    others = {n: p["score"] for n, p in worse.components.items() if n != component}
    assert set(others.values()) == {100.0}


def test_more_of_a_bad_thing_is_worse():
    def with_(**change: object) -> Decimal:
        return score(dataclasses.replace(CLEAN, **change))

    assert with_(upheld_complaints=1) > with_(upheld_complaints=3)
    assert with_(overdue_actions=1) > with_(overdue_actions=2) == with_(overdue_actions=5)
    assert with_(expiring_kinds=1) > with_(expired_kinds=1)
    assert with_(clocks_met=45) > with_(clocks_met=20)


def test_grades_fall_with_the_record():
    letters = [
        credit.credit_compute(dataclasses.replace(CLEAN, **change)).grade
        for change in (
            {},
            {"overdue_actions": 1},  # 92.5
            {"overdue_actions": 2, "expiring_kinds": 1},  # 83.5
            {"overdue_actions": 2, "expired_kinds": 2},  # 73
            {"overdue_actions": 2, "expired_kinds": 2, "upheld_complaints": 5},  # 63
            {"overdue_actions": 2, "expired_kinds": 3, "mean_score": Decimal("2")},
        )
    ]

    assert letters == ["A", "A", "B", "C", "D", "E"]


def test_fewer_than_five_evaluations_give_no_grade_from_evaluations():
    four_bad = dataclasses.replace(
        CLEAN, evaluations=4, mean_score=Decimal("1.00"), bad_evaluations=4
    )
    five_bad = dataclasses.replace(four_bad, evaluations=5, bad_evaluations=5)

    neutral = credit.credit_compute(four_bad).components["evaluations"]
    counted = credit.credit_compute(five_bad).components["evaluations"]

    assert (neutral["sufficient"], neutral["score"]) == (False, credit.NEUTRAL)
    assert (counted["sufficient"], counted["score"]) == (True, 0.0)


def test_a_small_institutions_one_upheld_complaint_counts_against_twenty_orders():
    small = dataclasses.replace(CLEAN, completed_orders=3, upheld_complaints=1)

    part = credit.credit_compute(small).components["complaints"]

    assert part["sufficient"]
    assert part["per_100_orders"] == 5.0
    assert part["score"] == 50.0


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        (100, "A"),
        (90, "A"),
        (Decimal("89.99"), "B"),
        (80, "B"),
        (Decimal("79.99"), "C"),
        (70, "C"),
        (60, "D"),
        (Decimal("59.99"), "E"),
        (0, "E"),
    ],
)
def test_thresholds(value, grade):
    assert credit.grade_for(value) == grade


# --- inputs from stored rows -----------------------------------------------------------------


@pytest.mark.django_db
def test_inputs_are_gathered_from_every_source(
    wx_supervisor, institution, offering, owner, category, jiangyin, regions
):
    other = f.institution(regions["650502"], "哈密市产品质量检验所")
    other_offering = f.offering(other, category)
    for n, value in enumerate(["5.00", "4.00", "4.00", "3.00", "2.00"]):
        evaluation(order(offering, owner), score=value, bad=n == 4)
    evaluation(order(other_offering, owner), score="1.00", bad=True)
    for _n in range(3):
        order(offering, owner)  # completed, not evaluated
    order(offering, owner, status=OrderStatus.IN_SERVICE)  # not completed
    complaint(institution, owner, upheld=True)
    complaint(institution, owner, upheld=False)
    complaint(institution, owner, upheld=None)
    old = complaint(institution, owner, upheld=True)
    old.received_at = timezone.now() - dt.timedelta(days=400)
    old.save(update_fields=["received_at"])
    decided = order(offering, owner, status=OrderStatus.ACCEPTED)
    acceptance_clock(decided, met=True)
    acceptance_clock(order(offering, owner, status=OrderStatus.ACCEPTED), met=False)
    acceptance_clock(order(other_offering, owner, status=OrderStatus.ACCEPTED), met=False)
    today = timezone.localdate()
    f.qualification(institution, valid_to=today - dt.timedelta(days=5))  # a lapsed CMA
    make_overdue(issue(wx_supervisor, target=institution))
    issue(wx_supervisor, target=institution)  # not yet due

    facts = services.credit_inputs()[institution.pk]

    assert facts.evaluations == 5
    assert facts.mean_score == Decimal("3.60")
    assert facts.bad_evaluations == 1
    assert facts.completed_orders == 8
    assert facts.upheld_complaints == 1
    assert (facts.clocks_decided, facts.clocks_met) == (2, 1)
    # The offering's CMA (valid two more years) is newer than the lapsed one.
    assert (facts.expired_kinds, facts.expiring_kinds) == (0, 0)
    assert facts.overdue_actions == 1


@pytest.mark.django_db
def test_a_lapsed_certificate_counts_until_renewed(institution):
    today = timezone.localdate()
    f.qualification(institution, valid_to=today - dt.timedelta(days=5))

    assert services.credit_inputs()[institution.pk].expired_kinds == 1

    f.qualification(institution, valid_to=today + dt.timedelta(days=20))
    facts = services.credit_inputs()[institution.pk]

    assert (facts.expired_kinds, facts.expiring_kinds) == (0, 1)


@pytest.mark.django_db
def test_only_actions_awaiting_the_institution_count_as_overdue(wx_supervisor, institution, owner):
    waiting_for_us = make_overdue(issue(wx_supervisor, target=institution))
    services.corrective_action_submit_evidence(
        actor=owner, action=waiting_for_us, evidence="已整改"
    )
    sent_back = make_overdue(issue(wx_supervisor, target=institution))
    services.corrective_action_submit_evidence(actor=owner, action=sent_back, evidence="已整改")
    services.corrective_action_reject_evidence(
        actor=wx_supervisor, action=sent_back, reason="证据不足"
    )
    cancelled = make_overdue(issue(wx_supervisor, target=institution))
    services.corrective_action_cancel(actor=wx_supervisor, action=cancelled, reason="误发")

    assert services.credit_inputs()[institution.pk].overdue_actions == 1


# --- refreshing and storing --------------------------------------------------------------------


@pytest.mark.django_db
def test_refresh_stores_a_grade_per_graded_institution_and_is_idempotent(
    institution, jiangyin, wx_supervisor
):
    pending = f.institution(jiangyin, "待审核机构", status=InstitutionStatus.PENDING)
    make_overdue(issue(wx_supervisor, target=institution))

    assert services.credit_grades_refresh() == 1
    grade = CreditGrade.objects.get(institution=institution)
    assert (grade.grade, grade.score) == ("C", Decimal("78.50"))
    assert grade.components["corrective_actions"]["overdue"] == 1
    assert not CreditGrade.objects.filter(institution=pending).exists()

    assert services.credit_grades_refresh() == 1
    assert CreditGrade.objects.count() == 1


@pytest.mark.django_db
def test_bad_evaluations_move_the_stored_grade_down(institution, offering, owner):
    services.credit_grades_refresh()
    before = CreditGrade.objects.get(institution=institution)
    for _n in range(5):
        evaluation(order(offering, owner), score="2.00", bad=True)

    services.credit_grades_refresh(institution_ids=[institution.pk])

    after = CreditGrade.objects.get(institution=institution)
    assert after.score < before.score
    assert after.grade > before.grade  # "E" sorts after "A"
    assert after.components["evaluations"]["sufficient"]


def test_reviews_taken_out_by_an_upheld_appeal_do_not_count(institution, offering, owner):
    from onestop.evaluations.models import Evaluation

    services.credit_grades_refresh()
    before = CreditGrade.objects.get(institution=institution)
    for _n in range(5):
        evaluation(order(offering, owner), score="2.00", bad=True)
    Evaluation.objects.filter(institution=institution).update(counted=False)

    services.credit_grades_refresh(institution_ids=[institution.pk])

    after = CreditGrade.objects.get(institution=institution)
    assert after.score == before.score
    assert not after.components["evaluations"]["sufficient"]


@pytest.mark.django_db
def test_refresh_of_some_institutions_leaves_the_others(institution, jiangyin):
    other = f.institution(jiangyin, "另一家检测公司")

    assert services.credit_grades_refresh(institution_ids=[other.pk]) == 1

    assert set(CreditGrade.objects.values_list("institution_id", flat=True)) == {other.pk}


@pytest.mark.django_db
def test_refresh_queries_do_not_grow_with_the_institutions(
    jiangyin, category, owner, django_assert_max_num_queries
):
    def grow(count: int, start: int) -> None:
        for n in range(start, start + count):
            lab = f.institution(jiangyin, f"检测公司{n}")
            evaluation(order(f.offering(lab, category), owner), score="4.00")

    grow(3, 0)
    services.credit_grades_refresh()
    # institutions, evaluations, complaints, completed orders, clocks,
    # qualifications, overdue actions, the upsert, the audit row (3 queries),
    # two savepoints each opened and released
    with django_assert_max_num_queries(15) as few:
        services.credit_grades_refresh()
    grow(27, 3)

    with django_assert_max_num_queries(len(few.captured_queries)):
        written = services.credit_grades_refresh()

    assert written == 30
    assert CreditGrade.objects.count() == 30


@pytest.mark.django_db
def test_grades_for_many_institutions_in_one_query(
    institution, jiangyin, django_assert_num_queries
):
    other = f.institution(jiangyin, "另一家检测公司")
    services.credit_grades_refresh()

    with django_assert_num_queries(1):
        grades = credit_grades_for([institution.pk, other.pk, 999_999])

    assert set(grades) == {institution.pk, other.pk}
    assert credit_grades_for([]) == {}


@pytest.mark.django_db
def test_the_command_and_the_task_refresh(institution, capsys):
    call_command("credit_grades")
    assert "credit grades written: 1" in capsys.readouterr().out

    CreditGrade.objects.all().delete()
    credit_grades.delay()

    assert CreditGrade.objects.filter(institution=institution).exists()
