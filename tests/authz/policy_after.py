"""After the service: the quality archive, complaints, evaluations,
reporting, annual summaries and supervision.

Entries of the declared policy (see policy.py for what an entry means)."""

from __future__ import annotations

from policy_roles import (
    ENTERPRISES,
    HANDLERS,
    INSTITUTION,
    INSTITUTIONS,
    MANAGERS,
    OVERSEERS,
    OWNER,
    STATION,
    STATION_ELSEWHERE,
    STATIONS,
    SUPERVISORS,
    VISITOR,
)

AFTER: dict[str, dict[str, str | frozenset[str]]] = {
    "archive:log": {"*": "404", "login": VISITOR, "ok": ENTERPRISES},
    "archive:manage_detail": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "archive:manage_pdf": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "archive:manage_search": {"*": "403", "login": VISITOR, "ok": HANDLERS},
    "archive:mine": {"*": "404", "login": VISITOR, "ok": ENTERPRISES},
    "archive:pdf": {"*": "404", "login": VISITOR, "ok": ENTERPRISES},
    "complaints:act": {"*": "404", "login": VISITOR, "ok": OWNER},
    "complaints:detail": {"*": "404", "login": VISITOR, "ok": OWNER},
    "complaints:institution_detail": {"*": "404", "login": VISITOR},
    "complaints:institution_queue": {"*": "404", "login": VISITOR, "ok": INSTITUTIONS},
    "complaints:institution_respond": {"*": "404", "login": VISITOR},
    # An installation-wide handler sees every complaint (authz.EVERYTHING: an
    # empty Q() OR-ed with "registered by me" used to narrow it to those).
    "complaints:manage_act": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "complaints:manage_detail": {
        "*": "403",
        "login": VISITOR,
        # Station staff see complaints received at their station only.
        "404": STATIONS,
        "ok": MANAGERS,
    },
    "complaints:manage_queue": {"*": "403", "login": VISITOR, "ok": HANDLERS},
    "complaints:manage_register": {"*": "403", "login": VISITOR, "ok": HANDLERS},
    "complaints:mine": {"*": "ok", "login": VISITOR},
    "complaints:new": {"*": "ok", "login": VISITOR},
    "evaluations:appeal": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "evaluations:appeal_queue": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "evaluations:case": {
        "*": "403",
        "login": VISITOR,
        "ok": SUPERVISORS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "evaluations:case_queue": {"*": "403", "login": VISITOR, "ok": OVERSEERS},
    "evaluations:institution_appeal": {"*": "404", "login": VISITOR, "ok": INSTITUTION},
    "evaluations:institution_list": {"*": "404", "login": VISITOR, "ok": INSTITUTIONS},
    # The signed invitation link is the credential (sent to the rater).
    "evaluations:invite": {"*": "ok"},
    "evaluations:manage_list": {"*": "403", "login": VISITOR, "ok": OVERSEERS},
    # The reviews the user gave (an empty list for everyone else).
    "evaluations:my_list": {"*": "ok", "login": VISITOR},
    "reporting:dashboard": {"*": "403", "login": VISITOR, "ok": OVERSEERS},
    "reporting:publish": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
    "reporting:published_csv": {"*": "ok"},
    "reporting:published_detail": {"*": "ok"},
    "reporting:published_list": {"*": "ok"},
    "summaries:detail": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
    "summaries:download": {"*": "403", "login": VISITOR, "404": SUPERVISORS},
    "summaries:item": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
    "summaries:item_move": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
    "summaries:item_remove": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
    "summaries:manage_list": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
    "summaries:plan": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
    "summaries:plan_open": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
    "summaries:public_index": {"*": "ok"},
    "summaries:public_plan": {"*": "ok"},
    "summaries:publish": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
    "supervision:action": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
    "supervision:action_move": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
    "supervision:action_new": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
    "supervision:actions": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
    "supervision:credit": {"*": "ok"},
    "supervision:important_items": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
    "supervision:item_unmark": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
    "supervision:my_action": {"*": "404", "login": VISITOR, "ok": INSTITUTION},
    "supervision:my_actions": {"*": "ok", "login": VISITOR},
    "supervision:review": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
    "supervision:review_new": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
    "supervision:reviews": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
}
