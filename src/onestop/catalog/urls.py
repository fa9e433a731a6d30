from django.urls import path

from onestop.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.index, name="index"),
    path("c/<slug:code>/", views.category, name="category"),
    path("items/<int:item_id>/", views.item, name="item"),
]
