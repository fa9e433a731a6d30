from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from onestop.audit.models import AuditEvent
from onestop.audit.services import audit_record


class AuditedAdminMixin:
    """Every write through Django admin also lands in the audit trail."""

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        audit_record(action="admin.add", actor=request.user, obj=obj, changes={"message": message})
        return super().log_addition(request, obj, message)  # type: ignore[misc]

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        audit_record(
            action="admin.change", actor=request.user, obj=obj, changes={"message": message}
        )
        return super().log_change(request, obj, message)  # type: ignore[misc]

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            audit_record(action="admin.delete", actor=request.user, obj=obj)
        return super().log_deletions(request, queryset)  # type: ignore[misc]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["seq", "created_at", "actor_label", "action", "object_repr", "region", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_repr", "action"]
    list_select_related = ["region"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
