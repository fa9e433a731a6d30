from django.urls import path

from onestop.accounts import privacy_views, registration_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("register/", registration_views.register_start, name="register"),
    path("register/details/", registration_views.register_details, name="register_details"),
    path("password-reset/", registration_views.password_reset_start, name="password_reset"),
    path(
        "password-reset/confirm/",
        registration_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("privacy/", registration_views.privacy, name="privacy"),
    path("me/", registration_views.me, name="me"),
    path("me/data/", privacy_views.my_data, name="my_data"),
    path("me/close/", privacy_views.deactivate, name="deactivate"),
]
