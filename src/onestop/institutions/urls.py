from django.urls import path

from onestop.institutions import views

app_name = "institutions"

urlpatterns = [
    # public
    path("", views.institution_list, name="list"),
    path("<int:institution_id>/", views.institution_detail, name="detail"),
    path("offerings/<int:offering_id>/", views.offering_detail, name="offering"),
    # the enterprise's own institution
    path("mine/", views.mine, name="mine"),
    path("mine/apply/", views.apply, name="apply"),
    path("mine/qualifications/new/", views.qualification_new, name="qualification_new"),
    path("mine/offerings/new/", views.offering_new, name="offering_new"),
    path("mine/offerings/<int:offering_id>/", views.offering_edit, name="offering_edit"),
    path(
        "mine/offerings/<int:offering_id>/withdraw/",
        views.offering_withdraw,
        name="offering_withdraw",
    ),
    path(
        "mine/offerings/<int:offering_id>/publish/",
        views.offering_publish,
        name="offering_publish",
    ),
    # the service center's workbench
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:institution_id>/", views.review, name="review"),
    path("review/<int:institution_id>/approve/", views.approve, name="approve"),
    path("review/<int:institution_id>/reject/", views.reject, name="reject"),
    path("review/<int:institution_id>/status/", views.change_status, name="status"),
]
