from django.urls import URLPattern, path

from onestop.archive import views

app_name = "archive"

urlpatterns: list[URLPattern] = [
    path("", views.mine, name="mine"),
    path("log/", views.access_log, name="log"),
    path("pdf/", views.pdf, name="pdf"),
    path("manage/", views.manage_search, name="manage_search"),
    path("manage/<int:enterprise_id>/", views.manage_detail, name="manage_detail"),
    path("manage/<int:enterprise_id>/pdf/", views.manage_pdf, name="manage_pdf"),
]
