"""The site itself and the workbench: the admin site, accounts, the API's
documents, enterprises, notifications, verification, the home pages, the
workbench and its import/export (transfer).

Entries of the declared policy (see policy.py for what an entry means)."""

from __future__ import annotations

from policy_roles import (
    CENTER,
    ENTERPRISES,
    MANAGERS,
    MEMBER,
    OVERSEERS,
    OWNER,
    STAFF,
    SUPERVISORS,
    SYSADMIN,
    VISITOR,
)

SITE: dict[str, dict[str, str | frozenset[str]]] = {
    # Running status and technical support (WX 4.1.2c), operating rules (LZ 6.5.2).
    "monitoring:health": {"*": "ok"},
    "monitoring:rules": {"*": "ok"},
    "monitoring:rules_edit": {"*": "403", "login": VISITOR, "ok": SYSADMIN},
    "monitoring:status": {"*": "403", "login": VISITOR, "ok": SYSADMIN},
    "monitoring:support_answer": {"*": "403", "login": VISITOR, "404": SYSADMIN},
    "monitoring:support_close": {"*": "403", "login": VISITOR, "404": SYSADMIN},
    # Nobody's request 0: not found for everyone who may ask for support.
    "monitoring:support_detail": {"*": "403", "login": VISITOR, "404": STAFF},
    "monitoring:support_mine": {"*": "403", "login": VISITOR, "ok": STAFF},
    "monitoring:support_new": {"*": "403", "login": VISITOR, "ok": STAFF},
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
    # The ID card scan of a person under real-name review: the reviewers only.
    "documents:download": {"*": "404", "login": VISITOR, "ok": MANAGERS},
    "documents:integrity_pledge_template": {"*": "ok"},
    "enterprises:accept": {"*": "404", "login": VISITOR},
    "enterprises:home": {"*": "ok", "login": VISITOR},
    # Empty input is refused before the service's owner check (member_invite).
    "enterprises:invite": {"*": "404", "login": VISITOR, "ok": ENTERPRISES},
    "enterprises:remove": {"*": "404", "login": VISITOR, "ok": OWNER, "403": MEMBER},
    "enterprises:transfer": {"*": "404", "login": VISITOR, "403": MEMBER},
    "notifications:inbox": {"*": "ok", "login": VISITOR},
    "notifications:mark_all_read": {"*": "ok", "login": VISITOR},
    "notifications:mark_read": {"*": "404", "login": VISITOR, "ok": OWNER},
    "notifications:preferences": {"*": "ok", "login": VISITOR},
    "set_language": {"*": "ok"},
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
