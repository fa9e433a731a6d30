"""Readable names of audit actions. A service that records a new action adds it here."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "auth.login": _("Logged in"),
    "auth.logout": _("Logged out"),
    "auth.login_failed": _("Failed login"),
    "accounts.user_create": _("Account created"),
    "accounts.role_grant": _("Role granted"),
    "accounts.role_revoke": _("Role revoked"),
    "calendar.day_set": _("Calendar day entered"),
    "calendar.day_delete": _("Calendar day removed"),
    "calendar.year_declare": _("Calendar year declared complete"),
    "admin.add": _("Added in system administration"),
    "admin.change": _("Changed in system administration"),
    "admin.delete": _("Deleted in system administration"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
