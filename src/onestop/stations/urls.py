from django.urls import path

from onestop.stations import views

app_name = "stations"

urlpatterns = [
    path("", views.station_list, name="list"),
    path("<int:station_id>/", views.station_detail, name="detail"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.manage_create, name="manage_create"),
    path("manage/<int:station_id>/", views.manage_edit, name="manage_edit"),
    path("manage/<int:station_id>/hours/", views.manage_hours, name="manage_hours"),
    path("manage/<int:station_id>/close/", views.manage_close, name="manage_close"),
]
