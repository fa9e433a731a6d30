from django.urls import path

from onestop.institutions.views import mine, public, review

app_name = "institutions"

urlpatterns = [
    # public
    path("", public.institution_list, name="list"),
    path("<int:institution_id>/", public.institution_detail, name="detail"),
    path("offerings/<int:offering_id>/", public.offering_detail, name="offering"),
    # the enterprise's own institution
    path("mine/", mine.mine, name="mine"),
    path("mine/apply/", mine.apply, name="apply"),
    path("mine/qualifications/new/", mine.qualification_new, name="qualification_new"),
    path("mine/offerings/new/", mine.offering_new, name="offering_new"),
    path("mine/offerings/<int:offering_id>/", mine.offering_edit, name="offering_edit"),
    path(
        "mine/offerings/<int:offering_id>/withdraw/",
        mine.offering_withdraw,
        name="offering_withdraw",
    ),
    path(
        "mine/offerings/<int:offering_id>/publish/",
        mine.offering_publish,
        name="offering_publish",
    ),
    # the service center's workbench
    path("review/", review.review_queue, name="review_queue"),
    path("review/<int:institution_id>/", review.review, name="review"),
    path("review/<int:institution_id>/approve/", review.approve, name="approve"),
    path("review/<int:institution_id>/reject/", review.reject, name="reject"),
    path("review/<int:institution_id>/status/", review.change_status, name="status"),
]
