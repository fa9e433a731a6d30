"""Complaints by type, and the frequent terms table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from onestop.complaints.models import ComplaintType, Satisfaction
from onestop.reporting.tables import Cell, Table
from onestop.summaries import rules
from onestop.summaries.terms import Term


def complaint_types(complaints: Iterable[tuple[Any, ...]]) -> Table:
    received: Counter[str] = Counter()
    upheld: Counter[str] = Counter()
    dissatisfied: Counter[str] = Counter()
    for kind, was_upheld, satisfaction, _content in complaints:
        received[kind] += 1
        upheld[kind] += int(was_upheld is True)
        dissatisfied[kind] += int(satisfaction == Satisfaction.DISSATISFIED)
    labels = dict(ComplaintType.choices)
    rows: list[list[Cell]] = [
        [str(labels.get(kind, kind)), count, upheld[kind], dissatisfied[kind]]
        for kind, count in sorted(received.items(), key=lambda pair: (-pair[1], pair[0]))
    ]
    return Table(
        key="complaint_types",
        title=_("Complaint types: upheld and outcomes not accepted"),
        columns=[
            _("Type"),
            _("Complaints"),
            _("Upheld"),
            _("Complainant dissatisfied with the outcome"),
        ],
        rows=rows,
    )


def terms_table(terms: list[Term]) -> Table:
    return Table(
        key="terms",
        title=_("Frequent terms in dissatisfied comments and complaints"),
        columns=[_("Rank"), _("Term"), _("Mentioned in")],
        rows=[[rank, term.word, term.count] for rank, term in enumerate(terms, start=1)],
        note=_(
            "Each comment or complaint counts once per term; common words are left out. "
            "The top %(top)s terms are listed."
        )
        % {"top": rules.TOP_TERMS},
    )


# --- the lowest rated -------------------------------------------------------------
