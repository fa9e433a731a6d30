"""Reads of the enterprise quality archive (HM 6): who may open which
archive (``access``) and the archive itself, assembled from the other apps'
rows in a fixed number of queries (``sections``)."""

from onestop.archive.selectors.access import (
    ArchiveNotFound,
    MemberChoice,
    access_log,
    enterprise_for_staff,
    is_active_member,
    member_choice,
    opening_for,
    staff_enterprises,
    staff_position,
)
from onestop.archive.selectors.sections import (
    SECTION_LIMIT,
    Archive,
    MemberRow,
    ReportRow,
    Section,
    archive_of,
)

__all__ = [
    "SECTION_LIMIT",
    "Archive",
    "ArchiveNotFound",
    "MemberChoice",
    "MemberRow",
    "ReportRow",
    "Section",
    "access_log",
    "archive_of",
    "enterprise_for_staff",
    "is_active_member",
    "member_choice",
    "opening_for",
    "staff_enterprises",
    "staff_position",
]
