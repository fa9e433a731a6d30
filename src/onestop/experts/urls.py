from django.urls import path

from onestop.experts import views

app_name = "experts"

urlpatterns = [
    path("", views.expert_list, name="list"),
    path("<int:expert_id>/", views.expert_detail, name="detail"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.manage_create, name="manage_new"),
    path("manage/<int:expert_id>/", views.manage_edit, name="manage_edit"),
    path(
        "manage/<int:expert_id>/availability/",
        views.manage_availability,
        name="manage_availability",
    ),
    path("manage/<int:expert_id>/remove/", views.manage_remove, name="manage_remove"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    path("sessions/<int:session_id>/register/", views.session_register, name="session_register"),
    path(
        "sessions/<int:session_id>/unregister/",
        views.session_unregister,
        name="session_unregister",
    ),
    path("manage/sessions/", views.manage_sessions, name="manage_sessions"),
    path("manage/sessions/new/", views.manage_session_new, name="manage_session_new"),
    path("manage/sessions/<int:session_id>/", views.manage_session, name="manage_session"),
    path(
        "manage/sessions/<int:session_id>/cancel/",
        views.manage_session_cancel,
        name="manage_session_cancel",
    ),
]
