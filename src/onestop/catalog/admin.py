from django.contrib import admin

from onestop.audit.admin import AuditedAdminMixin
from onestop.catalog.models import ServiceCategory, ServiceItem


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(AuditedAdminMixin, admin.ModelAdmin[ServiceCategory]):
    list_display = ["code", "name", "parent", "position"]
    search_fields = ["code", "name"]


@admin.register(ServiceItem)
class ServiceItemAdmin(AuditedAdminMixin, admin.ModelAdmin[ServiceItem]):
    list_display = ["name", "category", "status", "version", "channel"]
    list_filter = ["status", "channel", "category__parent"]
    search_fields = ["name", "summary"]
    readonly_fields = ["status", "version"]
