"""Demands (WX 5.1 b, 7.2.2; HM 4.3.2-4.3.3): every write goes through here.

Each service is atomic, checks who may act (onestop.accounts.authz, or the
requester for their own demand), checks the state machine in
onestop.demands.rules, writes a DemandEvent (the history both sides see) and
an audit row, and notifies the people concerned. Publishing and registering
start the response (1 working day) and recommendation (3 working days)
clocks of WX 7.2.2.2.1; responding and the first recommendation stop them.
"""

from onestop.demands.services.common import (
    NUMBER_PREFIX,
    RECOMMENDATION_WORKING_DAYS,
    RESPONSE_WORKING_DAYS,
    FieldError,
    next_number,
)
from onestop.demands.services.contact import contact_reveal
from onestop.demands.services.handling import (
    ASSIGN_PERM,
    AlreadyClaimed,
    demand_assign,
    demand_cancel,
    demand_claim,
    demand_close,
    demand_escalate,
    demand_respond,
)
from onestop.demands.services.intake import (
    STAFF_SOURCES,
    FoundNeed,
    NotVerified,
    demand_publish,
    demand_register,
    publisher_enterprise,
    require_station_worker,
    visit_record,
)
from onestop.demands.services.matching import (
    Pick,
    demand_accept_recommendation,
    demand_recommend,
    docking_record,
    recommendation_add_external,
)

__all__ = [
    "ASSIGN_PERM",
    "NUMBER_PREFIX",
    "RECOMMENDATION_WORKING_DAYS",
    "RESPONSE_WORKING_DAYS",
    "STAFF_SOURCES",
    "AlreadyClaimed",
    "FieldError",
    "FoundNeed",
    "NotVerified",
    "Pick",
    "contact_reveal",
    "demand_accept_recommendation",
    "demand_assign",
    "demand_cancel",
    "demand_claim",
    "demand_close",
    "demand_escalate",
    "demand_publish",
    "demand_recommend",
    "demand_register",
    "demand_respond",
    "docking_record",
    "next_number",
    "publisher_enterprise",
    "recommendation_add_external",
    "require_station_worker",
    "visit_record",
]
