"""The corrective actions of the period (HM 5.1), from onestop.supervision."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.regions.models import Region
from onestop.reporting.tables import Cell, Table
from onestop.supervision.models import TargetKind
from onestop.supervision.selectors import corrective_actions_in


def corrective_actions_tables(*, region: Region, start: dt.date, end: dt.date) -> list[Table]:
    """The corrective actions issued in the period and their state today
    (HM 5.1: violations corrected), one query. A staff member addressed is
    not named (the summary circulates beyond the supervisors)."""
    actions = corrective_actions_in(region=region, start=start, end=end)
    states: Counter[str] = Counter(action.state_label for action in actions)
    listed: list[list[Cell]] = []
    for action in actions:
        target = (
            str(TargetKind(action.target_kind).label)
            if action.target_kind == TargetKind.STAFF
            else action.target_name
        )
        listed.append(
            [
                action.number,
                target,
                str(action.get_source_kind_display()),
                action.problem,
                action.due_on.isoformat(),
                action.state_label,
                timezone.localdate(action.closed_at).isoformat() if action.closed_at else "",
            ]
        )
    return [
        Table(
            key="corrective_states",
            title=_("Corrective actions by state"),
            columns=[_("State"), _("Corrective actions")],
            rows=[
                [label, number]
                for label, number in sorted(states.items(), key=lambda p: (-p[1], p[0]))
            ],
            note=_("The state on the day the summary was generated."),
        ),
        Table(
            key="corrective_actions",
            title=_("Corrective actions issued in the period"),
            columns=[
                _("Number"),
                _("Addressed to"),
                _("Source"),
                _("Problem found"),
                _("Correct by"),
                _("State"),
                _("Closed on"),
            ],
            rows=listed,
        ),
    ]
