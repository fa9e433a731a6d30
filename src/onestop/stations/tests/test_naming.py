import pytest
from django.utils import translation

from onestop.regions.models import Profile
from onestop.stations.naming import InvalidStationName, clean_station_name


@pytest.mark.clause("LZ 6.3.1")
@pytest.mark.parametrize(
    "name",
    [
        "柳州市柳北区质量服务'一站式'平台",
        "柳州市柳北区质量服务‘一站式’平台",
        "柳州市柳北区质量服务“一站式”平台",
        '柳州市柳北区质量服务"一站式"平台',
        "柳州市柳城县质量服务“一站式”平台",
        "柳州市融水苗族自治县质量服务“一站式”平台",
        "柳州市柳东新区质量服务“一站式”平台",
        "河西工业园区质量服务“一站式”平台",
        "  柳州市柳江区质量服务'一站式'平台 ",
    ],
)
def test_liuzhou_accepts_the_two_standard_forms_with_any_quotes(name):
    # given a name in one of the LZ 6.3.1 forms, when cleaned, then it is kept (trimmed)
    assert clean_station_name(name, profile=Profile.LZ) == name.strip()


@pytest.mark.clause("LZ 6.3.1")
@pytest.mark.parametrize(
    "name",
    [
        "柳北区质量服务站",  # free-form name
        "柳州市柳北区质量服务一站式平台",  # quotes missing
        "柳州市柳北区质量服务“一站式'平台",  # quotes of two families
        "柳州市质量服务“一站式”平台",  # no county or district
        "南宁市青秀区质量服务“一站式”平台",  # another city
        "柳州市柳北区质量服务“一站式”中心",  # wrong ending
        "园区质量服务“一站式”平台",  # park without a name
        "柳州市柳北区质量服务“一站式”平台（分站）",  # trailing text
    ],
)
def test_liuzhou_rejects_other_names_and_says_why(name):
    # given a name outside the LZ forms, when cleaned, then the error names the rule
    with pytest.raises(InvalidStationName) as caught:
        clean_station_name(name, profile=Profile.LZ)
    assert "LZ 6.3.1" in caught.value.message
    assert caught.value.field == "name"


def test_the_liuzhou_message_is_translatable():
    # given the Chinese locale, when the rule is broken, then the message is a whole sentence
    with translation.override("zh-hans"), pytest.raises(InvalidStationName) as caught:
        clean_station_name("随便起个名", profile=Profile.LZ)
    assert "柳州市XX县（区、新区）" in caught.value.message


@pytest.mark.parametrize("profile", [Profile.HM, Profile.WX, ""])
def test_other_profiles_take_any_plain_name(profile):
    assert clean_station_name("江阴市市场监督管理局服务站", profile=profile) == (
        "江阴市市场监督管理局服务站"
    )
    assert clean_station_name("伊州区  服务站\n一号", profile=profile) == "伊州区 服务站 一号"


@pytest.mark.parametrize(
    "name",
    [
        "站",
        "x" * 81,
        "<b>服务站</b>",
        "服务站 https://evil.example",
        "服务站\u200b测试",
        "服务站{{x}}",
    ],
)
def test_other_profiles_reject_markup_urls_invisible_characters_and_bad_lengths(name):
    with pytest.raises(InvalidStationName):
        clean_station_name(name, profile=Profile.WX)
