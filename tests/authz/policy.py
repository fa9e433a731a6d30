"""The declared authorisation policy (LZ 4.6, HM 6.3), read by
test_authorisation_matrix.py.

One entry per URL name ("namespace:name") and per API operation id: what
each role gets when it requests the endpoint with the world's objects (all
belonging to someone else unless the role's name says otherwise: the
victim enterprise's owner and member, the institution serving it). An entry
maps an answer to the roles that get it, "*" to everyone else:

    ok      2xx, or a redirect elsewhere than a login page (for a POST with an
            empty body also 400/409/422: the input is refused, not the user)
    login   a redirect to a login page (site, workbench or admin)
    401     the API's answer to a visitor
    403     refused: the role may not do this at all
    404     the object is not there for this user (someone else's)

For a route in POST_ONLY the answer is the POST's (its GET is 405); for
other pages it is the GET's, and a POST by a refused role must be refused
too. A new endpoint without an entry fails the matrix.

The entries are kept per area of the site (policy_site, policy_finding,
policy_service, policy_after, policy_api; the roles in policy_roles) and
merged here.
"""

from __future__ import annotations

from policy_after import AFTER
from policy_api import API
from policy_finding import FINDING
from policy_service import SERVICE
from policy_site import SITE

Policy = dict[str, dict[str, str | frozenset[str]]]


def _merged(*areas: Policy) -> Policy:
    """The areas' entries as one policy. An endpoint declared in two areas
    is a mistake (one dict literal would have the linter catch it); refuse it
    rather than let the later entry win."""
    merged: Policy = {}
    for area in areas:
        twice = merged.keys() & area.keys()
        assert not twice, f"declared in two areas: {sorted(twice)}"
        merged.update(area)
    return merged


POLICY: Policy = _merged(SITE, FINDING, SERVICE, AFTER, API)

POST_ONLY: frozenset[str] = frozenset(
    {
        "accounts:logout",
        "catalog:manage_publish",
        "complaints:act",
        "complaints:institution_respond",
        "complaints:manage_act",
        "demands:accept",
        "demands:cancel",
        "demands:docking_contact",
        "demands:manage_assign",
        "demands:manage_claim",
        "demands:manage_close",
        "demands:manage_contact",
        "demands:manage_docking",
        "demands:manage_escalate",
        "demands:manage_refer",
        "demands:manage_respond",
        "enterprises:accept",
        "monitoring:support_answer",
        "monitoring:support_close",
        "enterprises:invite",
        "enterprises:remove",
        "enterprises:transfer",
        "experts:manage_availability",
        "experts:session_register",
        "experts:session_unregister",
        "fieldwork:appointment_cancel",
        "fieldwork:inst_appointment_cancel",
        "fieldwork:inst_sample_confirm",
        "fieldwork:inst_sample_reject",
        "fieldwork:inst_sample_report",
        "fieldwork:inst_slot_delete",
        "fieldwork:my_sample_new_code",
        "fieldwork:sample_hand_out",
        "fieldwork:sample_send",
        "fieldwork:slot_delete",
        "fieldwork:staff_appointment_cancel",
        "fieldwork:task_assign",
        "fieldwork:task_cancel",
        "fieldwork:task_done",
        "fieldwork:tasks_assign",
        "institutions:approve",
        "institutions:offering_publish",
        "institutions:offering_withdraw",
        "institutions:reject",
        "institutions:status",
        "notifications:mark_all_read",
        "notifications:mark_read",
        "orders:act",
        "orders:attach",
        "orders:institution_act",
        "orders:institution_attach",
        "orders:institution_message",
        "orders:manage_act",
        "orders:manage_attach",
        "orders:manage_escalate",
        "orders:manage_message",
        "orders:manage_proxy",
        "orders:message",
        "search:synonym_delete",
        "stations:manage_close",
        "summaries:item_move",
        "summaries:item_remove",
        "summaries:publish",
        "supervision:action_move",
        "supervision:item_unmark",
        "transfer:upload",
        "verification:approve",
        "verification:reject",
        "workbench:calendar_day_add",
        "workbench:calendar_year_declare",
        "workbench:logout",
    }
)

# Whole URL namespaces under one rule: the admin site's model pages (generated
# per model) send everyone to the admin login; no role has Django's is_staff.
PREFIXES: dict[str, dict[str, str | frozenset[str]]] = {"admin:": {"*": "login"}}

# Seconds to render (WeasyPrint PDFs, the OpenAPI document): requested only
# where the answer is a refusal, and by the visitor; the apps' own tests
# render them for the roles allowed.
SLOW: frozenset[str] = frozenset(
    {"catalog:manual_pdf", "archive:pdf", "archive:manage_pdf", "api:openapi-json"}
)


def expected(key: str, role: str) -> str | None:
    """The declared answer for ``role`` at ``key``; None when undeclared."""
    entry = POLICY.get(key)
    if entry is None:
        entry = next((rule for prefix, rule in PREFIXES.items() if key.startswith(prefix)), None)
    if entry is None:
        return None
    for answer, roles in entry.items():
        if answer != "*" and role in roles:
            return answer
    default = entry["*"]
    assert isinstance(default, str)
    return default
