from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from onestop.stations.models import OpeningHours, Station


class OpeningHoursInline(admin.TabularInline):  # type: ignore[type-arg]
    model = OpeningHours
    extra = 0


@admin.register(Station)
class StationAdmin(admin.ModelAdmin[Station]):
    """Read-only: stations change through the workbench, whose services check
    the hierarchy and naming rules and write the audit trail."""

    list_display = ["name", "tier", "kind", "region", "parent", "status"]
    list_filter = ["tier", "kind", "status"]
    search_fields = ["name", "address"]
    list_select_related = ["region", "parent"]
    inlines = [OpeningHoursInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
