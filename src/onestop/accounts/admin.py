from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from onestop.accounts.models import RoleAssignment, User
from onestop.audit.admin import AuditedAdminMixin


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = ["role", "region", "scope_type", "scope_id", "revoked_at"]
    raw_id_fields = ["region"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin[User]):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "display_name", "email", "is_active", "is_superuser"]
    fieldsets = (*BaseUserAdmin.fieldsets, (None, {"fields": ("display_name",)}))  # type: ignore[misc]
