from django.urls import path

from onestop.orders import views

app_name = "orders"

urlpatterns = [
    path("new/<int:offering_id>/", views.order_new, name="new"),
    path("mine/", views.mine, name="mine"),
    # The institution's side.
    path("institution/", views.institution_queue, name="institution_queue"),
    path("institution/<str:number>/", views.institution_detail, name="institution_detail"),
    path(
        "institution/<str:number>/act/<slug:action>/",
        views.institution_act,
        name="institution_act",
    ),
    path(
        "institution/<str:number>/messages/",
        views.institution_message,
        name="institution_message",
    ),
    path(
        "institution/<str:number>/attachments/",
        views.institution_attach,
        name="institution_attach",
    ),
    # Staff (workbench).
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/<str:number>/", views.manage_detail, name="manage_detail"),
    path("manage/<str:number>/act/<slug:action>/", views.manage_act, name="manage_act"),
    path("manage/<str:number>/messages/", views.manage_message, name="manage_message"),
    path("manage/<str:number>/attachments/", views.manage_attach, name="manage_attach"),
    path("manage/<str:number>/escalate/", views.manage_escalate, name="manage_escalate"),
    path("manage/<str:number>/proxy/", views.manage_proxy, name="manage_proxy"),
    # The user's side.
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/act/<slug:action>/", views.act, name="act"),
    path("<str:number>/messages/", views.message, name="message"),
    path("<str:number>/attachments/", views.attach, name="attach"),
]
