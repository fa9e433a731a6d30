"""Station naming rules, keyed by the region's deployment profile.

LZ 6.3.1 fixes the offline platform's name to one of two forms:
"柳州市XX县（区、新区）质量服务'一站式'平台" or "XXX园区质量服务'一站式'平台".
People type the quotes around 一站式 as straight or curly ones; both are the
same name. Other profiles prescribe no form, so their names only have to be
plain text of a sane length.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from onestop.core.errors import InvalidInput
from onestop.regions.models import Profile

NAME_MIN = 4
NAME_MAX = 80

_HAN = r"[\u4e00-\u9fff]"
# Straight or curly, single or double; the two marks must be of one family.
_QUOTED = r"(?:'一站式'|‘一站式’|\"一站式\"|“一站式”)"
_LZ_FORMS = (
    re.compile(rf"^柳州市{_HAN}{{1,12}}?(?:新区|县|区)质量服务{_QUOTED}平台$"),
    re.compile(rf"^{_HAN}{{1,20}}园区质量服务{_QUOTED}平台$"),
)
_FORBIDDEN = re.compile(r"[<>{}\[\]\\|`^~@#$%*=]|https?:|www\.", re.IGNORECASE)


class InvalidStationName(InvalidInput):
    code = "invalid_station_name"
    field = "name"


def _plain(name: str) -> str:
    """Reject control characters, markup and URLs, and bound the length."""
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise InvalidStationName(
            _("A station name must not contain control or invisible characters.")
        )
    if _FORBIDDEN.search(name):
        raise InvalidStationName(
            _("A station name must be plain text: no markup, symbols or web addresses.")
        )
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise InvalidStationName(
            _("A station name has %(min)s to %(max)s characters."), min=NAME_MIN, max=NAME_MAX
        )
    return name


def _liuzhou(name: str) -> str:
    name = _plain(name)
    if not any(form.match(name) for form in _LZ_FORMS):
        raise InvalidStationName(
            _(
                "In Liuzhou a station is named \"柳州市XX县（区、新区）质量服务'一站式'平台\" "
                "or \"XXX园区质量服务'一站式'平台\" (LZ 6.3.1)."
            )
        )
    return name


_RULES: dict[str, Callable[[str], str]] = {Profile.LZ: _liuzhou}


def clean_station_name(name: str, *, profile: str) -> str:
    """The name with surrounding and doubled spaces removed, or InvalidStationName."""
    name = re.sub(r"\s+", " ", (name or "").strip())
    return _RULES.get(profile, _plain)(name)
