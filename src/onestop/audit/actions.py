"""Readable names of audit actions. A service that records a new action adds it here."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "auth.login": _("Logged in"),
    "auth.logout": _("Logged out"),
    "auth.login_failed": _("Failed login"),
    "auth.session_expired": _("Session timed out"),
    "auth.2fa_setup": _("Two-factor authentication set up"),
    "auth.2fa_verified": _("Two-factor check passed"),
    "auth.2fa_failed": _("Two-factor check failed"),
    "auth.recovery_code_used": _("Recovery code used"),
    "auth.recovery_codes_regenerated": _("Recovery codes renewed"),
    "auth.locked_out": _("Login locked after repeated failures"),
    "accounts.register": _("Registered"),
    "accounts.password_reset": _("Password reset by SMS code"),
    "accounts.user_create": _("Account created"),
    "accounts.data_export": _("Personal data downloaded by its owner"),
    "accounts.deactivate": _("Account closed by its owner"),
    "accounts.role_grant": _("Role granted"),
    "accounts.role_revoke": _("Role revoked"),
    "calendar.day_set": _("Calendar day entered"),
    "calendar.day_delete": _("Calendar day removed"),
    "calendar.year_declare": _("Calendar year declared complete"),
    "documents.upload": _("Document uploaded"),
    "documents.download": _("Document viewed by staff"),
    "documents.delete": _("Document deleted"),
    "verification.submit": _("Verification submitted"),
    "verification.resubmit": _("Verification resubmitted"),
    "verification.approve": _("Verification approved"),
    "verification.reject": _("Verification returned"),
    "enterprises.invite": _("Member invited"),
    "enterprises.join": _("Invitation accepted"),
    "enterprises.remove_member": _("Member removed"),
    "enterprises.transfer_ownership": _("Ownership transferred"),
    "catalog.publish": _("Service item published"),
    "catalog.withdraw": _("Service item withdrawn"),
    "stations.station_create": _("Station created"),
    "stations.station_update": _("Station changed"),
    "stations.station_close": _("Station closed"),
    "stations.opening_hours_set": _("Station hours set"),
    "admin.add": _("Added in system administration"),
    "admin.change": _("Changed in system administration"),
    "admin.delete": _("Deleted in system administration"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
