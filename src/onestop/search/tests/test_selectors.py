"""Search and self-matching (WX 7.2.1) through the real full-text index of
the database the tests run on (FTS5 on SQLite, GIN on PostgreSQL)."""

from __future__ import annotations

import pytest

from onestop.search import index
from onestop.search.models import DocKind, SearchDocument
from onestop.search.selectors import BadSearch, SearchParams, search
from onestop.search.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def titles(result) -> list[str]:
    return [hit.document.title for hit in result.hits]


def run(**params):
    return search(SearchParams(**params), today=TODAY)


@pytest.mark.clause("WX 7.2.1")
def test_a_keyword_finds_the_offering_and_the_catalog_entry(world):
    result = run(q="压力表校准")
    assert titles(result)[0] == "压力表校准"  # exact phrase in the title comes first
    kinds = {hit.document.kind for hit in result.hits}
    assert DocKind.OFFERING in kinds
    assert result.hits[0].document.url == f"/institutions/offerings/{world.gauge.pk}/"


@pytest.mark.clause("WX 7.2.1")
def test_synonyms_find_each_other(world):
    # 压力计 and 检定 are synonyms of 压力表 and 校准 in the default list.
    assert "压力表校准" in titles(run(q="压力计检定"))


def test_matches_are_highlighted_and_escaped(world):
    hit = run(q="压力表").hits[0]
    assert "<mark>压力表</mark>" in hit.title


def test_every_word_must_match_before_partial_results(world):
    result = run(q="农药 残留")
    assert titles(result) == ["食品中农药残留检测"]
    assert not result.partial
    partial = run(q="农药 电梯")
    assert partial.partial
    assert "食品中农药残留检测" in titles(partial)


def test_the_candidates_are_the_best_matches_not_the_best_documents(world, monkeypatch):
    """Only matching documents compete for the CANDIDATES places (a sub-select
    once let the whole index's highest boosts take them: nothing was found)."""
    from onestop.search import selectors

    monkeypatch.setattr(selectors, "CANDIDATES", 1)
    result = run(q="农药 残留")
    assert titles(result) == ["食品中农药残留检测"]
    assert result.page.paginator.count == 1


def test_an_expired_qualification_makes_its_offering_unmatchable(world):
    assert "电子天平检定" not in titles(run(q="电子天平"))
    # The same offering is found while the qualification is still valid.
    early = search(SearchParams(q="电子天平"), today=world.expired.qualification.valid_to)
    assert "电子天平检定" in titles(early)


def test_filters_region_category_qualification_channel_kind(world, regions):
    assert titles(run(q="检测", region="450200", kind="offering")) == ["食品中农药残留检测"]
    assert "压力表校准" not in titles(run(q="压力表", region="450200"))
    assert titles(run(q="压力表", qualification="CMA", kind="offering")) == ["压力表校准"]
    assert titles(run(q="检测", channel="online", kind="offering")) == ["食品中农药残留检测"]
    metrology = run(category="metrology", kind="offering")
    assert titles(metrology) == ["压力表校准"]
    assert titles(run(q="李建国")) == ["李建国"]
    assert world.station.name in titles(run(q="一站式服务站", kind="station"))


def test_ranking_prefers_well_rated_institutions_when_text_ties(world):
    result = run(q="检测", kind="institution")
    assert titles(result)[0] == "柳州市检验检测中心"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "压" * 2000}, "q"),
        ({"q": "！？。，……——"}, "q"),
        ({"q": "   ...   "}, "q"),
        ({"q": "%_\\*()"}, "q"),
        ({"category": "no-such-category"}, "category"),
        ({"category": "1; DROP TABLE search_searchdocument"}, "category"),
        ({"region": "999999"}, "region"),
        ({"kind": "users"}, "kind"),
        ({"qualification": "ISO"}, "qualification"),
        ({"channel": "fax"}, "channel"),
    ],
)
def test_bad_input_is_refused_on_its_field(world, params, field):
    with pytest.raises(BadSearch) as caught:
        run(**params)
    assert caught.value.field == field


@pytest.mark.parametrize(
    "query",
    [
        "' OR 1=1 --",
        '"压力表" NEAR/2 *',
        "压力表) OR (1",
        "a & b | !c <-> d:*",
        ".*(压力表)+[a-z]{2,}$",
        "%_压力\\",
        "NOT AND OR",
        "压力表 -校准 +CMA ^2",
    ],
)
def test_metacharacters_are_plain_text(world, query):
    # No database error, no injection: the operators are just separators.
    result = run(q=query)
    assert result.ran
    assert SearchDocument.objects.count() > 0


def test_an_empty_search_runs_nothing(world):
    assert not run().ran


def test_query_count_does_not_grow_with_results(world, django_assert_num_queries):
    # synonyms + count + page
    with django_assert_num_queries(3):
        run(q="检测")
    with django_assert_num_queries(3):
        run(q="服务")
    # + the category and region lookups
    with django_assert_num_queries(5):
        run(q="服务", category="metrology", region="320200")


def test_refresh_removes_what_is_no_longer_public(world, django_capture_on_commit_callbacks):
    from onestop.institutions.models import InstitutionStatus

    world.metrology.status = InstitutionStatus.SUSPENDED
    world.metrology.save()
    with django_capture_on_commit_callbacks(execute=True):
        index.refresh_later(DocKind.INSTITUTION, [world.metrology.pk])
        index.refresh_later(DocKind.OFFERING, [world.gauge.pk])
    assert "压力表校准" not in titles(run(q="压力表", kind="offering"))
    assert "无锡市计量测试院" not in titles(run(q="计量测试院", kind="institution"))


def test_expert_contacts_are_never_indexed(world):
    document = SearchDocument.objects.get(kind=DocKind.EXPERT)
    assert "13800138000" not in document.tokens + document.body + document.subtitle
    assert "li@example.cn" not in document.tokens + document.body + document.subtitle
    assert not run(q="13800138000").hits


def test_a_closed_station_leaves_the_search(world, make_user, django_capture_on_commit_callbacks):
    from onestop.stations.services import station_close

    admin = make_user("sysadmin", None, kind="staff")
    with django_capture_on_commit_callbacks(execute=True):
        station_close(actor=admin, station=world.station, note="撤并")
    assert world.station.name not in titles(run(q="一站式服务站", kind="station"))
