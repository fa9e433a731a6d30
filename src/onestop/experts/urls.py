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
]
