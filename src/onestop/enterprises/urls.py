from django.urls import path

from onestop.enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("", views.home, name="home"),
    path("invite/", views.invite, name="invite"),
    path("invitations/<int:invitation_id>/accept/", views.accept, name="accept"),
    path("members/<int:membership_id>/remove/", views.remove, name="remove"),
    path("members/<int:membership_id>/transfer/", views.transfer, name="transfer"),
]
