from django.urls import path

from onestop.transfer import views

app_name = "transfer"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:kind>/upload/", views.upload, name="upload"),
    path("<slug:kind>/export.xlsx", views.export, name="export"),
    path("<slug:kind>/template.xlsx", views.template, name="template"),
    path("jobs/<int:job_id>/", views.job, name="job"),
    path("jobs/<int:job_id>/status.json", views.job_status, name="job_status"),
    path("jobs/<int:job_id>/report.xlsx", views.report, name="report"),
]
