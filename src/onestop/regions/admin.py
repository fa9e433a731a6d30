from django.contrib import admin

from onestop.audit.admin import AuditedAdminMixin
from onestop.regions.models import Region


@admin.register(Region)
class RegionAdmin(AuditedAdminMixin, admin.ModelAdmin[Region]):
    list_display = ["code", "name", "level", "profile", "parent"]
    list_filter = ["level", "profile"]
    search_fields = ["code", "name"]
    readonly_fields = ["path"]
