"""The recommendation engine on a small world: each factor moves the ranking
the way it should, the parts add up, and a ranking costs a fixed number of
queries."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from onestop.demands import engine, explain
from onestop.demands.models import Demand
from onestop.demands.tests import factories as f
from onestop.demands.tests.conftest import publish
from onestop.institutions.models import InstitutionStatus, OfferingStatus
from onestop.supervision.models import CreditGrade

pytestmark = [pytest.mark.django_db, pytest.mark.clause("WX 7.2.2.2.1")]


@pytest.fixture
def need(person, calibration, jiangyin) -> Demand:
    demand = publish(person, calibration, jiangyin)
    return Demand.objects.select_related("category", "region").get(pk=demand.pk)


def order(demand: Demand, **kwargs) -> list[str]:
    return [c.offering.institution.name for c in engine.rank(demand, **kwargs)]


def part(demand: Demand, name: str) -> dict[str, dict]:
    return {c.offering.institution.name: c.parts[name] for c in engine.rank(demand)}


def test_category_same_sub_category_before_same_top_before_other(need, jiangyin, categories):
    other = f.offering(f.institution(jiangyin, "丙检测公司"), categories["testing-services"])
    f.offering(f.institution(jiangyin, "乙检测公司"), categories["metrology"])
    f.offering(f.institution(jiangyin, "甲检测公司"), categories["metrology-calibration"])
    f.index(other)  # another top category is a candidate only through its words

    ranked = engine.rank(need)

    assert [c.offering.institution.name for c in ranked] == [
        "甲检测公司",
        "乙检测公司",
        "丙检测公司",
    ]
    assert [c.parts["category"]["detail"] for c in ranked] == [
        "same_category",
        "same_top_category",
        "other",
    ]


def test_offerings_outside_the_category_are_found_through_the_index(need, jiangyin, categories):
    words = f.offering(
        f.institution(jiangyin, "丙检测公司"),
        categories["testing-services"],
        name="压力表校准检测",
        scope="压力表 校准 一般压力表",
    )
    unrelated = f.offering(
        f.institution(jiangyin, "丁检测公司"),
        categories["testing-products"],
        name="纺织品色牢度检测",
        scope="纺织品 色牢度",
    )
    f.index(words, unrelated)

    ranked = {c.offering.institution.name: c for c in engine.rank(need)}

    assert "丙检测公司" in ranked
    assert "丁检测公司" not in ranked  # neither the category nor a word
    assert ranked["丙检测公司"].parts["category"]["detail"] == "other"
    assert "压力表" in ranked["丙检测公司"].parts["text"]["words"]


def test_text_similarity_ranks_the_matching_description_first(need, jiangyin, calibration):
    f.offering(
        f.institution(jiangyin, "乙检测公司"),
        calibration,
        name="温度计校准",
        scope="玻璃液体温度计校准",
    )
    f.offering(f.institution(jiangyin, "甲检测公司"), calibration)  # 压力表校准

    assert order(need) == ["甲检测公司", "乙检测公司"]
    text = part(need, "text")
    assert text["甲检测公司"]["points"] > text["乙检测公司"]["points"]
    assert "压力表" in text["甲检测公司"]["words"]


def test_region_same_district_then_city_then_province_then_other(need, regions, calibration):
    for code, name in [
        ("450202", "丁检测公司"),
        ("320000", "丙检测公司"),
        ("320205", "乙检测公司"),
        ("320281", "甲检测公司"),
    ]:
        f.offering(f.institution(regions[code], name), calibration)

    assert order(need) == ["甲检测公司", "乙检测公司", "丙检测公司", "丁检测公司"]
    region = part(need, "region")
    assert [
        region[n]["detail"] for n in ("甲检测公司", "乙检测公司", "丙检测公司", "丁检测公司")
    ] == [
        "same_district",
        "same_city",
        "same_province",
        "other",
    ]


def test_region_fit_compares_paths():
    assert (
        engine.region_fit("320000/320200/320281/320281001/", "320000/320200/320281/")
        == "same_district"
    )
    assert engine.region_fit("320000/320200/320281/", "320000/320200/") == "same_city"
    assert engine.region_fit("320000/320200/", "320000/320500/") == "same_province"
    assert engine.region_fit("320000/320200/", "450000/450200/") == "other"


def test_a_valid_qualification_counts_and_an_expired_one_excludes(need, jiangyin, calibration):
    import datetime as dt

    from django.utils import timezone

    f.offering(f.institution(jiangyin, "乙检测公司"), calibration, certified=False)
    f.offering(f.institution(jiangyin, "甲检测公司"), calibration)
    lapsed = f.institution(jiangyin, "丙检测公司")
    expired = f.qualification(lapsed, valid_to=timezone.localdate() - dt.timedelta(days=1))
    f.offering(lapsed, calibration, qualification_row=expired)

    assert order(need) == ["甲检测公司", "乙检测公司"]
    qualification = part(need, "qualification")
    assert qualification["甲检测公司"]["detail"] == "valid"
    assert qualification["乙检测公司"]["points"] == 0


def test_rating_moves_the_better_rated_up(need, jiangyin, calibration):
    f.offering(f.institution(jiangyin, "乙检测公司", rating="2.00", rating_count=5), calibration)
    f.offering(f.institution(jiangyin, "甲检测公司", rating="4.80", rating_count=5), calibration)

    assert order(need) == ["甲检测公司", "乙检测公司"]
    assert part(need, "rating")["甲检测公司"]["points"] == pytest.approx(4.8)


def _grade(institution, letter: str, score: str) -> None:
    CreditGrade.objects.create(
        institution=institution,
        grade=letter,
        score=Decimal(score),
        components={},
        computed_at=timezone.now(),
    )


@pytest.mark.clause("HM 5.1")
def test_a_worse_credit_grade_ranks_lower_with_otherwise_equal_inputs(need, jiangyin, calibration):
    # Created first, so on a tie it would come first (the last tie-break is the pk).
    poor = f.institution(jiangyin, "乙检测公司", rating="4.00", rating_count=5)
    good = f.institution(jiangyin, "甲检测公司", rating="4.00", rating_count=5)
    f.offering(poor, calibration)
    f.offering(good, calibration)
    assert order(need) == ["乙检测公司", "甲检测公司"]  # nothing tells them apart yet
    _grade(poor, "E", "52.00")
    _grade(good, "A", "94.50")

    ranked = engine.rank(need)

    assert [c.offering.institution.name for c in ranked] == ["甲检测公司", "乙检测公司"]
    best, worst = ranked
    assert best.score - worst.score == pytest.approx(engine.MAX_POINTS["credit"])
    assert {n: p["points"] for n, p in best.parts.items() if n != "credit"} == {
        n: p["points"] for n, p in worst.parts.items() if n != "credit"
    }
    with translation.override("en"):
        rows = {r.name: r.detail for r in explain.staff_rows(worst.explanation())}
    assert rows["credit"] == "grade E"


def test_an_institution_not_graded_yet_counts_as_grade_c(need, jiangyin, calibration):
    f.offering(f.institution(jiangyin, "甲检测公司"), calibration)

    credit = part(need, "credit")["甲检测公司"]

    assert credit["detail"] == "none"
    assert credit["points"] == engine.CREDIT_POINTS["C"]


def test_current_load_moves_a_busy_institution_down(need, jiangyin, calibration, stranger):
    busy = f.offering(f.institution(jiangyin, "甲检测公司"), calibration)
    f.offering(f.institution(jiangyin, "乙检测公司"), calibration)
    f.open_orders(busy, stranger, 10)

    assert order(need) == ["乙检测公司", "甲检测公司"]
    load = part(need, "load")
    assert load["甲检测公司"]["detail"] == "10"
    assert load["甲检测公司"]["points"] < load["乙检测公司"]["points"] == 5


def test_withdrawn_offerings_and_suspended_institutions_are_not_candidates(
    need, jiangyin, calibration
):
    withdrawn = f.offering(f.institution(jiangyin, "乙检测公司"), calibration)
    withdrawn.status = OfferingStatus.WITHDRAWN
    withdrawn.save()
    f.offering(
        f.institution(jiangyin, "丙检测公司", status=InstitutionStatus.SUSPENDED), calibration
    )
    f.offering(f.institution(jiangyin, "甲检测公司"), calibration)

    assert order(need) == ["甲检测公司"]
    # Not even when staff name them.
    assert order(need, extra_offering_ids=[withdrawn.pk]) == ["甲检测公司"]


def test_the_parts_add_up_and_explain_themselves(need, jiangyin, calibration):
    f.offering(f.institution(jiangyin, "甲检测公司", rating="4.50", rating_count=8), calibration)

    [best] = engine.rank(need)

    assert best.score == pytest.approx(sum(p["points"] for p in best.parts.values()), abs=0.011)
    assert all(0 <= p["points"] <= p["max"] for p in best.parts.values())
    assert sum(engine.MAX_POINTS.values()) == 100
    json.dumps(best.explanation())  # stored as JSON on the recommendation
    rows = explain.staff_rows(best.explanation())
    assert [r.name for r in rows] == list(explain.PART_ORDER)
    reasons = explain.plain_reasons(best.explanation())
    assert len(reasons) >= 4  # category, words, district, certificate, rating, not busy
    assert "credit" in best.parts  # the grade part, shown in the staff table


def test_staff_add_offerings_by_name_beyond_the_limit(need, jiangyin, calibration, categories):
    for n in range(3):
        f.offering(f.institution(jiangyin, f"检测公司{n}"), calibration)
    far = f.offering(
        f.institution(jiangyin, "远方纺织检测所"),
        categories["testing-products"],
        name="纺织品检测",
        scope="纺织",
    )

    assert engine.offerings_by_name("远方纺织") == [far.pk]
    ranked = engine.rank(need, extra_offering_ids=[far.pk], limit=2)

    assert len(ranked) == 3
    assert ranked[-1].offering == far


def test_a_ranking_costs_a_fixed_number_of_queries(
    need, regions, calibration, stranger, django_assert_max_num_queries
):
    offerings = [
        f.offering(f.institution(regions[code], f"检测公司{n}{code}"), calibration)
        for n, code in enumerate(["320281", "320205", "450202"] * 4)
    ]
    f.index(*offerings[:6])
    f.open_orders(offerings[0], stranger, 2)

    # text matches, offerings, tokens, open orders, credit grades, already recommended
    with django_assert_max_num_queries(6):
        ranked = engine.rank(need)

    assert len(ranked) == 12
