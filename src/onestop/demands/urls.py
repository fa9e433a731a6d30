from django.urls import path

from onestop.demands.views import manage, public

app_name = "demands"

urlpatterns = [
    # the user's side (WX 5.1 b, 5.1 d)
    path("new/", public.publish, name="publish"),
    path("mine/", public.mine, name="mine"),
    # the institution's side: demands docked with it (WX 7.2.2.2.2)
    path("docked/", public.dockings, name="dockings"),
    # the workbench (WX 7.2.2, HM 4.3.2-4.3.3)
    path("manage/", manage.queue, name="manage_queue"),
    path("manage/register/", manage.register, name="manage_register"),
    path("manage/assign/", manage.assign, name="manage_assign"),
    path("manage/escalations/", manage.escalations, name="manage_escalations"),
    path("manage/visits/", manage.visits, name="manage_visits"),
    path("manage/visits/new/", manage.visit_new, name="manage_visit_new"),
    path("manage/visits/<int:visit_id>/", manage.visit_detail, name="manage_visit"),
    path("manage/<slug:number>/", manage.detail, name="manage_detail"),
    path("manage/<slug:number>/claim/", manage.claim, name="manage_claim"),
    path("manage/<slug:number>/respond/", manage.respond, name="manage_respond"),
    path("manage/<slug:number>/recommend/", manage.recommend, name="manage_recommend"),
    path("manage/<slug:number>/refer/", manage.refer, name="manage_refer"),
    path("manage/<slug:number>/docking/", manage.docking, name="manage_docking"),
    path("manage/<slug:number>/escalate/", manage.escalate, name="manage_escalate"),
    path("manage/<slug:number>/close/", manage.close, name="manage_close"),
    # one's own demand
    path("<slug:number>/", public.detail, name="detail"),
    path("<slug:number>/accept/<int:recommendation_id>/", public.accept, name="accept"),
    path("<slug:number>/cancel/", public.cancel, name="cancel"),
]
