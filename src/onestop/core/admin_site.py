from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class SysadminSite(admin.AdminSite):
    """Django admin for system administrators only; staff work in /workbench/."""

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class OneStopAdminConfig(AdminConfig):
    default_site = "onestop.core.admin_site.SysadminSite"
