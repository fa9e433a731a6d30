from django.urls import path

from onestop.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("publish/", views.publish, name="publish"),
    path("published/", views.published_list, name="published_list"),
    path("published/<int:pk>/", views.published_detail, name="published_detail"),
    path("published/<int:pk>.csv", views.published_csv, name="published_csv"),
]
