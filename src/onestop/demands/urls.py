from django.urls import path

from onestop.demands.views import handling, intake, public, queues, recommend

app_name = "demands"

urlpatterns = [
    # the user's side (WX 5.1 b, 5.1 d)
    path("new/", public.publish, name="publish"),
    path("mine/", public.mine, name="mine"),
    # the institution's side: demands docked with it (WX 7.2.2.2.2)
    path("docked/", public.dockings, name="dockings"),
    path("docked/<slug:number>/contact/", public.docking_contact, name="docking_contact"),
    # the workbench (WX 7.2.2, HM 4.3.2-4.3.3)
    path("manage/", queues.queue, name="manage_queue"),
    path("manage/register/", intake.register, name="manage_register"),
    path("manage/assign/", queues.assign, name="manage_assign"),
    path("manage/escalations/", queues.escalations, name="manage_escalations"),
    path("manage/visits/", intake.visits, name="manage_visits"),
    path("manage/visits/new/", intake.visit_new, name="manage_visit_new"),
    path("manage/visits/<int:visit_id>/", intake.visit_detail, name="manage_visit"),
    path("manage/<slug:number>/", handling.detail, name="manage_detail"),
    path("manage/<slug:number>/contact/", handling.contact, name="manage_contact"),
    path("manage/<slug:number>/claim/", handling.claim, name="manage_claim"),
    path("manage/<slug:number>/respond/", handling.respond, name="manage_respond"),
    path("manage/<slug:number>/recommend/", recommend.recommend, name="manage_recommend"),
    path("manage/<slug:number>/refer/", handling.refer, name="manage_refer"),
    path("manage/<slug:number>/docking/", handling.docking, name="manage_docking"),
    path("manage/<slug:number>/escalate/", handling.escalate, name="manage_escalate"),
    path("manage/<slug:number>/close/", handling.close, name="manage_close"),
    # one's own demand
    path("<slug:number>/", public.detail, name="detail"),
    path("<slug:number>/accept/<int:recommendation_id>/", public.accept, name="accept"),
    path("<slug:number>/cancel/", public.cancel, name="cancel"),
]
