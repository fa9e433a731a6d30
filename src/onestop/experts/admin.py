from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from onestop.audit.admin import AuditedAdminMixin
from onestop.experts.models import Expert
from onestop.search import index
from onestop.search.models import DocKind


@admin.register(Expert)
class ExpertAdmin(AuditedAdminMixin, admin.ModelAdmin[Expert]):
    """For system administrators; the service center works in the workbench.
    Contacts stay out of the changelist (personal data, change form only).
    No deletion: experts leave the pool through the workbench, with a reason."""

    list_display = ["name", "title", "organisation", "region", "availability", "active"]
    list_filter = ["availability", "active", "categories__parent"]
    search_fields = ["name", "organisation", "specialties"]
    list_select_related = ["region"]
    filter_horizontal = ["categories"]
    readonly_fields = ["removed_at", "created_at", "updated_at"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        index.refresh_later(DocKind.EXPERT, [form.instance.pk])

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
