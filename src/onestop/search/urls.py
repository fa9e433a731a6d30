from django.urls import path

from onestop.search import views

app_name = "search"

urlpatterns = [
    path("", views.search, name="search"),
    path("synonyms/", views.synonym_list, name="synonyms"),
    path("synonyms/<int:group_id>/delete/", views.synonym_delete, name="synonym_delete"),
]
