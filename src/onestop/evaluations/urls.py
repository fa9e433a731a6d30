from django.urls import path

from onestop.evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("i/<str:token>/", views.invite, name="invite"),
    path("mine/", views.my_list, name="my_list"),
    path("institution/", views.institution_list, name="institution_list"),
    path("institution/<int:pk>/appeal/", views.institution_appeal, name="institution_appeal"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/cases/", views.case_queue, name="case_queue"),
    path("manage/cases/<int:pk>/", views.case_detail, name="case"),
    path("manage/appeals/", views.appeal_queue, name="appeal_queue"),
    path("manage/appeals/<int:pk>/", views.appeal_detail, name="appeal"),
]
