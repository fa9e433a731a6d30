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
"""

from __future__ import annotations

VISITOR = frozenset({"visitor"})
INDIVIDUAL = frozenset({"individual"})
OWNER = frozenset({"enterprise_owner"})  # owner of the victim enterprise
MEMBER = frozenset({"enterprise_member"})  # member of the victim enterprise
OTHER_ENTERPRISE = frozenset({"other_enterprise"})
INSTITUTION = frozenset({"institution_staff"})  # owner of the serving institution's enterprise
OTHER_INSTITUTION = frozenset({"other_institution"})
EXPERT = frozenset({"expert"})
STATION = frozenset({"station_staff"})  # staff of the Liuzhou station holding the records
STATION_ELSEWHERE = frozenset({"station_staff_elsewhere"})  # staff of a Hami station
CENTER = frozenset({"center_staff"})  # Liuzhou service center, two-factor session
AUTHORITY = frozenset({"authority"})  # Liuzhou market-regulation bureau
SYSADMIN = frozenset({"sysadmin"})

VICTIM_ENTERPRISE = OWNER | MEMBER
INSTITUTIONS = INSTITUTION | OTHER_INSTITUTION
ENTERPRISES = VICTIM_ENTERPRISE | OTHER_ENTERPRISE | INSTITUTIONS
CUSTOMERS = INDIVIDUAL | ENTERPRISES
STATIONS = STATION | STATION_ELSEWHERE
MANAGERS = CENTER | SYSADMIN  # the service center's permissions
SUPERVISORS = MANAGERS | AUTHORITY  # supervision, statistics, summaries
HANDLERS = STATIONS | MANAGERS  # demands, fieldwork, complaint registration
OVERSEERS = HANDLERS | AUTHORITY  # every order in one's region
STAFF = OVERSEERS | EXPERT
USERS = CUSTOMERS | STAFF
ROLES = USERS | VISITOR

POLICY: dict[str, dict[str, str | frozenset[str]]] = {
    # The admin site: its own login (Django's is_staff); no role opens it.
    "admin:login": {"*": "ok"},
    "admin:logout": {"*": "ok"},
    "accounts:deactivate": {"*": "ok", "login": VISITOR},
    "accounts:login": {"*": "ok"},
    "accounts:logout": {"*": "ok"},
    "accounts:me": {"*": "ok", "login": VISITOR},
    "accounts:my_data": {"*": "ok", "login": VISITOR},
    "accounts:password_reset": {"*": "ok"},
    "accounts:password_reset_confirm": {"*": "ok"},
    "accounts:privacy": {"*": "ok"},
    "accounts:register": {"*": "ok"},
    "accounts:register_details": {"*": "ok"},
    "api:api-root": {"*": "404"},
    "api:openapi-json": {"*": "ok"},
    "api:openapi-view": {"*": "ok"},
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
    "catalog:category": {"*": "ok"},
    "catalog:index": {"*": "ok"},
    "catalog:item": {"*": "404"},
    "catalog:item_manual_pdf": {"*": "404"},
    "catalog:manage_edit": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "catalog:manage_list": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "catalog:manage_new": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "catalog:manage_publish": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "catalog:manage_versions": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "catalog:manage_withdraw": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "catalog:manual_pdf": {"*": "ok"},
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
    "demands:accept": {"*": "404", "login": VISITOR, "ok": OWNER},
    "demands:cancel": {"*": "404", "login": VISITOR, "ok": OWNER},
    "demands:detail": {"*": "404", "login": VISITOR, "ok": OWNER},
    "demands:dockings": {"*": "404", "login": VISITOR, "ok": INSTITUTIONS},
    "demands:manage_assign": {"*": "403", "login": VISITOR, "ok": HANDLERS},
    "demands:manage_claim": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "demands:manage_close": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "demands:manage_detail": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "demands:manage_docking": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "demands:manage_escalate": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "demands:manage_escalations": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "demands:manage_queue": {"*": "403", "login": VISITOR, "ok": HANDLERS},
    "demands:manage_recommend": {
        "*": "403",
        "login": VISITOR,
        "409": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "demands:manage_refer": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "demands:manage_register": {"*": "403", "login": VISITOR, "ok": HANDLERS},
    "demands:manage_respond": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "demands:manage_visit": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "demands:manage_visit_new": {"*": "403", "login": VISITOR, "ok": HANDLERS},
    "demands:manage_visits": {"*": "403", "login": VISITOR, "ok": HANDLERS},
    "demands:mine": {"*": "ok", "login": VISITOR},
    "demands:publish": {"*": "ok", "login": VISITOR},
    # The ID card scan of a person under real-name review: the reviewers only.
    "documents:download": {"*": "404", "login": VISITOR, "ok": MANAGERS},
    "documents:integrity_pledge_template": {"*": "ok"},
    "enterprises:accept": {"*": "404", "login": VISITOR},
    "enterprises:home": {"*": "ok", "login": VISITOR},
    # Empty input is refused before the service's owner check (member_invite).
    "enterprises:invite": {"*": "404", "login": VISITOR, "ok": ENTERPRISES},
    "enterprises:remove": {"*": "404", "login": VISITOR, "ok": OWNER, "403": MEMBER},
    "enterprises:transfer": {"*": "404", "login": VISITOR, "403": MEMBER},
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
    "experts:detail": {"*": "ok"},
    "experts:list": {"*": "ok"},
    "experts:manage_availability": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "experts:manage_edit": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "experts:manage_list": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "experts:manage_new": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "experts:manage_remove": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "experts:manage_session": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "experts:manage_session_cancel": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "experts:manage_session_new": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "experts:manage_sessions": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "experts:session": {"*": "ok"},
    "experts:session_register": {"*": "ok", "login": VISITOR},
    "experts:session_unregister": {"*": "ok", "login": VISITOR},
    "experts:sessions": {"*": "ok"},
    "fieldwork:appointment_cancel": {"*": "404", "login": VISITOR, "ok": OWNER},
    "fieldwork:book": {"*": "ok", "login": VISITOR},
    "fieldwork:follow_up": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "fieldwork:follow_ups": {"*": "403", "login": VISITOR, "ok": HANDLERS},
    "fieldwork:inst_appointment_cancel": {"*": "403", "login": VISITOR, "404": INSTITUTIONS},
    "fieldwork:inst_sample": {
        "*": "403",
        "login": VISITOR,
        "ok": INSTITUTION,
        "404": OTHER_INSTITUTION,
    },
    "fieldwork:inst_sample_confirm": {
        "*": "403",
        "login": VISITOR,
        "ok": INSTITUTION,
        "404": OTHER_INSTITUTION,
    },
    "fieldwork:inst_sample_reject": {
        "*": "403",
        "login": VISITOR,
        "ok": INSTITUTION,
        "404": OTHER_INSTITUTION,
    },
    "fieldwork:inst_sample_report": {
        "*": "403",
        "login": VISITOR,
        "ok": INSTITUTION,
        "404": OTHER_INSTITUTION,
    },
    "fieldwork:inst_samples": {"*": "403", "login": VISITOR, "ok": INSTITUTIONS},
    "fieldwork:inst_slot_delete": {"*": "403", "login": VISITOR, "404": INSTITUTIONS},
    "fieldwork:inst_slots": {"*": "403", "login": VISITOR, "ok": INSTITUTIONS},
    "fieldwork:inst_slots_new": {"*": "403", "login": VISITOR, "ok": INSTITUTIONS},
    "fieldwork:institution_slots": {"*": "ok"},
    "fieldwork:my_appointments": {"*": "ok", "login": VISITOR},
    "fieldwork:my_sample": {"*": "404", "login": VISITOR, "ok": OWNER},
    "fieldwork:my_sample_new_code": {"*": "404", "login": VISITOR, "ok": OWNER},
    "fieldwork:my_samples": {"*": "ok", "login": VISITOR},
    "fieldwork:sample": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "fieldwork:sample_hand_out": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "fieldwork:sample_new": {"*": "403", "login": VISITOR, "ok": HANDLERS},
    "fieldwork:sample_send": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "fieldwork:samples": {"*": "403", "login": VISITOR, "ok": HANDLERS},
    "fieldwork:slot_delete": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "fieldwork:slots": {"*": "403", "login": VISITOR, "ok": HANDLERS},
    "fieldwork:slots_new": {"*": "403", "login": VISITOR, "ok": HANDLERS},
    "fieldwork:staff_appointment_cancel": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "fieldwork:station_slots": {"*": "ok"},
    "fieldwork:task": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "fieldwork:task_assign": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "fieldwork:task_cancel": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "fieldwork:task_done": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "fieldwork:task_new": {"*": "403", "login": VISITOR, "ok": HANDLERS},
    "fieldwork:tasks": {"*": "403", "login": VISITOR, "ok": HANDLERS},
    "fieldwork:tasks_assign": {"*": "403", "login": VISITOR, "404": HANDLERS},
    "institutions:apply": {
        "*": "403",
        "login": VISITOR,
        "ok": OWNER | OTHER_ENTERPRISE,
        "409": INSTITUTIONS,
    },
    "institutions:approve": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "institutions:detail": {"*": "ok"},
    "institutions:list": {"*": "ok"},
    "institutions:mine": {"*": "ok", "login": VISITOR},
    "institutions:offering": {"*": "ok"},
    "institutions:offering_edit": {"*": "404", "login": VISITOR, "ok": INSTITUTION},
    "institutions:offering_new": {"*": "404", "login": VISITOR, "ok": INSTITUTIONS},
    "institutions:offering_publish": {"*": "404", "login": VISITOR, "ok": INSTITUTION},
    "institutions:offering_withdraw": {"*": "404", "login": VISITOR, "ok": INSTITUTION},
    "institutions:qualification_new": {"*": "404", "login": VISITOR, "ok": INSTITUTIONS},
    "institutions:reject": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "institutions:review": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "institutions:review_queue": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "institutions:status": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "notifications:inbox": {"*": "ok", "login": VISITOR},
    "notifications:mark_all_read": {"*": "ok", "login": VISITOR},
    "notifications:mark_read": {"*": "404", "login": VISITOR, "ok": OWNER},
    "notifications:preferences": {"*": "ok", "login": VISITOR},
    "onestop_accounts_api_code_send": {"*": "ok"},
    "onestop_accounts_api_me": {"*": "ok", "401": VISITOR},
    "onestop_accounts_api_register": {"*": "ok"},
    "onestop_complaints_api_complaint_create": {"*": "ok", "401": VISITOR},
    "onestop_complaints_api_complaint_get": {"*": "404", "401": VISITOR, "ok": OWNER},
    "onestop_complaints_api_complaint_mine": {"*": "ok", "401": VISITOR},
    "onestop_complaints_api_complaint_staff_list": {"*": "403", "401": VISITOR, "ok": HANDLERS},
    "onestop_core_api_day": {"*": "ok"},
    "onestop_core_api_deadline": {"*": "ok"},
    "onestop_demands_api_accept": {"*": "404", "401": VISITOR, "ok": OWNER},
    "onestop_demands_api_cancel": {"*": "404", "401": VISITOR, "ok": OWNER},
    "onestop_demands_api_my_demand": {"*": "404", "401": VISITOR, "ok": OWNER},
    "onestop_demands_api_my_demands": {"*": "ok", "401": VISITOR},
    "onestop_demands_api_publish": {"*": "ok", "401": VISITOR},
    "onestop_evaluations_api_institution_appeal": {"*": "ok", "401": VISITOR},
    "onestop_evaluations_api_institution_list": {"*": "404", "401": VISITOR, "ok": INSTITUTIONS},
    "onestop_evaluations_api_invitation_get": {"*": "ok"},
    "onestop_evaluations_api_invitation_submit": {"*": "ok"},
    "onestop_experts_api_get_expert": {"*": "ok"},
    "onestop_experts_api_get_session": {"*": "ok"},
    "onestop_experts_api_list_experts": {"*": "ok"},
    "onestop_experts_api_list_sessions": {"*": "ok"},
    "onestop_fieldwork_api_book": {"*": "ok", "401": VISITOR, "404": STATION},
    "onestop_fieldwork_api_cancel": {"*": "404", "401": VISITOR, "ok": OWNER},
    "onestop_fieldwork_api_free_slots": {"*": "ok"},
    "onestop_fieldwork_api_my_appointments": {"*": "ok", "401": VISITOR},
    "onestop_fieldwork_api_my_sample": {"*": "404", "401": VISITOR, "ok": OWNER},
    "onestop_fieldwork_api_my_samples": {"*": "ok", "401": VISITOR},
    "onestop_institutions_api_institution_get": {"*": "ok"},
    "onestop_institutions_api_institution_list": {"*": "ok"},
    "onestop_institutions_api_offering_get": {"*": "ok"},
    "onestop_orders_api_message_post": {"*": "ok", "401": VISITOR},
    "onestop_orders_api_order_action": {"*": "404", "401": VISITOR, "ok": VICTIM_ENTERPRISE},
    "onestop_orders_api_order_create": {"*": "ok", "401": VISITOR},
    "onestop_orders_api_order_get": {"*": "404", "401": VISITOR, "ok": VICTIM_ENTERPRISE},
    "onestop_orders_api_order_list": {"*": "ok", "401": VISITOR},
    # Open311: status only, by number; no names, contacts or descriptions.
    "onestop_orders_open311_request_get": {"*": "ok"},
    "onestop_orders_open311_requests_list": {"*": "ok"},
    "onestop_regions_api_get_region": {"*": "ok"},
    "onestop_regions_api_list_regions": {"*": "ok"},
    "onestop_reporting_api_published_get": {"*": "ok"},
    "onestop_reporting_api_published_list": {"*": "ok"},
    "onestop_search_api_search": {"*": "ok"},
    "onestop_stations_api_station_detail": {"*": "ok"},
    "onestop_stations_api_station_list": {"*": "ok"},
    "onestop_summaries_api_plan_get": {"*": "ok"},
    "onestop_summaries_api_plan_list": {"*": "ok"},
    "onestop_verification_api_my_applications": {"*": "ok", "401": VISITOR},
    "onestop_verification_api_submit_enterprise": {"*": "ok", "401": VISITOR},
    "onestop_verification_api_submit_individual": {"*": "ok", "401": VISITOR},
    "orders:act": {"*": "404", "login": VISITOR, "ok": VICTIM_ENTERPRISE},
    "orders:attach": {"*": "404", "login": VISITOR, "ok": VICTIM_ENTERPRISE},
    "orders:detail": {"*": "404", "login": VISITOR, "ok": VICTIM_ENTERPRISE},
    "orders:institution_act": {"*": "404", "login": VISITOR, "ok": INSTITUTION},
    "orders:institution_attach": {"*": "404", "login": VISITOR, "ok": INSTITUTION},
    "orders:institution_detail": {"*": "404", "login": VISITOR, "ok": INSTITUTION},
    "orders:institution_message": {"*": "404", "login": VISITOR, "ok": INSTITUTION},
    "orders:institution_queue": {"*": "404", "login": VISITOR, "ok": INSTITUTIONS},
    "orders:manage_act": {"*": "403", "login": VISITOR, "404": STATION_ELSEWHERE, "ok": MANAGERS},
    "orders:manage_attach": {
        "*": "403",
        "login": VISITOR,
        "ok": SUPERVISORS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "orders:manage_detail": {
        "*": "403",
        "login": VISITOR,
        "ok": SUPERVISORS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "orders:manage_escalate": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "orders:manage_list": {"*": "403", "login": VISITOR, "ok": OVERSEERS},
    "orders:manage_message": {
        "*": "403",
        "login": VISITOR,
        "ok": SUPERVISORS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "orders:manage_proxy": {
        "*": "403",
        "login": VISITOR,
        "ok": MANAGERS | STATION,
        "404": STATION_ELSEWHERE,
    },
    "orders:message": {"*": "404", "login": VISITOR, "ok": VICTIM_ENTERPRISE},
    "orders:mine": {"*": "ok", "login": VISITOR},
    "orders:new": {"*": "ok", "login": VISITOR},
    "reporting:dashboard": {"*": "403", "login": VISITOR, "ok": OVERSEERS},
    "reporting:publish": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
    "reporting:published_csv": {"*": "ok"},
    "reporting:published_detail": {"*": "ok"},
    "reporting:published_list": {"*": "ok"},
    "search:search": {"*": "ok"},
    "search:synonym_delete": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "search:synonyms": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "set_language": {"*": "ok"},
    "stations:detail": {"*": "ok"},
    "stations:list": {"*": "ok"},
    "stations:manage_close": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "stations:manage_create": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "stations:manage_edit": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "stations:manage_hours": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "stations:manage_list": {"*": "403", "login": VISITOR, "ok": MANAGERS},
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
    "transfer:export": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "transfer:index": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    # An import job is seen by its uploader only (its report may quote personal data).
    "transfer:job": {"*": "403", "login": VISITOR, "ok": CENTER, "404": SYSADMIN},
    "transfer:job_status": {"*": "403", "login": VISITOR, "ok": CENTER, "404": SYSADMIN},
    "transfer:report": {"*": "403", "login": VISITOR, "404": MANAGERS},
    "transfer:template": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "transfer:upload": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "verification:approve": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "verification:enterprise": {"*": "ok", "login": VISITOR},
    "verification:individual": {"*": "ok", "login": VISITOR},
    "verification:name_change": {"*": "ok", "login": VISITOR},
    "verification:queue": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "verification:reject": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "verification:review": {"*": "403", "login": VISITOR, "ok": MANAGERS},
    "verification:status": {"*": "ok", "login": VISITOR},
    "web:about": {"*": "ok"},
    "web:home": {"*": "ok"},
    "web:my": {"*": "ok", "login": VISITOR},
    "web:region": {"*": "ok"},
    "workbench:2fa_recovery": {"*": "403", "login": VISITOR, "ok": STAFF},
    "workbench:2fa_setup": {"*": "403", "login": VISITOR, "ok": STAFF},
    "workbench:2fa_verify": {"*": "403", "login": VISITOR, "ok": STAFF},
    "workbench:audit": {"*": "403", "login": VISITOR, "ok": SUPERVISORS},
    "workbench:calendar": {"*": "403", "login": VISITOR, "ok": SYSADMIN},
    "workbench:calendar_day_add": {"*": "403", "login": VISITOR, "ok": SYSADMIN},
    "workbench:calendar_year_declare": {"*": "403", "login": VISITOR, "ok": SYSADMIN},
    "workbench:home": {"*": "403", "login": VISITOR, "ok": STAFF},
    "workbench:login": {"*": "ok"},
    "workbench:logout": {"*": "login"},
    "workbench:sla": {"*": "403", "login": VISITOR, "ok": OVERSEERS},
}

POST_ONLY: frozenset[str] = frozenset(
    {
        "accounts:logout",
        "catalog:manage_publish",
        "complaints:act",
        "complaints:institution_respond",
        "complaints:manage_act",
        "demands:accept",
        "demands:cancel",
        "demands:manage_assign",
        "demands:manage_claim",
        "demands:manage_close",
        "demands:manage_docking",
        "demands:manage_escalate",
        "demands:manage_refer",
        "demands:manage_respond",
        "enterprises:accept",
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
