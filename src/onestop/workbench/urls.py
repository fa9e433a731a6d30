from django.urls import path

from onestop.accounts.views import LogoutView
from onestop.workbench import views

app_name = "workbench"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(next_page="workbench:login"), name="logout"),
    path("", views.home, name="home"),
    path("audit/", views.audit_list, name="audit"),
    path("sla/", views.sla_list, name="sla"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/days/", views.calendar_day_add, name="calendar_day_add"),
    path("calendar/years/", views.calendar_year_declare, name="calendar_year_declare"),
]
