from django.urls import path

from onestop.documents import views

app_name = "documents"

urlpatterns = [
    path("<uuid:public_id>/", views.download, name="download"),
    path(
        "templates/integrity-pledge/",
        views.integrity_pledge_template,
        name="integrity_pledge_template",
    ),
]
