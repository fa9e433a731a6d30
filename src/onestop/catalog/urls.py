from django.urls import path

from onestop.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.index, name="index"),
    path("manual.pdf", views.manual_pdf, name="manual_pdf"),
    path("c/<slug:code>/", views.category, name="category"),
    path("items/<int:item_id>/", views.item, name="item"),
    path("items/<int:item_id>/manual.pdf", views.item_manual_pdf, name="item_manual_pdf"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.manage_new, name="manage_new"),
    path("manage/<int:item_id>/", views.manage_edit, name="manage_edit"),
    path("manage/<int:item_id>/publish/", views.manage_publish, name="manage_publish"),
    path("manage/<int:item_id>/withdraw/", views.manage_withdraw, name="manage_withdraw"),
    path("manage/<int:item_id>/versions/", views.manage_versions, name="manage_versions"),
]
