"""The analysis of dissatisfaction of one region's year (WX 8.1.3, HM 5.3).

What went wrong and where: bad answers by dimension and by question
(the questionnaires' own scale says which answers are bad), "not solved"
answers, online and offline evaluations, complaint types, the reasons of
the rectification cases and how many were closed, the frequent terms in
what dissatisfied users wrote, the institutions, offerings and service items
rated lowest (only with at least rules.MIN_SAMPLE evaluations) and the
corrective actions of the year.

Reviews taken out of the statistics by an upheld appeal (``counted``) are
left out. The caller has checked that the reader may see the region; the
analysis covers the region's whole subtree, in a fixed number of queries.
Titles and labels are translated in the active language.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import QuerySet

from onestop.complaints.models import Complaint
from onestop.evaluations.models import Evaluation, RectificationCase, SurveyForm
from onestop.regions.models import Region
from onestop.reporting.tables import Table
from onestop.summaries import rules
from onestop.summaries.analysis.actions import corrective_actions_tables
from onestop.summaries.analysis.answers import Questionnaire, bad_answers, channels, rectification
from onestop.summaries.analysis.common import bounds
from onestop.summaries.analysis.complaints import complaint_types, terms_table
from onestop.summaries.analysis.ranking import worst
from onestop.summaries.terms import Term, frequent_terms

__all__ = ["Analysis", "dissatisfaction_analysis"]


@dataclasses.dataclass(frozen=True)
class Analysis:
    region: Region
    start: dt.date
    end: dt.date
    evaluations: int
    dissatisfied: int
    complaints: int
    terms: list[Term]
    tables: list[Table]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def _evaluations(region: Region, first: dt.datetime, after: dt.datetime) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(
        region__path__startswith=region.path,
        created_at__gte=first,
        created_at__lt=after,
        counted=True,
    )


def dissatisfaction_analysis(*, region: Region, start: dt.date, end: dt.date) -> Analysis:
    """The analysis of the days [start, end] for the region's subtree (8 queries)."""
    first, after = bounds(start, end)
    evaluations = list(
        _evaluations(region, first, after).values_list(
            "form_id",
            "answers",
            "comment",
            "bad",
            "order__proxy_station_id",
            "order__demand__source",
            "demand__source",
        )
    )
    cases = list(
        RectificationCase.objects.filter(
            region__path__startswith=region.path, opened_at__gte=first, opened_at__lt=after
        ).values_list("reasons", "status", "evaluation__form_id")
    )
    form_ids = {row[0] for row in evaluations} | {row[2] for row in cases}
    forms = {f.pk: Questionnaire.of(f) for f in SurveyForm.objects.filter(pk__in=form_ids)}
    complaints = list(
        Complaint.objects.filter(
            region__path__startswith=region.path, received_at__gte=first, received_at__lt=after
        ).values_list("type", "upheld", "satisfaction", "content")
    )
    bad_comments = [row[2] for row in evaluations if row[3] and row[2]]
    terms = frequent_terms([*bad_comments, *(row[3] for row in complaints)], top=rules.TOP_TERMS)
    scored = _evaluations(region, first, after).filter(institution_score__isnull=False)
    tables = [
        channels(evaluations),
        *bad_answers(evaluations, forms),
        complaint_types(complaints),
        rectification(cases, forms),
        terms_table(terms),
        *worst(scored),
        *corrective_actions_tables(region=region, start=start, end=end),
    ]
    return Analysis(
        region=region,
        start=start,
        end=end,
        evaluations=len(evaluations),
        dissatisfied=sum(1 for row in evaluations if row[3]),
        complaints=len(complaints),
        terms=terms,
        tables=tables,
    )


# --- evaluations ------------------------------------------------------------------
