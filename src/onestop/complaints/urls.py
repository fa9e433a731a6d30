from django.urls import path

from onestop.complaints.views import institution, manage, public

app_name = "complaints"

urlpatterns = [
    path("new/", public.new, name="new"),
    path("mine/", public.mine, name="mine"),
    path("manage/", manage.queue, name="manage_queue"),
    path("manage/register/", manage.register, name="manage_register"),
    path("manage/<str:number>/", manage.detail, name="manage_detail"),
    path("manage/<str:number>/act/<str:action>/", manage.act, name="manage_act"),
    path("institution/", institution.queue, name="institution_queue"),
    path("institution/<str:number>/", institution.detail, name="institution_detail"),
    path("institution/<str:number>/respond/", institution.respond, name="institution_respond"),
    path("<str:number>/", public.detail, name="detail"),
    path("<str:number>/act/<str:action>/", public.act, name="act"),
]
