from django.urls import path, re_path

from onestop.summaries import views

app_name = "summaries"

urlpatterns = [
    path("", views.public_index, name="public_index"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/<int:pk>/", views.detail, name="detail"),
    path("manage/<int:pk>/publish/", views.publish, name="publish"),
    path("manage/<int:pk>/download/<str:kind>/", views.download, name="download"),
    path("manage/plan/", views.plan_open, name="plan_open"),
    path("manage/plan/<str:code>/<int:year>/", views.plan, name="plan"),
    path("manage/items/<int:pk>/", views.item, name="item"),
    path("manage/items/<int:pk>/remove/", views.item_remove, name="item_remove"),
    path("manage/items/<int:pk>/<str:action>/", views.item_move, name="item_move"),
    re_path(r"^(?P<code>\d{6}(?:\d{3})?)/(?P<year>\d{4})/$", views.public_plan, name="public_plan"),
]
