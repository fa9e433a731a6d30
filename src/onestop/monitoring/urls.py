from django.urls import path

from onestop.monitoring import views

app_name = "monitoring"

# Included at the site root: /healthz and /rules/ are top-level addresses.
urlpatterns = [
    path("healthz", views.health, name="health"),
    path("rules/", views.rules_public, name="rules"),
    path("monitoring/", views.status, name="status"),
    path("monitoring/rules/", views.rules_edit, name="rules_edit"),
    path("monitoring/support/", views.support_mine, name="support_mine"),
    path("monitoring/support/new/", views.support_new, name="support_new"),
    path("monitoring/support/<int:pk>/", views.support_detail, name="support_detail"),
    path("monitoring/support/<int:pk>/answer/", views.support_answer, name="support_answer"),
    path("monitoring/support/<int:pk>/close/", views.support_close, name="support_close"),
]
