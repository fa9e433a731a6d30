from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from onestop.config.api import api

admin.site.site_header = settings.ONESTOP_PLATFORM_NAME
admin.site.site_title = settings.ONESTOP_PLATFORM_NAME

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("accounts/", include("onestop.accounts.urls")),
    path("inbox/", include("onestop.notifications.urls")),
    path("services/", include("onestop.catalog.urls")),
    path("documents/", include("onestop.documents.urls")),
    path("enterprise/", include("onestop.enterprises.urls")),
    path("verification/", include("onestop.verification.urls")),
    path("stations/", include("onestop.stations.urls")),
    path("institutions/", include("onestop.institutions.urls")),
    path("experts/", include("onestop.experts.urls")),
    path("search/", include("onestop.search.urls")),
    path("transfer/", include("onestop.transfer.urls")),
    path("demands/", include("onestop.demands.urls")),
    path("orders/", include("onestop.orders.urls")),
    path("fieldwork/", include("onestop.fieldwork.urls")),
    path("evaluations/", include("onestop.evaluations.urls")),
    path("complaints/", include("onestop.complaints.urls")),
    path("supervision/", include("onestop.supervision.urls")),
    path("statistics/", include("onestop.reporting.urls")),
    path("archive/", include("onestop.archive.urls")),
    path("summaries/", include("onestop.summaries.urls")),
    path("workbench/", include("onestop.workbench.urls")),
    path("", include("onestop.monitoring.urls")),  # /monitoring/, /healthz, /rules/
    path("bench/", include("onestop.datagen.floor")),  # empty unless ONESTOP_BENCH_FLOOR=1
    path("", include("onestop.web.urls")),
]

handler404 = "onestop.web.views.page_not_found"
handler500 = "onestop.web.views.server_error"
handler403 = "onestop.web.views.permission_denied"
handler400 = "onestop.web.views.bad_request"
