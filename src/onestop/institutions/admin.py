"""Read-mostly admin: onboarding, suspension and exit go through the
workbench (services), so the status never changes here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from onestop.audit.admin import AuditedAdminMixin
from onestop.institutions.models import Institution, Offering, Qualification, StatusChange
from onestop.search.index import refresh_later
from onestop.search.models import DocKind


class _Reindexed(AuditedAdminMixin):
    """A correction made here reaches the public search like one made in the app."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        if isinstance(obj, Offering):
            refresh_later(DocKind.OFFERING, [obj.pk])
            return
        institution_id = obj.pk if isinstance(obj, Institution) else obj.institution_id
        refresh_later(DocKind.INSTITUTION, [institution_id])
        offerings = Offering.objects.filter(institution_id=institution_id)
        refresh_later(DocKind.OFFERING, list(offerings.values_list("pk", flat=True)))


class _ReadOnly(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class QualificationInline(_ReadOnly):
    model = Qualification
    fields = ["kind", "number", "issuer", "valid_from", "valid_to"]


class StatusChangeInline(_ReadOnly):
    model = StatusChange
    fields = ["at", "from_status", "to_status", "reason", "actor"]
    readonly_fields = ["at"]


@admin.register(Institution)
class InstitutionAdmin(_Reindexed, admin.ModelAdmin[Institution]):
    list_display = ["name", "kind", "region", "status", "applied_at", "decided_at"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "enterprise__name", "enterprise__uscc"]
    list_select_related = ["region"]
    readonly_fields = [
        "enterprise",
        "region",
        "status",
        "agreement_version",
        "agreement_accepted_at",
        "applied_by",
        "applied_at",
        "decided_at",
        "rating",
        "rating_count",
    ]
    inlines = [QualificationInline, StatusChangeInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Qualification)
class QualificationAdmin(_Reindexed, admin.ModelAdmin[Qualification]):
    list_display = ["number", "kind", "institution", "valid_from", "valid_to", "expiry_warned_at"]
    list_filter = ["kind"]
    search_fields = ["number", "institution__name"]
    list_select_related = ["institution"]
    readonly_fields = ["institution", "kind", "number", "scan", "expiry_warned_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Offering)
class OfferingAdmin(_Reindexed, admin.ModelAdmin[Offering]):
    list_display = ["name", "institution", "category", "status", "turnaround_working_days"]
    list_filter = ["status", "category__parent"]
    search_fields = ["name", "institution__name"]
    list_select_related = ["institution", "category"]
    readonly_fields = ["institution", "status", "qualification"]
    filter_horizontal = ["stations"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
