from django.urls import path

from onestop.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("region/", views.region_switch, name="region"),
    path("my/", views.my_services, name="my"),
]
