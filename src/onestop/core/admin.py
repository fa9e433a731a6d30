from django.contrib import admin

from onestop.audit.admin import AuditedAdminMixin
from onestop.core.models import CalendarDay, CalendarYear


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdminMixin, admin.ModelAdmin[CalendarDay]):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedAdminMixin, admin.ModelAdmin[CalendarYear]):
    list_display = ["year", "source", "declared_at"]
