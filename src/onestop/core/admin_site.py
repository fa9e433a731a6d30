from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class SysadminSite(admin.AdminSite):
    """Django admin for system administrators only; staff work in /workbench/."""

    def has_permission(self, request: HttpRequest) -> bool:
        # Superuser with the second factor done in this session (SPEC §5).
        # Imported here: this module loads before the app registry is ready.
        from onestop.accounts.twofactor import session_is_verified

        user = request.user
        return bool(user.is_active and user.is_superuser and session_is_verified(user))


class OneStopAdminConfig(AdminConfig):
    default_site = "onestop.core.admin_site.SysadminSite"
