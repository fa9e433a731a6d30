"""The rollup and the tables of a period, on the hand-made October of conftest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from onestop.core.errors import InvalidInput
from onestop.reporting import services
from onestop.reporting.models import Figure, Grain, RollupState
from onestop.reporting.tables import period_tables

from .conftest import OCT_1, OCT_31, cell, table

pytestmark = [pytest.mark.django_db]


def tables_of(region, start=OCT_1, end=OCT_31):
    with translation.override("en"):
        return period_tables(region=region, start=start, end=end)


@pytest.mark.clause("HM 5.3")
def test_each_figure_of_the_month(rolled, regions):
    tables = tables_of(regions["320200"])
    assert cell(tables, "demands", "Demands received") == 3
    assert cell(tables, "demands", "Published online by users") == 2
    assert cell(tables, "demands", "Responses due or given") == 3
    assert cell(tables, "demands", "Responded within 1 working day") == 2
    assert cell(tables, "demands", "Responded within 1 working day", 2) == 66.7
    assert cell(tables, "demands", "Recommended within 3 working days") == 1

    assert cell(tables, "orders", "Orders placed") == 8
    assert cell(tables, "orders", "Placed through a station on the user's behalf") == 1
    assert cell(tables, "orders", "Orders completed") == 4
    assert cell(tables, "orders", "Orders declined by the institution") == 1
    assert cell(tables, "orders", "Orders cancelled") == 1
    # 3 orders in 2 working days, 1 in 3: (6 + 3) / 4
    assert cell(tables, "orders", "Mean working days from order to completion") == 2.25
    assert table(tables, "orders_by_month").rows == [["2026-10", 8, 4, 1, 1]]

    clocks = {row[0]: row[1:] for row in table(tables, "clocks").rows}
    assert clocks["Response to a demand (1 working day)"] == [3, 2, 1, 66.7]
    assert clocks["Recommendation for a demand (3 working days)"] == [1, 1, 0, 100.0]

    assert cell(tables, "evaluations", "Evaluations received") == 11
    assert cell(tables, "evaluations", "Dissatisfied or problem not solved") == 2
    # (9 × 4.00 + 2 × 3.60) / 11
    assert cell(tables, "evaluations", "Mean score of the institutions (1 to 5)") == 3.93

    assert cell(tables, "complaints", "Complaints received") == 3
    assert cell(tables, "complaints", "Investigated and forwarded within 7 working days") == 1
    assert cell(tables, "complaints", "Upheld") == 1
    assert cell(tables, "complaints", "Upheld", 2) == 100.0
    assert cell(tables, "complaints", "Complaints closed") == 1
    assert cell(tables, "complaints", "Mean working days from receipt to closure") == 4.0
    types = {row[0]: row[1] for row in table(tables, "complaint_types").rows}
    assert types["Service quality or results"] == 1
    assert types["Fees"] == 1
    assert types["Attitude or conduct"] == 1


@pytest.mark.clause("WX 8.1.1")
def test_satisfaction_by_dimension_five_level_form(rolled, regions):
    rows = {row[0]: row[1:] for row in table(tables_of(regions["320200"]), "satisfaction").rows}
    # 11 evaluations, every answer "satisfied" (4) except 2 × attitude "dissatisfied" (2)
    assert rows["Service flow"] == [11, 4.0, 100.0, 0.0]
    assert rows["Efficiency (timely response and completion)"] == [11, 4.0, 100.0, 0.0]
    assert rows["Service attitude"] == [11, 3.64, 81.8, 18.2]
    assert rows["Overall rating"] == [11, 4.0, 100.0, 0.0]
    assert rows["Problem solved"] == [11, None, 81.8, 18.2]


@pytest.mark.clause("WX 8.1.1")
@pytest.mark.clause("HM 5.3")
def test_satisfaction_by_dimension_hm_form(rolled, regions):
    tables = tables_of(regions["650500"])
    rows = {row[0]: row[1:] for row in table(tables, "satisfaction").rows}
    # Both parts of Appendix A: the center "satisfied" (4), the institution 5, 5, 4, 4.
    assert rows["Efficiency (timely response and completion)"] == [2, 4.5, 100.0, 0.0]
    assert rows["Professionalism"] == [2, 4.5, 100.0, 0.0]
    assert rows["Service attitude"] == [2, 4.0, 100.0, 0.0]
    assert rows["Overall rating"] == [2, 4.0, 100.0, 0.0]
    assert rows["Problem solved"] == [2, None, 100.0, 0.0]
    assert rows["Service flow"] == [0, None, None, None]
    questions = table(tables, "satisfaction_questions").rows
    assert [q[2] for q in questions][:2] == [
        "您对服务中心本次服务反馈及时性的满意度",
        "您对服务中心本次服务的专业性的满意度",
    ]
    assert len(questions) == 10


def test_region_subtree_sums(rolled, regions):
    def placed(code):
        return cell(tables_of(regions[code]), "orders", "Orders placed")

    assert placed("320281") == 6  # Jiangyin
    assert placed("320205") == 2  # Xishan
    assert placed("320200") == 8  # Wuxi = both districts
    assert placed("320000") == 8  # Jiangsu = Wuxi
    assert placed("650500") == 1  # Hami
    assert placed("450200") == 0  # Liuzhou: nothing


@pytest.mark.clause("HM 5.3")
def test_minimum_sample_grouping(rolled, regions):
    institutions = table(tables_of(regions["320200"]), "institutions")
    assert institutions.rows[0] == ["江阴示范检测所", 6, 3, None, 10, 3.92, 20.0, 2]
    # B: 2 orders and 1 evaluation, below both minimums: summed, unnamed, no score.
    assert institutions.rows[1] == ["Other institutions (1)", 2, 1, None, 1, None, None, 0]
    assert "锡山小型计量站" not in str(institutions.rows)
    assert "1 of them is summed in the last row." in institutions.note
    stations = table(tables_of(regions["320200"]), "stations")
    assert stations.rows == [["Other stations (1)", 1, 1, 0, None, 1]]


def test_a_custom_period_across_months_adds_day_and_month_rows(rolled, regions):
    wuxi = regions["320200"]
    whole = cell(tables_of(wuxi, dt.date(2026, 9, 1), OCT_31), "orders", "Orders placed")
    assert whole == 18  # 10 in September, 8 in October
    assert Figure.objects.filter(grain=Grain.MONTH, day=OCT_1).exists()
    part = tables_of(wuxi, dt.date(2026, 9, 7), dt.date(2026, 10, 12))
    assert cell(part, "orders", "Orders placed") == 16  # 10 + the 6 of 12 October
    assert table(part, "orders_by_month").rows == [
        ["2026-09", 10, 10, 0, 0],
        ["2026-10", 6, 0, 0, 0],
    ]


def test_running_twice_gives_the_same_rows(rolled, regions):
    def snapshot():
        rows = Figure.objects.values_list(
            "grain", "day", "region_id", "institution_id", "station_id", "metric", "key",
            "count", "total",
        )  # fmt: skip
        return sorted(rows, key=repr)

    first = snapshot()
    services.figures_rollup(start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))
    assert snapshot() == first
    assert len(first) > 40


def test_rows_are_stored_at_their_own_region(rolled, regions):
    day = dt.date(2026, 10, 12)
    placed = Figure.objects.filter(grain=Grain.DAY, metric="order.placed", day=day)
    stored = {
        (f.region.code, f.institution_id, f.station_id, f.count)
        for f in placed.select_related("region")
    }
    a, h, station = rolled.a.pk, rolled.h.pk, rolled.station.pk
    assert stored == {
        ("320281", None, None, 6),  # the users' regions
        ("650502", None, None, 1),
        ("320281", a, None, 6),  # the institutions' regions
        ("650502", h, None, 1),
        ("320281", None, station, 1),  # the station's region
    }
    answers = Figure.objects.filter(metric="answer").exclude(institution=None, station=None)
    assert not answers.exists()  # answers are kept per region only


def test_only_finished_days_and_a_real_range(october):
    with pytest.raises(services.PeriodNotFinished):
        services.figures_rollup(start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 18))
    with pytest.raises(InvalidInput):
        services.figures_rollup(start=dt.date(2026, 10, 2), end=dt.date(2026, 10, 1))
    assert not Figure.objects.exists()


def test_an_upheld_appeal_leaves_the_figures_at_the_next_nightly_run(rolled, regions, time_machine):
    from onestop.evaluations.models import Appeal, AppealStatus, Evaluation

    bad = rolled.evaluations[-1]
    appeal = Appeal.objects.create(
        evaluation=bad,
        institution=rolled.a,
        region=bad.region,
        reason="评价与事实不符",
        lodged_by=rolled.build.rater,
        status=AppealStatus.UPHELD,
    )
    Appeal.objects.filter(pk=appeal.pk).update(decided_at=dt.datetime.now(dt.UTC))
    Evaluation.objects.filter(pk=bad.pk).update(counted=False)
    time_machine.move_to(dt.datetime(2026, 11, 19, 1, 0, tzinfo=dt.UTC))

    result = services.figures_rollup_due()

    assert result.end == dt.date(2026, 11, 18)
    assert cell(tables_of(regions["320200"]), "evaluations", "Evaluations received") == 10


def test_nightly_run_catches_up_and_then_has_nothing_to_do(october, time_machine, regions):
    first = services.figures_rollup_due()
    assert first.end == dt.date(2026, 11, 17)
    assert first.start == dt.date(2025, 11, 17)  # a year back on the first run
    assert services.figures_rollup_due().rows == 0  # yesterday is done
    time_machine.move_to(dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC))
    later = services.figures_rollup_due()
    # From the last day, but a week back at least (late entries settle).
    assert (later.start, later.end) == (dt.date(2026, 11, 14), dt.date(2026, 11, 20))
    assert RollupState.objects.get().last_day == dt.date(2026, 11, 20)
    assert cell(tables_of(regions["320200"]), "orders", "Orders placed") == 8


def test_the_command_rolls_up_from_a_day(october, regions, capsys):
    call_command("figures_rollup", since="2026-10-01")
    out = capsys.readouterr().out
    assert "figures 2026-10-01 to 2026-11-17" in out
    assert services.rolled_up_to() == dt.date(2026, 11, 17)
    assert cell(tables_of(regions["320200"]), "orders", "Orders placed") == 8


def test_the_nightly_task_runs_the_rollup(october):
    from onestop.reporting.tasks import figures_rollup_nightly

    figures_rollup_nightly.delay()
    assert services.rolled_up_to() == dt.date(2026, 11, 17)
    months = Figure.objects.filter(
        grain="month", metric="evaluation.score", institution=None, station=None
    )
    total = sum(f.total for f in months)
    assert total == Decimal("4.00") * 9 + Decimal("3.60") * 2 + Decimal("4.50")
