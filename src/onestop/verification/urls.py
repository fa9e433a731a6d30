from django.urls import path

from onestop.verification import views

app_name = "verification"

urlpatterns = [
    path("", views.status, name="status"),
    path("individual/", views.submit_individual, name="individual"),
    path("enterprise/", views.submit_enterprise, name="enterprise"),
    path("name-change/", views.submit_name_change, name="name_change"),
    path("review/", views.queue, name="queue"),
    path("review/<int:application_id>/", views.review, name="review"),
    path("review/<int:application_id>/approve/", views.approve, name="approve"),
    path("review/<int:application_id>/reject/", views.reject, name="reject"),
]
