from django.urls import path

from onestop.accounts.views import LogoutView
from onestop.workbench import twofactor_views, views

app_name = "workbench"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(next_page="workbench:login"), name="logout"),
    path("2fa/setup/", twofactor_views.setup, name="2fa_setup"),
    path("2fa/verify/", twofactor_views.verify, name="2fa_verify"),
    path("2fa/recovery/", twofactor_views.recovery_codes, name="2fa_recovery"),
    path("", views.home, name="home"),
    path("audit/", views.audit_list, name="audit"),
    path("sla/", views.sla_list, name="sla"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/days/", views.calendar_day_add, name="calendar_day_add"),
    path("calendar/years/", views.calendar_year_declare, name="calendar_year_declare"),
]
