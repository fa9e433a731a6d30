from django.urls import path

from onestop.supervision import views

app_name = "supervision"

urlpatterns = [
    path("actions/", views.action_list, name="actions"),
    path("actions/new/", views.action_new, name="action_new"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/<str:move>/", views.action_move, name="action_move"),
    path("my-actions/", views.my_actions, name="my_actions"),
    path("my-actions/<int:pk>/", views.my_action_detail, name="my_action"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/new/", views.review_new, name="review_new"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("reviews/items/", views.important_items, name="important_items"),
    path("reviews/items/<int:pk>/unmark/", views.important_item_unmark, name="item_unmark"),
    path("credit/", views.credit_explained, name="credit"),
]
